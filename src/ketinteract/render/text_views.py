"""Text output for show, list, resolve and drugs (part of the text renderer: the only other module that
imports rich). Strings are made inert exactly as in render.text."""

from __future__ import annotations

from typing import TextIO

from rich.table import Table as RichTable

from ketinteract.errors import describe_suggestions
from ketinteract.render import RenderOptions
from ketinteract.render.text import SEVERITY_STYLE, Writer, finding_block, line, make_console, words
from ketinteract.results import (
    NOT_ADVICE,
    DataChangeDocument,
    DataInfoDocument,
    DataListDocument,
    DataPathDocument,
    Document,
    DrugsDocument,
    FindingDocument,
    FindingListDocument,
    FindingOut,
    ResolveDocument,
    ResolveEntry,
    ValidationDocument,
)
from ketinteract.textsafe import inert


def render_document(document: Document, out: TextIO, options: RenderOptions) -> None:
    """Text for every document other than a check result and a source list."""
    if isinstance(document, FindingDocument):
        show(document.finding, out, options)
    elif isinstance(document, FindingListDocument):
        finding_table(document.findings, out, options)
    elif isinstance(document, ResolveDocument):
        resolve(document.names, out, options)
    elif isinstance(document, DrugsDocument):
        drugs(document, out, options)
    elif isinstance(document, DataInfoDocument):
        data_info(document, out)
    elif isinstance(document, ValidationDocument):
        validation(document, out)
    elif isinstance(document, DataPathDocument):
        out.write(inert(f"data: {document.data}\nconfig: {document.config}\ncache: {document.cache}\n"))
    elif isinstance(document, DataListDocument):
        out.write("".join(inert(f"{name}\n") for name in document.files))
    elif isinstance(document, DataChangeDocument):
        counts = ", ".join(f"{v} {k}" for k, v in document.counts.items())
        where = "to" if document.action == "added" else "from"
        detail = f" ({counts})" if counts else ""
        out.write(inert(f"{document.action} {document.name}{detail} {where} {document.folder}\n"))
    else:  # pragma: no cover - FORMATS and this dispatch are kept in step by a test
        raise TypeError(f"no text renderer for {type(document).__name__}")


def data_info(document: DataInfoDocument, out: TextIO) -> None:
    for entry in [document.bundled, *document.local]:
        counts = ", ".join(f"{v} {k}" for k, v in entry.counts.items())
        reviewed = entry.last_reviewed.isoformat() if entry.last_reviewed else "unknown"
        out.write(
            inert(
                f"{entry.name}: {entry.path}\n  version {entry.table_version}, last reviewed {reviewed}\n"
                f"  sha256 {entry.sha256}\n  {counts}\n"
            )
        )
    if not document.local:
        out.write(inert(f"no local data files in {document.data_dir}\n"))


def validation(document: ValidationDocument, out: TextIO) -> None:
    for problem in document.problems:
        where = f"{problem.file}: {problem.location}" if problem.location else problem.file
        if problem.record:
            where += f" (record '{problem.record}')"
        out.write(inert(f"{where}: {problem.message}", keep_newlines=False) + "\n")
    if document.valid:
        out.write("".join(inert(f"valid: {name}", keep_newlines=False) + "\n" for name in document.files))


def show(finding: FindingOut, out: TextIO, options: RenderOptions) -> None:
    console = make_console(out, options)
    console.print(line((" + ".join(finding.drugs), "bold")))
    finding_block(Writer(out, options), finding.model_dump(mode="json"))
    if len(finding.grading) > 1 or finding.grading:
        console.print(line(("  Grading steps", "bold")))
        for step in finding.grading:
            change = f"{step.change:+d}" if step.change else " 0"
            console.print(line(f"   {words(step.step):<14} {change}  -> {words(step.grade):<9} ", step.reason))
    console.print()
    console.print(line((NOT_ADVICE, "italic")))


def finding_table(findings: list[FindingOut], out: TextIO, options: RenderOptions) -> None:
    """Two lines per finding: the id alone (to copy into `show` or grep), then what it says."""
    console = make_console(out, options)
    for f in findings:
        console.print(line((f.id, "bold")))
        console.print(
            line(
                f"    {f.context} | {' + '.join(f.drugs)} | {words(f.effect)} | ",
                (words(f.severity), SEVERITY_STYLE[f.severity]),
                f" | {words(f.action)} | evidence {words(f.evidence_grade)}",
            )
        )
    console.print(line(f"{len(findings)} finding(s). {NOT_ADVICE}"))


def resolve(entries: list[ResolveEntry], out: TextIO, options: RenderOptions) -> None:
    console = make_console(out, options)
    for entry in entries:
        if entry.status == "unresolved":
            suggested = [s.model_dump() for s in entry.suggested] or [{"id": s} for s in entry.suggestions]
            hint = describe_suggestions(suggested) or " No close match."
            console.print(line((f"{entry.input}", "bold"), (" -> not recognised.", "bold red"), hint))
            continue
        for match in entry.matches:
            via = f" (ingredient of {match.via_product})" if match.via_product else ""
            ids = []
            if match.atc:
                ids.append("ATC " + ", ".join(match.atc))
            if match.rxcui:
                ids.append(f"RxCUI {match.rxcui}")
            console.print(
                line(
                    (entry.input, "bold"),
                    f" -> {match.id} ({words(match.kind)}){via} by {words(match.rule)} '{match.matched}'",
                    f"; {'; '.join(ids)}" if ids else "",
                )
            )


def drugs(table: DrugsDocument, out: TextIO, options: RenderOptions) -> None:
    if not options.terminal:
        # Piped: tab-separated lines with a header, whole cells and no box drawing, for cut/awk/sort.
        rows = [("kind", "id", "name", "classes", "brands", "atc_or_ingredients")]
        rows += [("drug", d.id, d.name, ",".join(d.classes), ",".join(d.brands), ",".join(d.atc)) for d in table.drugs]
        rows += [("class", c.id, c.name, "", "", ",".join(c.members)) for c in table.classes]
        rows += [("product", p.id, p.name, "", "", ",".join(p.ingredients)) for p in table.products]
        out.write(
            "".join("\t".join(inert(v, keep_newlines=False).replace("\t", " ") for v in row) + "\n" for row in rows)
        )
        return
    console = make_console(out, options)
    grid = RichTable(header_style="bold")
    for column in ("id", "name", "classes", "brands", "ATC"):
        grid.add_column(column)
    for d in table.drugs:
        grid.add_row(
            inert(d.id),
            inert(d.name),
            inert(", ".join(d.classes)),
            inert(", ".join(d.brands)),
            inert(", ".join(d.atc)),
        )
    console.print(grid)
    classes = RichTable(header_style="bold", title="Classes")
    for column in ("id", "name", "members"):
        classes.add_column(column)
    for c in table.classes:
        classes.add_row(inert(c.id), inert(c.name), inert(", ".join(c.members)))
    console.print(classes)
    for p in table.products:
        console.print(line(("Product ", "bold"), f"{p.name}: {', '.join(p.ingredients)}"))
