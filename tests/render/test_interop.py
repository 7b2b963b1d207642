"""Machine formats validated with real parsers and models: JSON Schema, FHIR R4, CDS Hooks, BibTeX, RIS,
CSL-JSON, CSV, and bulk NDJSON."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
from fhir.resources.bundle import Bundle as BundleR5
from fhir.resources.detectedissue import DetectedIssue as DetectedIssueR5
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.detectedissue import DetectedIssue
from typer.testing import Result

REGIMENS = [
    ("naloxone", "ketamine"),
    ("Spravato", "Vivitrol"),
    ("ketamine", "lorazepam", "fentanyl"),
    ("ketamine", "itraconazole"),
    ("ketamine", "naloxone", "notadrug"),
]


def schema(cli: Callable[..., Result], kind: str) -> dict[str, Any]:
    result = cli("schema", kind)
    assert result.exit_code == 0
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("names", REGIMENS)
def test_json_output_validates_against_published_schema(cli: Callable[..., Result], names: tuple[str, ...]) -> None:
    validator = jsonschema.Draft202012Validator(schema(cli, "output"))
    data = json.loads(cli("check", *names, "--json").stdout)
    validator.validate(data)


def test_schema_rejects_a_broken_output(cli: Callable[..., Result]) -> None:
    validator = jsonschema.Draft202012Validator(schema(cli, "output"))
    data = json.loads(cli("check", "naloxone", "ketamine", "--json").stdout)
    data["pairs"][0]["findings"][0]["severity"] = "catastrophic"
    assert list(validator.iter_errors(data))


def test_bundled_table_validates_against_data_schema(cli: Callable[..., Result], bundled_raw: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema(cli, "data")).validate(bundled_raw)


@pytest.mark.parametrize("names", REGIMENS)
@pytest.mark.parametrize("models", [(Bundle, DetectedIssue), (BundleR5, DetectedIssueR5)], ids=["R4B", "R5"])
def test_fhir_output_is_a_valid_bundle_of_detected_issues(
    cli: Callable[..., Result], names: tuple[str, ...], models: tuple[Any, Any]
) -> None:
    bundle_model, issue_model = models
    data = json.loads(cli("check", *names, "--format", "fhir").stdout)
    bundle = bundle_model.model_validate(data)
    assert bundle.type == "collection"
    json_out = json.loads(cli("check", *names, "--json").stdout)
    shown = [f for p in json_out["pairs"] for f in p["findings"] if f["severity"] != "none"]
    issues = [e for e in data["entry"] if e["resource"]["resourceType"] == "DetectedIssue"]
    assert len(issues) == len(shown) + len(json_out["regimen_warnings"])
    ids = [e["resource"]["id"] for e in data["entry"]]
    assert len(ids) == len(set(ids)), "ids unique within the Bundle"
    assert len({e["fullUrl"] for e in data["entry"]}) == len(ids)
    for entry in issues:
        issue = issue_model.model_validate(entry["resource"])
        assert issue.severity in {"high", "moderate", "low"}
        assert issue.implicated and all(r.reference.startswith("#") for r in issue.implicated)
        contained = {c.id for c in issue.contained or []}
        assert {r.reference[1:] for r in issue.implicated} <= contained
        assert issue.mitigation and issue.mitigation[0].action.text
        assert not issue.evidence, "no web page where a FHIR Reference belongs"
        assert issue.text.status == "generated"


def test_fhir_severity_mapping(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("check", "ketamine", "naloxone", "naltrexone", "--format", "fhir").stdout)
    by_code = {
        e["resource"]["code"]["text"]: e["resource"]["severity"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "DetectedIssue"
    }
    assert by_code["Antidepressant effect: ketamine + naltrexone"] == "moderate"
    assert "Anesthesia and procedural sedation: ketamine + naloxone" not in by_code, "severity none: no issue"
    outcome = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "OperationOutcome")
    assert any("no clinically significant interaction" in i["details"]["text"] for i in outcome["issue"])


CDS_CARD_SCHEMA = {
    "type": "object",
    "required": ["cards"],
    "properties": {
        "cards": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["summary", "indicator", "source"],
                "properties": {
                    "uuid": {"type": "string"},
                    "summary": {"type": "string", "maxLength": 139},
                    "detail": {"type": "string"},
                    "indicator": {"enum": ["info", "warning", "critical"]},
                    "source": {
                        "type": "object",
                        "required": ["label"],
                        "properties": {"label": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
                    },
                    "links": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["label", "url", "type"],
                            "properties": {"type": {"enum": ["absolute", "smart"]}},
                        },
                    },
                },
            },
        }
    },
}
"""The card fields the CDS Hooks 2.0 specification requires, with its constraints (summary under 140
characters, indicator vocabulary, source label, link types)."""


def actionable(finding: dict[str, Any]) -> bool:
    return not (finding["effect"] == "no_effect" or finding["action"] == "no_action" or finding["severity"] == "none")


@pytest.mark.parametrize("names", REGIMENS)
def test_cds_hooks_response_follows_the_spec(cli: Callable[..., Result], names: tuple[str, ...]) -> None:
    data = json.loads(cli("check", *names, "--format", "cds-hooks").stdout)
    jsonschema.validate(data, CDS_CARD_SCHEMA)
    answer = json.loads(cli("check", *names, "--json").stdout)
    expected = len(answer["unresolved"]) + len(answer["regimen_warnings"])
    expected += sum(p["status"] == "no_record" for p in answer["pairs"])
    expected += sum(actionable(f) for p in answer["pairs"] for f in p["findings"])
    assert len(data["cards"]) == expected, "default policy: no cards for no-effect or no-action findings"
    assert all(uuid.UUID(c["uuid"]).version == 4 for c in data["cards"])
    assert all(c["source"]["label"].startswith("ketinteract ") for c in data["cards"])


def test_cds_hooks_cards_all_policy_and_fresh_uuids(cli: Callable[..., Result]) -> None:
    names = ("ketamine", "lorazepam", "fentanyl", "alcohol", "naloxone")
    first = json.loads(cli("check", *names, "--format", "cds-hooks").stdout)["cards"]
    second = json.loads(cli("check", *names, "--format", "cds-hooks").stdout)["cards"]
    assert not {c["uuid"] for c in first} & {c["uuid"] for c in second}, "two runs share no card uuid"
    assert len(first) < 46, "the five-drug regimen no longer floods the prescriber"


def test_cds_hooks_indicator_follows_severity(cli: Callable[..., Result]) -> None:
    cards = json.loads(cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--format", "cds-hooks").stdout)[
        "cards"
    ]
    assert {c["indicator"] for c in cards} == {"warning"}
    major = json.loads(
        cli("check", "ketamine", "fentanyl", "-c", "respiratory-depression", "--format", "cds-hooks").stdout
    )
    assert {c["indicator"] for c in major["cards"]} == {"critical"}
    unknown = json.loads(cli("check", "ketamine", "zzzz", "naloxone", "--format", "cds-hooks").stdout)["cards"]
    assert any("Not recognised" in c["summary"] for c in unknown)


def test_bibtex_export_parses_and_holds_every_source(cli: Callable[..., Result], bundled_raw: dict[str, Any]) -> None:
    library = bibtexparser.parse_string(cli("sources", "--format", "bibtex").stdout)  # type: ignore[attr-defined]  # re-exported without __all__
    assert not library.failed_blocks
    keys = {entry.key for entry in library.entries}
    assert keys == {s["id"] for s in bundled_raw["sources"]}
    for entry in library.entries:
        source = next(s for s in bundled_raw["sources"] if s["id"] == entry.key)
        if source.get("doi"):
            assert entry.fields_dict["doi"].value == source["doi"], "doi is a verbatim field: not TeX-escaped"
        if source.get("pmid"):
            assert entry.fields_dict["pmid"].value == source["pmid"]


def test_ris_export_parses(cli: Callable[..., Result], bundled_raw: dict[str, Any]) -> None:
    records = rispy.loads(cli("sources", "--format", "ris").stdout)
    assert len(records) == len(bundled_raw["sources"])
    assert all(r["type_of_reference"] in {"JOUR", "GEN", "UNPB", "THES"} for r in records)
    dois = {r.get("doi") for r in records} - {None}
    assert dois == {s["doi"] for s in bundled_raw["sources"] if s.get("doi")}


CSL_ITEM_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type"],
        "properties": {
            "id": {"type": "string"},
            "type": {"enum": ["article-journal", "article", "thesis", "document", "entry"]},
            "title": {"type": "string"},
            "author": {"type": "array", "items": {"type": "object"}},
            "issued": {
                "type": "object",
                "properties": {"date-parts": {"type": "array", "items": {"type": "array"}}},
            },
            "DOI": {"type": "string"},
            "PMID": {"type": "string"},
            "URL": {"type": "string"},
        },
    },
}
"""The CSL-JSON item fields ketinteract writes, with the types the CSL data schema gives them."""


def test_csl_json_export_validates(cli: Callable[..., Result], bundled_raw: dict[str, Any]) -> None:
    items = json.loads(cli("sources", "--format", "csl-json").stdout)
    jsonschema.validate(items, CSL_ITEM_SCHEMA)
    assert len(items) == len(bundled_raw["sources"])


def test_sources_for_one_finding(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("sources", "--finding", "naltrexone-ketamine-antidepressant", "--format", "json").stdout)
    ids = {s["id"] for s in data["sources"]}
    assert {"williams-2018", "jelen-2025", "yoon-2019", "yoon-rct"} <= ids


def test_csv_has_one_row_per_finding(cli: Callable[..., Result]) -> None:
    out = cli("check", "ketamine", "naloxone", "naltrexone", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    data = json.loads(cli("check", "ketamine", "naloxone", "naltrexone", "--json").stdout)
    expected = sum(max(1, len(p["findings"])) for p in data["pairs"])
    assert len(rows) == expected
    assert {r["status"] for r in rows} <= {"found", "no_record"}


def test_markdown_escapes_data(cli: Callable[..., Result]) -> None:
    out = cli("check", "naltrexone", "ketamine", "--format", "markdown").stdout
    assert out.startswith("## ketamine + naltrexone")
    assert "**Why studies disagree:**" in out
    assert "[PMID 30153752](https://pubmed.ncbi.nlm.nih.gov/30153752/)" in out


def test_bulk_ndjson_answers_each_line_in_order(cli: Callable[..., Result]) -> None:
    stdin = "naloxone, ketamine\nVivitrol\tSpravato\n\n# a comment\nketamine\nketamine, zzz\n"
    result = cli("check", "-", "--format", "ndjson", stdin=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["line"] for e in lines] == [1, 2, 5, 6]
    assert lines[0]["input"] == "naloxone, ketamine" and lines[0]["status"] == "ok"
    assert lines[1]["result"]["pairs"][0]["drugs"] == ["esketamine", "naltrexone"]
    assert lines[2]["status"] == "error" and lines[2]["error"]["exit_code"] == 2
    assert lines[3]["result"]["unresolved"][0]["input"] == "zzz"
    assert result.exit_code == 2, "a bad line gives a non-zero exit at the end, per the precedence rules"
    assert "line 5:" in result.stderr and "line 6:" in result.stderr


def test_bulk_all_good_lines_exit_0(cli: Callable[..., Result]) -> None:
    result = cli("check", "-", "--format", "ndjson", stdin="naloxone,ketamine\nnaltrexone,ketamine\n")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_fail_on_and_min_severity(cli: Callable[..., Result]) -> None:
    anti = ("check", "naltrexone", "ketamine", "-c", "antidepressant")
    assert cli(*anti, "--fail-on", "moderate").exit_code == 1
    assert cli(*anti, "--fail-on", "major").exit_code == 0
    assert cli(*anti).exit_code == 0
    data = json.loads(
        cli("check", "naloxone", "ketamine", "-c", "anesthesia", "--min-severity", "minor", "--json").stdout
    )
    pair = data["pairs"][0]
    assert pair["status"] == "found" and pair["findings"] == [] and pair["hidden_by_min_severity"] == 1
    data = json.loads(cli("check", "naloxone", "ketamine", "--min-severity", "moderate", "--json").stdout)
    assert all(f["severity"] in {"moderate", "major"} for f in data["pairs"][0]["findings"])


def test_fail_on_counts_the_regimen_warning(cli: Callable[..., Result]) -> None:
    result = cli("check", "ketamine", "lorazepam", "fentanyl", "--fail-on", "major", "--json")
    data = json.loads(result.stdout)
    assert data["regimen_warnings"]
    assert result.exit_code == 1


def test_unresolved_outranks_threshold(cli: Callable[..., Result]) -> None:
    assert cli("check", "naltrexone", "ketamine", "zzz", "--fail-on", "moderate").exit_code == 3
