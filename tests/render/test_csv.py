"""CSV on hand-built results and from the CLI: RFC 4180 line ends and quoting, the formula guard, the BOM
option, rows for every kind of answer, source columns, bulk tables and hostile data (issues 15 and 16)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from ketinteract.enums import OutputFormat
from ketinteract.render import RenderOptions, csv_format, emit
from ketinteract.render.csv_format import BULK_COLUMNS, COLUMNS, FORMULA_PREFIXES, CsvTable
from ketinteract.results import CheckResult

from .factories import finding, no_raw_controls, regimen_warning, result, source

ATTACK = "\r=cmd|' /C calc'!A0"


def written(checked: CheckResult, options: RenderOptions | None = None) -> str:
    out = io.StringIO(newline="")
    emit(checked, OutputFormat.csv, out, options or RenderOptions())
    return out.getvalue()


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_every_line_ends_in_crlf_and_the_header_is_the_columns() -> None:
    text = written(result([finding(answer="two\nlines"), finding("a-b-other")]))
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    assert text.endswith("\r\n")
    assert '"two\nlines"' in text, "a field with a line break is quoted"
    assert len(read(text)) == 2


def test_a_bare_cr_formula_stays_one_guarded_cell() -> None:
    text = written(result([finding(answer=ATTACK), finding("a-b-other")]))
    rows = read(text)
    assert len(rows) == 2, "as many rows as findings"
    assert rows[0]["answer"] == "'\\x0d=cmd|' /C calc'!A0"
    assert "\r=" not in text


def test_the_csv_writer_quotes_a_bare_cr_even_without_inert(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with the control-character step switched off, the csv module still quotes a
    field holding a bare CR, because "\\r\\n" is the line terminator."""
    monkeypatch.setattr(csv_format, "inert", lambda text: text)
    text = written(result([finding(answer=ATTACK)]))
    assert "\"'\r=cmd|' /C calc'!A0\"" in text
    assert [r["answer"] for r in read(text)] == ["'" + ATTACK]


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_formula_prefixes_are_guarded(prefix: str) -> None:
    (row,) = read(written(result([finding(answer=prefix + "1+1")])))
    assert row["answer"].startswith("'")


def test_bom_option() -> None:
    assert written(result(), RenderOptions(bom=True)).startswith("\ufeffstatus,")
    assert not written(result()).startswith("\ufeff")


def test_rows_for_unrecognised_names_regimen_warnings_and_missing_records() -> None:
    rows = read(written(result(no_record=True, unresolved=["zzz"], warnings=[regimen_warning()])))
    assert [r["status"] for r in rows] == ["unrecognised", "regimen_warning", "no_record"]
    assert rows[0]["drug_1"] == "zzz"
    assert rows[1]["drugs"] == "drug-a;drug-b;drug-c" and rows[1]["drug_1"] == ""
    assert (rows[2]["drug_1"], rows[2]["drug_2"]) == ("drug-a", "drug-b")


def test_source_columns() -> None:
    two = [source(), source("doi-only").model_copy(update={"pmid": None, "doi": "10.1000/x", "url": None})]
    (row,) = read(written(result([finding(sources=two)])))
    assert row["sources"] == "[1] Smith A. A trial. https://pubmed.ncbi.nlm.nih.gov/12345678/; " + (
        "[2] Smith A. A trial. https://doi.org/10.1000/x"
    )
    assert row["urls"] == "https://pubmed.ncbi.nlm.nih.gov/12345678/ https://doi.org/10.1000/x"
    assert (row["pmids"], row["dois"]) == ("12345678", "10.1000/x")
    assert row["last_reviewed"] == "2026-11-21"


def test_bulk_table_has_line_and_input_columns_and_error_rows() -> None:
    out = io.StringIO(newline="")
    table = CsvTable(out, RenderOptions(), bulk=True)
    table.write(result(), line=1, text="drug-a, drug-b")
    table.write_error(2, "=evil", "No drug names on this line.")
    rows = read(out.getvalue())
    assert list(rows[0]) == list(BULK_COLUMNS)
    assert (rows[0]["line"], rows[0]["input"], rows[0]["status"]) == ("1", "drug-a, drug-b", "found")
    assert (rows[1]["line"], rows[1]["input"], rows[1]["status"]) == ("2", "'=evil", "error")


def test_cli_regimen_warning_has_its_drugs_in_one_column(cli: Callable[..., Result]) -> None:
    rows = read(cli("check", "ketamine", "lorazepam", "fentanyl", "--format", "csv").stdout)
    (warning,) = [r for r in rows if r["status"] == "regimen_warning"]
    assert set(warning["drugs"].split(";")) == {"ketamine", "lorazepam", "fentanyl"}
    assert all(r["drug_1"] and r["drug_2"] for r in rows if r["status"] == "found")


@settings(max_examples=60, deadline=None)
@example(ATTACK)
@example("\x1b]0;pwned\x07\x9b31m\u202e")
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(ATTACK + '\n\t",@+-\x1b\x9b\u202e')))))
def test_any_text_keeps_the_row_count_and_no_cell_is_live(text: str) -> None:
    f = finding(answer=text, sources=[source(citation=text)]).model_copy(update={"question": text})
    rendered = written(result([f, finding("a-b-other")], unresolved=[text], warnings=[regimen_warning(message=text)]))
    assert "\r" not in rendered.replace("\r\n", "") and no_raw_controls(rendered.replace("\r\n", "\n"))
    rows = read(rendered)
    assert len(rows) == 4
    assert all(not value.startswith(FORMULA_PREFIXES) for row in rows for value in row.values())
