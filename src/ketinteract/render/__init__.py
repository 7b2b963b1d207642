"""Every output format, behind one entry point: :func:`emit`.

A command builds a document (a result model from :mod:`ketinteract.results`) and hands it to ``emit``
with the format the user chose; the JSON-or-text decision and the ``schema_version`` envelope exist only
here. Renderer modules are imported only when their format is asked for, so the JSON path never loads
rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TextIO, assert_never

from ketinteract.enums import CHECK_FORMATS, PLAIN_FORMATS, SOURCE_FORMATS, OutputFormat
from ketinteract.errors import UsageError
from ketinteract.results import (
    CheckResult,
    DataChangeDocument,
    DataInfoDocument,
    DataListDocument,
    DataPathDocument,
    Document,
    DrugsDocument,
    FindingDocument,
    FindingListDocument,
    ResolveDocument,
    SourceListDocument,
    ValidationDocument,
)

CardPolicy = Literal["actionable", "all"]


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    """Colour and terminal layout (a person is reading)."""
    width: int | None = None
    cards: CardPolicy = "actionable"
    """CDS Hooks: "actionable" leaves out findings of no effect, no action needed or severity none (cards
    for unrecognised names and pairs without a record are always kept); "all" writes a card for each."""
    bom: bool = False
    """CSV: start with a UTF-8 byte order mark, so Excel reads "Schüle" and "µg" as UTF-8."""


FORMATS: dict[type[Document | CheckResult], tuple[OutputFormat, ...]] = {
    CheckResult: CHECK_FORMATS,
    SourceListDocument: SOURCE_FORMATS,
    FindingDocument: PLAIN_FORMATS,
    FindingListDocument: PLAIN_FORMATS,
    ResolveDocument: PLAIN_FORMATS,
    DrugsDocument: PLAIN_FORMATS,
    DataInfoDocument: PLAIN_FORMATS,
    DataPathDocument: PLAIN_FORMATS,
    DataListDocument: PLAIN_FORMATS,
    DataChangeDocument: PLAIN_FORMATS,
    ValidationDocument: PLAIN_FORMATS,
}
"""Which formats each document can be written in; the CLI offers exactly these choices."""

Printable = Document | CheckResult


def emit(document: Printable, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    """Write ``document`` to ``out`` in ``fmt``: the one way every command prints its answer."""
    allowed = FORMATS[type(document)]
    if fmt not in allowed:
        choices = ", ".join(f.value for f in allowed)
        raise UsageError(f"--format {fmt.value} is not available here; choose one of: {choices}.")
    match fmt:
        case OutputFormat.json:
            from ketinteract.render import json_format

            json_format.render_json(document, out, options)
        case OutputFormat.ndjson:
            from ketinteract.render import json_format

            json_format.render_ndjson(_check(document), out, options)
        case OutputFormat.text:
            _text(document, out, options)
        case OutputFormat.markdown:
            from ketinteract.render import markdown

            markdown.render_markdown(_check(document), out, options)
        case OutputFormat.csv:
            from ketinteract.render import csv_format

            csv_format.render_csv(_check(document), out, options)
        case OutputFormat.fhir:
            from ketinteract.render import fhir

            fhir.render_fhir(_check(document), out, options)
        case OutputFormat.cds_hooks:
            from ketinteract.render import cds_hooks

            cds_hooks.render_cds_hooks(_check(document), out, options)
        case OutputFormat.bibtex | OutputFormat.ris | OutputFormat.csl_json:
            from ketinteract.render import citations

            assert isinstance(document, SourceListDocument)
            citations.render_citations(document, fmt, out)
        case _:
            assert_never(fmt)


def _check(document: Printable) -> CheckResult:
    assert isinstance(document, CheckResult), "FORMATS allows this format for check results only"
    return document


def _text(document: Printable, out: TextIO, options: RenderOptions) -> None:
    if isinstance(document, CheckResult):
        from ketinteract.render import text

        text.render_text(document, out, options)
    elif isinstance(document, SourceListDocument):
        from ketinteract.render import citations

        citations.render_citations(document, OutputFormat.text, out)
    else:
        from ketinteract.render import text_views

        text_views.render_document(document, out, options)
