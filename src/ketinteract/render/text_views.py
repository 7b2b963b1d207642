"""Text output for show, list, resolve and drugs (part of the text renderer: the only other module that
imports rich). Strings are made inert exactly as in render.text."""

from __future__ import annotations

from typing import TextIO

from rich.table import Table as RichTable

from ketinteract.models import Table
from ketinteract.render import RenderOptions
from ketinteract.render.text import SEVERITY_STYLE, finding_block, line, make_console, words
from ketinteract.results import NOT_ADVICE, FindingOut, ResolveEntry
from ketinteract.textsafe import inert


def show(finding: FindingOut, out: TextIO, options: RenderOptions) -> None:
    console = make_console(out, options)
    console.print(line((" + ".join(finding.drugs), "bold")))
    for text in finding_block(finding):
        console.print(text)
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
            hint = f"; did you mean {', '.join(entry.suggestions)}?" if entry.suggestions else "; no close match"
            console.print(line((f"{entry.input}", "bold"), (" -> not recognised", "bold red"), hint))
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


def drugs(table: Table, out: TextIO, options: RenderOptions) -> None:
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
            inert(", ".join(d.identifiers.atc)),
        )
    console.print(grid)
    classes = RichTable(header_style="bold", title="Classes")
    for column in ("id", "name", "members"):
        classes.add_column(column)
    for c in table.classes:
        members = ", ".join(d.id for d in table.drugs if c.id in d.classes)
        classes.add_row(inert(c.id), inert(c.name), inert(members))
    console.print(classes)
    for p in table.products:
        console.print(line(("Product ", "bold"), f"{p.name}: {', '.join(p.ingredients)}"))
