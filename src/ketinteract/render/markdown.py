"""Markdown for notes and issue trackers. Data strings are made inert and Markdown-escaped so a field
cannot inject links, headings or HTML."""

from __future__ import annotations

import re
from typing import TextIO

from ketinteract.render import RenderOptions
from ketinteract.results import CheckResult, FindingOut, SourceOut
from ketinteract.textsafe import inert

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def md(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", inert(text, keep_newlines=False))


def words(value: str) -> str:
    return value.replace("_", " ")


def source_item(number: int, source: SourceOut) -> str:
    tag = words(source.evidence_type.value)
    if source.species and source.evidence_type.value == "animal":
        tag += f": {source.species.value}"
    ids = " · ".join(
        part
        for part in (
            f"[PMID {source.pmid}]({source.url})" if source.pmid and source.url else "",
            f"[DOI {md(source.doi)}](https://doi.org/{source.doi})" if source.doi else "",
            f"<{source.url}>" if source.url and not (source.pmid or source.doi) else "",
        )
        if part
    )
    direction = f" — points to **{words(source.direction.value)}**" if source.direction else ""
    return f"{number}. **\\[{tag}\\]** {md(source.citation)} {ids}{direction}  \n   {md(source.finding)}"


def finding_section(finding: FindingOut) -> list[str]:
    lines = [f"### {md(finding.context_name)} (`{finding.id}`)", ""]
    if finding.origin != "bundled":
        lines.append(f"*Local finding from {md(finding.origin)}.*  ")
    if finding.extrapolated:
        lines.append(f"*Extrapolated: {md(finding.extrapolated.explanation)}.*  ")
    if finding.conditions.routes:
        lines.append(f"*Applies only to route: {', '.join(r.value for r in finding.conditions.routes)}.*  ")
    if finding.conditions.population:
        lines.append(f"*Applies only to: {md(finding.conditions.population)}.*  ")
    lines += [
        f"**Q:** {md(finding.question)}  ",
        f"**A:** {md(finding.answer)}",
        "",
        "| effect | severity | action | evidence |",
        "|---|---|---|---|",
        f"| {words(finding.effect)} | {words(finding.severity)} | {words(finding.action)} | "
        f"{words(finding.evidence_grade)} |",
        "",
        f"**Why this grade:** {md(finding.grade_rationale)}",
        "",
    ]
    if finding.conflict:
        lines += [f"**Why studies disagree:** {md(finding.conflict)}", ""]
    lines += [f"**Management:** {md(finding.management)}", "", "**Sources**", ""]
    lines += [source_item(i, s) for i, s in enumerate(finding.sources, start=1)]
    lines.append("")
    return lines


def render_markdown(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    lines: list[str] = []
    for miss in result.unresolved:
        lines.append(f"> **Not recognised:** {md(miss.input)} (not checked)")
    for warning in result.regimen_warnings:
        lines += [
            f"> **Regimen warning ({words(warning.severity)}):** {md(warning.message)}",
            ">",
            f"> {md(warning.management)}",
            "",
        ]
    for pair in result.pairs:
        lines += [f"## {md(pair.names[0])} + {md(pair.names[1])}", ""]
        if pair.status == "no_record":
            lines += [md(pair.note or ""), ""]
        for finding in pair.findings:
            lines += finding_section(finding)
    lines.append(f"*{md(result.notice)}*")
    out.write("\n".join(lines) + "\n")
