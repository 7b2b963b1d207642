"""Human-readable terminal output, drawn with rich.

Every string from the data or the command line goes through :func:`inert` and into a ``rich.text.Text``
as plain text (markup and highlighting are off), so "[bold]" in a citation prints as written and an
escape sequence prints as ``\\x1b``.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from ketinteract.enums import Direction, Effect, EvidenceType, Severity
from ketinteract.render import RenderOptions
from ketinteract.results import CheckResult, FindingOut, PairOut, RegimenWarning, SourceOut
from ketinteract.textsafe import inert

SEVERITY_STYLE = {
    Severity.major: "bold red",
    Severity.moderate: "bold yellow",
    Severity.minor: "cyan",
    Severity.none: "green",
}
EVIDENCE_TAG = {
    EvidenceType.human_study: "human",
    EvidenceType.animal: "ANIMAL",
    EvidenceType.in_vitro: "IN VITRO",
    EvidenceType.label: "LABEL",
    EvidenceType.manufacturer: "MANUFACTURER",
    EvidenceType.review: "REVIEW",
    EvidenceType.commentary: "COMMENTARY",
}
DIRECTION_HEADING = {
    Direction.attenuates: "Sources pointing to attenuation",
    Direction.reverses: "Sources pointing to reversal",
    Direction.potentiates: "Sources pointing to potentiation",
    Direction.no_effect: "Sources pointing to no effect",
    Direction.background: "Background",
}


def make_console(out: TextIO, options: RenderOptions) -> Console:
    return Console(
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
        soft_wrap=not options.color,
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


def source_lines(number: int, source: SourceOut) -> list[Text]:
    ids = []
    if source.pmid:
        ids.append(f"PMID {source.pmid}")
    if source.doi:
        ids.append(f"DOI {source.doi}")
    if not ids and source.url:
        ids.append(source.url)
    tag = EVIDENCE_TAG[source.evidence_type]
    if source.species and source.evidence_type is EvidenceType.animal:
        tag += f": {words(source.species)}"
    design = words(source.design)
    if source.n:
        design += f", N={source.n}"
    lines = [line(f"  [{number}] ", (f"[{tag}] ", "bold"), source.citation)]
    lines.append(line(f"      {design}" + (f"; {'; '.join(ids)}" if ids else "")))
    if source.pmid or source.doi:
        lines.append(line(f"      {source.url}"))
    lines.append(line(f"      {source.finding}"))
    if source.dose_route:
        lines.append(line(("      Dose and route: ", "dim"), source.dose_route))
    if source.indirect:
        lines.append(line(("      Indirect: ", "dim"), source.indirect))
    if source.bias:
        lines.append(line(("      Risk of bias: ", "dim"), source.bias))
    if source.origin != "bundled":
        lines.append(line(("      Local source from ", "dim"), source.origin))
    return lines


def finding_block(finding: FindingOut) -> list[Text]:
    out = [
        line(
            (finding.context_name, "bold underline"),
            (f"  ({finding.id})", "dim"),
        )
    ]
    if finding.origin != "bundled":
        out.append(line(("  LOCAL finding from ", "bold magenta"), (finding.origin, "bold magenta")))
    if finding.extrapolated:
        out.append(line(("  Extrapolated: ", "bold"), finding.extrapolated.explanation))
    conditions = finding.conditions
    if conditions.routes or conditions.population or conditions.dose:
        parts = []
        if conditions.routes:
            parts.append("route " + " or ".join(r.value for r in conditions.routes))
        if conditions.population:
            parts.append(f"population: {conditions.population}")
        if conditions.dose:
            parts.append(f"dose: {conditions.dose}")
        out.append(line(("  Applies only to: ", "bold"), "; ".join(parts)))
    out.append(line(("  Q: ", "bold"), finding.question))
    out.append(line(("  A: ", "bold"), finding.answer))
    out.append(
        line(
            "  Effect: ",
            (words(finding.effect), "bold"),
            "   Severity: ",
            (words(finding.severity), SEVERITY_STYLE[finding.severity]),
            "   Action: ",
            (words(finding.action), "bold"),
            "   Evidence: ",
            (words(finding.evidence_grade), "bold"),
        )
    )
    out.append(line(("  Why this grade: ", "dim"), finding.grade_rationale))
    if finding.conflict:
        out.append(line(("  Why studies disagree: ", "bold"), finding.conflict))
    out.append(line(("  Management: ", "bold"), finding.management))
    if finding.mechanism:
        cited = ", ".join(s.id for s in finding.mechanism.sources)
        out.append(line(("  Mechanism: ", "dim"), finding.mechanism.text, (f" ({cited})", "dim")))
    out.append(line(("  Sources", "bold")))
    if finding.effect is Effect.conflicting:
        number = 0
        # Sides in the order the curator listed them, so the leading evidence comes first.
        for direction in dict.fromkeys(s.direction for s in finding.sources if s.direction):
            side = [s for s in finding.sources if s.direction is direction]
            if not side:
                continue
            out.append(line((f"   {DIRECTION_HEADING[direction]}:", "italic")))
            for source in side:
                number += 1
                out.extend(source_lines(number, source))
    else:
        for number, source in enumerate(finding.sources, start=1):
            out.extend(source_lines(number, source))
    out.append(line(f"  Last reviewed {finding.last_reviewed.isoformat()}"))
    return out


def pair_heading(pair: PairOut) -> Text:
    title = f"{pair.names[0]} + {pair.names[1]}"
    if pair.status == "no_record":
        return line((title, "bold"), ": no curated record")
    count = len(pair.findings)
    worst = pair.worst_severity or Severity.none
    return line(
        (title, "bold"),
        f": {count} finding{'s' if count != 1 else ''}, worst severity ",
        (words(worst), SEVERITY_STYLE[worst]),
    )


def warning_block(warning: RegimenWarning) -> list[Text]:
    out = [
        line(
            ("REGIMEN WARNING ", "bold red"),
            (f"({words(warning.severity)})", SEVERITY_STYLE[warning.severity]),
        ),
        line("  Drugs: ", ", ".join(warning.drugs)),
        line("  ", warning.message),
        line(("  Management: ", "bold"), warning.management),
    ]
    for number, source in enumerate(warning.sources, start=1):
        out.extend(source_lines(number, source))
    return out


def render_text(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    console = make_console(out, options)
    emit = console.print
    for dup in result.duplicates:
        emit(
            line(
                ("Note: ", "bold"),
                f"'{dup.input}' is the same drug as '{dup.same_as}' ({dup.id}); checked once.",
            )
        )
    for drug in result.drugs:
        if drug.rule.value not in {"id", "name"} or drug.via_product:
            via = f" (ingredient of {drug.via_product})" if drug.via_product else ""
            emit(line(("Resolved: ", "dim"), f"'{drug.input}' -> {drug.name}{via} by {words(drug.rule)}"))
    for miss in result.unresolved:
        hint = f"; did you mean {', '.join(miss.suggestions)}?" if miss.suggestions else ""
        emit(line(("Not recognised: ", "bold red"), f"'{miss.input}'{hint} (not checked)"))
    for warning in result.regimen_warnings:
        emit()
        for text in warning_block(warning):
            emit(text)
    if len(result.pairs) > 1:
        emit()
        emit(line(("Summary", "bold")))
        for pair in result.pairs:
            emit(line("  ", pair_heading(pair).plain))
    for pair in result.pairs:
        emit()
        emit(pair_heading(pair))
        if pair.status == "no_record":
            emit(line("  ", pair.note or ""))
        if pair.hidden_by_min_severity:
            emit(
                line(
                    ("  ", "dim"),
                    (f"{pair.hidden_by_min_severity} finding(s) below --min-severity hidden.", "dim"),
                )
            )
        for finding in pair.findings:
            emit()
            for text in finding_block(finding):
                emit(text)
    emit()
    emit(line((result.notice, "italic")))
