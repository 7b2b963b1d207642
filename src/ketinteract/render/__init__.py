"""Every output format, behind one entry point: :func:`emit`.

A command builds a document (a result model from :mod:`ketinteract.results`) and hands it to ``emit``
with the format the user chose; the JSON-or-text decision and the ``schema_version`` envelope exist only
here. Renderer modules are imported only when their format is asked for, so the JSON path never loads
rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TextIO, assert_never

from ketinteract.enums import CHECK_FORMATS, PLAIN_FORMATS, SOURCE_FORMATS, OutputFormat
from ketinteract.errors import UsageError
from ketinteract.query import CheckAnswer

if TYPE_CHECKING:
    from ketinteract.results import CheckResult, Document, SourceListDocument

CardPolicy = Literal["actionable", "all"]


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    """ANSI colour (a terminal, and neither NO_COLOR nor --color never)."""
    terminal: bool = False
    """A person reads this on a terminal: wrap to the screen with hanging indents. Piped text is never
    wrapped (one paragraph a line)."""
    width: int | None = None
    cards: CardPolicy = "actionable"
    """CDS Hooks: "actionable" leaves out findings of no effect, no action needed or severity none (cards
    for unrecognised names and pairs without a record are always kept); "all" writes a card for each."""
    bom: bool = False
    """CSV: start with a UTF-8 byte order mark, so Excel reads "Schüle" and "µg" as UTF-8."""


def formats_for(document: Document | CheckResult | CheckAnswer) -> tuple[OutputFormat, ...]:
    """Which formats a document can be written in; the CLI offers exactly these choices."""
    from ketinteract.results import CheckResult, SourceListDocument

    if isinstance(document, CheckAnswer | CheckResult):
        return CHECK_FORMATS
    if isinstance(document, SourceListDocument):
        return SOURCE_FORMATS
    return PLAIN_FORMATS


def emit(
    document: Document | CheckResult | CheckAnswer, fmt: OutputFormat, out: TextIO, options: RenderOptions
) -> None:
    """Write ``document`` to ``out`` in ``fmt``: the one way every command prints its answer.

    A check answer from the query is written from its stored JSON for json and ndjson, and drawn from
    plain data for text, so neither path builds a pydantic model; the other formats read the model."""
    if isinstance(document, CheckAnswer) and fmt in (OutputFormat.json, OutputFormat.ndjson, OutputFormat.text):
        from ketinteract.render import json_format

        if fmt is OutputFormat.text:
            from ketinteract.render import text

            text.render_text(document.data(), out, options)
        elif fmt is OutputFormat.json:
            json_format.write_json_text(document.json, out)
        else:
            out.write(document.json + "\n")
        return
    if isinstance(document, CheckAnswer):
        document = document.model()
    allowed = formats_for(document)
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

            citations.render_citations(_sources(document), fmt, out)
        case _:
            assert_never(fmt)


def _check(document: Document | CheckResult) -> CheckResult:
    from ketinteract.results import CheckResult

    assert isinstance(document, CheckResult), "formats_for allows this format for check results only"
    return document


def _text(document: Document | CheckResult, out: TextIO, options: RenderOptions) -> None:
    from ketinteract.results import CheckResult, SourceListDocument

    if isinstance(document, CheckResult):
        from ketinteract.render import text

        text.render_text(document.model_dump(mode="json"), out, options)
    elif isinstance(document, SourceListDocument):
        from ketinteract.render import citations

        citations.render_citations(document, OutputFormat.text, out)
    else:
        from ketinteract.render import text_views

        text_views.render_document(document, out, options)


def _sources(document: Document | CheckResult) -> SourceListDocument:
    from ketinteract.results import SourceListDocument

    assert isinstance(document, SourceListDocument), "formats_for allows citation formats for sources only"
    return document
