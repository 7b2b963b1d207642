"""Name resolution: what a typed name means, by which rule, never by a guess.

The tables are built here once per table, at compile time, and stored in the compiled index; queries
look names up there (see :mod:`ketinteract.query`). Exact matches on the folded name come first; then
the same with strengths, salt and dose-form words removed. A name that matches nothing is unresolved and
gets suggestions from :func:`suggest`.
"""

from __future__ import annotations

from ketinteract.enums import EntityKind, MatchRule
from ketinteract.models import Drug, DrugClass, Product, Table
from ketinteract.normalize import basic_key, stripped_key

Entity = Drug | DrugClass | Product


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
    """The name tables of one table: folded name -> (entity id, rule, name as written)."""

    def __init__(self, table: Table) -> None:
        self.entities: dict[str, Entity] = {}
        self.kinds: dict[str, EntityKind] = {}
        for drug in table.drugs:
            self.entities[drug.id], self.kinds[drug.id] = drug, EntityKind.drug
        for klass in table.classes:
            self.entities[klass.id], self.kinds[klass.id] = klass, EntityKind.drug_class
        for product in table.products:
            self.entities[product.id], self.kinds[product.id] = product, EntityKind.product
        self.exact: dict[str, tuple[str, str, str]] = {}
        self.stripped: dict[str, tuple[str, str, str]] = {}
        for entity_id, entity in self.entities.items():
            for name, rule in _name_rules(entity):
                self.exact.setdefault(basic_key(name), (entity_id, rule.value, name))
                stripped = stripped_key(name)
                if stripped:
                    self.stripped.setdefault(stripped, (entity_id, rule.value, name))
