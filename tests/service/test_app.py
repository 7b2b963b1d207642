"""The plain endpoints (/check, /health, /openapi.json) and every bad request: each gets a 4xx with a valid
FHIR OperationOutcome body, never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from typer.testing import Result

from tests.fhir_factories import PATIENT, done_when_request, draft, hook_request, med_request

SIGN = "/cds-services/ketinteract-order-sign"
Params = list[tuple[str, str | int | float | bool | None]]


def outcome(response: httpx.Response, status: int) -> dict[str, Any]:
    """The OperationOutcome of an error response, checked as FHIR R4B."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    OperationOutcome.model_validate(body)
    assert body["issue"][0]["severity"] == "error" and body["issue"][0]["diagnostics"]
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize(
    "names",
    [
        ("naloxone", "ketamine"),
        ("Vivitrol", "Spravato", "lorazepam"),
        ("ketamine", "notadrug"),
        ("Suboxone", "Ketalar"),
    ],
)
def test_check_returns_the_same_document_as_check_format_json(
    client: httpx.Client, cli: Callable[..., Result], names: tuple[str, ...]
) -> None:
    response = client.get("/check", params=[("drug", n) for n in names])
    assert response.status_code == 200
    assert response.text == cli("--no-local", "check", *names, "--format", "json").stdout


def test_check_takes_the_cli_filters(client: httpx.Client, cli: Callable[..., Result]) -> None:
    params: Params = [
        ("drug", "naltrexone"),
        ("drug", "ketamine"),
        ("context", "antidepressant"),
        ("min_severity", "moderate"),
    ]
    expected = cli(
        "--no-local", "check", "naltrexone", "ketamine", "-c", "antidepressant", "--min-severity", "moderate", "--json"
    )
    assert client.get("/check", params=params).text == expected.stdout


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ([("drug", "ketamine")], "at least two"),
        ([], "drug"),
        ([("drug", "ketamine"), ("drug", "naloxone"), ("context", "nowhere")], "Unknown context"),
        ([("drug", "ketamine"), ("drug", "naloxone"), ("route", "rectal")], "route"),
        ([("drug", "ketamine"), ("drug", "naloxone"), ("min_severity", "awful")], "min_severity"),
    ],
)
def test_bad_check_queries_are_400(client: httpx.Client, params: Params, expected: str) -> None:
    body = outcome(client.get("/check", params=params), 400)
    assert expected in body["issue"][0]["diagnostics"]


def test_health_and_openapi(client: httpx.Client) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["findings"] > 0 and health["table_version"]
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {
        "/cds-services",
        "/cds-services/{service_id}",
        "/cds-services/{service_id}/feedback",
        "/check",
        "/health",
    } <= set(document["paths"])
    body = document["paths"]["/cds-services/{service_id}"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["title"] == "HookRequest"
    assert "HookRequest" in document["components"]["schemas"] and "Feedback" in document["components"]["schemas"]
    assert client.get("/docs").status_code == 404, "no docs page that would load scripts from a CDN"
    check = document["paths"]["/check"]["get"]["responses"]
    assert "400" in check and "422" not in check, "errors are documented as the service sends them"
    assert "HTTPValidationError" not in document["components"]["schemas"]


def _patient_in_drafts() -> dict[str, Any]:
    body = hook_request("order-sign", [draft("k", "ketamine")])
    body["context"]["draftOrders"]["entry"].append({"resource": {"resourceType": "Patient", "id": "p"}})
    return body


def _bad_coding() -> dict[str, Any]:
    body = done_when_request()
    body["context"]["draftOrders"]["entry"][0]["resource"]["medicationCodeableConcept"]["coding"] = "N01AX03"
    return body


def _without(key: str) -> dict[str, Any]:
    body = done_when_request()
    del body[key]
    return body


def _context_without_drafts() -> dict[str, Any]:
    body = done_when_request()
    del body["context"]["draftOrders"]
    return body


def _prefetch_patient() -> dict[str, Any]:
    body = done_when_request()
    body["prefetch"]["medicationStatements"] = {"resourceType": "Patient", "id": "p"}
    return body


def _observation_in_prefetch() -> dict[str, Any]:
    body = done_when_request()
    entry = {"resource": {"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"}}}
    body["prefetch"]["medicationRequests"]["entry"].append(entry)
    return body


def _too_many() -> dict[str, Any]:
    return hook_request("order-sign", [draft(f"d{i}", f"drug {i}") for i in range(201)])


BAD_REQUESTS: dict[str, tuple[bytes | dict[str, Any] | list[Any], int, str]] = {
    "malformed JSON": (b'{"hook": "order-sign",', 400, "structure"),
    "empty body": (b"", 400, "structure"),
    "not UTF-8": (b'{"hook": "\xff"}', 400, "structure"),
    "nested too deeply": (b"[" * 100_000 + b"]" * 100_000, 400, "structure"),
    "JSON array": ([], 400, "invalid"),
    "missing hook": (_without("hook"), 400, "invalid"),
    "wrong hook": (done_when_request() | {"hook": "patient-view"}, 400, "invalid"),
    "missing hookInstance": (_without("hookInstance"), 400, "invalid"),
    "missing context": (_without("context"), 400, "invalid"),
    "context not an object": (done_when_request() | {"context": "k"}, 400, "invalid"),
    "missing draftOrders": (_context_without_drafts(), 400, "required"),
    "draftOrders not a Bundle": (
        done_when_request() | {"context": {"draftOrders": {"resourceType": "Patient", "id": "p"}}},
        400,
        "invalid",
    ),
    "Patient among draft orders": (_patient_in_drafts(), 400, "invalid"),
    "coding not an array": (_bad_coding(), 400, "invalid"),
    "prefetch not an object": (done_when_request() | {"prefetch": ["x"]}, 400, "invalid"),
    "prefetch of a Patient": (_prefetch_patient(), 400, "invalid"),
    "Observation in prefetch": (_observation_in_prefetch(), 400, "invalid"),
    "no prefetch at all": (_without("prefetch"), 412, "required"),
    "too many medications": (_too_many(), 413, "too-costly"),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_bad_hook_requests_get_a_4xx_operation_outcome(client: httpx.Client, case: str) -> None:
    payload, status, code = BAD_REQUESTS[case]
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    response = client.post(SIGN, content=content, headers={"content-type": "application/json"})
    body = outcome(response, status)
    assert body["issue"][0]["code"] == code


def test_errors_point_at_the_json_location(client: httpx.Client) -> None:
    body = outcome(client.post(SIGN, json=_patient_in_drafts()), 400)
    assert body["issue"][0]["expression"] == ["context.draftOrders.entry[1].resource"]
    assert "Patient" in body["issue"][0]["diagnostics"]


@pytest.mark.parametrize("path", ["/cds-services/no-such-service", "/cds-services/no-such-service/feedback"])
def test_unknown_service_is_404(client: httpx.Client, path: str) -> None:
    body = outcome(client.post(path, json=done_when_request()), 404)
    assert body["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"feedback": []},
        {"feedback": [{"card": "x", "outcome": "liked", "outcomeTimestamp": "2026-01-01T00:00:00Z"}]},
        {"feedback": [{"outcome": "accepted", "outcomeTimestamp": "2026-01-01T00:00:00Z"}]},
        ["feedback"],
    ],
)
def test_bad_feedback_is_400(client: httpx.Client, payload: Any) -> None:
    outcome(client.post(f"{SIGN}/feedback", json=payload), 400)


def test_wrong_method_and_unknown_path(client: httpx.Client) -> None:
    outcome(client.get(SIGN), 405)
    outcome(client.delete("/cds-services"), 405)
    outcome(client.get("/nowhere"), 404)


def test_medication_text_never_appears_in_error_messages(client: httpx.Client) -> None:
    """Errors are logged; they name JSON locations and resource types, not what a patient takes."""
    body = done_when_request()
    body["prefetch"]["medicationRequests"]["entry"][1]["resource"]["medicationCodeableConcept"] = {"text": 7}
    response = client.post(SIGN, json=body)
    assert "Ativan" not in response.text and "Ketamine" not in response.text
    assert outcome(response, 400)["issue"][0]["expression"] == [
        "prefetch.medicationRequests.entry[1].resource.medicationCodeableConcept.text"
    ]


def test_subject_of_a_request_is_never_echoed(client: httpx.Client) -> None:
    body = hook_request("order-sign", [draft("k", "ketamine")], requests=[med_request("a", "lorazepam")])
    response = client.post(SIGN, json=body)
    assert PATIENT["reference"] not in response.text
