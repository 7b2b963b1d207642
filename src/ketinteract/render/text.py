"""Human-readable output, drawn with rich from the answer's plain data (the JSON contract as dicts), so
text output loads rich and no pydantic model.

The verdict comes first: one summary line per finding, worst severity first, then the details in the
same order. Every string from the data or the command line goes through :func:`inert` and into a
``rich.text.Text`` as plain text (markup and highlighting are off), so "[bold]" in a citation prints as
written and an escape sequence prints as ``\\x1b``. Piped output is never hard-wrapped (one paragraph a
line); on a terminal, labelled paragraphs wrap with a hanging indent.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ketinteract.enums import SEVERITY_RANK
from ketinteract.errors import describe_suggestions
from ketinteract.render import RenderOptions
from ketinteract.textsafe import inert

SEVERITY_STYLE = {"major": "bold red", "moderate": "bold yellow", "minor": "cyan", "none": "green"}
EVIDENCE_TAG = {
    "human_study": "human",
    "animal": "ANIMAL",
    "in_vitro": "IN VITRO",
    "label": "LABEL",
    "manufacturer": "MANUFACTURER",
    "review": "REVIEW",
    "commentary": "COMMENTARY",
}
DIRECTION_HEADING = {
    "attenuates": "Sources pointing to attenuation",
    "reverses": "Sources pointing to reversal",
    "potentiates": "Sources pointing to potentiation",
    "no_effect": "Sources pointing to no effect",
    "background": "Background",
}
Data = dict[str, Any]


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit 1, which our exit codes reserve for "--fail-on threshold reached"; hand the
        # closed pipe to the CLI's handler, which ends quietly with exit 0.
        raise BrokenPipeError


def make_console(out: TextIO, options: RenderOptions) -> Console:
    return _Console(
        file=out,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=options.width,
        # Piped text is never hard-wrapped: one paragraph per line, so grep finds a dose like
        # "0.4-2 mg IV" whole and no line ends in padding. On a terminal rich wraps to the screen.
        soft_wrap=not options.terminal,
    )


def words(value: str) -> str:
    return value.replace("_", " ")


def line(*parts: str | tuple[str, str]) -> Text:
    """A Text built from plain strings or (string, style) pairs; strings are made inert first."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(inert(part[0]), style=part[1])
        else:
            text.append(inert(part))
    return text


class Writer:
    """Prints lines; a labelled paragraph gets a hanging indent on a terminal, one line when piped."""

    def __init__(self, out: TextIO, options: RenderOptions) -> None:
        self.console = make_console(out, options)
        self.terminal = options.terminal

    def __call__(self, renderable: RenderableType | None = None) -> None:
        if renderable is None:
            self.console.print()
        else:
            self.console.print(renderable)

    def field(self, indent: str, label: str, value: str, style: str = "bold", *tail: tuple[str, str]) -> None:
        if not self.terminal:
            self(line(indent, (label, style), value, *tail))
            return
        grid = Table.grid()
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(line(indent, (label, style)), line(value, *tail))
        self(grid)


def source_lines(write: Writer, number: int, source: Data) -> None:
    ids = []
    if source.get("pmid"):
        ids.append(f"PMID {source['pmid']}")
    if source.get("doi"):
        ids.append(f"DOI {source['doi']}")
    tag = str(EVIDENCE_TAG.get(source["evidence_type"], source["evidence_type"]))
    if source.get("species") and source["evidence_type"] == "animal":
        tag += f": {words(source['species'])}"
    design = words(source["design"])
    if source.get("n"):
        design += f", N={source['n']}"
    write.field("  ", f"[{number}] ", source["citation"], "bold")
    write(line(f"      [{tag}] {design}" + (f"; {'; '.join(ids)}" if ids else "")))
    if source.get("url"):
        write(line(f"      {source['url']}"))
    write.field("      ", "", source["finding"])
    for key, label in (("dose_route", "Dose and route: "), ("indirect", "Indirect: "), ("bias", "Risk of bias: ")):
        if source.get(key):
            write.field("      ", label, source[key], "dim")
    if source.get("origin", "bundled") != "bundled":
        write(line(("      Local source from ", "dim"), str(source["origin"])))


def summary_line(finding: Data) -> Text:
    """One line a finding: severity, action, grade, context and effect (what a busy reader needs)."""
    severity = finding["severity"]
    marks = ""
    if finding.get("extrapolated"):
        marks += " [extrapolated]"
    if finding.get("origin", "bundled") != "bundled":
        marks += f" [LOCAL: {finding['origin']}]"
    routes = finding.get("conditions", {}).get("routes") or []
    if routes:
        marks += f" [{'/'.join(routes)}]"
    return line(
        "  ",
        (f"{severity.upper():<9}", SEVERITY_STYLE[severity]),
        f"{words(finding['action']):<10}{words(finding['evidence_grade']) + ' evidence':<19}",
        (finding["context_name"], "bold"),
        f": {words(finding['effect'])}{marks}",
    )


def finding_block(write: Writer, finding: Data) -> None:
    write(line((finding["context_name"], "bold underline"), (f"  ({finding['id']})", "dim")))
    if finding.get("origin", "bundled") != "bundled":
        write(line(("  LOCAL finding from ", "bold magenta"), (finding["origin"], "bold magenta")))
    if finding.get("extrapolated"):
        write.field("  ", "Extrapolated: ", finding["extrapolated"]["explanation"])
    conditions = finding.get("conditions") or {}
    parts = []
    if conditions.get("routes"):
        parts.append("route " + " or ".join(conditions["routes"]))
    if conditions.get("population"):
        parts.append(f"population: {conditions['population']}")
    if conditions.get("dose"):
        parts.append(f"dose: {conditions['dose']}")
    if parts:
        write.field("  ", "Applies only to: ", "; ".join(parts))
    write.field("  ", "Q: ", finding["question"])
    write.field("  ", "A: ", finding["answer"])
    severity = finding["severity"]
    write(
        line(
            "  Effect: ",
            (words(finding["effect"]), "bold"),
            "   Severity: ",
            (words(severity), SEVERITY_STYLE[severity]),
            "   Action: ",
            (words(finding["action"]), "bold"),
            "   Evidence: ",
            (words(finding["evidence_grade"]), "bold"),
        )
    )
    write.field("  ", "Why this grade: ", finding["grade_rationale"], "dim")
    if finding.get("conflict"):
        write.field("  ", "Why studies disagree: ", finding["conflict"])
    write.field("  ", "Management: ", finding["management"])
    mechanism = finding.get("mechanism")
    if mechanism:
        cited = ", ".join(s["id"] for s in mechanism["sources"])
        write.field("  ", "Mechanism: ", mechanism["text"], "dim", (f" ({cited})", "dim"))
    write(line(("  Sources", "bold")))
    sources = finding["sources"]
    if finding["effect"] == "conflicting":
        number = 0
        # Sides in the order the curator listed them, so the leading evidence comes first.
        for direction in dict.fromkeys(s["direction"] for s in sources if s.get("direction")):
            write(line((f"   {DIRECTION_HEADING.get(direction, direction)}:", "italic")))
            for source in (s for s in sources if s.get("direction") == direction):
                number += 1
                source_lines(write, number, source)
    else:
        for number, source in enumerate(sources, start=1):
            source_lines(write, number, source)
    write(line(f"  Last reviewed {finding['last_reviewed']}"))


def pair_heading(pair: Data) -> Text:
    title = f"{pair['names'][0]} + {pair['names'][1]}"
    if pair["status"] == "no_record":
        return line((title, "bold"), ": no curated record")
    shown, hidden = len(pair["findings"]), pair.get("hidden_by_min_severity", 0)
    worst_shown = max((f["severity"] for f in pair["findings"]), key=SEVERITY_RANK.__getitem__, default=None)
    text = line((title, "bold"), f": {shown} finding{'s' if shown != 1 else ''}")
    if worst_shown:
        text.append(", worst severity ")
        text.append(words(worst_shown), style=SEVERITY_STYLE[worst_shown])
    if hidden:
        text.append(f" ({hidden} below --min-severity not shown)")
    return text


def ordered(findings: list[Data]) -> list[Data]:
    """Worst severity first; the table's context order within a severity."""
    return sorted(findings, key=lambda f: -SEVERITY_RANK[f["severity"]])


def warning_block(write: Writer, warning: Data) -> None:
    severity = warning["severity"]
    write(line(("REGIMEN WARNING ", "bold red"), (f"({words(severity)})", SEVERITY_STYLE[severity])))
    write(line("  Drugs: ", ", ".join(warning["drugs"])))
    write.field("  ", "", warning["message"])
    write.field("  ", "Management: ", warning["management"])
    for number, source in enumerate(warning["sources"], start=1):
        source_lines(write, number, source)


def _preamble(write: Writer, result: Data) -> None:
    for dup in result["duplicates"]:
        text = f"'{dup['input']}' is the same drug as '{dup['same_as']}' ({dup['id']}); checked once."
        write(line(("Note: ", "bold"), text + (f" {dup['warning']}" if dup.get("warning") else "")))
    for drug in result["drugs"]:
        if drug["rule"] not in {"id", "name"} or drug.get("via_product"):
            via = f" (ingredient of {drug['via_product']})" if drug.get("via_product") else ""
            write(line(("Resolved: ", "dim"), f"'{drug['input']}' -> {drug['name']}{via} by {words(drug['rule'])}"))
    for miss in result["unresolved"]:
        hint = describe_suggestions(miss.get("suggested") or [{"id": s} for s in miss["suggestions"]])
        write(line(("Not recognised: ", "bold red"), f"'{miss['input']}' (not checked).{hint or ' No close match.'}"))


def render_text(result: Data, out: TextIO, options: RenderOptions, *, brief: bool = False) -> None:
    write = Writer(out, options)
    _preamble(write, result)
    started = bool(result["duplicates"] or result["unresolved"]) or any(
        d["rule"] not in {"id", "name"} or d.get("via_product") for d in result["drugs"]
    )
    for warning in result["regimen_warnings"]:
        if brief:
            write(line(("REGIMEN WARNING ", "bold red"), f"({warning['severity']}): ", ", ".join(warning["drugs"])))
        else:
            if started:
                write()
            warning_block(write, warning)
        started = True
    pairs = sorted(
        result["pairs"],
        key=lambda p: -max((SEVERITY_RANK[f["severity"]] for f in p["findings"]), default=-1),
    )
    if len(pairs) > 1:
        if started:
            write()
        write(line(("Regimen summary, worst first", "bold")))
        for pair in pairs:
            write(Text("  ") + pair_heading(pair))
        started = True
    for pair in pairs:
        if started:
            write()
        started = True
        write(pair_heading(pair))
        if pair["status"] == "no_record":
            write(line("  ", pair.get("note") or ""))
        findings = ordered(pair["findings"])
        for finding in findings:
            write(summary_line(finding))
        if brief:
            continue
        for finding in findings:
            write()
            finding_block(write, finding)
    write()
    write(line((result["notice"], "italic")))
