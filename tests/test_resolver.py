"""Name resolution: brands, salts, strengths, enantiomers, products and classes; never a guess."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketinteract.enums import EntityKind, MatchRule
from ketinteract.index_files import open_index
from ketinteract.query import resolve_name

INDEX = open_index(local=False)


def resolved(text: str) -> tuple[str, str, str] | None:
    """(entity id, rule, kind) a typed name resolves to; a product gives its own id, folded."""
    answer = resolve_name(INDEX, text)
    if isinstance(answer, dict):
        return None
    first = answer[0]
    if first["via_product"]:
        return first["via_product"].casefold(), first["rule"], "product"
    return first["id"], first["rule"], first["kind"]


def suggestions(text: str) -> list[str]:
    answer = resolve_name(INDEX, text)
    assert isinstance(answer, dict)
    found: list[str] = answer["suggestions"]
    return found


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
    assert resolved(brand) == (ingredient, MatchRule.brand, "drug")


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
    res = resolved(typed)
    assert res is not None, typed
    assert res[:2] == (expected, rule)


@pytest.mark.parametrize("typo", ["ketamin", "naloxon", "HCl", "50 mg", "", "   ", "notadrugname"])
def test_unrecognised_names_are_never_guessed(typo: str) -> None:
    assert resolved(typo) is None


def test_unknown_names_get_suggestions() -> None:
    assert suggestions("ketamin")[0] == "ketamine"


KNOWN = sorted(name for name, _entity in INDEX.all_names())  # every curated name, folded


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
    base = resolved(name)
    assert base is not None
    again = resolved(typed)
    assert again is not None, typed
    assert again[0] == base[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_string_resolves_or_not_without_raising(text: str) -> None:
    res = resolved(text)
    if res is not None:
        assert res[2] in {k.value for k in EntityKind}


def test_no_name_maps_to_two_ingredients() -> None:
    owners: dict[str, set[str]] = {}
    for key, owner in INDEX.all_names():
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
    assert [(d["input"], d["id"], d["same_as"]) for d in data["duplicates"]] == [("naloxone", "naloxone", "Narcan")]
    assert "duplicate therapy" in data["duplicates"][0]["warning"]
    _, twice = cli_json("check", "naloxone", "naloxone", "ketamine", "--json")
    assert twice["duplicates"][0]["warning"] is None, "the same name typed twice is not two products"
    assert len(data["pairs"]) == 1


def test_four_drugs_give_six_pairs_with_summary_first(cli: Any) -> None:
    result = cli("check", "ketamine", "naloxone", "naltrexone", "buprenorphine")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Regimen summary") < out.index("Q: ")
    summary = out[out.index("Regimen summary") : out.index("Q: ")]
    assert summary.count(" + ") >= 6


def test_misspellings_with_suggestions_exit_3(cli: Any) -> None:
    result = cli("check", "ketamin", "naloxon")
    assert result.exit_code == 3
    assert "ketamine" in result.stderr and "naloxone" in result.stderr
