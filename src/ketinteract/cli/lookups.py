"""The commands that look things up in the table: show, list, sources, resolve, drugs and schema. Each
builds a document from the library and prints it through ``render.emit``."""

from __future__ import annotations

from typing import TextIO

from ketinteract.enums import Effect, EvidenceGrade, OutputFormat
from ketinteract.errors import ExitCode, UsageError, did_you_mean, unknown_name
from ketinteract.index import TableIndex
from ketinteract.present import finding_out, source_detail
from ketinteract.query import resolve_names
from ketinteract.render import RenderOptions, emit
from ketinteract.results import (
    DrugClassOut,
    DrugOut,
    DrugsDocument,
    FindingDocument,
    FindingListDocument,
    ProductOut,
    ResolveDocument,
    ResolveEntry,
    SourceListDocument,
)


def show(index: TableIndex, finding_id: str, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    finding = index.findings.get(finding_id)
    if finding is None:
        raise unknown_name("finding", finding_id, list(index.findings))
    emit(FindingDocument(finding=finding_out(index, finding)), fmt, out, options)


def list_findings(
    index: TableIndex,
    drug: str | None,
    context: str | None,
    grade: EvidenceGrade | None,
    effect: Effect | None,
    fmt: OutputFormat,
    out: TextIO,
    options: RenderOptions,
) -> None:
    drug_id = None
    if drug is not None:
        resolved, _dups, unresolved = resolve_names(index, [drug])
        if unresolved or not resolved:
            hint = did_you_mean(unresolved[0].suggestions) if unresolved else ""
            raise UsageError(f"'{drug}' is not a recognised drug name.{hint}")
        drug_id = resolved[0].id
    if context is not None and context not in index.contexts:
        raise unknown_name("context", context, list(index.contexts))
    chosen = [
        f
        for f in index.table.findings
        if (drug_id is None or drug_id in f.drugs)
        and (context is None or f.context == context)
        and (effect is None or f.effect is effect)
    ]
    views = [finding_out(index, f) for f in chosen]
    if grade is not None:
        views = [v for v in views if v.evidence_grade is grade]
    emit(FindingListDocument(findings=views), fmt, out, options)


def sources(index: TableIndex, finding_id: str | None, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    if finding_id is None:
        chosen = list(index.table.sources)
    else:
        finding = index.findings.get(finding_id)
        if finding is None:
            raise unknown_name("finding", finding_id, list(index.findings))
        ids = [r.source for r in finding.sources]
        if finding.mechanism:
            ids += [s for s in finding.mechanism.sources if s not in ids]
        chosen = [index.sources[i] for i in ids]
    emit(SourceListDocument(sources=[source_detail(s) for s in chosen]), fmt, out, options)


def resolve(index: TableIndex, names: list[str], fmt: OutputFormat, out: TextIO, options: RenderOptions) -> ExitCode:
    entries = []
    for name in names:
        resolved, _dups, unresolved = resolve_names(index, [name])
        if unresolved:
            entries.append(
                ResolveEntry(input=name, status="unresolved", matches=[], suggestions=unresolved[0].suggestions)
            )
        else:
            entries.append(ResolveEntry(input=name, status="resolved", matches=resolved, suggestions=[]))
    emit(ResolveDocument(names=entries), fmt, out, options)
    return ExitCode.UNRESOLVED if any(e.status == "unresolved" for e in entries) else ExitCode.OK


def drugs(index: TableIndex, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    table = index.table
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
                id=c.id,
                name=c.name,
                synonyms=list(c.synonyms),
                definition=c.definition,
                members=sorted(members.get(c.id, [])),
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
    emit(document, fmt, out, options)


def schema(kind: str, out: TextIO) -> None:
    """A JSON Schema, generated from the pydantic model behind that JSON shape."""
    from ketinteract import results
    from ketinteract.models import Table
    from ketinteract.render.json_format import write_json

    models: dict[str, type[results.Output]] = {
        "output": results.CheckResult,
        "show": results.FindingDocument,
        "list": results.FindingListDocument,
        "sources": results.SourceListDocument,
        "resolve": results.ResolveDocument,
        "drugs": results.DrugsDocument,
        "info": results.DataInfoDocument,
        "validate": results.ValidationDocument,
    }
    if kind == "data":
        document = Table.model_json_schema(mode="validation")
    else:
        document = models[kind].model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$comment"] = f"ketinteract {kind} schema, schema_version {results.SCHEMA_VERSION}"
    write_json(document, out)


SCHEMA_KINDS = ("output", "show", "list", "sources", "resolve", "drugs", "info", "validate", "data")
