"""``ketinteract check --fhir FILE``: the medications of a saved FHIR export, checked like ``check``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import run_installed
from tests.fhir_factories import ATC, bundle, coding, done_when_request, med_request, med_statement, medication, valid


def write(tmp_path: Path, document: dict[str, Any], name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def export_bundle() -> dict[str, Any]:
    """A whole-record export: medications among other resources."""
    patient = valid({"resourceType": "Patient", "id": "p"})
    return bundle(
        patient,
        med_statement("s1", "Ativan 1 mg tablet"),
        med_request("r1", reference="#viv", contained=[medication("viv", "Vivitrol", coding(ATC, "N07BB04"))]),
        med_request("r2", "Ketamine hydrochloride 50 mg/mL injection"),
        kind="searchset",
    )


def test_check_fhir_bundle_json(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write(tmp_path, export_bundle())
    result = cli("check", "--fhir", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {tuple(p["drugs"]) for p in data["pairs"]} == {
        ("lorazepam", "naltrexone"),
        ("ketamine", "lorazepam"),
        ("ketamine", "naltrexone"),
    }
    naltrexone = next(d for d in data["drugs"] if d["id"] == "naltrexone")
    assert (naltrexone["input"], naltrexone["rule"], naltrexone["matched"]) == ("Vivitrol", "atc", "N07BB04")
    assert "ignored 1 resource(s) that are not medications (Patient: 1)" in result.stderr


def test_check_fhir_in_every_check_format(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write(tmp_path, export_bundle())
    for fmt in ("text", "markdown", "csv", "fhir", "ndjson"):
        result = cli("check", "--fhir", str(path), "--format", fmt)
        assert result.exit_code == 0, result.stderr
    done = run_installed("check", "--fhir", str(path), "--format", "cds-hooks")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    cards = json.loads(done.stdout)["cards"]
    assert any(c["summary"].startswith("ketamine + lorazepam") for c in cards)


def test_check_fhir_from_stdin_with_names(cli: Callable[..., Result]) -> None:
    document = json.dumps(med_statement("s", "Ativan"))
    result = cli("check", "ketamine", "--fhir", "-", "--json", stdin=document)
    assert result.exit_code == 0, result.stderr
    assert [p["drugs"] for p in json.loads(result.stdout)["pairs"]] == [["ketamine", "lorazepam"]]


def test_unmatched_fhir_medications_exit_3_and_are_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write(tmp_path, bundle(med_request("a", "ketamine"), med_request("b", "Zorbexamine 5 mg tablet")))
    result = cli("check", "--fhir", str(path), "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["unresolved"] == [
        {"input": "Zorbexamine 5 mg tablet", "suggestions": [], "suggested": []}
    ]
    assert "'Zorbexamine 5 mg tablet' is not a recognised drug name" in result.stderr


def test_skipped_statements_are_said_on_stderr(cli: Callable[..., Result], tmp_path: Path) -> None:
    document = bundle(
        med_request("a", "ketamine"),
        med_request("b", "lorazepam"),
        med_statement("c", "naltrexone", status="not-taken"),
    )
    result = cli("check", "--fhir", str(write(tmp_path, document)), "--json")
    assert result.exit_code == 0
    assert "skipped MedicationStatement/c (status not-taken)" in result.stderr


def test_hook_request_files_are_not_fhir(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("check", "--fhir", str(write(tmp_path, done_when_request())))
    assert result.exit_code == 2
    assert "has no resourceType" in result.stderr


def test_bad_fhir_inputs_are_usage_errors(cli: Callable[..., Result], tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    cases = {
        str(tmp_path / "missing.json"): "Cannot read FHIR file",
        str(broken): "is not valid JSON",
        str(write(tmp_path, {"resourceType": "Patient", "id": "p"}, "patient.json")): "'Patient' is not accepted",
        str(write(tmp_path, med_statement("s", "ketamine"), "one.json")): "at least two medications",
    }
    for path, message in cases.items():
        result = cli("check", "--fhir", path)
        assert result.exit_code == 2, path
        assert message in result.stderr and result.stdout == ""
    assert cli("check", "-", "--fhir", str(broken)).exit_code == 2


def test_check_without_names_or_fhir_is_still_a_usage_error(cli: Callable[..., Result]) -> None:
    result = cli("check")
    assert result.exit_code == 2
    assert "at least two" in result.stderr


def test_fhir_input_is_bounded_from_a_file_and_from_stdin(
    cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketinteract.cli import fhir_check

    document = bundle(med_statement("a", "ketamine"), med_statement("b", "lorazepam"))
    text = json.dumps(document)
    assert cli("check", "--fhir", "-", "--json", stdin=text).exit_code == 0
    monkeypatch.setattr(fhir_check, "MAX_FHIR_BYTES", len(text) - 1)
    from_stdin = cli("check", "--fhir", "-", stdin=text)
    assert from_stdin.exit_code == 2 and "FHIR from stdin is larger than" in from_stdin.stderr
    from_file = cli("check", "--fhir", str(write(tmp_path, document)))
    assert from_file.exit_code == 2 and "is larger than" in from_file.stderr and from_file.stdout == ""


def test_fhir_stdin_is_read_as_bytes(cli: Callable[..., Result], tmp_path: Path) -> None:
    """A byte order mark is allowed; bytes that are not UTF-8 are a usage error, not a traceback."""
    document = json.dumps(bundle(med_statement("a", "ketamine"), med_statement("b", "lorazepam")))
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + document.encode())
    assert cli("check", "--fhir", str(path), "--json").exit_code == 0
    latin = tmp_path / "latin.json"
    latin.write_bytes(document.replace("lorazepam", "lorazépam").encode("latin-1"))
    result = cli("check", "--fhir", str(latin))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    assert cli("check", "--fhir", str(tmp_path)).exit_code == 2, "a directory"
