"""Rules that need the whole table: unique ids and names, references that resolve, grades that match the
rubric. Each broken rule is a :class:`Problem` naming the record and field."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ketinteract.enums import Action, Direction, Effect, SourceKind
from ketinteract.errors import Problem
from ketinteract.grading import grade_finding
from ketinteract.models import Table
from ketinteract.normalize import basic_key


def entity_names(table: Table) -> Iterable[tuple[str, str, str]]:
    """Every (name, entity id, JSON location) a user may type, for uniqueness checks and the resolver."""
    for i, drug in enumerate(table.drugs):
        for field in ("name", "synonyms", "brands", "salts", "misspellings"):
            value = getattr(drug, field)
            for name in [value] if isinstance(value, str) else value:
                yield name, drug.id, f"drugs[{i}].{field}"
        yield drug.id, drug.id, f"drugs[{i}].id"
    for i, klass in enumerate(table.classes):
        for name in [klass.id, klass.name, *klass.synonyms]:
            yield name, klass.id, f"classes[{i}]"
    for i, product in enumerate(table.products):
        for name in [product.id, product.name, *product.synonyms]:
            yield name, product.id, f"products[{i}]"


Locator = Callable[[str], tuple[str, str]]
"""Maps a location in the (possibly merged) table, such as ``findings[12].context``, to the file it came
from and the location inside that file."""


def check_table(table: Table, file: str, locate: Locator | None = None) -> list[Problem]:
    """Every cross-record problem in ``table`` (empty when it is valid)."""
    problems: list[Problem] = []

    def where(location: str) -> tuple[str, str]:
        return locate(location) if locate else (file, location)

    def problem(location: str, message: str, record: str | None = None) -> None:
        problems.append(Problem(*where(location), message, record))

    sections: dict[str, list[tuple[str, str]]] = {
        "contexts": [(c.id, f"contexts[{i}]") for i, c in enumerate(table.contexts)],
        "sources": [(s.id, f"sources[{i}]") for i, s in enumerate(table.sources)],
        "findings": [(f.id, f"findings[{i}]") for i, f in enumerate(table.findings)],
        "regimen_rules": [(r.id, f"regimen_rules[{i}]") for i, r in enumerate(table.regimen_rules)],
        "drugs/classes/products": [
            *((d.id, f"drugs[{i}]") for i, d in enumerate(table.drugs)),
            *((c.id, f"classes[{i}]") for i, c in enumerate(table.classes)),
            *((p.id, f"products[{i}]") for i, p in enumerate(table.products)),
        ],
    }
    for entries in sections.values():
        first: dict[str, str] = {}
        for record_id, location in entries:
            if record_id in first:
                other_file, other_location = where(first[record_id])
                problem(
                    f"{location}.id",
                    f"id '{record_id}' is already defined in {other_file} at {other_location}",
                    record_id,
                )
            else:
                first[record_id] = location

    owners: dict[str, tuple[str, str]] = {}
    for name, owner, location in entity_names(table):
        name_key = basic_key(name)
        if not name_key:
            problem(location, f"name '{name}' is empty after normalisation", owner)
        elif name_key in owners and owners[name_key][0] != owner:
            other, other_location = owners[name_key]
            other_file, other_at = where(other_location)
            problem(location, f"name '{name}' also names '{other}' ({other_file} at {other_at})", owner)
        else:
            owners.setdefault(name_key, (owner, location))
    problems += _shadowing(table, where)

    drug_ids = {d.id for d in table.drugs}
    class_ids = {c.id for c in table.classes}
    context_ids = {c.id for c in table.contexts}
    source_by_id = {s.id: s for s in table.sources}

    for i, drug in enumerate(table.drugs):
        for j, klass in enumerate(drug.classes):
            if klass not in class_ids:
                problem(f"drugs[{i}].classes[{j}]", f"unknown class '{klass}'", drug.id)
        if drug.parent is not None and (drug.parent not in drug_ids or drug.parent == drug.id):
            problem(f"drugs[{i}].parent", f"parent '{drug.parent}' is not another drug", drug.id)
    for i, product in enumerate(table.products):
        for j, ingredient in enumerate(product.ingredients):
            if ingredient not in drug_ids:
                problem(f"products[{i}].ingredients[{j}]", f"unknown drug '{ingredient}'", product.id)
        if len(set(product.ingredients)) != len(product.ingredients):
            problem(f"products[{i}].ingredients", "an ingredient is listed twice", product.id)

    seen_keys: dict[tuple[object, ...], str] = {}
    for i, finding in enumerate(table.findings):
        at = f"findings[{i}]"
        for j, member in enumerate(finding.drugs):
            if member not in drug_ids and member not in class_ids:
                problem(f"{at}.drugs[{j}]", f"unknown drug or class '{member}'", finding.id)
        if finding.context not in context_ids:
            problem(f"{at}.context", f"unknown context '{finding.context}'", finding.id)
        refs_ok = True
        for j, ref in enumerate(finding.sources):
            if ref.source not in source_by_id:
                problem(f"{at}.sources[{j}].source", f"unknown source '{ref.source}'", finding.id)
                refs_ok = False
        if finding.mechanism is not None:
            for j, sid in enumerate(finding.mechanism.sources):
                if sid not in source_by_id:
                    problem(f"{at}.mechanism.sources[{j}]", f"unknown source '{sid}'", finding.id)
        key: tuple[object, ...] = (
            tuple(sorted(finding.drugs)),
            finding.context,
            tuple(sorted(finding.conditions.routes)),
            finding.conditions.population,
            finding.conditions.dose,
            finding.origin,
        )
        if key in seen_keys:
            problem(
                at,
                f"same pair, context and conditions as finding '{seen_keys[key]}'",
                finding.id,
            )
        seen_keys.setdefault(key, finding.id)
        if finding.effect is Effect.conflicting:
            sides = {r.direction for r in finding.sources if r.direction is not Direction.background}
            if len(sides) < 2:
                problem(
                    f"{at}.effect",
                    "'conflicting' needs sources pointing at least two different ways",
                    finding.id,
                )
        if refs_ok:
            computed = grade_finding(finding, source_by_id)
            if computed.grade is not finding.evidence_grade and not finding.grade_override_reason:
                problem(
                    f"{at}.evidence_grade",
                    f"stored grade '{finding.evidence_grade}' differs from the rubric's "
                    f"'{computed.grade}' and no grade_override_reason is given",
                    finding.id,
                )

    problems += _consistency(table, where)
    for i, rule in enumerate(table.regimen_rules):
        for j, anchor in enumerate(rule.anchors):
            if anchor not in drug_ids:
                problem(f"regimen_rules[{i}].anchors[{j}]", f"unknown drug '{anchor}'", rule.id)
        for j, klass in enumerate(rule.load_classes):
            if klass not in class_ids:
                problem(f"regimen_rules[{i}].load_classes[{j}]", f"unknown class '{klass}'", rule.id)
        for j, sid in enumerate(rule.sources):
            if sid not in source_by_id:
                problem(f"regimen_rules[{i}].sources[{j}]", f"unknown source '{sid}'", rule.id)
    return problems


_ACTION_RANK = {Action.no_action: 0, Action.monitor: 1, Action.adjust: 2, Action.avoid: 3}
_ARTICLES = frozenset({SourceKind.journal_article, SourceKind.letter})


def _consistency(table: Table, where: Callable[[str], tuple[str, str]]) -> list[Problem]:
    """Rules that keep ratings honest and every bundled source findable."""
    problems: list[Problem] = []

    def problem(location: str, message: str, record: str) -> None:
        problems.append(Problem(*where(location), message, record))

    for i, source in enumerate(table.sources):
        if source.origin != "bundled":
            continue  # a local file may cite a ward protocol that has no public address
        at = f"sources[{i}]"
        if not (source.pmid or source.doi or source.url or source.nct):
            problem(at, "a bundled source needs a pmid, a doi or a url where its record can be found", source.id)
        if source.kind in _ARTICLES:
            citation = source.citation
            unseen = {u.casefold() for u in source.unverified}
            if not citation.authors and "authors" not in unseen:
                problem(
                    f"{at}.citation.authors",
                    "a journal article needs its authors (or 'authors' in unverified)",
                    source.id,
                )
            if not citation.title and "title" not in unseen:
                problem(
                    f"{at}.citation.title", "a journal article needs its title (or 'title' in unverified)", source.id
                )

    drugs = {d.id: d for d in table.drugs}
    members: dict[str, set[str]] = {}
    for d in table.drugs:
        for c in d.classes:
            members.setdefault(c, set()).add(d.id)
    by_key = {
        (frozenset(f.drugs), f.context, tuple(sorted(f.conditions.routes)), f.conditions.population): f
        for f in table.findings
        if f.origin == "bundled"
    }
    for i, finding in enumerate(table.findings):
        at = f"findings[{i}]"
        if _ACTION_RANK[finding.action] > finding.severity.rank and not finding.action_reason:
            problem(
                f"{at}.action",
                f"action '{finding.action}' is stronger than severity '{finding.severity}' allows "
                "(avoid needs major, adjust moderate, monitor minor); give action_reason",
                finding.id,
            )
        for j, rating in enumerate(finding.outside_ratings):
            if abs(rating.severity.rank - finding.severity.rank) > 1 and not finding.severity_reason:
                problem(
                    f"{at}.outside_ratings[{j}]",
                    f"{rating.by} rates this {rating.severity}, more than one level from our "
                    f"'{finding.severity}'; say why in severity_reason",
                    finding.id,
                )
        for j, target in enumerate(finding.extrapolate_to):
            if not any(d in drugs and drugs[d].parent == target for d in finding.drugs):
                problem(
                    f"{at}.extrapolate_to[{j}]", f"'{target}' is not the racemate of a drug of this finding", finding.id
                )
        if finding.severity_reason:
            continue
        conditions = (finding.context, tuple(sorted(finding.conditions.routes)), finding.conditions.population)
        for side, other in ((0, 1), (1, 0)):
            klass, partner = finding.drugs[side], finding.drugs[other]
            for member in sorted(members.get(klass, ())):
                specific = by_key.get((frozenset((member, partner)), *conditions))
                if (
                    specific is not None
                    and finding.origin == "bundled"
                    and finding.severity.rank > specific.severity.rank
                ):
                    problem(
                        f"{at}.severity",
                        f"class finding is more severe ({finding.severity}) than the finding for its member "
                        f"'{member}' ({specific.id}: {specific.severity}); say why in severity_reason",
                        finding.id,
                    )
    return problems


def _shadowing(table: Table, where: Callable[[str], tuple[str, str]]) -> list[Problem]:
    """A local name must not capture what a bundled name already means by a looser rule: a name whose
    folded form is a bundled entity's stripped or form-kept name ("Ketamine HCl", "Narcan nasal
    spray"), or a bundled drug's ATC code or RxCUI, would otherwise win the exact match and silently
    take the bundled findings away from that input."""
    from ketinteract.normalize import form_key, stripped_key

    origin = {d.id: d.origin for d in table.drugs} | {p.id: p.origin for p in table.products}
    bundled: dict[str, str] = {}
    for name, owner, _location in entity_names(table):
        if origin.get(owner, "bundled") != "bundled":
            continue
        for key in (basic_key(name), stripped_key(name), form_key(name)):
            if key:
                bundled.setdefault(key, owner)
    for drug in table.drugs:
        if drug.origin == "bundled":
            for code in [*drug.identifiers.atc, *([drug.identifiers.rxcui] if drug.identifiers.rxcui else [])]:
                bundled.setdefault(basic_key(code), drug.id)
    problems = []
    for name, owner, location in entity_names(table):
        if origin.get(owner, "bundled") == "bundled":
            continue
        keys = {basic_key(name), stripped_key(name), form_key(name)} - {""}
        other = next((bundled[k] for k in sorted(keys) if k in bundled and bundled[k] != owner), None)
        if other is not None:
            file, at = where(location)
            problems.append(
                Problem(file, at, f"name '{name}' would take over what the bundled '{other}' is found by", owner)
            )
    return problems
