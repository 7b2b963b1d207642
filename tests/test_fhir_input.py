"""Reading medications from FHIR (every input validated with fhir.resources R4B first) and matching them:
RxNorm only where the table confirms the RxCUI, then ATC, then text and display through the resolver."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ketinteract.compiled import CompiledIndex
from ketinteract.fhir_input import ATC as ATC_URL
from ketinteract.fhir_input import RXNORM as RXNORM_URL
from ketinteract.fhir_input import (
    FhirInputError,
    MedicationList,
    canonical_system,
    drug_for_code,
    match_medication,
    read_medications,
)
from ketinteract.index_files import open_index

from .fhir_factories import (
    ATC,
    RXNORM,
    bundle,
    coding,
    med_request,
    med_statement,
    medication,
    valid,
)

KETAMINE_RXCUI = "6130"


@pytest.fixture(scope="module")
def index() -> CompiledIndex:
    return open_index(local=False, use_cache=False)


@pytest.fixture(scope="module")
def rx_index(tmp_path_factory: pytest.TempPathFactory, bundled: dict[str, Any]) -> CompiledIndex:
    """The bundled table with ketamine's RxCUI recorded (the bundled table has not confirmed it)."""
    for drug in bundled["drugs"]:
        if drug["id"] == "ketamine":
            drug["identifiers"]["rxcui"] = KETAMINE_RXCUI
    path = tmp_path_factory.mktemp("table") / "table.json"
    path.write_text(json.dumps(bundled), encoding="utf-8")
    return open_index(path, local=False, use_cache=False)


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    from ketinteract.loader import bundled_table_path

    data: dict[str, Any] = json.loads(Path(bundled_table_path()).read_text(encoding="utf-8"))
    return data


def matched(index: CompiledIndex, document: dict[str, Any]) -> list[tuple[str, list[str], list[str]]]:
    """(label, drug ids, unresolved inputs) for each medication in ``document``."""
    found = read_medications(document)
    out = []
    for med in found.medications:
        match = match_medication(index, med)
        out.append((med.label, [d["id"] for d in match.drugs], [u["input"] for u in match.unresolved]))
    return out


def test_rxnorm_codes_match_only_rxcuis_the_table_carries(index: CompiledIndex, rx_index: CompiledIndex) -> None:
    order = med_request("k", None, coding(RXNORM, KETAMINE_RXCUI, "ketamine 50 MG/ML Injectable Solution"))
    assert drug_for_code(index, RXNORM_URL, KETAMINE_RXCUI) is None, "not confirmed in the bundled table"
    assert drug_for_code(rx_index, RXNORM_URL, KETAMINE_RXCUI) == "ketamine"
    med = read_medications(order).medications[0]
    by_code = match_medication(rx_index, med).drugs[0]
    label = "ketamine 50 MG/ML Injectable Solution"
    assert (by_code["id"], by_code["rule"], by_code["matched"], by_code["input"]) == (
        "ketamine",
        "rxcui",
        KETAMINE_RXCUI,
        label,
    )
    unconfirmed = match_medication(index, med).drugs[0]
    assert (unconfirmed["id"], unconfirmed["rule"]) == ("ketamine", "stripped"), "by its display instead"
    code_only = read_medications(med_request("c", None, coding(RXNORM, KETAMINE_RXCUI))).medications[0]
    assert [u["input"] for u in match_medication(index, code_only).unresolved] == [f"RxNorm {KETAMINE_RXCUI}"]


def test_rxnorm_comes_before_atc(rx_index: CompiledIndex) -> None:
    order = med_request("k", None, coding(ATC, "N07BB04"), coding(RXNORM, KETAMINE_RXCUI))
    assert matched(rx_index, order) == [("ATC N07BB04", ["ketamine"], [])]


def test_atc_code_alone_matches(index: CompiledIndex) -> None:
    statement = med_statement("n", None, coding(ATC, "n07bb04"))
    [match] = [match_medication(index, m) for m in read_medications(statement).medications]
    assert (match.drugs[0]["id"], match.drugs[0]["rule"], match.drugs[0]["matched"]) == ("naltrexone", "atc", "N07BB04")


def test_a_code_matches_only_under_its_own_system(index: CompiledIndex) -> None:
    """The compiled index's code lookup, read by system: an RxCUI is never taken for an ATC code, nor the
    reverse, and a code the table does not store matches nothing."""
    assert drug_for_code(index, RXNORM_URL, "7243") == "naltrexone"
    assert drug_for_code(index, ATC_URL, "7243") is None
    assert drug_for_code(index, RXNORM_URL, "N07BB04") is None
    assert drug_for_code(index, ATC_URL, " n07bb04 ") == "naltrexone"
    assert drug_for_code(index, ATC_URL, "N07BB99") is None
    assert drug_for_code(index, "http://snomed.info/sct", "N05BA06") is None
    assert drug_for_code(index, "http://www.whocc.no/atc/", "N05BA06") == "lorazepam"


def test_every_bundled_code_finds_a_drug_that_carries_it(index: CompiledIndex) -> None:
    from ketinteract.loader import bundled_table_path

    table = json.loads(Path(bundled_table_path()).read_text(encoding="utf-8"))
    carriers: dict[tuple[str, str], set[str]] = {}
    for drug in table["drugs"]:
        ids = drug.get("identifiers", {})
        for code in ids.get("atc", []):
            carriers.setdefault((ATC_URL, code.lower()), set()).add(drug["id"])
        if ids.get("rxcui"):
            carriers.setdefault((RXNORM_URL, ids["rxcui"]), set()).add(drug["id"])
    assert carriers
    for (system, code), owners in carriers.items():
        assert drug_for_code(index, system, code) in owners, (system, code)


def test_systems_by_url_and_oid_others_unknown() -> None:
    assert canonical_system("http://www.whocc.no/atc/") == ATC_URL
    assert canonical_system("urn:oid:2.16.840.1.113883.6.88") == RXNORM_URL
    assert canonical_system("http://snomed.info/sct") is None


def test_codes_by_oid_are_understood(index: CompiledIndex) -> None:
    order = med_request("n", None, coding("urn:oid:2.16.840.1.113883.6.73", "N07BB04"))
    assert matched(index, order)[0][1] == ["naltrexone"]


def test_text_then_display_through_the_resolver(index: CompiledIndex) -> None:
    by_text = med_request("a", "Ativan 1 mg tablet", coding("http://example.org/local", "77"))
    by_display = med_request("b", "Hausmischung", coding("http://example.org/local", "78", "Ketalar 10 mg/mL"))
    assert matched(index, bundle(by_text, by_display)) == [
        ("Ativan 1 mg tablet", ["lorazepam"], []),
        ("Hausmischung", ["ketamine"], []),
    ]


def test_combination_products_expand(index: CompiledIndex) -> None:
    assert matched(index, med_request("s", "Suboxone 8 mg/2 mg film"))[0][1] == ["buprenorphine", "naloxone"]


def test_unmatched_medications_are_kept_by_their_text(index: CompiledIndex) -> None:
    document = bundle(
        med_request("x", "Zorbexamine 5 mg tablet"),
        med_request("y", None, coding(ATC, "A99ZZ99", "Unknownium")),
        med_request("z", None, coding("http://example.org/local", "12")),
    )
    assert matched(index, document) == [
        ("Zorbexamine 5 mg tablet", [], ["Zorbexamine 5 mg tablet"]),
        ("Unknownium", [], ["Unknownium"]),
        ("http://example.org/local 12", [], ["http://example.org/local 12"]),
    ]


def test_references_to_contained_and_bundled_medications(index: CompiledIndex) -> None:
    contained = med_request("c", reference="#m", contained=[medication("m", "Vivitrol", coding(ATC, "N07BB04"))])
    by_url = med_request("u", reference="urn:uuid:1b6cf0c6-5f4e-4c8c-8fd9-2c1f5b7d9f10")
    by_id = med_statement("i", reference="Medication/lor")
    document = valid(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [
                {"resource": contained},
                {"resource": by_url},
                {"fullUrl": "urn:uuid:1b6cf0c6-5f4e-4c8c-8fd9-2c1f5b7d9f10", "resource": medication("k", "Ketalar")},
                {"resource": by_id},
                {"resource": medication("lor", None, coding(ATC, "N05BA06", "lorazepam"))},
            ],
        }
    )
    assert [ids for _label, ids, _miss in matched(index, document)] == [["naltrexone"], ["ketamine"], ["lorazepam"]]


def test_an_unresolvable_reference_is_reported_by_its_display(index: CompiledIndex) -> None:
    by_display = med_request("a", reference="Medication/elsewhere", display="Ativan 1 mg")
    bare = med_request("b", reference="Medication/gone")
    assert matched(index, bundle(by_display, bare)) == [
        ("Ativan 1 mg", ["lorazepam"], []),
        ("Medication/gone", [], ["Medication/gone"]),
    ]


def test_a_list_of_statements_counts_each_medication_once(index: CompiledIndex) -> None:
    statements = [med_statement("s1", "lorazepam"), med_statement("s2", "naltrexone")]
    listing = valid(
        {
            "resourceType": "List",
            "id": "meds",
            "status": "current",
            "mode": "snapshot",
            "entry": [
                {"item": {"reference": "MedicationStatement/s1"}},
                {"item": {"reference": "MedicationStatement/s2"}},
                {"item": {"display": "Fentanyl patch 25 mcg/h"}},
            ],
        }
    )
    found = matched(index, bundle(listing, *statements))
    assert sorted(ids[0] for _label, ids, _miss in found) == ["fentanyl", "lorazepam", "naltrexone"]


def test_single_resources_are_read(index: CompiledIndex) -> None:
    assert matched(index, medication("m", "Narcan 4 mg nasal spray"))[0][1] == ["naloxone"]
    assert matched(index, med_statement("s", "methadone"))[0][1] == ["methadone"]


def test_entered_in_error_and_not_taken_are_skipped_and_said(index: CompiledIndex) -> None:
    found = read_medications(
        bundle(
            med_request("a", "lorazepam", status="entered-in-error"),
            med_statement("b", "naltrexone", status="not-taken"),
            med_statement("c", "ketamine", status="stopped"),
        )
    )
    assert [m.label for m in found.medications] == ["ketamine"]
    assert found.skipped == [
        "MedicationRequest/a (status entered-in-error)",
        "MedicationStatement/b (status not-taken)",
    ]


def test_other_resources_are_errors_when_strict_and_counted_otherwise() -> None:
    patient = valid({"resourceType": "Patient", "id": "p"})
    observation = valid({"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "BP"}})
    document = bundle(patient, observation, med_statement("s", "lorazepam"))
    with pytest.raises(FhirInputError) as caught:
        read_medications(document)
    assert caught.value.where == "$.entry[0].resource" and "Patient" in caught.value.detail
    lenient: MedicationList = read_medications(document, strict=False)
    assert [m.label for m in lenient.medications] == ["lorazepam"]
    assert dict(lenient.ignored) == {"Patient": 1, "Observation": 1}


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ([], "$"),
        ({"id": "x"}, "$"),
        ({"resourceType": "Patient"}, "$"),
        ({"resourceType": "Bundle", "entry": {}}, "$.entry"),
        ({"resourceType": "Bundle", "entry": [{"resource": []}]}, "$.entry[0].resource"),
        ({"resourceType": "MedicationRequest", "medicationCodeableConcept": "k"}, "$.medicationCodeableConcept"),
        (
            {"resourceType": "MedicationRequest", "medicationCodeableConcept": {"coding": [3]}},
            "$.medicationCodeableConcept.coding[0]",
        ),
        (
            {"resourceType": "MedicationRequest", "medicationReference": {"reference": 5}},
            "$.medicationReference.reference",
        ),
        (
            {"resourceType": "MedicationRequest", "medicationReference": {"reference": "#m"}, "contained": [1]},
            "$.contained[0]",
        ),
        ({"resourceType": "List", "entry": [{"item": "x"}]}, "$.entry[0].item"),
    ],
)
def test_malformed_documents_name_the_location(document: Any, where: str) -> None:
    with pytest.raises(FhirInputError) as caught:
        read_medications(document)
    assert caught.value.where == where
