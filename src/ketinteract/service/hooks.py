"""CDS Hooks 2.0: the services this server offers, reading a hook request into draft and current
medications, and the cards it answers with.

Cards come from :func:`ketinteract.render.cds_hooks.to_response`, so severity mapping, summaries, sources
and links are the same as ``ketinteract check --format cds-hooks``. Pure functions over JSON values:
the web framework lives in :mod:`ketinteract.service.app`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ketinteract.compiled import CompiledIndex
from ketinteract.fhir_input import (
    MEDICATION_USES,
    FhirInputError,
    FhirMedication,
    MedicationMatch,
    match_medication,
    read_medications,
)
from ketinteract.medlist import check_lists
from ketinteract.render import CardPolicy, RenderOptions
from ketinteract.render.cds_hooks import card, to_response
from ketinteract.results import CheckResult
from ketinteract.service.outcome import MAX_MEDICATIONS, ServiceError

PREFETCH = {
    "medicationRequests": (
        "MedicationRequest?patient={{context.patientId}}&status=active&_include=MedicationRequest:medication"
    ),
    "medicationStatements": (
        "MedicationStatement?patient={{context.patientId}}&status=active&_include=MedicationStatement:medication"
    ),
}
"""What the service asks the client to prefetch: the patient's active medications, with the Medication
resources they reference (so coded medications match by code)."""

AMONG_CURRENT_EXTENSION = "com.ketinteract.among-current"
"""Request extension (``"extension": {"com.ketinteract.among-current": true}``): also answer pairs among
current medications alone, which are left out by default because they are not what is being ordered."""
CARDS_EXTENSION = "com.ketinteract.cards"
"""Request extension (``"extension": {"com.ketinteract.cards": "all"}``): a card for every finding, as
``check --format cds-hooks --cards all``; by default (``"actionable"``) findings of no effect, no action
needed or severity none make no card. Cards for unmatched medications and pairs without a record are
always sent."""
CARD_POLICIES: tuple[CardPolicy, ...] = ("actionable", "all")

DRAFT_TYPES = frozenset({"MedicationRequest", "Medication"})
CURRENT_TYPES = MEDICATION_USES | {"Medication"}


@dataclass(frozen=True)
class HookService:
    id: str
    hook: str
    title: str
    description: str

    def discovery(self) -> dict[str, Any]:
        return {
            "hook": self.hook,
            "title": self.title,
            "description": self.description,
            "id": self.id,
            "prefetch": dict(PREFETCH),
        }


SERVICES = {
    s.id: s
    for s in (
        HookService(
            "ketinteract-order-sign",
            "order-sign",
            "ketinteract: interactions of the orders being signed",
            "Evidence-graded interactions between each draft medication order and the other draft orders and "
            "the patient's current medications (ketamine, opioid-receptor drugs and ketamine's other common "
            "interactions). Medications it cannot match are named on a card, never passed over.",
        ),
        HookService(
            "ketinteract-order-select",
            "order-select",
            "ketinteract: interactions of the selected orders",
            "Evidence-graded interactions between the newly selected medication orders and the other draft "
            "orders and the patient's current medications. Medications it cannot match are named on a card.",
        ),
    )
}


@dataclass
class HookInput:
    """A hook request, read: which medications are new (being ordered) and which the patient takes."""

    new: list[FhirMedication]
    current: list[FhirMedication]
    missing: list[str] = field(default_factory=list)
    """Prefetch keys the client did not supply: those medications were not checked."""
    among_current: bool = False
    cards: CardPolicy = "actionable"


def _invalid(message: str, expression: str | None = None) -> ServiceError:
    return ServiceError(400, "invalid", message, expression)


def _read(document: Any, where: str, accept: frozenset[str]) -> list[FhirMedication]:
    if isinstance(document, list):  # the older medication hooks sent a plain array of resources
        document = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in document]}
    try:
        return read_medications(document, where, accept=accept, strict=True).medications
    except FhirInputError as error:
        raise _invalid(error.message, error.where) from None


def _split_selected(drafts: list[FhirMedication], selections: Any) -> tuple[list[FhirMedication], list[FhirMedication]]:
    """order-select: the selected orders are new; the other drafts are checked against them like current
    medications. Selections that name no draft fall back to every draft being new (more cards, never
    fewer)."""
    if not isinstance(selections, list) or not all(isinstance(s, str) for s in selections):
        raise _invalid("context.selections must be an array of strings", "context.selections")
    chosen = set(selections)
    selected = [d for d in drafts if d.ref in chosen]
    if not selected:
        return drafts, []
    return selected, [d for d in drafts if d.ref not in chosen]


def read_hook(
    service: HookService, body: Any, *, among_current: bool = False, cards: CardPolicy = "actionable"
) -> HookInput:
    """Check the request's shape and read its medications; raises :class:`ServiceError` (4xx)."""
    if not isinstance(body, dict):
        raise _invalid("the request body must be a JSON object (a CDS Hooks request)")
    hook = body.get("hook")
    if not isinstance(hook, str):
        raise _invalid("hook is required (a string)", "hook")
    if hook != service.hook:
        raise _invalid(f"service {service.id} answers the {service.hook} hook, not {hook[:60]!r}", "hook")
    if not isinstance(body.get("hookInstance"), str) or not body["hookInstance"]:
        raise _invalid("hookInstance is required (a string)", "hookInstance")
    context = body.get("context")
    if not isinstance(context, dict):
        raise _invalid("context is required (a JSON object)", "context")
    where, drafts_raw = "context.draftOrders", context.get("draftOrders")
    if drafts_raw is None and service.hook == "order-select" and context.get("medications") is not None:
        where, drafts_raw = "context.medications", context["medications"]
    if drafts_raw is None:
        raise ServiceError(400, "required", f"{where} is required (a Bundle of draft orders)", where)
    drafts = _read(drafts_raw, where, DRAFT_TYPES)
    new = drafts
    current: list[FhirMedication] = []
    if service.hook == "order-select" and context.get("selections") is not None:
        new, current = _split_selected(drafts, context["selections"])
    prefetch = body.get("prefetch")
    if prefetch is not None and not isinstance(prefetch, dict):
        raise _invalid("prefetch must be a JSON object", "prefetch")
    prefetch = prefetch or {}
    missing = [key for key in PREFETCH if key not in prefetch]
    if len(missing) == len(PREFETCH):
        # The spec's answer when a service lacks data it needs: it does not call FHIR servers itself.
        raise ServiceError(
            412,
            "required",
            "prefetch must hold medicationRequests or medicationStatements (null when the patient has none); "
            "this service does not query FHIR servers, and without current medications it would answer "
            "for the draft orders alone",
            "prefetch",
        )
    for key in PREFETCH:
        if prefetch.get(key) is not None:
            current += _read(prefetch[key], f"prefetch.{key}", CURRENT_TYPES)
    if len(new) + len(current) > MAX_MEDICATIONS:
        raise ServiceError(
            413, "too-costly", f"at most {MAX_MEDICATIONS} medications per request; got {len(new) + len(current)}"
        )
    extension = body.get("extension")
    if extension is not None and not isinstance(extension, dict):
        raise _invalid("extension must be a JSON object", "extension")
    extension = extension or {}
    asked = among_current or extension.get(AMONG_CURRENT_EXTENSION) is True
    policy = extension.get(CARDS_EXTENSION, cards)
    if policy not in CARD_POLICIES:
        where = f"extension.{CARDS_EXTENSION}"
        raise _invalid(f"{where} must be one of: {', '.join(CARD_POLICIES)}", where)
    return HookInput(new, current, missing, asked, policy)


def request_texts(medications: Sequence[FhirMedication]) -> set[str]:
    """Every string of a request that reaches the name resolver (so it can be forgotten afterwards)."""
    texts: set[str] = set()
    for med in medications:
        texts.add(med.label)
        for concept in (med.concept, *med.ingredients):
            if concept is not None:
                texts |= {t for t in (concept.text, concept.label(), *(c.display for c in concept.codings)) if t}
    return texts


def _missing_card(result: CheckResult, missing: list[str]) -> dict[str, Any]:
    return card(
        result,
        f"Not checked against current medications from: {', '.join(missing)} (not supplied)",
        "warning",
        f"The client did not prefetch {' or '.join(missing)}, so interactions with those medications were "
        "not checked. This is not evidence that the order is safe.",
        [],
    )


def respond(index: CompiledIndex, hook: HookInput) -> tuple[dict[str, Any], list[MedicationMatch]]:
    """The CDS Hooks response (``{"cards": [...]}``) and the matches it was built from (for logging)."""
    if not hook.new and not hook.among_current:
        return {"cards": []}, []  # nothing is being ordered that carries a medication
    new = [match_medication(index, m) for m in hook.new]
    current = [match_medication(index, m) for m in hook.current]
    result = check_lists(index, new, current, among_current=hook.among_current).model()
    response = to_response(result, RenderOptions(cards=hook.cards))
    if hook.missing:
        response["cards"].append(_missing_card(result, hook.missing))
    return response, [*new, *current]
