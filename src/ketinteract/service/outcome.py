"""Errors the service answers with: an HTTP status and a FHIR OperationOutcome body, so a client sees
what was wrong and where, and never a traceback."""

from __future__ import annotations

from typing import Any

MAX_BODY_BYTES = 1024 * 1024
"""Largest request body accepted (1 MiB): a hook request for a patient on a hundred medications is a few
hundred KiB, and a bound keeps one client from holding the process's memory."""
MAX_MEDICATIONS = 200
"""Most medications (draft orders plus current) in one request; every one that matches nothing costs a
fuzzy search for suggestions, so the bound keeps one request's work small."""


class ServiceError(Exception):
    """A request the service cannot answer; ``code`` is a FHIR IssueType code."""

    def __init__(self, status: int, code: str, message: str, expression: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.expression = expression


def operation_outcome(code: str, message: str, expression: str | None = None) -> dict[str, Any]:
    """An OperationOutcome with one error issue (valid FHIR R4)."""
    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": message}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


ISSUE_BY_STATUS = {
    400: "invalid",
    404: "not-found",
    405: "not-supported",
    412: "required",
    413: "too-long",
    415: "not-supported",
    422: "invalid",
    500: "exception",
}
