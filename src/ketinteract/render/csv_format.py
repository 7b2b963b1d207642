"""CSV for spreadsheets: RFC 4180 (CRLF line ends, fields with a comma, quote or line break quoted), one
row per finding, per regimen warning, per pair without a record and per unrecognised name (the
``status`` column says which).

- Drugs: ``drug_1`` and ``drug_2`` for a pair; ``drugs`` lists every drug of the row (";"-separated), so
  a regimen warning's three or more drugs are not crammed into one pair column.
- Sources: ``sources`` holds "[1] citation URL; [2] ..." and ``urls`` the links alone (space-separated,
  since a URL may contain ";"); ``pmids`` and ``dois`` the identifiers.
- Safety: every cell is made inert (control characters, bare CR and tab included, become visible
  escapes; LF is kept, quoted) and a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR is prefixed
  with ``'`` (OWASP's CSV-injection guard), so a spreadsheet never evaluates a field as a formula.
- ``RenderOptions.bom`` starts the file with a UTF-8 byte order mark, without which Excel reads UTF-8
  as a legacy code page ("SchÃ¼le").
- Machine columns keep the tokens (``no_effect``), which filter and sort better than words.

Bulk mode writes one table for many stdin lines with :class:`CsvTable` (``bulk=True``): two leading
columns, ``line`` and ``input``, and a ``status`` of ``error`` for a line that could not be answered.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from ketinteract.render import RenderOptions
from ketinteract.render.links import source_url
from ketinteract.results import CheckResult, FindingOut, PairOut, RegimenWarning, SourceOut
from ketinteract.textsafe import inert

COLUMNS = (
    "status",
    "finding_id",
    "drug_1",
    "drug_2",
    "drugs",
    "context",
    "effect",
    "severity",
    "action",
    "evidence_grade",
    "routes",
    "population",
    "dose",
    "extrapolated",
    "origin",
    "question",
    "answer",
    "management",
    "grade_rationale",
    "mechanism",
    "last_reviewed",
    "pmids",
    "dois",
    "sources",
    "urls",
)
BULK_COLUMNS = ("line", "input", *COLUMNS)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Row = dict[str, str]


def cell(value: str) -> str:
    """A cell that no spreadsheet evaluates and no terminal acts on."""
    guarded = "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return inert(guarded)


def source_columns(sources: list[SourceOut]) -> Row:
    urls = [source_url(s) for s in sources]
    pairs = enumerate(zip(sources, urls, strict=True), start=1)
    cited = [f"[{n}] {s.citation}" + (f" {u}" if u else "") for n, (s, u) in pairs]
    return {
        "pmids": ";".join(s.pmid for s in sources if s.pmid),
        "dois": ";".join(s.doi for s in sources if s.doi),
        "sources": "; ".join(cited),
        "urls": " ".join(u for u in urls if u),
    }


def finding_row(pair: PairOut, f: FindingOut) -> Row:
    return {
        "status": pair.status,
        "finding_id": f.id,
        "drug_1": pair.drugs[0],
        "drug_2": pair.drugs[1],
        "drugs": ";".join(pair.drugs),
        "context": f.context,
        "effect": f.effect.value,
        "severity": f.severity.value,
        "action": f.action.value,
        "evidence_grade": f.evidence_grade.value,
        "routes": ";".join(r.value for r in f.conditions.routes),
        "population": f.conditions.population or "",
        "dose": f.conditions.dose or "",
        "extrapolated": f.extrapolated.explanation if f.extrapolated else "",
        "origin": f.origin,
        "question": f.question,
        "answer": f.answer,
        "management": f.management,
        "grade_rationale": f.grade_rationale,
        "mechanism": f.mechanism.text if f.mechanism else "",
        "last_reviewed": f.last_reviewed.isoformat(),
    } | source_columns(f.sources)


def warning_row(warning: RegimenWarning) -> Row:
    return {
        "status": "regimen_warning",
        "finding_id": warning.id,
        "drugs": ";".join(warning.drugs),
        "severity": warning.severity.value,
        "answer": warning.message,
        "management": warning.management,
    } | source_columns(warning.sources)


def rows(result: CheckResult) -> Iterator[Row]:
    """The rows of one answer, in the order the text output gives them."""
    for miss in result.unresolved:
        hint = f" Did you mean: {', '.join(miss.suggestions)}?" if miss.suggestions else ""
        yield {"status": "unrecognised", "drug_1": miss.input, "answer": f"Not recognised, not checked.{hint}"}
    for warning in result.regimen_warnings:
        yield warning_row(warning)
    for pair in result.pairs:
        if not pair.findings:
            hidden = f"{pair.hidden_by_min_severity} finding(s) below the minimum severity are not shown."
            yield {
                "status": pair.status,
                "drug_1": pair.drugs[0],
                "drug_2": pair.drugs[1],
                "drugs": ";".join(pair.drugs),
                "answer": pair.note or (hidden if pair.hidden_by_min_severity else ""),
            }
        for f in pair.findings:
            yield finding_row(pair, f)


class CsvTable:
    """One CSV table on ``out``: the header at once, then the rows of each answer written to it."""

    def __init__(self, out: TextIO, options: RenderOptions, *, bulk: bool = False) -> None:
        if options.bom:
            out.write("\ufeff")
        # "\r\n" as the line terminator also makes QUOTE_MINIMAL quote any field holding a bare CR or LF.
        self._writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self.columns = BULK_COLUMNS if bulk else COLUMNS
        self._writer.writerow(self.columns)

    def _write(self, row: Row) -> None:
        self._writer.writerow([cell(row.get(c, "")) for c in self.columns])

    def write(self, result: CheckResult, *, line: int | None = None, text: str | None = None) -> None:
        """The rows of ``result``; in bulk mode ``line`` and ``text`` (the stdin line) fill the first columns."""
        lead = {"line": str(line), "input": text or ""} if line is not None else {}
        for row in rows(result):
            self._write(lead | row)

    def write_error(self, line: int, text: str, message: str) -> None:
        """Bulk mode: a stdin line that could not be answered."""
        self._write({"line": str(line), "input": text, "status": "error", "answer": message})


def render_csv(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    CsvTable(out, options).write(result)
