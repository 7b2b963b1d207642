"""Pydantic models of the service's requests and responses, for the OpenAPI document at /openapi.json
and for checking feedback. Hook requests are read by :mod:`ketinteract.service.hooks` (FHIR content is
checked there, with JSON locations in every error); these models describe their outer shape."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    # CDS Hooks reserves "extension" and lets clients add fields; unknown keys are accepted.
    model_config = ConfigDict(extra="allow")


class HookRequest(_Open):
    hook: str = Field(description="order-sign or order-select, matching the service called.")
    hookInstance: str = Field(description="A UUID for this hook call.")
    fhirServer: str | None = Field(default=None, description="Ignored: the service never calls FHIR servers.")
    fhirAuthorization: dict[str, Any] | None = Field(default=None, description="Ignored and never logged.")
    context: dict[str, Any] = Field(
        description="userId, patientId and draftOrders (a Bundle of draft MedicationRequests); for "
        "order-select also selections."
    )
    prefetch: dict[str, Any] | None = Field(
        default=None,
        description="medicationRequests and/or medicationStatements: searchset Bundles, or null when the "
        "patient has none. Without either key the service answers 412.",
    )
    extension: dict[str, Any] | None = Field(
        default=None,
        description='{"com.ketinteract.among-current": true} also answers pairs among current medications.',
    )


class Source(_Open):
    label: str
    url: str | None = None


class Link(_Open):
    label: str
    url: str
    type: Literal["absolute", "smart"]


class Card(_Open):
    uuid: str
    summary: str = Field(max_length=139)
    indicator: Literal["info", "warning", "critical"]
    detail: str | None = None
    source: Source
    links: list[Link] | None = None


class CardsResponse(_Open):
    cards: list[Card]


class ServiceEntry(_Open):
    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str]


class Discovery(_Open):
    services: list[ServiceEntry]


class Feedback(_Open):
    card: str = Field(description="The card's uuid.")
    outcome: Literal["accepted", "overridden"]
    outcomeTimestamp: str
    acceptedSuggestions: list[dict[str, Any]] | None = None
    overrideReason: dict[str, Any] | None = None


class FeedbackRequest(_Open):
    feedback: list[Feedback] = Field(min_length=1)


class Health(_Open):
    status: Literal["ok"]
    version: str
    table_version: str
    findings: int


class Issue(_Open):
    severity: Literal["error"]
    code: str = Field(description="A FHIR IssueType code: invalid, structure, required, not-found, too-long ...")
    diagnostics: str
    expression: list[str] | None = Field(default=None, description="Where in the request, as a JSON path.")


class OperationOutcome(_Open):
    resourceType: Literal["OperationOutcome"]
    issue: list[Issue]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": OperationOutcome, "description": text}
    for status, text in {
        400: "Malformed JSON, a missing field or a wrong resource type",
        404: "No service with this id",
        412: "No current medications were prefetched",
        413: "The body is over 1 MiB, or there are too many medications",
    }.items()
}

REF = "#/components/schemas/{model}"


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """An ``openapi_extra`` request body for a handler that reads its body itself (so it can answer 404
    for an unknown service before reading, and 400 with a JSON location after)."""
    schema = model.model_json_schema(ref_template=REF)
    schema.pop("$defs", None)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def components() -> dict[str, Any]:
    """Schemas that request bodies refer to, for the OpenAPI document's components."""
    found: dict[str, Any] = {}
    for model in (HookRequest, FeedbackRequest):
        schema = model.model_json_schema(ref_template=REF)
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    return found
