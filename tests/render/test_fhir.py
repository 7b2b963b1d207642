"""FHIR output on hand-built results: ids, severity none, OperationOutcome, citations, wording, narrative
and hostile data, validated with the R4B and R5 models of fhir.resources."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from fhir.resources.bundle import Bundle as BundleR5
from fhir.resources.R4B.bundle import Bundle as BundleR4B
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ketinteract.enums import Action, Effect, OutputFormat, Severity
from ketinteract.render import RenderOptions, emit
from ketinteract.render.fhir import RELATED_ARTIFACT
from ketinteract.results import CheckResult

from .factories import finding, no_raw_controls, pair, regimen_warning, result, source

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202e\u2066<script>alert(1)</script>&amp;"
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
TOKENS = re.compile(r"\b(no_effect|no_action|very_low|human_study|in_vitro)\b")


def bundle(checked: CheckResult) -> dict[str, Any]:
    out = io.StringIO()
    emit(checked, OutputFormat.fhir, out, RenderOptions())
    data: dict[str, Any] = json.loads(out.getvalue())
    BundleR4B.model_validate(data)
    BundleR5.model_validate(data)
    return data


def resources(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return []


def test_ids_are_unique_when_a_finding_repeats_across_pairs_and_ids_are_long() -> None:
    long_id = "a-" + "very-long-finding-id-" * 6
    shared = [finding(long_id), finding(long_id + "-x")]
    data = bundle(result(pairs=[pair(("drug-a", "drug-b"), shared), pair(("drug-a", "drug-c"), shared)]))
    ids = [r["id"] for r in resources(data, "DetectedIssue")]
    assert len(ids) == 4 == len(set(ids))
    assert all(FHIR_ID.fullmatch(i) for i in ids)
    assert bundle(result(pairs=[pair(("drug-a", "drug-b"), shared)]))["entry"][0]["resource"]["id"] == ids[0], (
        "stable across runs"
    )


def test_severity_none_gives_no_detected_issue_but_an_informational_outcome() -> None:
    none = finding("a-b-none", severity=Severity.none, effect=Effect.no_effect)
    data = bundle(result([none, finding()]))
    assert [r["id"].startswith("a-b-analgesia") for r in resources(data, "DetectedIssue")] == [True]
    (outcome,) = resources(data, "OperationOutcome")
    assert outcome["issue"] == [
        {
            "severity": "information",
            "code": "informational",
            "details": {"text": "drug-a + drug-b, Analgesia: no effect; no clinically significant interaction."},
        }
    ]


def test_unrecognised_names_and_missing_records_are_an_operation_outcome() -> None:
    data = bundle(result(no_record=True, unresolved=["zzz"]))
    assert resources(data, "DetectedIssue") == []
    (outcome,) = resources(data, "OperationOutcome")
    codes = [(i["severity"], i["code"]) for i in outcome["issue"]]
    assert codes == [("warning", "not-found"), ("information", "not-found")]
    assert "zzz" in outcome["issue"][0]["details"]["text"]
    assert "not evidence that the combination is safe" in outcome["issue"][1]["details"]["text"]


def test_no_outcome_when_everything_was_answered() -> None:
    assert resources(bundle(result()), "OperationOutcome") == []


def test_citations_are_a_uri_and_related_artifacts_never_a_reference() -> None:
    (issue,) = resources(bundle(result()), "DetectedIssue")
    assert issue["reference"] == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert "evidence" not in issue
    (ext,) = issue["extension"]
    assert ext["url"] == RELATED_ARTIFACT
    artifact = ext["valueRelatedArtifact"]
    assert artifact["type"] == "citation" and artifact["citation"] == "Smith A. A trial."
    assert artifact["document"] == {"url": "https://pubmed.ncbi.nlm.nih.gov/12345678/"}


def test_wording_has_no_raw_tokens() -> None:
    quiet = finding(effect=Effect.no_effect, severity=Severity.minor)
    quiet = quiet.model_copy(update={"action": Action.no_action})
    data = bundle(result([quiet], warnings=[regimen_warning()]))
    text = " ".join(strings(resources(data, "DetectedIssue")))
    assert not TOKENS.search(text), TOKENS.search(text)
    assert "Effect: no effect; severity: minor; action: no action needed; certainty of evidence: low." in text


def test_narrative_is_escaped_xhtml() -> None:
    data = bundle(result([finding(answer=HOSTILE)]))
    (issue,) = resources(data, "DetectedIssue")
    assert issue["text"]["status"] == "generated"
    div = ET.fromstring(issue["text"]["div"])
    assert div.tag == "{http://www.w3.org/1999/xhtml}div"
    assert not [e for e in div.iter() if e.tag.endswith("script")]
    assert "<script>" in "".join(div.itertext()), "shown as text, not markup"


def hostile_result(text: str) -> CheckResult:
    evil = source(citation=text).model_copy(update={"url": f"javascript:alert(1)//{text}", "pmid": None})
    f = finding(answer=text, sources=[evil]).model_copy(
        update={"management": text, "context_name": text, "question": text, "grade_rationale": text}
    )
    return result([f], unresolved=[text], warnings=[regimen_warning(message=text)])


@settings(max_examples=40, deadline=None)
@example(HOSTILE)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(HOSTILE))), min_size=1, max_size=30))
def test_hostile_text_stays_inert_and_valid(text: str) -> None:
    out = io.StringIO()
    emit(hostile_result(text), OutputFormat.fhir, out, RenderOptions())
    assert no_raw_controls(out.getvalue())
    data = json.loads(out.getvalue())
    BundleR4B.model_validate(data)
    assert no_raw_controls("".join(strings(data))), "no control character even after JSON decoding"
    for issue in resources(data, "DetectedIssue"):
        assert issue.get("reference", "https://").startswith("https://")
        for ext in issue.get("extension", []):
            document = ext["valueRelatedArtifact"].get("document", {"url": "https://"})
            assert document["url"].startswith("https://"), "a javascript: URL is never a link"
        ET.fromstring(issue["text"]["div"])
