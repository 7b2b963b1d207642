"""FHIR R4 output: a Bundle (type collection) of DetectedIssue resources, one per finding and one per
regimen warning, each with the implicated drugs as contained Medication resources.

Severity mapping (FHIR's DetectedIssue.severity has three codes): major -> high, moderate -> moderate,
minor -> low, none -> low (the detail then says the finding is "no clinically significant interaction").
"""

from __future__ import annotations

import json
import uuid
from typing import Any, TextIO

from ketinteract.enums import Severity
from ketinteract.render import RenderOptions
from ketinteract.results import CheckResult, FindingOut, ResolvedName, SourceOut

SEVERITY_MAP = {
    Severity.major: "high",
    Severity.moderate: "moderate",
    Severity.minor: "low",
    Severity.none: "low",
}
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_NAMESPACE = uuid.UUID("6f1c9a52-3c2e-4a8e-9a43-0d6a8f4b1e77")


def medication(index: int, drug_id: str, names: dict[str, ResolvedName]) -> dict[str, Any]:
    known = names.get(drug_id)
    codings = []
    if known and known.rxcui:
        codings.append({"system": RXNORM, "code": known.rxcui, "display": known.name})
    if known:
        codings += [{"system": ATC, "code": code} for code in known.atc]
    code: dict[str, Any] = {"text": known.name if known else drug_id}
    if codings:
        code["coding"] = codings
    return {"resourceType": "Medication", "id": f"med{index}", "code": code}


def evidence(sources: list[SourceOut]) -> list[dict[str, Any]]:
    details = []
    for source in sources:
        reference: dict[str, Any] = {"display": source.citation}
        if source.url:
            reference["reference"] = source.url
        details.append(reference)
    return [{"detail": details}] if details else []


def issue(
    issue_id: str,
    text: str,
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
        "id": issue_id[:64],
        "contained": contained,
        "status": "final",
        "code": {
            "coding": [{"system": ACT_CODE, "code": "DRG", "display": "Drug Interaction Alert"}],
            "text": text,
        },
        "severity": SEVERITY_MAP[severity],
        "implicated": [{"reference": f"#{m['id']}", "display": m["code"]["text"]} for m in contained],
        "detail": detail,
        "mitigation": [{"action": {"text": management}}],
    }
    if sources and sources[0].url:
        resource["reference"] = sources[0].url
    ev = evidence(sources)
    if ev:
        resource["evidence"] = ev
    return resource


def finding_detail(finding: FindingOut) -> str:
    parts = [
        finding.answer,
        f"Effect: {finding.effect.value}; severity: {finding.severity.value}; "
        f"action: {finding.action.value}; evidence: {finding.evidence_grade.value}.",
    ]
    if finding.severity is Severity.none:
        parts.append("No clinically significant interaction.")
    if finding.conditions.routes:
        parts.append("Applies only to route: " + ", ".join(r.value for r in finding.conditions.routes) + ".")
    if finding.extrapolated:
        parts.append(f"Extrapolated: {finding.extrapolated.explanation}.")
    if finding.origin != "bundled":
        parts.append(f"Local finding from {finding.origin}.")
    return " ".join(parts)


def to_bundle(result: CheckResult) -> dict[str, Any]:
    names = {d.id: d for d in result.drugs}
    resources = [
        issue(w.id, "Regimen-level warning", w.severity, w.drugs, w.message, w.management, w.sources, names)
        for w in result.regimen_warnings
    ]
    for pair in result.pairs:
        for f in pair.findings:
            resources.append(
                issue(
                    f.id,
                    f"{f.context_name}: {' + '.join(pair.names)}",
                    f.severity,
                    pair.drugs,
                    finding_detail(f),
                    f.management,
                    f.sources,
                    names,
                )
            )
    entries = [
        {
            "fullUrl": f"urn:uuid:{uuid.uuid5(_NAMESPACE, json.dumps(r['id']) + json.dumps(r['implicated']))}",
            "resource": r,
        }
        for r in resources
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def render_fhir(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    json.dump(to_bundle(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
