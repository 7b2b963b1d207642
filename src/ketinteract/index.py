"""Records by id, built once per table at compile time (see :mod:`ketinteract.compile`)."""

from __future__ import annotations

from ketinteract.models import Context, Drug, DrugClass, Finding, Product, Source, Table


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class TableIndex:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.sources: dict[str, Source] = {s.id: s for s in table.sources}
        self.contexts: dict[str, Context] = {c.id: c for c in table.contexts}
        self.drugs: dict[str, Drug] = {d.id: d for d in table.drugs}
        self.classes: dict[str, DrugClass] = {c.id: c for c in table.classes}
        self.products: dict[str, Product] = {p.id: p for p in table.products}
        self.findings: dict[str, Finding] = {f.id: f for f in table.findings}

    def name_of(self, entity_id: str) -> str:
        entity = self.drugs.get(entity_id) or self.classes.get(entity_id) or self.products.get(entity_id)
        return entity.name if entity else entity_id

    def class_closure(self, drug_id: str) -> set[str]:
        """The classes a drug belongs to, directly or through its racemate."""
        drug = self.drugs.get(drug_id)
        if drug is None:
            return {drug_id} if drug_id in self.classes else set()
        classes = set(drug.classes)
        if drug.parent is not None and drug.parent in self.drugs:
            classes |= set(self.drugs[drug.parent].classes)
        return classes
