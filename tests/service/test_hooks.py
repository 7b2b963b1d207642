"""CDS Hooks over real HTTP: discovery, the issue's acceptance request, which pairs get cards, unmatched
medications, order-select selections, feedback and CORS."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ketinteract.render.cds_hooks import INDICATOR
from tests.fhir_factories import (
    ATC,
    coding,
    done_when_request,
    draft,
    hook_request,
    med_request,
    med_statement,
    medication,
)

from .conftest import Running, assert_valid_response

SIGN = "/cds-services/ketinteract-order-sign"
SELECT = "/cds-services/ketinteract-order-select"


def cards_for(client: httpx.Client, body: dict[str, Any], path: str = SIGN, **params: Any) -> list[dict[str, Any]]:
    response = client.post(path, json=body, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return assert_valid_response(response.json())


def without_uuid(card: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in card.items() if k != "uuid"}


def summaries(cards: list[dict[str, Any]]) -> list[str]:
    return [c["summary"] for c in cards]


def test_discovery_lists_order_sign_and_order_select_with_prefetch(client: httpx.Client) -> None:
    response = client.get("/cds-services")
    assert response.status_code == 200
    services = {s["hook"]: s for s in response.json()["services"]}
    assert set(services) == {"order-sign", "order-select"}
    for service in services.values():
        assert service["id"] and service["title"] and service["description"]
        assert "MedicationRequest?patient={{context.patientId}}" in service["prefetch"]["medicationRequests"]
        assert "MedicationStatement?patient={{context.patientId}}" in service["prefetch"]["medicationStatements"]
        assert "status=active" in service["prefetch"]["medicationRequests"]


def test_done_when_request_gets_cards_for_both_interactions(client: httpx.Client) -> None:
    cards = cards_for(client, done_when_request())
    texts = summaries(cards)
    assert any(t.startswith("ketamine + naltrexone") for t in texts), texts
    assert any(t.startswith("ketamine + lorazepam") for t in texts), texts
    assert not any(t.startswith("Not recognised") for t in texts), "every medication was matched"
    critical = [c for c in cards if c["indicator"] == "critical"]
    assert any("respiratory depression" in c["summary"] for c in critical), "the label's major warning"


def test_cards_use_the_offline_renderers_mapping_summaries_and_links(service: Running) -> None:
    """The same cards as `check --format cds-hooks` for the same pairs: one mapping, one wording."""
    from ketinteract.query import run_check
    from ketinteract.render.cds_hooks import to_response

    offline = to_response(run_check(service.index, ["ketamine", "naltrexone"]).model())["cards"]
    live = cards_for(
        service.client,
        hook_request("order-sign", [draft("k", "ketamine")], requests=[med_request("n", "naltrexone")]),
    )
    assert [without_uuid(c) for c in live] == [without_uuid(c) for c in offline]
    assert not {c["uuid"] for c in live} & {c["uuid"] for c in offline}, "a fresh uuid for every card"
    severities = {c["indicator"] for c in live}
    assert severities <= set(INDICATOR.values())
    assert any(link["url"].startswith("https://pubmed.ncbi.nlm.nih.gov/") for c in live for link in c.get("links", []))


def test_no_cards_for_pairs_among_current_medications_unless_asked(client: httpx.Client) -> None:
    body = hook_request(
        "order-sign",
        [draft("d", None, coding(ATC, "N01AX03"))],  # ketamine, by its ATC code alone
        requests=[med_request("a", "naltrexone")],
        statements=[med_statement("b", "lorazepam"), med_statement("c", "fentanyl")],
    )
    default = summaries(cards_for(client, body))
    assert not any("fentanyl + lorazepam" in t or "lorazepam + naltrexone" in t for t in default)
    assert any(t.startswith("ketamine + lorazepam") for t in default)
    by_param = summaries(cards_for(client, body, among_current="true"))
    assert any("fentanyl + lorazepam" in t for t in by_param)
    assert any("lorazepam + naltrexone" in t for t in by_param)
    by_extension = summaries(cards_for(client, body | {"extension": {"com.ketinteract.among-current": True}}))
    assert by_extension == by_param


def test_card_policy_actionable_by_default_all_when_asked(client: httpx.Client) -> None:
    """The offline writer's policy: no card for findings of no effect or no action unless asked."""
    body = hook_request("order-sign", [draft("k", "ketamine")], requests=[med_request("n", "naloxone")])
    default = cards_for(client, body)
    every = cards_for(client, body, cards="all")
    by_extension = cards_for(client, body | {"extension": {"com.ketinteract.cards": "all"}})
    assert len(default) < len(every) == len(by_extension)
    assert {c["summary"] for c in default} < {c["summary"] for c in every}
    bad = client.post(SIGN, json=body | {"extension": {"com.ketinteract.cards": "some"}})
    assert bad.status_code == 400
    assert bad.json()["issue"][0]["expression"] == ["extension.com.ketinteract.cards"]
    assert client.post(SIGN, params={"cards": "some"}, json=body).status_code == 400


def test_unmatched_medications_get_a_card_never_silence(client: httpx.Client) -> None:
    body = hook_request(
        "order-sign",
        [draft("d", "Ketalar"), draft("x", "Zorbexamine 5 mg tablet")],
        statements=[med_statement("s", None, coding(ATC, "A99ZZ99", "Unknownium"))],
    )
    cards = cards_for(client, body)
    unmatched = [c for c in cards if c["summary"].startswith("Not recognised")]
    assert {c["summary"] for c in unmatched} == {
        "Not recognised, not checked: Zorbexamine 5 mg tablet",
        "Not recognised, not checked: Unknownium",
    }
    assert all(c["indicator"] == "warning" for c in unmatched)


def test_a_pair_without_a_record_says_so_instead_of_looking_safe(client: httpx.Client) -> None:
    body = hook_request("order-sign", [draft("d", "naltrexone")], requests=[med_request("a", "lorazepam")])
    cards = cards_for(client, body)
    assert [c["summary"] for c in cards] == ["No curated record for lorazepam + naltrexone"]
    assert "not evidence that the combination is safe" in cards[0]["detail"]


def test_null_prefetch_means_no_current_medications(client: httpx.Client) -> None:
    body = hook_request("order-sign", [draft("a", "ketamine"), draft("b", "Ativan")])
    assert body["prefetch"] == {"medicationRequests": None, "medicationStatements": None}
    assert any(t.startswith("ketamine + lorazepam") for t in summaries(cards_for(client, body)))


def test_a_prefetch_key_not_supplied_is_named_on_a_card(client: httpx.Client) -> None:
    body = hook_request("order-sign", [draft("a", "ketamine")], requests=[med_request("n", "Vivitrol")])
    del body["prefetch"]["medicationStatements"]
    cards = cards_for(client, body)
    missing = [c for c in cards if "medicationStatements" in c["summary"]]
    assert len(missing) == 1 and missing[0]["indicator"] == "warning"
    assert "not evidence" in missing[0]["detail"]


def test_non_medication_orders_are_passed_over_and_give_no_cards(client: httpx.Client) -> None:
    service_request = {
        "resourceType": "ServiceRequest",
        "id": "xray",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/example"},
    }
    body = hook_request("order-sign", [], requests=[med_request("a", "lorazepam")])
    body["context"]["draftOrders"]["entry"] = [{"resource": service_request}]
    assert cards_for(client, body) == []


def test_medication_reference_to_a_bundled_medication(client: httpx.Client) -> None:
    body = hook_request("order-sign", [draft("a", "ketamine")])
    body["prefetch"]["medicationRequests"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "fullUrl": "https://ehr.example/fhir/MedicationRequest/n",
                "resource": med_request("n", reference="Medication/m1"),
            },
            {
                "fullUrl": "https://ehr.example/fhir/Medication/m1",
                "resource": medication("m1", None, coding(ATC, "N07BB04")),
            },
        ],
    }
    texts = summaries(cards_for(client, body))
    assert any(t.startswith("ketamine + naltrexone") for t in texts)
    assert not any(t.startswith("Not recognised") for t in texts), "the Medication is not a second medication"


def test_order_select_answers_for_the_selected_orders(client: httpx.Client) -> None:
    body = hook_request(
        "order-select",
        [draft("k", "ketamine"), draft("l", "lorazepam"), draft("f", "fentanyl")],
        selections=["MedicationRequest/k"],
    )
    body["context"]["selections"] = body.pop("selections")
    texts = summaries(cards_for(client, body, SELECT))
    assert any(t.startswith("ketamine + lorazepam") for t in texts)
    assert any(t.startswith("fentanyl + ketamine") for t in texts)
    assert not any(t.startswith("fentanyl + lorazepam") for t in texts), "neither was just selected"


def test_order_select_accepts_the_older_context_medications(client: httpx.Client) -> None:
    body = hook_request("order-select", [], requests=[med_request("l", "lorazepam")])
    del body["context"]["draftOrders"]
    body["context"]["medications"] = [draft("k", "Ketalar")]
    assert any(t.startswith("ketamine + lorazepam") for t in summaries(cards_for(client, body, SELECT)))


@pytest.mark.parametrize(
    "feedback",
    [
        {
            "card": "4e0a3a1e-3283-4575-ab82-028d55fe2719",
            "outcome": "overridden",
            "outcomeTimestamp": "2026-01-01T00:00:00Z",
        },
        {
            "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
            "outcome": "overridden",
            "overrideReason": {"userComment": "Discussed with the patient."},
            "outcomeTimestamp": "2026-01-01T00:00:00Z",
        },
    ],
)
def test_feedback_is_accepted(client: httpx.Client, feedback: dict[str, Any]) -> None:
    response = client.post(f"{SIGN}/feedback", json={"feedback": [feedback]})
    assert response.status_code == 200
    assert response.json() == {"received": 1}


def test_cors_preflight_and_simple_requests(client: httpx.Client) -> None:
    origin = "https://sandbox.cds-hooks.org"
    preflight = client.options(
        SIGN,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert {"GET", "POST", "OPTIONS"} <= {
        m.strip() for m in preflight.headers["access-control-allow-methods"].split(",")
    }
    allowed = {h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert preflight.headers["access-control-allow-private-network"] == "true"
    simple = client.get("/cds-services", headers={"Origin": origin})
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "Location" in simple.headers["access-control-expose-headers"]
    error = client.post("/cds-services/none", content=b"{}", headers={"Origin": origin})
    assert error.status_code == 404 and error.headers["access-control-allow-origin"] == "*", "errors too"
