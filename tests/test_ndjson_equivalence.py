"""The query assembles the answer's JSON from stored fragments; it must be exactly what the output
contract's model says (so JSON written straight from the index and the API's models never differ)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ketinteract.index_files import open_index
from ketinteract.query import run_check

INDEX = open_index(local=False)
NAMES = [
    "ketamine",
    "esketamine",
    "naloxone",
    "Vivitrol",
    "Suboxone",
    "lorazepam",
    "fentanyl",
    "alcohol",
    "clarithromycin",
    "opioids",
    "notadrug",
    "Narcan",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=2, max_size=5), st.sampled_from([(), ("antidepressant",)]))
def test_assembled_json_equals_the_contract_model(names: list[str], contexts: tuple[str, ...]) -> None:
    answer = run_check(INDEX, names, contexts)
    assert "\n" not in answer.json and answer.json.isascii()
    dumped = answer.model().model_dump(mode="json")
    assert json.loads(answer.json) == dumped
    assert list(json.loads(answer.json)) == list(dumped), "same key order"
    for pair, model_pair in zip(json.loads(answer.json)["pairs"], dumped["pairs"], strict=True):
        for finding, model_finding in zip(pair["findings"], model_pair["findings"], strict=True):
            assert list(finding) == list(model_finding), "same key order in findings"
