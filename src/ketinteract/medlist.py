"""Checking medication lists in which some medications are new (draft orders) and the rest are what the
patient already takes: only pairs that involve a new medication are answered, unless asked for all.

Built from the query's own pieces (``fold_names``, ``assemble``), so a pair's answer, the duplicates and
the document are exactly what ``ketinteract check`` gives for the same medications.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ketinteract.compiled import CompiledIndex
from ketinteract.enums import Route, Severity
from ketinteract.fhir_input import MedicationMatch
from ketinteract.query import CheckAnswer, assemble, fold_names, validate_contexts


def check_lists(
    index: CompiledIndex,
    new: Sequence[MedicationMatch],
    current: Sequence[MedicationMatch] = (),
    *,
    among_current: bool = False,
    contexts: Sequence[str] = (),
    route: Route | None = None,
    min_severity: Severity | None = None,
) -> CheckAnswer:
    """Pairs between a new medication and any other, regimen warnings that involve a new medication,
    and every medication that matched nothing (as ``unresolved``, once per text, so a miss is never
    read as "no interaction"). ``among_current`` also answers pairs among current medications alone."""
    if contexts:
        validate_contexts(index, contexts)
    answers: list[tuple[str, list[dict[str, Any]] | dict[str, Any]]] = []
    missed: set[str] = set()
    for match in (*new, *current):
        for miss in match.unresolved:
            if miss["input"] not in missed:
                missed.add(miss["input"])
                answers.append((miss["input"], miss))
        # One answer per text, as the resolver gives it: a combination product's ingredients share their
        # input, so they stay one medicine and are never paired with each other.
        by_input: dict[str, list[dict[str, Any]]] = {}
        for drug in match.drugs:
            by_input.setdefault(drug["input"], []).append(drug)
        answers += by_input.items()
    folded = fold_names(answers)
    new_ids = {d["id"] for match in new for d in match.drugs}
    # A drug met first among current medications and again as a new order is still new.
    involves = None if among_current else (lambda ids: bool(new_ids.intersection(ids)))
    return assemble(index, folded, contexts, route, min_severity, involves)
