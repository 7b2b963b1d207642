"""Compiling the table: validate every input file in full, then write what queries need into a SQLite
connection (see :mod:`ketinteract.compiled` for the layout). Runs only when the inputs changed, so
everything slow (pydantic models, the grading rubric, citation formatting) lives here and never on the
query path."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ketinteract.compiled import INDEX_FORMAT, SCHEMA
from ketinteract.index import TableIndex, pair_key
from ketinteract.models import Finding, Table
from ketinteract.present import finding_out, source_detail, source_out
from ketinteract.resolver import Resolver
from ketinteract.tables import table_file, validate_merged


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def validated_table(inputs: Sequence[tuple[Path, str, bytes]]) -> Table:
    """The merged table, fully validated (the same rules as ``data validate``)."""
    files = [table_file(path, name, data) for path, name, data in inputs]
    return files[0].table if len(files) == 1 else validate_merged(files)


def _finding_rows(index: TableIndex, finding: Finding, context_rank: dict[str, int]) -> list[tuple[Any, ...]]:
    view = finding_out(index, finding).model_dump(mode="json")
    view.pop("extrapolated", None)
    body = _compact(view)
    common = (
        finding.context,
        context_rank.get(finding.context, len(context_rank)),
        _compact(sorted(r.value for r in finding.conditions.routes)),
        finding.conditions.population,
        finding.conditions.dose,
        finding.severity.value,
        finding.effect.value,
        view["evidence_grade"],
        _compact(sorted(finding.drugs)),
    )
    rows: list[tuple[Any, ...]] = [(finding.id, *pair_key(*finding.drugs), *common, 0, None, finding.origin, body)]
    for target in finding.extrapolate_to:
        # Replace the enantiomer in the pair by its racemate (validation guarantees one matches).
        replaced = [target if index.drugs[d].parent == target else d for d in finding.drugs if d in index.drugs]
        others = [d for d in finding.drugs if d not in index.drugs]
        pair = [*replaced, *others]
        enantiomer = next(d for d in finding.drugs if d in index.drugs and index.drugs[d].parent == target)
        via = {
            "kind": "enantiomer",
            "record_drugs": sorted(finding.drugs),
            "explanation": (
                f"written for {index.name_of(enantiomer)}; {index.name_of(target)} is the racemate that "
                f"contains it, so the answer is extrapolated"
            ),
        }
        rows.append((finding.id, *pair_key(pair[0], pair[1]), *common, 1, _compact(via), finding.origin, body))
    return rows


def fill_index(connection: sqlite3.Connection, inputs: Sequence[tuple[Path, str, bytes]], key: str) -> bool:
    """Validate ``inputs`` and write the compiled index into ``connection``. Raises DataError when the
    table is invalid (nothing usable is written then)."""
    table = validated_table(inputs)
    index = TableIndex(table)
    resolver = Resolver(table)
    connection.executescript(SCHEMA)
    context_rank = {c.id: i for i, c in enumerate(table.contexts)}
    meta = {
        "format": str(INDEX_FORMAT),
        "input_key": key,
        "table_version": table.table_version,
        "inputs": _compact([name for _path, name, _data in inputs]),
    }
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    connection.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", [(k, *v) for k, v in resolver.exact.items()])
    connection.executemany("INSERT INTO stripped VALUES (?, ?, ?, ?)", [(k, *v) for k, v in resolver.stripped.items()])
    codes: dict[str, tuple[str, str]] = {}
    for drug in table.drugs:
        for atc in drug.identifiers.atc:
            codes.setdefault(atc.upper(), ("atc", drug.id))
        if drug.identifiers.rxcui:
            codes.setdefault(drug.identifiers.rxcui, ("rxcui", drug.id))
    connection.executemany("INSERT INTO codes VALUES (?, ?, ?)", [(c, *v) for c, v in codes.items()])
    class_name = {c.id: c.name for c in table.classes}
    entities = []
    for drug in table.drugs:
        closure = sorted(index.class_closure(drug.id))
        entities.append(
            (
                drug.id,
                "drug",
                drug.name,
                drug.parent,
                _compact(list(drug.classes)),
                _compact(closure),
                _compact([class_name.get(c, c) for c in drug.classes]),
                _compact(list(drug.identifiers.atc)),
                drug.identifiers.rxcui,
                "[]",
            )
        )
    for klass in table.classes:
        entities.append((klass.id, "class", klass.name, None, "[]", "[]", _compact([klass.name]), "[]", None, "[]"))
    for product in table.products:
        names = [class_name.get(c, c) for i in product.ingredients for c in index.drugs[i].classes]
        entities.append(
            (
                product.id,
                "product",
                product.name,
                None,
                "[]",
                "[]",
                _compact(list(dict.fromkeys(names))),
                "[]",
                None,
                _compact(list(product.ingredients)),
            )
        )
    connection.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entities)
    rows = [row for f in table.findings for row in _finding_rows(index, f, context_rank)]
    connection.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany(
        "INSERT INTO sources VALUES (?, ?, ?)",
        [(s.id, i, _compact(source_detail(s).model_dump(mode="json"))) for i, s in enumerate(table.sources)],
    )
    connection.executemany(
        "INSERT INTO contexts VALUES (?, ?, ?)", [(c.id, i, c.name) for i, c in enumerate(table.contexts)]
    )
    connection.executemany(
        "INSERT INTO rules VALUES (?, ?)",
        [
            (
                rule.id,
                _compact(
                    {
                        "id": rule.id,
                        "anchors": list(rule.anchors),
                        "load_classes": list(rule.load_classes),
                        "minimum_others": rule.minimum_others,
                        "severity": rule.severity.value,
                        "message": rule.message,
                        "management": rule.management,
                        "sources": [source_out(index.sources[s]).model_dump(mode="json") for s in rule.sources],
                    }
                ),
            )
            for rule in table.regimen_rules
        ],
    )
    connection.execute("INSERT INTO documents VALUES ('drugs', ?)", (_compact(drugs_document(table)),))
    return True


def drugs_document(table: Table) -> dict[str, Any]:
    """The ``drugs`` command's JSON document."""
    from ketinteract.results import DrugClassOut, DrugOut, DrugsDocument, ProductOut

    members: dict[str, list[str]] = {c.id: [] for c in table.classes}
    for d in table.drugs:
        for c in d.classes:
            members.setdefault(c, []).append(d.id)
    document = DrugsDocument(
        drugs=[
            DrugOut(
                id=d.id,
                name=d.name,
                synonyms=list(d.synonyms),
                brands=list(d.brands),
                salts=list(d.salts),
                classes=list(d.classes),
                parent=d.parent,
                atc=list(d.identifiers.atc),
                rxcui=d.identifiers.rxcui,
                origin=d.origin,
            )
            for d in table.drugs
        ],
        classes=[
            DrugClassOut(
                id=c.id, name=c.name, synonyms=list(c.synonyms), definition=c.definition, members=sorted(members[c.id])
            )
            for c in table.classes
        ],
        products=[
            ProductOut(
                id=p.id, name=p.name, synonyms=list(p.synonyms), ingredients=list(p.ingredients), origin=p.origin
            )
            for p in table.products
        ],
    )
    return document.model_dump(mode="json")
