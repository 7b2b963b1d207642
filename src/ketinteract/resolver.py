"""Name resolution: what a typed name means, by which rule, never by a guess.

Exact matches on the folded name come first; then the same with strengths, salt and dose-form words
removed. A name that matches nothing is unresolved and gets suggestions (stdlib difflib: the vocabulary
is a few hundred names and suggestions are computed only on a miss, so a compiled matcher such as
rapidfuzz would add a dependency for no measurable gain).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ketinteract.enums import EntityKind, MatchRule
from ketinteract.models import Drug, DrugClass, Product, Table
from ketinteract.normalize import basic_key, stripped_key

Entity = Drug | DrugClass | Product


@dataclass(frozen=True)
class Resolution:
    """A recognised name: the entity it names and the rule that matched."""

    input: str
    entity_id: str
    kind: EntityKind
    rule: MatchRule
    matched: str


@dataclass(frozen=True)
class Unresolved:
    input: str
    suggestions: tuple[str, ...]


def _name_rules(entity: Entity) -> list[tuple[str, MatchRule]]:
    if isinstance(entity, Drug):
        return [
            (entity.id, MatchRule.id),
            (entity.name, MatchRule.name),
            *((s, MatchRule.synonym) for s in entity.synonyms),
            *((s, MatchRule.brand) for s in entity.brands),
            *((s, MatchRule.salt) for s in entity.salts),
            *((s, MatchRule.misspelling) for s in entity.misspellings),
        ]
    rule = MatchRule.class_name if isinstance(entity, DrugClass) else MatchRule.product
    return [(entity.id, rule), (entity.name, rule), *((s, rule) for s in entity.synonyms)]


class Resolver:
    """Maps typed names to table entities. Built once per table; lookups are dictionary hits."""

    def __init__(self, table: Table) -> None:
        self.entities: dict[str, Entity] = {}
        self.kinds: dict[str, EntityKind] = {}
        for drug in table.drugs:
            self.entities[drug.id], self.kinds[drug.id] = drug, EntityKind.drug
        for klass in table.classes:
            self.entities[klass.id], self.kinds[klass.id] = klass, EntityKind.drug_class
        for product in table.products:
            self.entities[product.id], self.kinds[product.id] = product, EntityKind.product
        self._exact: dict[str, tuple[str, MatchRule, str]] = {}
        self._stripped: dict[str, tuple[str, MatchRule, str]] = {}
        for entity_id, entity in self.entities.items():
            for name, rule in _name_rules(entity):
                self._exact.setdefault(basic_key(name), (entity_id, rule, name))
                stripped = stripped_key(name)
                if stripped:
                    self._stripped.setdefault(stripped, (entity_id, rule, name))

    def resolve(self, name: str) -> Resolution | Unresolved:
        """The entity ``name`` names, or suggestions. Never raises for any string."""
        hit = self._exact.get(basic_key(name))
        stripped = False
        if hit is None:
            key = stripped_key(name)
            hit = self._stripped.get(key) if key else None
            stripped = True
        if hit is None:
            return Unresolved(name, self.suggest(name))
        entity_id, rule, matched = hit
        kind = self.kinds[entity_id]
        if stripped and kind is EntityKind.drug:
            rule = MatchRule.stripped
        return Resolution(name, entity_id, kind, rule, matched)

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Close names for an unrecognised one, as entity ids (the stable spelling users can retype)."""
        key = stripped_key(name) or basic_key(name)
        if not key:
            return ()
        matches = difflib.get_close_matches(key, list(self._exact), n=limit * 3, cutoff=0.75)
        suggestions: list[str] = []
        for match in matches:
            entity_id = self._exact[match][0]
            if entity_id not in suggestions:
                suggestions.append(entity_id)
        return tuple(suggestions[:limit])
