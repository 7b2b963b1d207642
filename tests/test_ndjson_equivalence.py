"""The compact NDJSON path assembles cached per-pair JSON; it must equal the model's own dump."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ketinteract.query import run_check
from ketinteract.render.json_format import compact_result_json, to_jsonable
from ketinteract.tables import open_index

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
def test_compact_json_equals_model_dump(names: list[str], contexts: tuple[str, ...]) -> None:
    result = run_check(INDEX, names, contexts)
    text = compact_result_json(result)
    assert "\n" not in text and text.isascii()
    assert json.loads(text) == to_jsonable(result)
    assert list(json.loads(text)) == list(to_jsonable(result)), "same key order"
