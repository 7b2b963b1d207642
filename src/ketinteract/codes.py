"""Medication codes to table drugs: RxNorm and ATC codes, matched only against the identifiers the table
itself carries, so an RxCUI or ATC code the table has not confirmed is never guessed at.

This is a small function over the table's drugs rather than a part of the resolver: codes come from
machines (FHIR codings), names from people, and the two lookups change for different reasons.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping

from ketinteract.index import TableIndex
from ketinteract.models import Drug

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

CodeMap = dict[str, dict[str, str]]
"""Canonical system URL -> code -> drug id."""


def canonical_system(system: str) -> str | None:
    """The canonical URL of a supported coding system, or None for any other system."""
    return SYSTEM_ALIASES.get(system.strip().rstrip("/"))


def normalise_code(system: str, code: str) -> str:
    # ATC codes are upper-case by definition; exporters sometimes lower-case them.
    code = code.strip()
    return code.upper() if system == ATC else code


def code_map(drugs: Iterable[Drug]) -> CodeMap:
    """Every RxCUI and ATC code the table gives its drugs. A code that two drugs share names neither
    for certain, so it is left out and such a medication falls through to its name."""
    seen: dict[tuple[str, str], set[str]] = {}
    for drug in drugs:
        ids = drug.identifiers
        pairs = [(RXNORM, ids.rxcui)] if ids.rxcui else []
        pairs += [(ATC, code) for code in ids.atc]
        for system, code in pairs:
            seen.setdefault((system, normalise_code(system, code)), set()).add(drug.id)
    result: CodeMap = {RXNORM: {}, ATC: {}}
    for (system, code), owners in seen.items():
        if len(owners) == 1:
            result[system][code] = next(iter(owners))
    return result


# One map per loaded index, dropped with it; the map holds table vocabulary only, never request data.
_MAPS: weakref.WeakKeyDictionary[TableIndex, CodeMap] = weakref.WeakKeyDictionary()


def drug_for_code(index: TableIndex, system: str, code: str) -> str | None:
    """The table drug a coding names, or None when the system is not RxNorm/ATC or the table does not
    carry that code."""
    canonical = canonical_system(system)
    if canonical is None:
        return None
    mapping = _MAPS.get(index)
    if mapping is None:
        mapping = _MAPS[index] = code_map(index.drugs.values())
    return mapping[canonical].get(normalise_code(canonical, code))
