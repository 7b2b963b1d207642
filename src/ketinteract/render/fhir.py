"""FHIR R4 output: a Bundle (type collection) of DetectedIssue resources, one per finding and one per
regimen warning, plus one OperationOutcome for what was not answered. Validated in tests against the
R4B and R5 models of fhir.resources (R4 itself is not packaged; the elements used are the same).

Choices, and why:

- Severity: major -> high, moderate -> moderate, minor -> low. A finding of severity "none" (no clinically
  significant interaction) is not written as a DetectedIssue at all, since a DetectedIssue says
  there is a problem; it appears instead as an ``informational`` issue of the OperationOutcome, so the
  answer is still visible.
- OperationOutcome: ``not-found`` issues for unrecognised names (warning) and for pairs without a curated
  record (information: "no record" is not "no interaction"), and ``informational`` issues for the
  severity-none findings and for findings hidden by ``--min-severity``.
- Citations: ``DetectedIssue.reference`` (a uri, "authority for the issue") holds the link of the first
  source; every source is a ``workflow-relatedArtifact`` core extension whose RelatedArtifact has type
  ``citation``, the citation text and its link in ``document.url``. ``evidence.detail`` is not used:
  it must reference FHIR resources describing this patient, and a web page is neither.
- Ids: ``id`` is the finding id, shortened to fit FHIR's 64 characters, plus a hash of the finding, its
  pair and (on the rare clash) a counter, so ids are unique within a Bundle and stable across runs.
- Text: every string from data is made inert (FHIR strings may not hold control characters) and the
  scales are written as words ("very low", not ``very_low``); each resource has a generated XHTML
  narrative with all content escaped.
"""

from __future__ import annotations

import hashlib
import html
import re
import uuid
from collections.abc import Sequence
from typing import Any, TextIO

from ketinteract.enums import Severity
from ketinteract.render import RenderOptions
from ketinteract.render.json_format import dumps
from ketinteract.render.links import source_url
from ketinteract.render.wording import EFFECT, verdict, words
from ketinteract.results import CheckResult, FindingOut, PairOut, ResolvedName, SourceOut
from ketinteract.textsafe import one_line

SEVERITY_MAP = {Severity.major: "high", Severity.moderate: "moderate", Severity.minor: "low"}
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
RELATED_ARTIFACT = "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact"
XHTML = "http://www.w3.org/1999/xhtml"
_NAMESPACE = uuid.UUID("6f1c9a52-3c2e-4a8e-9a43-0d6a8f4b1e77")
_ID_MAX = 64
_NOT_ID = re.compile(r"[^A-Za-z0-9.-]+")


def text(value: str) -> str:
    """A FHIR string from data: one line, inert, and never empty (FHIR forbids empty strings)."""
    return one_line(value) or "(no text)"


class _Ids:
    """Resource ids unique within one Bundle: a readable prefix and a short hash of what the resource is."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, readable: str, key: str) -> str:
        prefix = _NOT_ID.sub("-", readable).strip("-.")[: _ID_MAX - 11] or "issue"
        for attempt in range(1000):
            digest = hashlib.sha256(f"{key}\x00{attempt}".encode("utf-8", "surrogatepass")).hexdigest()[:10]
            candidate = f"{prefix}-{digest}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        raise AssertionError("no unique id after 1000 attempts")  # pragma: no cover


def narrative(title: str, paragraphs: Sequence[str], sources: Sequence[SourceOut] = ()) -> dict[str, str]:
    """A generated XHTML narrative; every piece of text is escaped, links are built only from identifiers."""
    esc = html.escape
    body = [f"<p><b>{esc(text(title))}</b></p>"] + [f"<p>{esc(text(p))}</p>" for p in paragraphs if p]
    if sources:
        items = []
        for source in sources:
            url = source_url(source)
            link = f' <a href="{esc(url)}">{esc(url)}</a>' if url else ""
            items.append(f"<li>{esc(text(source.citation))}{link}</li>")
        body.append(f"<p>Sources:</p><ol>{''.join(items)}</ol>")
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{"".join(body)}</div>'}


def medication(index: int, drug_id: str, names: dict[str, ResolvedName]) -> dict[str, Any]:
    known = names.get(drug_id)
    codings = []
    if known and known.rxcui:
        codings.append({"system": RXNORM, "code": text(known.rxcui), "display": text(known.name)})
    if known:
        codings += [{"system": ATC, "code": text(code)} for code in known.atc]
    code: dict[str, Any] = {"text": text(known.name if known else drug_id)}
    if codings:
        code["coding"] = codings
    return {"resourceType": "Medication", "id": f"med{index}", "code": code}


def citation_extension(number: int, source: SourceOut) -> dict[str, Any]:
    artifact: dict[str, Any] = {
        "type": "citation",
        "label": str(number),
        "display": words(source.evidence_type),
        "citation": text(source.citation),
    }
    url = source_url(source)
    if url:
        artifact["document"] = {"url": url}
    return {"url": RELATED_ARTIFACT, "valueRelatedArtifact": artifact}


def issue(
    issue_id: str,
    title: str,
    severity: Severity,
    drugs: list[str],
    detail: str,
    management: str,
    sources: list[SourceOut],
    names: dict[str, ResolvedName],
) -> dict[str, Any]:
    contained = [medication(i, d, names) for i, d in enumerate(drugs)]
    resource: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "id": issue_id,
        "text": narrative(title, [detail, f"Management: {management}"], sources),
        "contained": contained,
        "status": "final",
        "code": {
            "coding": [{"system": ACT_CODE, "code": "DRG", "display": "Drug Interaction Alert"}],
            "text": text(title),
        },
        "severity": SEVERITY_MAP[severity],
        "implicated": [{"reference": f"#{m['id']}", "display": m["code"]["text"]} for m in contained],
        "detail": text(detail),
        "mitigation": [{"action": {"text": text(management)}}],
    }
    if sources:
        resource["extension"] = [citation_extension(n, s) for n, s in enumerate(sources, start=1)]
    first = next((url for url in map(source_url, sources) if url), None)
    if first:
        resource["reference"] = first
    return resource


def finding_detail(finding: FindingOut) -> str:
    parts = [finding.answer, verdict(finding)]
    if finding.conditions.routes:
        parts.append("Applies only to route: " + ", ".join(words(r) for r in finding.conditions.routes) + ".")
    if finding.conditions.population:
        parts.append(f"Applies only to: {finding.conditions.population}.")
    if finding.conditions.dose:
        parts.append(f"Dose: {finding.conditions.dose}.")
    if finding.extrapolated:
        parts.append(f"Extrapolated: {finding.extrapolated.explanation}.")
    if finding.origin != "bundled":
        parts.append(f"Local finding from {finding.origin}.")
    parts.append(f"Last reviewed {finding.last_reviewed.isoformat()}.")
    return text(" ".join(parts))


def outcome_issue(severity: str, code: str, message: str) -> dict[str, Any]:
    return {"severity": severity, "code": code, "details": {"text": text(message)}}


def pair_outcomes(pair: PairOut) -> list[dict[str, Any]]:
    names = " + ".join(pair.names)
    found = []
    if pair.status == "no_record":
        found.append(outcome_issue("information", "not-found", f"{names}: {pair.note or 'no curated record.'}"))
    for f in pair.findings:
        if f.severity is Severity.none:
            text = f"{names}, {f.context_name}: {EFFECT[f.effect]}; no clinically significant interaction."
            found.append(outcome_issue("information", "informational", text))
    if pair.hidden_by_min_severity:
        text = f"{names}: {pair.hidden_by_min_severity} finding(s) below the minimum severity are not shown."
        found.append(outcome_issue("information", "informational", text))
    return found


def outcome(result: CheckResult, ids: _Ids) -> dict[str, Any] | None:
    found = []
    for miss in result.unresolved:
        hint = f" Did you mean: {', '.join(miss.suggestions)}?" if miss.suggestions else ""
        found.append(outcome_issue("warning", "not-found", f"Not recognised, not checked: {miss.input}.{hint}"))
    for pair in result.pairs:
        found += pair_outcomes(pair)
    if not found:
        return None
    return {
        "resourceType": "OperationOutcome",
        "id": ids.make("outcome", "\x00".join(i["details"]["text"] for i in found)),
        "text": narrative("Answers not written as detected issues", [i["details"]["text"] for i in found]),
        "issue": found,
    }


def to_bundle(result: CheckResult) -> dict[str, Any]:
    names = {d.id: d for d in result.drugs}
    ids = _Ids()
    resources = []
    for w in result.regimen_warnings:
        issue_id = ids.make(w.id, f"regimen\x00{w.id}\x00{','.join(w.drugs)}")
        title = f"Regimen-level warning: {', '.join(names[d].name if d in names else d for d in w.drugs)}"
        resources.append(issue(issue_id, title, w.severity, w.drugs, w.message, w.management, w.sources, names))
    for pair in result.pairs:
        for f in pair.findings:
            if f.severity is Severity.none:
                continue
            issue_id = ids.make(f.id, f"finding\x00{f.id}\x00{f.origin}\x00{','.join(pair.drugs)}")
            title = f"{f.context_name}: {' + '.join(pair.names)}"
            detail = finding_detail(f)
            resources.append(issue(issue_id, title, f.severity, pair.drugs, detail, f.management, f.sources, names))
    summary = outcome(result, ids)
    if summary:
        resources.append(summary)
    entries = [{"fullUrl": f"urn:uuid:{uuid.uuid5(_NAMESPACE, r['id'])}", "resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def bundle_line(result: CheckResult) -> str:
    """The Bundle on one line, for bulk mode (one Bundle per stdin line, NDJSON-style): json escapes
    line breaks and json_safe the characters a reader might take for one (U+0085, U+2028, U+2029)."""
    return dumps(to_bundle(result), indent=None) + "\n"


def render_fhir(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    out.write(dumps(to_bundle(result), indent=2) + "\n")
