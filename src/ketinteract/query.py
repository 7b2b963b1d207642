"""The query: from typed names to a :class:`CheckResult`, through the resolver and the pair index."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ketinteract.enums import EntityKind, Route, Severity, worst
from ketinteract.errors import UsageError, unknown_name
from ketinteract.index import LookupKey, TableIndex
from ketinteract.models import Finding
from ketinteract.present import finding_out, resolved_name, source_out
from ketinteract.resolver import Unresolved
from ketinteract.results import (
    NO_RECORD_NOTE,
    CheckResult,
    DuplicateName,
    Extrapolation,
    Filters,
    FindingOut,
    PairOut,
    RegimenWarning,
    ResolvedName,
    UnresolvedName,
)


def _explain(index: TableIndex, checked: str, key: LookupKey) -> str:
    name, record = index.name_of(checked), index.name_of(key.id)
    if key.kind == "parent":
        return f"written for {record}; {name} is one of its enantiomers, so the answer is extrapolated"
    return f"written for the class '{record}', of which {name} is a member"


@dataclass(frozen=True)
class _Candidate:
    finding: Finding
    distance: int
    notes: tuple[str, ...]
    kind: str | None


def pair_findings(
    index: TableIndex,
    a: str,
    b: str,
    contexts: Sequence[str] = (),
    route: Route | None = None,
) -> list[FindingOut]:
    """Findings for one pair. Per context and conditions, the most specific record wins: one written for
    the pair itself, then for a racemate, then for a class; extrapolated ones say so."""
    best: dict[tuple[object, ...], list[_Candidate]] = {}
    for key_a, key_b in itertools.product(index.lookup_keys(a), index.lookup_keys(b)):
        if key_a.id == key_b.id:
            continue
        for finding in index.findings_for(key_a.id, key_b.id):
            if contexts and finding.context not in contexts:
                continue
            if route is not None and finding.conditions.routes and route not in finding.conditions.routes:
                continue
            notes = tuple(_explain(index, d, k) for d, k in ((a, key_a), (b, key_b)) if k.kind)
            kind = "parent" if "parent" in (key_a.kind, key_b.kind) else ("class" if notes else None)
            candidate = _Candidate(finding, key_a.distance + key_b.distance, notes, kind)
            group = (
                finding.context,
                tuple(finding.conditions.routes),
                finding.conditions.population,
                finding.conditions.dose,
            )
            kept = best.get(group)
            if kept is None or candidate.distance < kept[0].distance:
                best[group] = [candidate]
            elif candidate.distance == kept[0].distance and all(c.finding.id != finding.id for c in kept):
                kept.append(candidate)
    order = {c: i for i, c in enumerate(index.contexts)}
    candidates = [c for group in best.values() for c in group]
    candidates.sort(key=lambda c: (order.get(c.finding.context, len(order)), c.finding.id))
    views = []
    for c in candidates:
        via = None
        if c.kind is not None:
            via = Extrapolation(
                kind="parent" if c.kind == "parent" else "class",
                record_drugs=sorted(c.finding.drugs),
                explanation="; ".join(c.notes),
            )
        views.append(finding_out(index, c.finding, via))
    return views


def _matches(index: TableIndex, name: str) -> list[ResolvedName] | UnresolvedName:
    """What one typed name means (memoised: resolution depends only on the name and the table)."""
    key = ("name", name)
    cached = index.memo.get(key)
    if isinstance(cached, list | UnresolvedName):
        return cached
    res = index.resolver.resolve(name)
    answer: list[ResolvedName] | UnresolvedName
    if isinstance(res, Unresolved):
        answer = UnresolvedName(input=res.input, suggestions=list(res.suggestions))
    elif res.kind is EntityKind.product:
        product = index.products[res.entity_id]
        answer = [resolved_name(index, res, i, product.name) for i in product.ingredients]
    else:
        answer = [resolved_name(index, res, res.entity_id, None)]
    index.memo[key] = answer
    return answer


def resolve_names(
    index: TableIndex, names: Iterable[str]
) -> tuple[list[ResolvedName], list[DuplicateName], list[UnresolvedName]]:
    """Resolve, expand combination products, and fold duplicates (reported once, never self-paired)."""
    resolved: list[ResolvedName] = []
    duplicates: list[DuplicateName] = []
    unresolved: list[UnresolvedName] = []
    seen: dict[str, str] = {}
    for name in names:
        matches = _matches(index, name)
        if isinstance(matches, UnresolvedName):
            unresolved.append(matches)
            continue
        for match in matches:
            if match.id in seen:
                duplicates.append(DuplicateName(input=name, id=match.id, same_as=seen[match.id]))
                continue
            seen[match.id] = name
            resolved.append(match)
    return resolved, duplicates, unresolved


def pair_out(
    index: TableIndex,
    a: str,
    b: str,
    contexts: Sequence[str] = (),
    route: Route | None = None,
    min_severity: Severity | None = None,
) -> PairOut:
    """The answer for one pair under the given filters (built once per process)."""
    ordered = sorted([a, b])
    key = ("pair", *ordered, tuple(contexts), route, min_severity)
    cached = index.memo.get(key)
    if isinstance(cached, PairOut):
        return cached
    found = pair_findings(index, a, b, contexts, route)
    shown = found
    if min_severity is not None:
        shown = [f for f in found if f.severity.rank >= min_severity.rank]
    pair = PairOut(
        drugs=ordered,
        names=[index.name_of(i) for i in ordered],
        status="found" if found else "no_record",
        worst_severity=worst(f.severity for f in found),
        note=None if found else NO_RECORD_NOTE,
        hidden_by_min_severity=len(found) - len(shown),
        findings=shown,
    )
    index.memo[key] = pair
    return pair


def regimen_warnings(index: TableIndex, ids: Sequence[str]) -> list[RegimenWarning]:
    """Warnings about the regimen as a whole, from the table's regimen rules."""
    warnings = []
    for rule in index.table.regimen_rules:
        anchors = [i for i in ids if i in rule.anchors or getattr(index.drugs.get(i), "parent", None) in rule.anchors]
        if not anchors:
            continue
        load = set(rule.load_classes)
        others = [i for i in ids if i not in anchors and index.class_closure(i) & load]
        if len(others) >= rule.minimum_others:
            warnings.append(
                RegimenWarning(
                    id=rule.id,
                    severity=rule.severity,
                    message=rule.message,
                    management=rule.management,
                    drugs=sorted([*anchors, *others]),
                    sources=[source_out(index.sources[s]) for s in rule.sources],
                )
            )
    return warnings


def validate_contexts(index: TableIndex, contexts: Sequence[str]) -> None:
    for context in contexts:
        if context not in index.contexts:
            raise unknown_name("context", context, list(index.contexts), list_known=True)


def run_check(
    index: TableIndex,
    names: Sequence[str],
    contexts: Sequence[str] = (),
    route: Route | None = None,
    min_severity: Severity | None = None,
) -> CheckResult:
    """Check every pair among ``names``. Raises UsageError for an unknown context or fewer than two names."""
    if len(names) < 2:
        raise UsageError(f"check needs at least two drug names; got {len(names)}.")
    validate_contexts(index, contexts)
    resolved, duplicates, unresolved = resolve_names(index, names)
    ids = [r.id for r in resolved]
    pairs = []
    for a, b in itertools.combinations(ids, 2):
        pairs.append(pair_out(index, a, b, contexts, route, min_severity))
    warnings = regimen_warnings(index, ids)
    if min_severity is not None:
        warnings = [w for w in warnings if w.severity.rank >= min_severity.rank]
    return CheckResult(
        filters=Filters(contexts=list(contexts), route=route, min_severity=min_severity),
        drugs=resolved,
        duplicates=duplicates,
        unresolved=unresolved,
        regimen_warnings=warnings,
        pairs=pairs,
    )
