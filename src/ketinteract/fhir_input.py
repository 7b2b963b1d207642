"""Medications from FHIR R4 JSON: a Bundle or one resource, read into plain records and matched to the
table.

Matching order for each medication: RxNorm codings (only RxCUIs the table's drugs carry: the compiled
index's code lookup, so an RxCUI or ATC code the table has not confirmed is never guessed at), then ATC
codings, then the concept's ``text`` and each coding's ``display`` through the same name resolver as
``ketinteract check``. ``medicationReference`` is followed to a contained Medication (``#id``) or to one
in the same Bundle (by ``fullUrl`` or ``Medication/id``). A medication that matches nothing is kept,
by its text, as unresolved: it is never dropped, so no answer can look complete when it is not.

A library module: no web stack, no CLI. The service and ``ketinteract check --fhir`` both use it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ketinteract.compiled import CompiledIndex
from ketinteract.errors import UsageError
from ketinteract.query import resolve_name, resolved_entry

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"

SYSTEM_ALIASES: Mapping[str, str] = {
    RXNORM: RXNORM,
    "urn:oid:2.16.840.1.113883.6.88": RXNORM,
    ATC: ATC,
    "urn:oid:2.16.840.1.113883.6.73": ATC,
}
"""Coding systems by every spelling FHIR servers send for them (canonical URL and HL7 OID)."""

SYSTEM_NAMES: Mapping[str, str] = {RXNORM: "RxNorm", ATC: "ATC"}
STORED_SYSTEM: Mapping[str, str] = {RXNORM: "rxcui", ATC: "atc"}
"""The compiled index's name for the codes of each system (``CompiledIndex.code``)."""

MEDICATION_USES = frozenset(
    {"MedicationRequest", "MedicationStatement", "MedicationAdministration", "MedicationDispense"}
)
"""Resources that say a patient takes, is given or is ordered a medication."""
ALL_TYPES = MEDICATION_USES | {"Medication", "List"}
NOT_MEDICATIONS = frozenset(
    {
        "ServiceRequest",
        "NutritionOrder",
        "DeviceRequest",
        "VisionPrescription",
        "CommunicationRequest",
        "SupplyRequest",
        "OperationOutcome",
    }
)
"""Orders that carry no medication (a CDS Hooks draftOrders Bundle may hold them) and search outcomes:
skipped without complaint, since there is nothing in them to check."""

LABEL_LIMIT = 200


class FhirInputError(UsageError):
    """A document that cannot be read as medications; the message names the JSON location, never the
    medication text (messages may be logged)."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Coding:
    system: str | None
    code: str | None
    display: str | None


@dataclass(frozen=True)
class Concept:
    """A CodeableConcept, checked for shape."""

    text: str | None
    codings: tuple[Coding, ...]

    def label(self) -> str | None:
        if self.text:
            return self.text
        for coding in self.codings:
            if coding.display:
                return coding.display
        for coding in self.codings:
            if coding.code:
                system = canonical_system(coding.system or "")
                return f"{SYSTEM_NAMES.get(system or '', coding.system or 'code')} {coding.code}"
        return None


@dataclass(frozen=True)
class FhirMedication:
    """One medication found in a document, before matching."""

    label: str
    """What a person would call it: the text, a display, a code, or the resource it came from."""
    ref: str | None
    """``ResourceType/id`` of the resource it came from, when the resource has an id."""
    concept: Concept | None
    ingredients: tuple[Concept, ...] = ()
    """A Medication's ingredients, tried when its code matches nothing (compounded or combination)."""


@dataclass
class MedicationList:
    medications: list[FhirMedication] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Resources left out on purpose (entered in error, not taken), as ``Type/id (status ...)``."""
    ignored: Counter[str] = field(default_factory=Counter)
    """Resources that are not medications, by type (a whole-record export holds many)."""


@dataclass(frozen=True)
class MedicationMatch:
    medication: FhirMedication
    drugs: tuple[dict[str, Any], ...]
    """Resolved entries, as in the check contract's ``drugs``."""
    unresolved: tuple[dict[str, Any], ...]
    """Unresolved entries, as in the contract's ``unresolved`` (``input`` is the medication's label)."""


def canonical_system(system: str) -> str | None:
    """The canonical URL of a supported coding system, or None for any other system."""
    return SYSTEM_ALIASES.get(system.strip().rstrip("/"))


def normalise_code(system: str, code: str) -> str:
    # ATC codes are upper-case by definition; exporters sometimes lower-case them.
    code = code.strip()
    return code.upper() if system == ATC else code


def drug_for_code(index: CompiledIndex, system: str, code: str) -> str | None:
    """The table drug a coding names, or None when the system is not RxNorm/ATC or the table does not
    carry that code for that system (an RxNorm coding never matches an ATC code, nor the reverse)."""
    canonical = canonical_system(system)
    if canonical is None:
        return None
    found = index.code(normalise_code(canonical, code))
    return found[0] if found is not None and found[1] == STORED_SYSTEM[canonical] else None


def _str(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FhirInputError(where, "must be a string")
    return value.strip() or None


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FhirInputError(where, "must be a JSON object")
    return value


def _array(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FhirInputError(where, "must be a JSON array")
    return value


def read_concept(value: Any, where: str) -> Concept:
    concept = _obj(value, where)
    codings = []
    for i, raw in enumerate(_array(concept.get("coding"), f"{where}.coding")):
        at = f"{where}.coding[{i}]"
        coding = _obj(raw, at)
        codings.append(
            Coding(
                _str(coding.get("system"), f"{at}.system"),
                _str(coding.get("code"), f"{at}.code"),
                _str(coding.get("display"), f"{at}.display"),
            )
        )
    return Concept(_str(concept.get("text"), f"{where}.text"), tuple(codings))


def _type_of(resource: Any, where: str) -> str:
    kind = _obj(resource, where).get("resourceType")
    if not isinstance(kind, str) or not kind:
        raise FhirInputError(where, "has no resourceType")
    return kind


def _describe(resource: dict[str, Any]) -> str:
    rid = resource.get("id")
    kind = str(resource.get("resourceType"))
    return f"{kind}/{rid}" if isinstance(rid, str) and rid else kind


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


class _Reader:
    def __init__(self, accept: frozenset[str], strict: bool) -> None:
        self.accept = accept
        self.strict = strict
        self.out = MedicationList()
        self.targets: dict[str, dict[str, Any]] = {}
        self.used: set[int] = set()
        """Resources already read, by identity: a Medication a request points to, or a statement a
        List points to, is one medication, not two."""

    def document(self, document: Any, where: str) -> MedicationList:
        kind = _type_of(document, where)
        if kind == "Bundle":
            self.bundle(document, where)
        elif kind in self.accept:
            self.resource(document, where, {})
        else:
            expected = ", ".join(sorted({"Bundle", *self.accept}))
            raise FhirInputError(where, f"resourceType {kind!r} is not accepted here; expected {expected}")
        return self.out

    def bundle(self, bundle: dict[str, Any], where: str) -> None:
        resources: list[tuple[str, dict[str, Any]]] = []
        for i, raw in enumerate(_array(bundle.get("entry"), f"{where}.entry")):
            at = f"{where}.entry[{i}]"
            entry = _obj(raw, at)
            if entry.get("resource") is None:
                continue  # a search or history entry without a resource carries no medication
            resource = _obj(entry["resource"], f"{at}.resource")
            kind = _type_of(resource, f"{at}.resource")
            full_url = _str(entry.get("fullUrl"), f"{at}.fullUrl")
            if full_url:
                self.targets[full_url] = resource
            if isinstance(resource.get("id"), str):
                self.targets[f"{kind}/{resource['id']}"] = resource
            resources.append((f"{at}.resource", resource))
        # Requests and statements first, so the Medications they point to are known to be used.
        for at, resource in sorted(resources, key=lambda r: r[1]["resourceType"] in {"Medication", "List"}):
            self.resource(resource, at, self.targets)

    def resource(self, resource: dict[str, Any], where: str, targets: Mapping[str, dict[str, Any]]) -> None:
        kind = _type_of(resource, where)
        if id(resource) in self.used:
            return
        if kind in NOT_MEDICATIONS or (kind not in self.accept and not self.strict):
            self.out.ignored[kind] += 1
            return
        if kind not in self.accept:
            expected = ", ".join(sorted(self.accept))
            raise FhirInputError(where, f"resourceType {kind!r} is not accepted here; expected {expected}")
        self.used.add(id(resource))
        if kind == "List":
            self.list_items(resource, where, targets)
        elif kind == "Medication":
            self.out.medications.append(self.medication(resource, where, _describe(resource)))
        else:
            found = self.use(resource, where, targets)
            if found is not None:
                self.out.medications.append(found)

    def use(self, resource: dict[str, Any], where: str, targets: Mapping[str, dict[str, Any]]) -> FhirMedication | None:
        kind, ref = resource["resourceType"], _describe(resource)
        status = _str(resource.get("status"), f"{where}.status")
        if status == "entered-in-error" or (kind == "MedicationStatement" and status == "not-taken"):
            self.out.skipped.append(f"{ref} (status {status})")
            return None
        concept_raw = resource.get("medicationCodeableConcept")
        reference_raw = resource.get("medicationReference")
        at_concept, at_reference = f"{where}.medicationCodeableConcept", f"{where}.medicationReference"
        if isinstance(resource.get("medication"), dict):  # R5: one CodeableReference
            r5 = resource["medication"]
            concept_raw, reference_raw = r5.get("concept"), r5.get("reference")
            at_concept, at_reference = f"{where}.medication.concept", f"{where}.medication.reference"
        if concept_raw is not None:
            concept = read_concept(concept_raw, at_concept)
            return FhirMedication(_short(concept.label() or ref), ref, concept)
        if reference_raw is not None:
            reference = _obj(reference_raw, at_reference)
            target_ref = _str(reference.get("reference"), f"{at_reference}.reference")
            display = _str(reference.get("display"), f"{at_reference}.display")
            target = self.follow(target_ref, resource, where, targets)
            if target is not None and target["resourceType"] == "Medication":
                self.used.add(id(target))
                return self.medication(target, f"{at_reference} -> {target_ref}", ref, display)
            named = Concept(display, ()) if display else None
            return FhirMedication(_short(display or target_ref or f"{ref} (unresolved reference)"), ref, named)
        return FhirMedication(f"{ref} (no medication given)", ref, None)

    def follow(
        self, target: str | None, resource: dict[str, Any], where: str, targets: Mapping[str, dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The resource a reference points to: contained (``#id``) or in the same Bundle."""
        if not target:
            return None
        if target.startswith("#"):
            for i, raw in enumerate(_array(resource.get("contained"), f"{where}.contained")):
                contained = _obj(raw, f"{where}.contained[{i}]")
                if contained.get("id") == target[1:]:
                    _type_of(contained, f"{where}.contained[{i}]")
                    return contained
            return None
        found = targets.get(target)
        if found is None and "/Medication/" in target:  # an absolute URL to a Medication in this Bundle
            found = targets.get("Medication/" + target.rsplit("/Medication/", 1)[1])
        return found

    def medication(
        self, medication: dict[str, Any], where: str, ref: str | None, display: str | None = None
    ) -> FhirMedication:
        concept = read_concept(medication["code"], f"{where}.code") if medication.get("code") is not None else None
        ingredients = []
        for i, raw in enumerate(_array(medication.get("ingredient"), f"{where}.ingredient")):
            at = f"{where}.ingredient[{i}]"
            item = _obj(raw, at)
            if item.get("itemCodeableConcept") is not None:
                ingredients.append(read_concept(item["itemCodeableConcept"], f"{at}.itemCodeableConcept"))
            elif isinstance(item.get("item"), dict) and item["item"].get("concept") is not None:  # R5
                ingredients.append(read_concept(item["item"]["concept"], f"{at}.item.concept"))
        if concept is None and display:
            concept = Concept(display, ())
        label = (concept.label() if concept else None) or display or ref or "Medication"
        if concept is None and ingredients:
            label = " + ".join(c.label() or "ingredient" for c in ingredients)
        return FhirMedication(_short(label), ref, concept, tuple(ingredients))

    def list_items(self, resource: dict[str, Any], where: str, targets: Mapping[str, dict[str, Any]]) -> None:
        for i, raw in enumerate(_array(resource.get("entry"), f"{where}.entry")):
            at = f"{where}.entry[{i}].item"
            item = _obj(_obj(raw, f"{where}.entry[{i}]").get("item"), at)
            target_ref = _str(item.get("reference"), f"{at}.reference")
            display = _str(item.get("display"), f"{at}.display")
            target = self.follow(target_ref, resource, where, targets)
            if target is not None:
                self.resource(target, f"{at} -> {target_ref}", targets)
            else:
                # An item we cannot follow is still a medication someone listed: keep it by its text.
                label = display or target_ref or f"{_describe(resource)} entry {i}"
                self.out.medications.append(
                    FhirMedication(_short(label), target_ref, Concept(display, ()) if display else None)
                )


def read_medications(
    document: Any, where: str = "$", *, accept: frozenset[str] = ALL_TYPES, strict: bool = True
) -> MedicationList:
    """The medications in a FHIR document (a Bundle or one resource of an ``accept``-ed type).

    ``strict``: any other resource type in a Bundle is an error (for hook requests); otherwise it is
    counted in ``ignored`` (for whole-record exports). Raises :class:`FhirInputError`.
    """
    return _Reader(accept, strict).document(document, where)


def _by_code(index: CompiledIndex, label: str, concept: Concept) -> list[dict[str, Any]]:
    for system in (RXNORM, ATC):
        found: list[dict[str, Any]] = []
        for coding in concept.codings:
            if not coding.code or canonical_system(coding.system or "") != system:
                continue
            drug_id = drug_for_code(index, system, coding.code)
            entity = index.entity(drug_id) if drug_id is not None else None
            if entity is not None and all(r["id"] != entity.id for r in found):
                # Recorded under the medication's label, matched by the code (rule rxcui or atc), so the
                # answer shows nothing was guessed from the text.
                code = normalise_code(system, coding.code)
                found.append(resolved_entry(entity, label, STORED_SYSTEM[system], code, None))
        if found:
            return found
    return []


def match_concept(
    index: CompiledIndex, label: str, concept: Concept
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Codes first (RxNorm, then ATC), then text and displays through the name resolver."""
    found = _by_code(index, label, concept)
    if found:
        return found, None
    names = [n for n in (concept.text, *(c.display for c in concept.codings)) if n]
    missing: dict[str, Any] = {"input": label, "suggestions": [], "suggested": []}
    for name in dict.fromkeys(names):
        answer = resolve_name(index, name)
        if isinstance(answer, list):
            return answer, None
        if not missing["suggestions"]:
            missing = answer | {"input": label}
    return [], missing


def match_medication(index: CompiledIndex, medication: FhirMedication) -> MedicationMatch:
    """What one medication is in the table; a Medication's ingredients are tried when its own code and
    names match nothing."""
    drugs: list[dict[str, Any]] = []
    missing: dict[str, Any] | None = {"input": medication.label, "suggestions": [], "suggested": []}
    if medication.concept is not None:
        drugs, missing = match_concept(index, medication.label, medication.concept)
    if not drugs and medication.ingredients:
        parts = [match_concept(index, c.label() or medication.label, c) for c in medication.ingredients]
        drugs = [d for found, _miss in parts for d in found]
        gaps = tuple(miss for _found, miss in parts if miss is not None)
        return MedicationMatch(medication, tuple(drugs), gaps)
    return MedicationMatch(medication, tuple(drugs), (missing,) if missing else ())


def medication_from_name(name: str) -> FhirMedication:
    """A typed name as a medication, so names and FHIR medications are checked together."""
    return FhirMedication(_short(name), None, Concept(name, ()))
