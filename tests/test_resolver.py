"""Name resolution: brands, salts, strengths, enantiomers, products and classes; never a guess."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketinteract.enums import EntityKind, MatchRule
from ketinteract.resolver import Resolution, Resolver, Unresolved
from ketinteract.tables import open_index

RESOLVER: Resolver = open_index(local=False).resolver

BRANDS = [
    ("Narcan", "naloxone"),
    ("Ketalar", "ketamine"),
    ("Spravato", "esketamine"),
    ("Vivitrol", "naltrexone"),
    ("Revia", "naltrexone"),
    ("Sublocade", "buprenorphine"),
    ("Subutex", "buprenorphine"),
    ("Relistor", "methylnaltrexone"),
    ("Dolophine", "methadone"),
    ("Ativan", "lorazepam"),
    ("Xanax", "alprazolam"),
    ("Nardil", "phenelzine"),
    ("Lamictal", "lamotrigine"),
    ("Biaxin", "clarithromycin"),
    ("Opvee", "nalmefene"),
    ("Precedex", "dexmedetomidine"),
]


@pytest.mark.parametrize(("brand", "ingredient"), BRANDS)
def test_brand_names_resolve_to_their_ingredient(brand: str, ingredient: str) -> None:
    res = RESOLVER.resolve(brand)
    assert isinstance(res, Resolution)
    assert (res.entity_id, res.rule) == (ingredient, MatchRule.brand)


@pytest.mark.parametrize(
    ("typed", "expected", "rule"),
    [
        ("ketamine hydrochloride", "ketamine", MatchRule.salt),
        ("naltrexone HCl", "naltrexone", MatchRule.stripped),
        ("Ketamine HCl 50 mg/mL", "ketamine", MatchRule.stripped),
        ("  KETAMINE  ", "ketamine", MatchRule.id),
        ("Ketalar", "ketamine", MatchRule.brand),
        ("S-ketamine", "esketamine", MatchRule.synonym),
        ("arketamine", "arketamine", MatchRule.id),
        ("naloxone 4 mg nasal spray", "naloxone", MatchRule.stripped),
        ("opioids", "opioid-analgesics", MatchRule.class_name),
        ("opioid antagonist", "opioid-antagonists", MatchRule.class_name),
        ("Suboxone", "suboxone", MatchRule.product),
        ("nalaxone", "naloxone", MatchRule.misspelling),
    ],
)
def test_typed_forms(typed: str, expected: str, rule: MatchRule) -> None:
    res = RESOLVER.resolve(typed)
    assert isinstance(res, Resolution), res
    assert (res.entity_id, res.rule) == (expected, rule)


@pytest.mark.parametrize("typo", ["ketamin", "naloxon", "HCl", "50 mg", "", "   ", "opium"])
def test_unrecognised_names_are_never_guessed(typo: str) -> None:
    assert isinstance(RESOLVER.resolve(typo), Unresolved)


def test_unknown_names_get_suggestions() -> None:
    res = RESOLVER.resolve("ketamin")
    assert isinstance(res, Unresolved)
    assert res.suggestions[0] == "ketamine"


KNOWN = sorted(RESOLVER._exact)  # every curated name, folded


def variants(name: str) -> st.SearchStrategy[str]:
    """The same name as people type it: case, padding, internal whitespace, salt and strength words."""
    return st.tuples(
        st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["", " hydrochloride", " HCl", " 10 mg", " 50 mg/mL", " injection"]),
    ).map(lambda t: t[1] + t[0](name) + t[2] + t[1])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KNOWN).flatmap(lambda n: st.tuples(st.just(n), variants(n))))
def test_resolution_is_stable_under_case_whitespace_and_salt_words(pair: tuple[str, str]) -> None:
    name, typed = pair
    base = RESOLVER.resolve(name)
    assert isinstance(base, Resolution)
    again = RESOLVER.resolve(typed)
    assert isinstance(again, Resolution), typed
    assert again.entity_id == base.entity_id


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_string_resolves_or_not_without_raising(text: str) -> None:
    res = RESOLVER.resolve(text)
    assert isinstance(res, Resolution | Unresolved)
    if isinstance(res, Resolution):
        assert res.kind in set(EntityKind)


def test_no_name_maps_to_two_ingredients(bundled_raw: dict[str, Any]) -> None:
    owners: dict[str, set[str]] = {}
    for key, (owner, _rule, _name) in RESOLVER._exact.items():
        owners.setdefault(key, set()).add(owner)
    assert all(len(v) == 1 for v in owners.values())


def test_check_brands_equals_check_ingredients(cli_json: Callable[..., tuple[int, Any]]) -> None:
    _, brands = cli_json("check", "Narcan", "Ketalar", "--json")
    _, plain = cli_json("check", "naloxone", "ketamine", "--json")
    assert brands["pairs"] == plain["pairs"]
    assert [d["rule"] for d in brands["drugs"]] == ["brand", "brand"]


def test_spravato_vivitrol_is_extrapolated_from_racemic_ketamine(cli_json: Callable[..., tuple[int, Any]]) -> None:
    _, data = cli_json("check", "Spravato", "Vivitrol", "--json")
    pair = data["pairs"][0]
    assert pair["drugs"] == ["esketamine", "naltrexone"]
    assert pair["findings"]
    extrapolated = [f for f in pair["findings"] if f["extrapolated"]]
    assert extrapolated and all("ketamine" in f["extrapolated"]["explanation"] for f in extrapolated)


def test_suboxone_covers_both_ingredients(cli_json: Callable[..., tuple[int, Any]]) -> None:
    _, data = cli_json("check", "Suboxone", "ketamine", "--json")
    assert {d["id"] for d in data["drugs"]} == {"buprenorphine", "naloxone", "ketamine"}
    assert {d["via_product"] for d in data["drugs"] if d["id"] != "ketamine"} == {"Suboxone"}
    assert ["ketamine", "naloxone"] in [p["drugs"] for p in data["pairs"]]
    assert ["buprenorphine", "ketamine"] in [p["drugs"] for p in data["pairs"]]


def test_duplicates_after_resolution_are_reported_once(cli_json: Callable[..., tuple[int, Any]]) -> None:
    _, data = cli_json("check", "Narcan", "naloxone", "ketamine", "--json")
    assert [d["id"] for d in data["drugs"]] == ["naloxone", "ketamine"]
    assert data["duplicates"] == [{"input": "naloxone", "id": "naloxone", "same_as": "Narcan"}]
    assert len(data["pairs"]) == 1


def test_four_drugs_give_six_pairs_with_summary_first(cli: Any) -> None:
    result = cli("check", "ketamine", "naloxone", "naltrexone", "buprenorphine")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Summary") < out.index("Q: ")
    summary = out[out.index("Summary") : out.index("Q: ")]
    assert summary.count(" + ") >= 6


def test_misspellings_with_suggestions_exit_3(cli: Any) -> None:
    result = cli("check", "ketamin", "naloxon")
    assert result.exit_code == 3
    assert "ketamine" in result.stderr and "naloxone" in result.stderr
