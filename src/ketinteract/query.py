"""The query: from typed names to the answer of ``check``, read from the compiled index.

Everything here works on plain data (the index's rows and JSON text), never on pydantic models, so the
``check --format json`` path imports neither the data-spec models nor the output models: the answer is
assembled from the findings' stored JSON. :meth:`CheckAnswer.model` gives the same answer as a
:class:`ketinteract.results.CheckResult` for the API and the other renderers.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ketinteract.compiled import CompiledIndex
from ketinteract.contract import NO_RECORD_NOTE, NOT_ADVICE, SCHEMA_VERSION
from ketinteract.enums import SEVERITY_RANK, Route, Severity
from ketinteract.errors import UsageError, unknown_name
from ketinteract.normalize import basic_key, form_key, stripped_key, suggest

if TYPE_CHECKING:
    from ketinteract.results import CheckResult

_RANK = SEVERITY_RANK
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def worst_of(severities: Iterable[str]) -> str | None:
    return max(severities, key=_RANK.__getitem__, default=None)


class CheckAnswer:
    """One check's answer: the contract's JSON text (compact ASCII) and what exit codes need:
    unrecognised names, the worst severity shown (findings after filters, and regimen warnings) and
    pairs without a record. (A plain class: a dataclass would cost start-up time on the fast path.)"""

    __slots__ = ("_data", "json", "no_record_pairs", "unresolved", "worst_shown")

    def __init__(self, json: str, unresolved: int, worst_shown: str | None, no_record_pairs: int) -> None:
        self.json = json
        self.unresolved = unresolved
        self.worst_shown = worst_shown
        self.no_record_pairs = no_record_pairs
        self._data: dict[str, Any] | None = None

    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self.json)
        return self._data

    def model(self) -> CheckResult:
        from ketinteract.results import CheckResult

        return CheckResult.model_validate_json(self.json)


def resolved_entry(entity: Any, name: str, rule: str, matched: str, via: str | None) -> dict[str, Any]:
    """The ``drugs`` entry of the contract for ``entity``, as typed as ``name``."""
    return {
        "input": name,
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "rule": rule,
        "matched": matched,
        "via_product": via,
        "rxcui": entity.rxcui,
        "atc": list(entity.atc),
    }


def resolve_name(index: CompiledIndex, name: str) -> list[dict[str, Any]] | dict[str, Any]:
    """What one typed name means: resolved entries (several for a combination product) or an
    unresolved entry with suggestions. Memoised: it depends only on the name and the table."""
    memo_key = ("name", name)
    if memo_key in index.memo:
        answer: list[dict[str, Any]] | dict[str, Any] = index.memo[memo_key]
        return answer
    key = basic_key(name)
    hit = index.name(key)
    rule_override = None
    if hit is None:
        code = name.strip().upper()
        if code and set(code) <= _CODE_CHARS:
            found = index.code(code)
            if found:
                hit, rule_override = (found[0], found[1], code), found[1]
    if hit is None:
        kept = form_key(name)
        hit = index.name(kept) if kept and kept != key else None
        rule_override = "stripped" if hit else rule_override
    if hit is None:
        short = stripped_key(name)
        hit = index.name(short, stripped=True) if short else None
        rule_override = "stripped" if hit else None
    if hit is None:
        ids = suggest(stripped_key(name) or key, index.all_names())
        suggested = []
        for sid in ids:
            entity = index.entity(sid)
            if entity is not None:
                suggested.append({"id": sid, "name": entity.name, "classes": list(entity.class_names)})
        answer = {"input": name, "suggestions": ids, "suggested": suggested}
    else:
        entity_id, rule, matched = hit
        entity = index.entity(entity_id)
        assert entity is not None, "the compiled index names an entity it does not hold"
        if entity.kind == "product":
            answer = []
            for ingredient in entity.ingredients:
                part = index.entity(ingredient)
                assert part is not None
                answer.append(resolved_entry(part, name, rule, matched, entity.name) | {"kind": "drug"})
        else:
            if rule_override == "stripped" and entity.kind != "drug":
                rule_override = None
            answer = [resolved_entry(entity, name, rule_override or rule, matched, None)]
    index.remember(memo_key, answer)
    return answer


Folded = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]
"""Resolved entries, duplicates and unresolved entries, as in the contract."""


def resolve_names(index: CompiledIndex, names: Iterable[str]) -> Folded:
    """Resolve, expand combination products, fold duplicates (reported once, never self-paired)."""
    return fold_names((name, resolve_name(index, name)) for name in names)


def fold_names(answers: Iterable[tuple[str, list[dict[str, Any]] | dict[str, Any]]]) -> Folded:
    """Fold ``(name, what it resolved to)`` answers, in order: a drug met again is a duplicate of the first
    name that named it, with a warning when the names differ (possible duplicate therapy)."""
    resolved: list[dict[str, Any]] = []
    duplicates: list[dict[str, Any]] = []
    unresolved: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for name, matches in answers:
        if isinstance(matches, dict):
            unresolved.append(matches)
            continue
        for match in matches:
            if match["id"] in seen:
                first = seen[match["id"]]
                warning = None
                if basic_key(first) != basic_key(name):
                    warning = (
                        f"'{first}' and '{name}' both contain {match['name']}: possible duplicate therapy "
                        "(two products of one ingredient); check the total dose."
                    )
                duplicates.append({"input": name, "id": match["id"], "same_as": first, "warning": warning})
                continue
            seen[match["id"]] = name
            resolved.append(match)
    return resolved, duplicates, unresolved


class _Key(NamedTuple):
    id: str
    distance: int
    kind: str | None


def lookup_keys(index: CompiledIndex, entity_id: str) -> list[_Key]:
    """Record ids under which findings for a drug may be filed: itself, its racemate, their classes."""
    keys = [_Key(entity_id, 0, None)]
    entity = index.entity(entity_id)
    if entity is None or entity.kind != "drug":
        return keys
    keys += [_Key(c, 2, "class") for c in entity.classes]
    parent = index.entity(entity.parent) if entity.parent else None
    if parent is not None:
        keys.append(_Key(parent.id, 1, "parent"))
        keys += [_Key(c, 3, "class") for c in parent.classes if c not in entity.classes]
    return keys


def _explain(index: CompiledIndex, checked: str, key: _Key) -> str:
    name, record = index.name_of(checked), index.name_of(key.id)
    if key.kind == "parent":
        return f"written for {record}; {name} is one of its enantiomers, so the answer is extrapolated"
    return f"written for the class '{record}', of which {name} is a member"


def pair_answer(
    index: CompiledIndex, a: str, b: str, contexts: Sequence[str], route: str | None, min_severity: str | None
) -> tuple[str, bool, list[str]]:
    """One pair's JSON under the filters, whether any finding exists, and the severities shown.
    Per context and conditions the most specific record wins: one written for the pair itself, then
    for a racemate, then for a class; extrapolated ones say so."""
    ordered = sorted([a, b])
    memo_key = ("pair", *ordered, tuple(contexts), route, min_severity)
    if memo_key in index.memo:
        cached: tuple[str, bool, list[str]] = index.memo[memo_key]
        return cached
    best: dict[tuple[object, ...], list[tuple[int, Any, dict[str, Any] | None]]] = {}
    for key_a, key_b in itertools.product(lookup_keys(index, a), lookup_keys(index, b)):
        if key_a.id == key_b.id:
            continue
        for row in index.findings_for(key_a.id, key_b.id):
            if row.via and "parent" in (key_a.kind, key_b.kind):
                continue  # never extrapolate twice (enantiomer -> racemate -> other enantiomer)
            if contexts and row.context not in contexts:
                continue
            if route is not None and row.routes and route not in row.routes:
                continue
            notes = [_explain(index, d, k) for d, k in ((a, key_a), (b, key_b)) if k.kind]
            via = None
            if row.via:
                stored = json.loads(row.via)
                via = stored | {"explanation": "; ".join([stored["explanation"], *notes])}
            elif notes:
                kind = "parent" if "parent" in (key_a.kind, key_b.kind) else "class"
                via = {"kind": kind, "record_drugs": list(row.drugs), "explanation": "; ".join(notes)}
            distance = key_a.distance + key_b.distance + row.base_distance
            group = (row.context, row.routes, row.population, row.dose)
            kept = best.get(group)
            if kept is None or distance < kept[0][0]:
                best[group] = [(distance, row, via)]
            elif distance == kept[0][0] and all(r.id != row.id for _d, r, _v in kept):
                kept.append((distance, row, via))
    chosen = sorted((c for group in best.values() for c in group), key=lambda c: (c[1].context_rank, c[1].id))
    found = [row.severity for _d, row, _v in chosen]
    floor = _RANK[min_severity] if min_severity else 0
    shown = [(row, via) for _d, row, via in chosen if _RANK[row.severity] >= floor]
    findings = ",".join(f'{row.body[:-1]},"extrapolated":{_compact(via)}}}' for row, via in shown)
    head = {
        "drugs": ordered,
        "names": [index.name_of(i) for i in ordered],
        "status": "found" if chosen else "no_record",
        "worst_severity": worst_of(found),
        "note": None if chosen else NO_RECORD_NOTE,
        "hidden_by_min_severity": len(chosen) - len(shown),
    }
    text = _compact(head)[:-1] + ',"findings":[' + findings + "]}"
    answer = (text, bool(chosen), [row.severity for row, _v in shown])
    index.remember(memo_key, answer)
    return answer


def regimen_warnings(index: CompiledIndex, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Warnings about the regimen as a whole, from the table's regimen rules."""
    warnings = []
    for rule in index.rules():
        anchors = []
        for i in ids:
            entity = index.entity(i)
            if i in rule["anchors"] or (entity is not None and entity.parent in rule["anchors"]):
                anchors.append(i)
        if not anchors:
            continue
        load = set(rule["load_classes"])
        others = []
        for i in ids:
            entity = index.entity(i)
            if i not in anchors and entity is not None and entity.closure & load:
                others.append(i)
        if len(others) >= rule["minimum_others"]:
            warning = {k: rule[k] for k in ("id", "severity", "message", "management")}
            warnings.append(warning | {"drugs": sorted([*anchors, *others]), "sources": rule["sources"]})
    return warnings


def validate_contexts(index: CompiledIndex, contexts: Sequence[str]) -> None:
    known = [c for c, _name in index.contexts()]
    for context in contexts:
        if context not in known:
            raise unknown_name("context", context, known, list_known=True)


def run_check(
    index: CompiledIndex,
    names: Sequence[str],
    contexts: Sequence[str] = (),
    route: Route | None = None,
    min_severity: Severity | None = None,
) -> CheckAnswer:
    """Check every pair among ``names``. Raises UsageError for an unknown context or fewer than two names."""
    if len(names) < 2:
        raise UsageError(f"check needs at least two drug names; got {len(names)}.")
    if contexts:
        validate_contexts(index, contexts)
    memo_key = ("regimen", tuple(names), tuple(contexts), route, min_severity)
    if memo_key in index.memo:
        cached: CheckAnswer = index.memo[memo_key]
        return cached
    answer = assemble(index, resolve_names(index, names), contexts, route, min_severity)
    index.remember(memo_key, answer)
    return answer


def assemble(
    index: CompiledIndex,
    folded: Folded,
    contexts: Sequence[str] = (),
    route: Route | None = None,
    min_severity: Severity | None = None,
    involves: Callable[[Sequence[str]], bool] | None = None,
) -> CheckAnswer:
    """The answer for names already resolved and folded (contexts already validated). ``involves``, when
    given, keeps only the pairs and regimen warnings whose drug ids it accepts (medication lists in which
    only some medications are new)."""
    resolved, duplicates, unresolved = folded
    route_value = route.value if route is not None else None
    floor = min_severity.value if min_severity is not None else None
    pairs: list[str] = []
    shown: list[str] = []
    no_record = 0
    for first, second in itertools.combinations(resolved, 2):
        if first["via_product"] and first["via_product"] == second["via_product"] and first["input"] == second["input"]:
            continue  # a combination product's own ingredients are one medicine, not an interaction
        if involves is not None and not involves((first["id"], second["id"])):
            continue
        text, found, severities = pair_answer(index, first["id"], second["id"], contexts, route_value, floor)
        pairs.append(text)
        shown += severities
        no_record += not found
    warnings = regimen_warnings(index, [r["id"] for r in resolved])
    if involves is not None:
        warnings = [w for w in warnings if involves(w["drugs"])]
    if floor is not None:
        warnings = [w for w in warnings if _RANK[w["severity"]] >= _RANK[floor]]
    head = {
        "schema_version": SCHEMA_VERSION,
        "notice": NOT_ADVICE,
        "table_version": index.table_version,
        "filters": {"contexts": list(contexts), "route": route_value, "min_severity": floor},
        "drugs": resolved,
        "duplicates": duplicates,
        "unresolved": unresolved,
        "regimen_warnings": warnings,
    }
    text = _compact(head)[:-1] + ',"pairs":[' + ",".join(pairs) + "]}"
    return CheckAnswer(
        json=text,
        unresolved=len(unresolved),
        worst_shown=worst_of([*shown, *(w["severity"] for w in warnings)]),
        no_record_pairs=no_record,
    )
