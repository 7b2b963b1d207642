"""CDS Hooks output: a response of cards, one per finding, regimen warning, unrecognised name and pair
without a record (so a miss never looks like "no interaction").

Indicator mapping: major -> critical, moderate -> warning, minor and none -> info.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, TextIO

from ketinteract.enums import Severity
from ketinteract.render import RenderOptions
from ketinteract.render.markdown import finding_section, md
from ketinteract.results import CheckResult, SourceOut

INDICATOR = {
    Severity.major: "critical",
    Severity.moderate: "warning",
    Severity.minor: "info",
    Severity.none: "info",
}
SUMMARY_LIMIT = 140
TOOL_LABEL = "ketinteract curated evidence table"
_NAMESPACE = uuid.UUID("0b7e4a1e-2f55-4c7a-9e1c-5d1d2f0c8a31")


def summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) < SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 2].rstrip() + "…"


def links(sources: list[SourceOut]) -> list[dict[str, str]]:
    return [{"label": summary(s.citation), "url": s.url, "type": "absolute"} for s in sources if s.url]


def card(key: str, text: str, indicator: str, detail: str, sources: list[SourceOut]) -> dict[str, Any]:
    source: dict[str, Any] = {"label": TOOL_LABEL}
    first = next((s.url for s in sources if s.url), None)
    if first:
        source["url"] = first
    result: dict[str, Any] = {
        "uuid": str(uuid.uuid5(_NAMESPACE, key)),
        "summary": summary(text),
        "indicator": indicator,
        "detail": detail,
        "source": source,
    }
    found = links(sources)
    if found:
        result["links"] = found
    return result


def to_response(result: CheckResult) -> dict[str, Any]:
    cards = []
    for miss in result.unresolved:
        cards.append(
            card(
                f"unresolved:{miss.input}",
                f"Not recognised, not checked: {miss.input}",
                "warning",
                "This name was not recognised, so no interaction was checked for it.",
                [],
            )
        )
    for w in result.regimen_warnings:
        cards.append(
            card(
                f"regimen:{w.id}:{','.join(w.drugs)}",
                f"Regimen: additive CNS/respiratory depression ({', '.join(w.drugs)})",
                INDICATOR[w.severity],
                f"{md(w.message)}\n\n**Management:** {md(w.management)}",
                w.sources,
            )
        )
    for pair in result.pairs:
        names = " + ".join(pair.names)
        if not pair.findings:
            cards.append(card(f"none:{names}", f"No curated record for {names}", "info", md(pair.note or ""), []))
        for f in pair.findings:
            text = f"{names}, {f.context_name.lower()}: {f.effect.value.replace('_', ' ')} ({f.severity.value})"
            cards.append(card(f"{f.id}:{names}", text, INDICATOR[f.severity], "\n".join(finding_section(f)), f.sources))
    return {"cards": cards}


def render_cds_hooks(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    json.dump(to_response(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
