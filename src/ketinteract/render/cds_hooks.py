"""CDS Hooks 2.0 output: a response of cards.

Which cards (``RenderOptions.cards``):

- ``"actionable"`` (the default): a card per regimen warning and per finding that asks something of the
  prescriber; findings of no effect, of "no action needed" or of severity none are left out, because a
  card interrupts a clinician and those findings give nothing to act on.
- ``"all"``: a card for every finding as well.
- Either way, every unrecognised name and every pair without a curated record gets a card, so a miss
  never looks like "no interaction".

Each card has a fresh random ``uuid`` (uuid4: CDS Hooks uses it to report feedback on that card, so it
must not repeat across responses), a summary under 140 characters, an indicator (major -> critical,
moderate -> warning, minor and none -> info), a Markdown detail in words (no ``no_effect`` tokens) with
everything from data escaped, a ``source`` naming ketinteract and its table version, and links to the
cited sources built only from validated identifiers.
"""

from __future__ import annotations

import uuid
from typing import Any, TextIO

from ketinteract._version import __version__
from ketinteract.enums import Action, Effect, Severity
from ketinteract.render import RenderOptions
from ketinteract.render.json_format import dumps
from ketinteract.render.links import source_url
from ketinteract.render.markdown import finding_section, md, source_list
from ketinteract.render.wording import EFFECT, SEVERITY
from ketinteract.results import CheckResult, FindingOut, SourceOut
from ketinteract.textsafe import one_line

INDICATOR = {
    Severity.major: "critical",
    Severity.moderate: "warning",
    Severity.minor: "info",
    Severity.none: "info",
}
SUMMARY_LIMIT = 140
"""CDS Hooks: "<140-character summary message"."""


def summary(text: str) -> str:
    text = one_line(text) or "(no text)"
    return text if len(text) < SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 2].rstrip() + "…"


def source_label(result: CheckResult) -> str:
    table = f", evidence table {one_line(result.table_version)}" if result.table_version else ""
    return f"ketinteract {__version__}{table}"


def links(sources: list[SourceOut]) -> list[dict[str, str]]:
    found = []
    for source in sources:
        url = source_url(source)
        if url:
            found.append({"label": summary(source.citation), "url": url, "type": "absolute"})
    return found


def card(result: CheckResult, text: str, indicator: str, detail: str, sources: list[SourceOut]) -> dict[str, Any]:
    made: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": summary(text),
        "indicator": indicator,
        "detail": detail,
        "source": {"label": source_label(result)},
    }
    found = links(sources)
    if found:
        made["links"] = found
    return made


def actionable(finding: FindingOut) -> bool:
    """Whether a finding asks something of the prescriber (the default card policy keeps only these)."""
    return not (
        finding.effect is Effect.no_effect or finding.action is Action.no_action or finding.severity is Severity.none
    )


def to_response(result: CheckResult, options: RenderOptions | None = None) -> dict[str, Any]:
    policy = options.cards if options else "actionable"
    names = {d.id: d.name for d in result.drugs}
    cards = []
    for miss in result.unresolved:
        hint = f" Did you mean: {md(', '.join(miss.suggestions))}?" if miss.suggestions else ""
        detail = f"**{md(miss.input)}** was not recognised, so no interaction was checked for it.{hint}"
        cards.append(card(result, f"Not recognised, not checked: {miss.input}", "warning", detail, []))
    for w in result.regimen_warnings:
        drugs = ", ".join(names.get(d, d) for d in w.drugs)
        parts = [md(w.message), "", f"**Management:** {md(w.management)}"]
        if w.sources:
            parts += ["", "**Sources**", "", *source_list(w.sources)]
        detail = "\n".join(parts)
        text = f"Regimen warning ({SEVERITY[w.severity]}): {drugs}"
        cards.append(card(result, text, INDICATOR[w.severity], detail, w.sources))
    for pair in result.pairs:
        pair_names = " + ".join(pair.names)
        if pair.status == "no_record":
            note = md(pair.note or "No curated record.")
            cards.append(card(result, f"No curated record for {pair_names}", "info", note, []))
        for f in pair.findings:
            if policy == "actionable" and not actionable(f):
                continue
            text = f"{pair_names}, {f.context_name.lower()}: {EFFECT[f.effect]} ({SEVERITY[f.severity]})"
            cards.append(card(result, text, INDICATOR[f.severity], "\n".join(finding_section(f)), f.sources))
    return {"cards": cards}


def response_line(result: CheckResult, options: RenderOptions) -> str:
    """The response on one line, for bulk mode (one response per stdin line, NDJSON-style)."""
    return dumps(to_response(result, options), indent=None) + "\n"


def render_cds_hooks(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    out.write(dumps(to_response(result, options), indent=2) + "\n")
