"""Lookup structures built once per table: the pair index every query goes through, the resolver, and
the records by id. Queries never scan all findings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ketinteract.models import Context, Drug, DrugClass, Finding, Product, Source, Table
from ketinteract.resolver import Resolver

INDEX_FORMAT = 2
"""Bumped whenever TableIndex's pickled state changes shape; part of the cache key, so an entry written
by other code is never found."""


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class LookupKey:
    """A record id under which findings for a drug may be filed, and how far it is from the drug."""

    id: str
    distance: int
    """0 the drug itself, 1 its racemate, 2 a class of it, 3 a class of its racemate."""
    kind: str | None
    """None, "parent" or "class"."""


class TableIndex:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.sources: dict[str, Source] = {s.id: s for s in table.sources}
        self.contexts: dict[str, Context] = {c.id: c for c in table.contexts}
        self.drugs: dict[str, Drug] = {d.id: d for d in table.drugs}
        self.classes: dict[str, DrugClass] = {c.id: c for c in table.classes}
        self.products: dict[str, Product] = {p.id: p for p in table.products}
        self.findings: dict[str, Finding] = {f.id: f for f in table.findings}
        self.by_pair: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for finding in table.findings:
            self.by_pair[pair_key(*finding.drugs)].append(finding)
        self.pair_lookups = 0
        """How many times the pair index was consulted (tests use it to prove there is no scan)."""
        self.memo: dict[tuple[object, ...], object] = {}
        """Answers already built in this process (a pair's answer does not depend on the regimen it is
        in), so bulk checks build each pair once. Never cached to disk."""

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.table)

    def prepare(self) -> None:
        """Build everything lazy now (before the index is cached)."""
        _ = self.resolver

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["pair_lookups"] = 0
        state["memo"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.pair_lookups = 0
        self.memo = {}

    def name_of(self, entity_id: str) -> str:
        entity = self.drugs.get(entity_id) or self.classes.get(entity_id) or self.products.get(entity_id)
        return entity.name if entity else entity_id

    def lookup_keys(self, entity_id: str) -> list[LookupKey]:
        keys = [LookupKey(entity_id, 0, None)]
        drug = self.drugs.get(entity_id)
        if drug is None:
            return keys
        keys += [LookupKey(c, 2, "class") for c in drug.classes]
        if drug.parent is not None and drug.parent in self.drugs:
            parent = self.drugs[drug.parent]
            keys.append(LookupKey(parent.id, 1, "parent"))
            keys += [LookupKey(c, 3, "class") for c in parent.classes if c not in drug.classes]
        return keys

    def findings_for(self, key_a: str, key_b: str) -> list[Finding]:
        self.pair_lookups += 1
        return self.by_pair.get(pair_key(key_a, key_b), [])

    def class_closure(self, drug_id: str) -> set[str]:
        """The classes a drug belongs to, directly or through its racemate."""
        drug = self.drugs.get(drug_id)
        if drug is None:
            return {drug_id} if drug_id in self.classes else set()
        classes = set(drug.classes)
        if drug.parent is not None and drug.parent in self.drugs:
            classes |= set(self.drugs[drug.parent].classes)
        return classes
