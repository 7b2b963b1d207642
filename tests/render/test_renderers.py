"""Every check format, tested on hand-built results (no table involved): content, shape and safety."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ketinteract.enums import CHECK_FORMATS, Effect, EvidenceType, OutputFormat, Severity
from ketinteract.errors import UsageError
from ketinteract.render import RenderOptions, emit
from ketinteract.results import NO_RECORD_NOTE, NOT_ADVICE, DataPathDocument

from .factories import finding, result, source


def rendered(fmt: OutputFormat, **kwargs: object) -> str:
    out = io.StringIO()
    emit(result(**kwargs), fmt, out, RenderOptions())  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_every_check_format_names_the_finding(fmt: OutputFormat) -> None:
    text = rendered(fmt, findings=[finding(effect=Effect.attenuates)])
    assert "a-b-analgesia" in text or "Analgesia" in text or "analgesia" in text


def test_json_is_the_model_dump_with_schema_version() -> None:
    data = json.loads(rendered(OutputFormat.json))
    assert data["schema_version"] == 1
    assert data["notice"] == NOT_ADVICE
    assert data["pairs"][0]["findings"][0]["id"] == "a-b-analgesia"


def test_ndjson_is_one_ascii_line() -> None:
    text = rendered(OutputFormat.ndjson, findings=[finding(answer="Schüle \u2028 line")])
    assert text.count("\n") == 1 and text.isascii()
    assert json.loads(text)["pairs"][0]["findings"][0]["answer"] == "Schüle \u2028 line"


def test_text_labels_animal_evidence_and_says_not_advice() -> None:
    text = rendered(OutputFormat.text, findings=[finding(sources=[source(evidence=EvidenceType.animal)])])
    assert "[ANIMAL: rat]" in text
    assert NOT_ADVICE in text


def test_text_for_a_pair_without_record_never_says_safe() -> None:
    text = rendered(OutputFormat.text, no_record=True)
    assert NO_RECORD_NOTE in text
    assert "safe" not in text.replace("not evidence that the combination is safe", "")


def test_text_makes_escape_sequences_inert() -> None:
    text = rendered(OutputFormat.text, findings=[finding(answer="\x1b]0;pwned\x07 [bold]x[/bold]")])
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b" in text and "[bold]x[/bold]" in text


def test_csv_has_one_row_per_finding() -> None:
    rows = list(csv.reader(io.StringIO(rendered(OutputFormat.csv, findings=[finding(), finding("a-b-other")]))))
    assert len(rows) == 3


def test_markdown_names_the_severity() -> None:
    assert "moderate" in rendered(OutputFormat.markdown, findings=[finding(severity=Severity.moderate)])


def test_fhir_is_a_bundle_and_cds_hooks_has_cards() -> None:
    assert json.loads(rendered(OutputFormat.fhir))["resourceType"] == "Bundle"
    assert json.loads(rendered(OutputFormat.cds_hooks, findings=[finding(effect=Effect.attenuates)]))["cards"]
    assert json.loads(rendered(OutputFormat.cds_hooks))["cards"] == [], "no card for a no-effect finding"


def test_a_format_a_document_does_not_offer_is_a_usage_error() -> None:
    document = DataPathDocument(data="a", config="b", cache="c")
    with pytest.raises(UsageError, match="not available"):
        emit(document, OutputFormat.csv, io.StringIO(), RenderOptions())
    out = io.StringIO()
    emit(document, OutputFormat.json, out, RenderOptions())
    assert json.loads(out.getvalue()) == {"schema_version": 1, "data": "a", "config": "b", "cache": "c"}
