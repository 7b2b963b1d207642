"""Codes to drugs: only codes the table carries, one drug per code, every spelling of the two systems."""

from __future__ import annotations

from ketinteract.codes import ATC, RXNORM, canonical_system, code_map, drug_for_code
from ketinteract.models import Drug
from ketinteract.tables import open_index


def test_a_code_shared_by_two_drugs_names_neither() -> None:
    drugs = [
        Drug.model_validate({"id": "aaa", "name": "aaa", "identifiers": {"atc": ["N01AX03"]}}),
        Drug.model_validate({"id": "bbb", "name": "bbb", "identifiers": {"atc": ["N01AX03", "N02AA01"], "rxcui": "7"}}),
    ]
    assert code_map(drugs) == {ATC: {"N02AA01": "bbb"}, RXNORM: {"7": "bbb"}}


def test_systems_by_url_and_oid_others_unknown() -> None:
    assert canonical_system("http://www.whocc.no/atc/") == ATC
    assert canonical_system("urn:oid:2.16.840.1.113883.6.88") == RXNORM
    assert canonical_system("http://snomed.info/sct") is None


def test_every_bundled_atc_code_finds_its_drug() -> None:
    index = open_index(local=False, use_cache=False)
    for drug in index.drugs.values():
        for code in drug.identifiers.atc:
            assert drug_for_code(index, ATC, code.lower()) in {drug.id, None}
    assert drug_for_code(index, ATC, "N05BA06") == "lorazepam"
    assert drug_for_code(index, "http://snomed.info/sct", "N05BA06") is None
