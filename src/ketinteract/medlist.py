"""Checking medication lists in which some medications are new (draft orders) and the rest are what the
patient already takes: only pairs that involve a new medication are answered, unless asked for all.

Built from the query's public pieces (``pair_out``, ``regimen_warnings``), so a pair's answer is the
same as ``ketinteract check`` gives for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ketinteract.enums import Route, Severity
from ketinteract.fhir_input import MedicationMatch
from ketinteract.index import TableIndex
from ketinteract.query import pair_out, regimen_warnings, validate_contexts
from ketinteract.results import CheckResult, DuplicateName, Filters, ResolvedName, UnresolvedName


def check_lists(
    index: TableIndex,
    new: Sequence[MedicationMatch],
    current: Sequence[MedicationMatch] = (),
    *,
    among_current: bool = False,
    contexts: Sequence[str] = (),
    route: Route | None = None,
    min_severity: Severity | None = None,
) -> CheckResult:
    """Pairs between a new medication and any other, regimen warnings that involve a new medication,
    and every medication that matched nothing (as ``unresolved``, so a miss is never read as "no
    interaction"). ``among_current`` also answers pairs among current medications alone."""
    validate_contexts(index, contexts)
    drugs: list[ResolvedName] = []
    duplicates: list[DuplicateName] = []
    unresolved: dict[str, UnresolvedName] = {}
    first_input: dict[str, str] = {}
    new_ids: set[str] = set()
    for is_new, matches in ((True, new), (False, current)):
        for match in matches:
            for miss in match.unresolved:
                unresolved.setdefault(miss.input, miss)
            for drug in match.drugs:
                if drug.id in first_input:
                    duplicates.append(DuplicateName(input=drug.input, id=drug.id, same_as=first_input[drug.id]))
                    continue
                first_input[drug.id] = drug.input
                drugs.append(drug)
                if is_new:
                    new_ids.add(drug.id)
    ids = [d.id for d in drugs]
    wanted = [(a, b) for a, b in itertools.combinations(ids, 2) if among_current or a in new_ids or b in new_ids]
    pairs = [pair_out(index, a, b, contexts, route, min_severity) for a, b in wanted]
    warnings = [w for w in regimen_warnings(index, ids) if among_current or new_ids & set(w.drugs)]
    if min_severity is not None:
        warnings = [w for w in warnings if w.severity.rank >= min_severity.rank]
    return CheckResult(
        filters=Filters(contexts=list(contexts), route=route, min_severity=min_severity),
        drugs=drugs,
        duplicates=duplicates,
        unresolved=list(unresolved.values()),
        regimen_warnings=warnings,
        pairs=pairs,
    )
