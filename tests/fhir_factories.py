"""FHIR R4 resources and CDS Hooks requests for tests, each checked against the fhir.resources R4B models
so no test passes on input a real EHR could not send."""

from __future__ import annotations

import uuid
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
PATIENT = {"reference": "Patient/example"}


def valid(resource: dict[str, Any]) -> dict[str, Any]:
    """``resource``, after checking it is valid FHIR R4B."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(text: str | None = None, *codings: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if text:
        found["text"] = text
    if codings:
        found["coding"] = list(codings)
    return found


def _medication_use(
    kind: str,
    rid: str,
    status: str,
    text: str | None,
    codings: tuple[dict[str, Any], ...],
    reference: str | None,
    display: str | None,
    contained: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": kind, "id": rid, "status": status, "subject": PATIENT}
    if kind == "MedicationRequest":
        resource["intent"] = "order"
    if contained:
        resource["contained"] = contained
    if reference is not None or display is not None:
        ref: dict[str, Any] = {}
        if reference:
            ref["reference"] = reference
        if display:
            ref["display"] = display
        resource["medicationReference"] = ref
    else:
        resource["medicationCodeableConcept"] = concept(text, *codings)
    return valid(resource)


def med_request(
    rid: str,
    text: str | None = None,
    *codings: dict[str, Any],
    status: str = "active",
    reference: str | None = None,
    display: str | None = None,
    contained: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return _medication_use("MedicationRequest", rid, status, text, codings, reference, display, contained)


def draft(rid: str, text: str | None = None, *codings: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return med_request(rid, text, *codings, status="draft", **kwargs)


def med_statement(
    rid: str,
    text: str | None = None,
    *codings: dict[str, Any],
    status: str = "active",
    reference: str | None = None,
    display: str | None = None,
) -> dict[str, Any]:
    return _medication_use("MedicationStatement", rid, status, text, codings, reference, display, None)


def medication(rid: str, text: str | None = None, *codings: dict[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Medication", "id": rid}
    if text or codings:
        resource["code"] = concept(text, *codings)
    return valid(resource)


def bundle(*resources: dict[str, Any], kind: str = "collection", full_urls: bool = False) -> dict[str, Any]:
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {"resource": resource}
        if full_urls:
            entry["fullUrl"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, resource['resourceType'] + resource['id'])}"
        entries.append(entry)
    return valid({"resourceType": "Bundle", "type": kind, "entry": entries})


def hook_request(
    hook: str,
    drafts: list[dict[str, Any]],
    requests: list[dict[str, Any]] | None = None,
    statements: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A CDS Hooks 2.0 request; ``None`` for a prefetch list sends null (the patient has none)."""
    context: dict[str, Any] = {"userId": "Practitioner/example", "patientId": "example"}
    context["draftOrders"] = bundle(*drafts)
    prefetch = {
        "medicationRequests": bundle(*requests, kind="searchset") if requests else None,
        "medicationStatements": bundle(*statements, kind="searchset") if statements else None,
    }
    body: dict[str, Any] = {"hook": hook, "hookInstance": str(uuid.uuid4()), "context": context, "prefetch": prefetch}
    body.update(extra)
    return body


def done_when_request() -> dict[str, Any]:
    """The issue's acceptance case: ketamine ordered by text; naltrexone (Vivitrol, ATC-coded) and
    "Ativan 1 mg tablet" in the prefetch."""
    vivitrol = medication("vivitrol", "Vivitrol", coding(ATC, "N07BB04", "naltrexone"))
    return hook_request(
        "order-sign",
        [draft("ketamine-order", "Ketamine hydrochloride 50 mg/mL injection")],
        requests=[
            med_request("naltrexone-rx", reference="#vivitrol", contained=[vivitrol]),
            med_request("ativan-rx", "Ativan 1 mg tablet"),
        ],
    )
