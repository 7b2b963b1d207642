"""Checking lists with new and current medications: which pairs and warnings are answered."""

from __future__ import annotations

import pytest

from ketinteract.fhir_input import MedicationMatch, match_medication, medication_from_name
from ketinteract.index import TableIndex
from ketinteract.medlist import check_lists
from ketinteract.query import run_check
from ketinteract.results import CheckResult
from ketinteract.tables import open_index


@pytest.fixture(scope="module")
def index() -> TableIndex:
    return open_index(local=False, use_cache=False)


def meds(index: TableIndex, *names: str) -> list[MedicationMatch]:
    return [match_medication(index, medication_from_name(n)) for n in names]


def pairs(result: CheckResult) -> set[tuple[str, ...]]:
    return {tuple(p.drugs) for p in result.pairs}


def test_only_pairs_with_a_new_medication(index: TableIndex) -> None:
    result = check_lists(index, meds(index, "ketamine"), meds(index, "lorazepam", "fentanyl"))
    assert pairs(result) == {("ketamine", "lorazepam"), ("fentanyl", "ketamine")}
    everything = check_lists(index, meds(index, "ketamine"), meds(index, "lorazepam", "fentanyl"), among_current=True)
    assert pairs(everything) == pairs(result) | {("fentanyl", "lorazepam")}


def test_all_new_is_the_same_as_check(index: TableIndex) -> None:
    names = ("Vivitrol", "Spravato", "lorazepam", "notadrug")
    assert check_lists(index, meds(index, *names)) == run_check(index, list(names))


def test_regimen_warnings_need_a_new_medication(index: TableIndex) -> None:
    load = meds(index, "lorazepam", "fentanyl", "alcohol")
    assert check_lists(index, meds(index, "ketamine"), load).regimen_warnings
    current = meds(index, "ketamine", "lorazepam", "fentanyl", "alcohol")
    assert check_lists(index, meds(index, "naltrexone"), current).regimen_warnings == []
    assert check_lists(index, meds(index, "naltrexone"), current, among_current=True).regimen_warnings


def test_a_drug_both_new_and_current_is_one_drug(index: TableIndex) -> None:
    result = check_lists(index, meds(index, "Ketalar"), meds(index, "ketamine 10 mg", "lorazepam"))
    assert [d.id for d in result.drugs] == ["ketamine", "lorazepam"]
    assert [(d.input, d.same_as) for d in result.duplicates] == [("ketamine 10 mg", "Ketalar")]


def test_unmatched_are_listed_once(index: TableIndex) -> None:
    result = check_lists(index, meds(index, "ketamine", "Zorb"), meds(index, "Zorb", "lorazepam"))
    assert [u.input for u in result.unresolved] == ["Zorb"]
