"""The body limit (1 MiB), the JSON 500 for a bug, and what reaches the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from ketinteract.service.outcome import MAX_BODY_BYTES
from tests.fhir_factories import done_when_request

from .conftest import Running

SIGN = "/cds-services/ketinteract-order-sign"


def test_body_over_the_limit_is_413_by_content_length(client: httpx.Client) -> None:
    response = client.post(SIGN, content=b" " * (MAX_BODY_BYTES + 1), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["issue"][0]["code"] == "too-long"
    assert str(MAX_BODY_BYTES) in response.json()["issue"][0]["diagnostics"]


def test_body_over_the_limit_is_413_when_streamed_without_a_length(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(17):
            yield b" " * 65536

    response = client.post(SIGN, content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_body_just_under_the_limit_is_read(client: httpx.Client) -> None:
    body = httpx.Request("POST", "/", json=done_when_request()).content
    padded = body + b" " * (MAX_BODY_BYTES - len(body))
    assert len(padded) == MAX_BODY_BYTES
    assert client.post(SIGN, content=padded, headers={"content-type": "application/json"}).status_code == 200


def test_a_bug_is_a_json_500_without_a_traceback(
    service: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import ketinteract.service.app as app_module

    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(app_module, "respond", broken)
    with caplog.at_level(logging.INFO, logger="ketinteract.service"):
        response = service.client.post(SIGN, json=done_when_request())
    assert response.status_code == 500
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "boom" not in response.text and "Traceback" not in response.text
    assert "internal error (ZeroDivisionError)" in caplog.text
    assert not any(r.exc_info for r in caplog.records), "no traceback in the log"


def test_the_log_names_no_medication_and_no_query(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ketinteract.service"):
        client.post(SIGN, json=done_when_request())
        client.get("/check", params=[("drug", "Ativan"), ("drug", "ketamine")])
        client.post(SIGN, content=b"{not json")
    assert "POST /cds-services/ketinteract-order-sign 200" in caplog.text
    assert "GET /check 200" in caplog.text
    for private in ("Ativan", "Ketamine", "Vivitrol", "naltrexone", "lorazepam", "drug="):
        assert private not in caplog.text
