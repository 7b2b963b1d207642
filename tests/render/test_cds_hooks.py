"""CDS Hooks cards on hand-built results: the card policy, fresh uuids, source, wording, summary length and
hostile data, checked against the CDS Hooks 2.0 card rules."""

from __future__ import annotations

import io
import json
import re
import uuid
from typing import Any

import jsonschema
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ketinteract.enums import Action, Effect, OutputFormat, Severity
from ketinteract.render import CardPolicy, RenderOptions, emit
from ketinteract.results import CheckResult

from .factories import finding, no_raw_controls, pair, regimen_warning, result, source
from .test_interop import CDS_CARD_SCHEMA
from .test_markdown import tokens

HOSTILE = "\x1b]0;pwned\x07\r\x9b31m\u202e <script>x</script> [a](javascript:alert(1))"
TOKENS = re.compile(r"\b(no_effect|no_action|very_low|human_study)\b")


def cards(checked: CheckResult, policy: CardPolicy = "actionable") -> list[dict[str, Any]]:
    out = io.StringIO()
    emit(checked, OutputFormat.cds_hooks, out, RenderOptions(cards=policy))
    data = json.loads(out.getvalue())
    jsonschema.validate(data, CDS_CARD_SCHEMA)
    found: list[dict[str, Any]] = data["cards"]
    return found


def mixed() -> CheckResult:
    quiet = [
        finding("a-b-none", severity=Severity.none, effect=Effect.attenuates),
        finding("a-b-no-effect", effect=Effect.no_effect),
        finding("a-b-no-action", effect=Effect.attenuates).model_copy(update={"action": Action.no_action}),
    ]
    loud = finding("a-b-loud", effect=Effect.potentiates, severity=Severity.major)
    return result(
        pairs=[pair(("drug-a", "drug-b"), [*quiet, loud]), pair(("drug-a", "drug-c"), [])],
        unresolved=["zzz"],
        warnings=[regimen_warning()],
    )


def test_default_policy_keeps_actionable_findings_and_every_miss() -> None:
    summaries = [c["summary"] for c in cards(mixed())]
    assert summaries == [
        "Not recognised, not checked: zzz",
        "Regimen warning (major): drug-a, drug-b, drug-c",
        "drug-a + drug-b, analgesia: potentiates (major)",
        "No curated record for drug-a + drug-c",
    ]
    assert len(cards(mixed(), "all")) == 7


def test_every_card_has_a_fresh_uuid4() -> None:
    first, second = cards(mixed(), "all"), cards(mixed(), "all")
    ids = [c["uuid"] for c in first + second]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 4 for i in ids)


def test_source_names_ketinteract_and_the_table_version() -> None:
    (card,) = cards(result([finding(effect=Effect.attenuates)]).model_copy(update={"table_version": "2026.11"}))
    assert re.fullmatch(r"ketinteract \S+, evidence table 2026\.11", card["source"]["label"])
    assert "url" not in card["source"], "no paper posing as the source of the guidance"
    assert card["links"] == [
        {"label": "Smith A. A trial.", "url": "https://pubmed.ncbi.nlm.nih.gov/12345678/", "type": "absolute"}
    ]


def test_wording_and_summary_length() -> None:
    long_context = "A very long context name " * 10
    f = finding(effect=Effect.attenuates).model_copy(update={"context_name": long_context})
    for card in cards(mixed(), "all") + cards(result([f])):
        assert len(card["summary"]) < 140
        assert not TOKENS.search(card["summary"] + card["detail"]), card


@settings(max_examples=40, deadline=None)
@example(HOSTILE)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(HOSTILE))), max_size=40))
def test_hostile_text_stays_inert(text: str) -> None:
    evil = source(citation=text).model_copy(update={"url": f"javascript:{text}", "pmid": None})
    f = finding(answer=text, effect=Effect.attenuates, sources=[evil]).model_copy(
        update={"context_name": text, "management": text}
    )
    checked = result([f], unresolved=[text], warnings=[regimen_warning(message=text)])
    out = io.StringIO()
    emit(checked, OutputFormat.cds_hooks, out, RenderOptions(cards="all"))
    assert no_raw_controls(out.getvalue())
    for card in json.loads(out.getvalue())["cards"]:
        assert no_raw_controls(json.dumps(card, ensure_ascii=False)), "inert even after decoding"
        assert all(link["url"].startswith("https://") for link in card.get("links", []))
        assert not [t for t in tokens(card["detail"]) if t.type in {"html_inline", "html_block", "image"}]
