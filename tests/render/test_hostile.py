"""The attack suite for writers (issue 16, items 2 and 8): ESC, OSC, CSI, BEL, CR, C1, bidi controls and
lone surrogates in every data string, through every format, on hand-built results and through the CLI
with a local data file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel
from typer.testing import Result

from ketinteract.enums import CHECK_FORMATS, SOURCE_FORMATS, Effect, OutputFormat
from ketinteract.render import RenderOptions, emit
from ketinteract.results import CheckResult, Extrapolation, MechanismOut, SourceListDocument

from .factories import finding, no_raw_controls, pair, regimen_warning, result, source, source_detail
from .test_markdown import hrefs

ATTACKS = "\x1b]0;pwned\x07 \x1b[2J \x1b[31m \r \x9b31m \x90q\x9c \u202e \u2066 \u200f \ud800 \x7f"
JSON_FORMATS = {OutputFormat.json, OutputFormat.ndjson}
Model = TypeVar("Model", bound=BaseModel)


def poison(value: Any, text: str) -> Any:
    """``value`` with ``text`` appended to every string in it, vocabularies and literal tags excepted."""
    if isinstance(value, BaseModel):
        fields = {k: getattr(value, k) for k in type(value).model_fields}
        keep = {"status", "kind"}  # Literal tags steer the renderers ("found", "no_record", "class")
        return value.model_copy(update={k: v if k in keep else poison(v, text) for k, v in fields.items()})
    if isinstance(value, StrEnum):
        return value
    if isinstance(value, str):
        return value + text
    if isinstance(value, list):
        return [poison(v, text) for v in value]
    return value


def poisoned(model: Model) -> Model:
    copy: Model = poison(model, ATTACKS)
    return copy


def everything() -> CheckResult:
    """One answer that reaches every branch of every writer: all kinds of rows, cards and sections."""
    mechanism = MechanismOut(text="Blocks NMDA receptors.", sources=[source("mech")])
    full = finding(effect=Effect.attenuates).model_copy(
        update={
            "mechanism": mechanism,
            "conflict": "Trials differ.",
            "extrapolated": Extrapolation(kind="class", record_drugs=["opioids"], explanation="class finding"),
            "sources": [source().model_copy(update={"indirect": "volunteers", "bias": "open label"})],
        }
    )
    return result(
        pairs=[pair(("drug-a", "drug-b"), [full, finding("a-b-quiet")]), pair(("drug-a", "drug-c"), [])],
        unresolved=["zzz"],
        warnings=[regimen_warning()],
    ).model_copy(update={"table_version": "2026.11"})


def assert_inert(text: str, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.csv:
        assert "\r" not in text.replace("\r\n", ""), "no bare CR: CR only in the CRLF line ends"
        text = text.replace("\r\n", "\n")
    assert no_raw_controls(text), fmt


def written(document: CheckResult | SourceListDocument, fmt: OutputFormat) -> str:
    out = io.StringIO(newline="")
    emit(document, fmt, out, RenderOptions(cards="all"))
    return out.getvalue()


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_every_check_format_neutralises_every_data_string(fmt: OutputFormat) -> None:
    hostile = poisoned(everything())
    text = written(hostile, fmt)
    assert_inert(text, fmt)
    if fmt in JSON_FORMATS:
        assert json.loads(text) == hostile.model_dump(mode="json"), "JSON is lossless"
    if fmt is OutputFormat.csv:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 1 + 1 + 1 + 2 + 1, "header, unrecognised, warning, two findings, no record"


@pytest.mark.parametrize("fmt", SOURCE_FORMATS)
def test_every_source_format_neutralises_every_data_string(fmt: OutputFormat) -> None:
    label = source_detail("label", authors=[], journal=None, pmid=None, doi=None, url="https://example.org/x")
    hostile = poisoned(SourceListDocument(sources=[source_detail(), label]))
    text = written(hostile, fmt)
    assert no_raw_controls(text), fmt
    if fmt is OutputFormat.json:
        assert json.loads(text) == hostile.model_dump(mode="json")


CSV_ATTACK = "\r=cmd|' /C calc'!A0"


def hostile_table() -> dict[str, Any]:
    """A local data file whose every free-text field carries escapes, and the CSV attack in the answer."""
    return {
        "sources": [
            {
                "id": "ward-protocol-2026",
                "kind": "reference_work",
                "citation": {"title": f"Ward protocol {ATTACKS}", "year": 2026, "publisher": f"Ward {ATTACKS}"},
                "url": "https://example.org/\x1b]0;t\x07",
                "design": "reference_text",
                "summary": f"Summary {ATTACKS}",
            }
        ],
        "findings": [
            {
                "id": "ward-naltrexone-ketamine-antidepressant",
                "drugs": ["naltrexone", "ketamine"],
                "context": "antidepressant",
                "question": f"How? {ATTACKS}",
                "answer": CSV_ATTACK,
                "effect": "insufficient",
                "severity": "moderate",
                "action": "monitor",
                "evidence_grade": "very_low",
                "management": f"{ATTACKS} [javascript](javascript:alert(1)) <script>x</script>",
                "sources": [{"source": "ward-protocol-2026", "direction": "background", "note": ATTACKS}],
                "last_reviewed": "2026-11-01",
            }
        ],
    }


@pytest.fixture
def hostile_cli(tmp_path: Path, cli: Callable[..., Result]) -> Callable[..., Result]:
    text = json.dumps(hostile_table()).replace("\\ud800", "")  # a data file is UTF-8: no lone surrogate
    (tmp_path / "ward.json").write_text(text, encoding="utf-8")
    added = cli("data", "add", str(tmp_path / "ward.json"))
    assert added.exit_code == 0, added.stdout + added.stderr
    return cli


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_cli_check_with_a_hostile_data_file(hostile_cli: Callable[..., Result], fmt: OutputFormat) -> None:
    out = hostile_cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--format", fmt.value).stdout
    assert_inert(out, fmt)
    if fmt is OutputFormat.markdown:
        assert all(h.startswith("https://") for h in hrefs(out)) and "<script>" not in out


def test_cli_csv_reads_back_as_one_row_per_finding_with_the_cell_guarded(hostile_cli: Callable[..., Result]) -> None:
    out = hostile_cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    data = json.loads(hostile_cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--json").stdout)
    assert len(rows) == len(data["pairs"][0]["findings"])
    (ward,) = [r for r in rows if r["finding_id"] == "ward-naltrexone-ketamine-antidepressant"]
    assert ward["answer"].startswith("'") and "=cmd" in ward["answer"]


@pytest.mark.parametrize("fmt", SOURCE_FORMATS)
def test_cli_sources_with_a_hostile_data_file(hostile_cli: Callable[..., Result], fmt: OutputFormat) -> None:
    out = hostile_cli("sources", "--format", fmt.value).stdout
    assert "Ward protocol" in out
    assert no_raw_controls(out), fmt


def test_bulk_one_line_fhir_and_cds_hooks() -> None:
    from ketinteract.render.cds_hooks import response_line
    from ketinteract.render.fhir import bundle_line

    hostile = poisoned(everything())
    for line in (bundle_line(hostile), response_line(hostile, RenderOptions())):
        assert line.endswith("\n") and len(line.splitlines()) == 1, "one record per line, for any reader"
        assert_inert(line, OutputFormat.fhir)
        json.loads(line)
