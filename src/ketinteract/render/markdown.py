"""Markdown for notes and issue trackers: every finding in full (mechanism, conditions, sources with their
doses and routes, indirectness, risk of bias, review date).

Nothing from data can become markup: each data string is put on one line and made inert, Markdown
punctuation is backslash-escaped, ``&``, ``<`` and ``>`` become entities (so ``<script>`` is text), and
the places where GitHub-flavoured Markdown would autolink a bare URL, ``www.`` or e-mail address are
broken with an escape. The only links are built by :mod:`ketinteract.render.links` from identifiers that
pass validation (PMID, DOI, an https URL), so a ``javascript:`` DOI or URL is never a live link.

Bulk mode (one document for many stdin lines) calls :func:`write_markdown` once per line with a
``heading`` (see :func:`line_heading`) and ``with_notice=False``, then writes :func:`notice` once.
"""

from __future__ import annotations

import re
from typing import TextIO

from ketinteract.render import RenderOptions
from ketinteract.render.links import doi_url, markdown_url, pubmed_url, source_url
from ketinteract.render.wording import ACTION, EFFECT, GRADE, SEVERITY, words
from ketinteract.results import CheckResult, FindingOut, PairOut, RegimenWarning, SourceOut
from ketinteract.textsafe import one_line

# "(" needs no escape: a link needs "](" and "]" is escaped.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#|~!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY = re.compile(r"[&<>]")
# GFM autolinks "https://...", "www." and e-mail addresses in plain text; an escape inside each breaks it.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)|(@)")
_BLOCK_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def md(text: str) -> str:
    """``text`` from data as inline Markdown that renders as exactly that text and nothing else."""
    value = _PUNCTUATION.sub(r"\\\1", one_line(text))
    value = _ENTITY.sub(lambda m: _ENTITIES[m.group()], value)
    value = _AUTOLINK.sub(lambda m: "\\" + m.group(), value)
    # A leading "-", "+", "=" or "1." would start a list or an underline if the text begins a line.
    return _BLOCK_START.sub(r"\\\1", value)


def code(text: str) -> str:
    """``text`` from data as an inline code span (inert; a backtick would end the span, so it becomes ')."""
    inner = one_line(text).replace("`", "'")
    return f"`{inner}`"


def link(label: str, url: str | None) -> str:
    """A Markdown link, or nothing when there is no URL (``url`` always comes from links.py)."""
    return f"[{md(label)}]({markdown_url(url)})" if url else ""


def source_links(source: SourceOut) -> str:
    parts = [link(f"PMID {source.pmid}", pubmed_url(source.pmid)), link(f"DOI {source.doi}", doi_url(source.doi))]
    if not any(parts):
        parts.append(link("link", source_url(source)))
    return " · ".join(p for p in parts if p)


def source_item(number: int, source: SourceOut) -> list[str]:
    tag = words(source.evidence_type)
    if source.species and tag == "animal":
        tag += f": {words(source.species)}"
    direction = f" — points to **{md(words(source.direction))}**" if source.direction else ""
    lines = [f"{number}. **\\[{md(tag)}\\]** {md(source.citation)} {source_links(source)}{direction}  "]
    facts = [
        f"design: {words(source.design)}",
        f"population: {source.population}" if source.population else "",
        f"n = {source.n}" if source.n is not None else "",
        f"dose and route: {source.dose_route}" if source.dose_route else "",
    ]
    lines.append(f"   {md('; '.join(f for f in facts if f))}  ")
    lines.append(f"   {md(source.finding)}")
    if source.indirect:
        lines[-1] += "  "
        lines.append(f"   *Indirectness:* {md(source.indirect)}")
    if source.bias:
        lines[-1] += "  "
        lines.append(f"   *Risk of bias:* {md(source.bias)}")
    return lines


def source_list(sources: list[SourceOut]) -> list[str]:
    lines: list[str] = []
    for number, source in enumerate(sources, start=1):
        lines += source_item(number, source)
    return lines


def finding_section(finding: FindingOut) -> list[str]:
    lines = [f"### {md(finding.context_name)} ({code(finding.id)})", ""]
    if finding.origin != "bundled":
        lines.append(f"*Local finding from {md(finding.origin)}.*  ")
    if finding.extrapolated:
        lines.append(f"*Extrapolated: {md(finding.extrapolated.explanation)}.*  ")
    conditions = finding.conditions
    if conditions.routes:
        lines.append(f"*Applies only to route: {md(', '.join(words(r) for r in conditions.routes))}.*  ")
    if conditions.population:
        lines.append(f"*Applies only to: {md(conditions.population)}.*  ")
    if conditions.dose:
        lines.append(f"*Dose: {md(conditions.dose)}.*  ")
    lines += [
        f"**Q:** {md(finding.question)}  ",
        f"**A:** {md(finding.answer)}",
        "",
        "| effect | severity | action | certainty of evidence |",
        "|---|---|---|---|",
        f"| {EFFECT[finding.effect]} | {SEVERITY[finding.severity]} | {ACTION[finding.action]} | "
        f"{GRADE[finding.evidence_grade]} |",
        "",
        f"**Why this grade:** {md(finding.grade_rationale)}",
        "",
    ]
    if finding.conflict:
        lines += [f"**Why studies disagree:** {md(finding.conflict)}", ""]
    if finding.mechanism:
        lines += [f"**Mechanism:** {md(finding.mechanism.text)}", ""]
        if finding.mechanism.sources:
            lines += ["*Mechanism sources:*", "", *source_list(finding.mechanism.sources), ""]
    lines += [f"**Management:** {md(finding.management)}", ""]
    lines += [f"*Last reviewed {finding.last_reviewed.isoformat()}.*", "", "**Sources**", ""]
    lines += source_list(finding.sources)
    lines.append("")
    return lines


def warning_section(warning: RegimenWarning) -> list[str]:
    lines = [
        f"> **Regimen warning ({SEVERITY[warning.severity]}):** {md(warning.message)}",
        ">",
        f"> **Management:** {md(warning.management)}",
        "",
    ]
    if warning.sources:
        lines += ["**Sources**", "", *source_list(warning.sources), ""]
    return lines


def pair_section(pair: PairOut) -> list[str]:
    lines = [f"## {md(' + '.join(pair.names))}", ""]
    if pair.status == "no_record":
        lines += [md(pair.note or "No curated record."), ""]
    if pair.hidden_by_min_severity:
        lines += [f"*{pair.hidden_by_min_severity} finding(s) below the minimum severity are not shown.*", ""]
    for finding in pair.findings:
        lines += finding_section(finding)
    return lines


def line_heading(number: int, text: str) -> str:
    """The heading of one stdin line's answer in bulk mode."""
    return f"# Line {number}: {md(text)}"


def notice(result: CheckResult) -> str:
    return f"*{md(result.notice)}*\n"


def write_markdown(result: CheckResult, out: TextIO, *, heading: str | None = None, with_notice: bool = True) -> None:
    lines: list[str] = [heading, ""] if heading else []
    for miss in result.unresolved:
        hint = f" Did you mean: {md(', '.join(miss.suggestions))}?" if miss.suggestions else ""
        lines += [f"> **Not recognised:** {md(miss.input)} (not checked).{hint}", ""]
    for warning in result.regimen_warnings:
        lines += warning_section(warning)
    for pair in result.pairs:
        lines += pair_section(pair)
    out.write("\n".join(lines) + "\n")
    if with_notice:
        out.write(notice(result))


def render_markdown(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    write_markdown(result, out)
