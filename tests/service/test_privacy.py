"""No patient data is kept after answering: the texts of a request leave nothing in the process memo, and
the memo does not grow with the number of distinct texts clients send."""

from __future__ import annotations

import httpx

from ketinteract.compiled import CompiledIndex
from ketinteract.index_files import open_index
from ketinteract.service.privacy import forgetting
from tests.fhir_factories import done_when_request, draft, hook_request, med_statement

from .conftest import Running

SIGN = "/cds-services/ketinteract-order-sign"


def memo_strings(index: CompiledIndex) -> set[str]:
    """Every text the memo holds under a name key (``("name", text)``)."""
    return {key[1] for key in index.memo if isinstance(key, tuple) and key[0] == "name"}


def test_request_texts_are_forgotten_after_the_answer(service: Running) -> None:
    private = ["Zorbexamine 5 mg tablet", "Ativan 1 mg tablet", "Ketamine hydrochloride 50 mg/mL injection"]
    body = done_when_request()
    body["prefetch"]["medicationStatements"] = hook_request(
        "order-sign", [], statements=[med_statement("z", private[0])]
    )["prefetch"]["medicationStatements"]
    assert service.client.post(SIGN, json=body).status_code == 200
    assert not set(private) & memo_strings(service.index)
    assert service.client.get("/check", params=[("drug", "Ativan"), ("drug", "Zorbexamine")]).status_code == 200
    assert not {"Ativan", "Zorbexamine"} & memo_strings(service.index)


def test_pair_answers_stay_cached_between_requests(service: Running) -> None:
    body = hook_request("order-sign", [draft("k", "Ketalar")], statements=[med_statement("l", "Ativan")])
    service.client.post(SIGN, json=body)
    pairs = {
        key
        for key in service.index.memo
        if isinstance(key, tuple) and key[0] == "pair" and {"ketamine", "lorazepam"} <= set(key)
    }
    assert pairs, "vocabulary-only entries (pair answers) are kept: they hold no request data"


def test_memo_is_flat_over_many_distinct_texts(client: httpx.Client, service: Running) -> None:
    def request(i: int) -> dict[str, object]:
        return hook_request(
            "order-sign", [draft("k", f"Ketamine {i} mg")], statements=[med_statement("x", f"Unknownol {i}")]
        )

    client.post(SIGN, json=request(0))
    size = len(service.index.memo)
    for i in range(1, 40):
        assert client.post(SIGN, json=request(i)).status_code == 200
    assert len(service.index.memo) == size


def test_forgetting_keeps_entries_made_before_the_block() -> None:
    index = open_index(local=False, use_cache=False)
    index.memo[("name", "Ativan")] = "kept: it was there before"
    with forgetting(index, ["Ativan", "Tavor"]):
        index.memo[("name", "Tavor")] = "made inside"
        index.memo[("pair", "ketamine", "lorazepam", (), None, None)] = "vocabulary"
    assert ("name", "Ativan") in index.memo
    assert ("name", "Tavor") not in index.memo
    assert ("pair", "ketamine", "lorazepam", (), None, None) in index.memo
