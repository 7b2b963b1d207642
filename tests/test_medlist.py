"""Checking lists with new and current medications: which pairs and warnings are answered."""

from __future__ import annotations

from typing import Any

import pytest

from ketinteract.compiled import CompiledIndex
from ketinteract.fhir_input import MedicationMatch, match_medication, medication_from_name
from ketinteract.index_files import open_index
from ketinteract.medlist import check_lists
from ketinteract.query import run_check


@pytest.fixture(scope="module")
def index() -> CompiledIndex:
    return open_index(local=False, use_cache=False)


def meds(index: CompiledIndex, *names: str) -> list[MedicationMatch]:
    return [match_medication(index, medication_from_name(n)) for n in names]


def check(index: CompiledIndex, new: list[MedicationMatch], current: list[MedicationMatch], **kw: Any) -> Any:
    return check_lists(index, new, current, **kw).data()


def pairs(data: dict[str, Any]) -> set[tuple[str, ...]]:
    return {tuple(p["drugs"]) for p in data["pairs"]}


def test_only_pairs_with_a_new_medication(index: CompiledIndex) -> None:
    result = check(index, meds(index, "ketamine"), meds(index, "lorazepam", "fentanyl"))
    assert pairs(result) == {("ketamine", "lorazepam"), ("fentanyl", "ketamine")}
    everything = check(index, meds(index, "ketamine"), meds(index, "lorazepam", "fentanyl"), among_current=True)
    assert pairs(everything) == pairs(result) | {("fentanyl", "lorazepam")}


def test_all_new_is_the_same_as_check(index: CompiledIndex) -> None:
    names = ("Vivitrol", "Spravato", "lorazepam", "notadrug", "Suboxone", "Ativan 1 mg tablet")
    assert check_lists(index, meds(index, *names)).json == run_check(index, list(names)).json
    answer = check_lists(index, meds(index, *names), contexts=["anesthesia"], min_severity=None)
    assert answer.json == run_check(index, list(names), ["anesthesia"]).json


def test_regimen_warnings_need_a_new_medication(index: CompiledIndex) -> None:
    load = meds(index, "lorazepam", "fentanyl", "alcohol")
    assert check(index, meds(index, "ketamine"), load)["regimen_warnings"]
    current = meds(index, "ketamine", "lorazepam", "fentanyl", "alcohol")
    assert check(index, meds(index, "naltrexone"), current)["regimen_warnings"] == []
    assert check(index, meds(index, "naltrexone"), current, among_current=True)["regimen_warnings"]


def test_a_drug_both_new_and_current_is_one_drug(index: CompiledIndex) -> None:
    result = check(index, meds(index, "Ketalar"), meds(index, "ketamine 10 mg", "lorazepam"))
    assert [d["id"] for d in result["drugs"]] == ["ketamine", "lorazepam"]
    assert [(d["input"], d["same_as"]) for d in result["duplicates"]] == [("ketamine 10 mg", "Ketalar")]
    assert "possible duplicate therapy" in result["duplicates"][0]["warning"]


def test_a_combination_products_own_ingredients_are_not_paired(index: CompiledIndex) -> None:
    result = check(index, meds(index, "Suboxone"), meds(index, "ketamine"))
    assert pairs(result) == {("buprenorphine", "ketamine"), ("ketamine", "naloxone")}


def test_unmatched_are_listed_once(index: CompiledIndex) -> None:
    answer = check_lists(index, meds(index, "ketamine", "Zorb"), meds(index, "Zorb", "lorazepam"))
    assert [u["input"] for u in answer.data()["unresolved"]] == ["Zorb"]
    assert answer.unresolved == 1
