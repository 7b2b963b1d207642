"""The commands that look things up in the table: show, list, sources, resolve, drugs and schema. Each
builds a document from the library and prints it through ``render.emit``."""

from __future__ import annotations

from typing import TextIO

from ketinteract.compiled import CompiledIndex
from ketinteract.enums import Effect, EvidenceGrade, OutputFormat
from ketinteract.errors import ExitCode, UsageError, describe_suggestions, unknown_name
from ketinteract.query import resolve_names
from ketinteract.render import RenderOptions, emit
from ketinteract.results import (
    DrugsDocument,
    FindingDocument,
    FindingListDocument,
    FindingOut,
    ResolvedName,
    ResolveDocument,
    ResolveEntry,
    SourceDetail,
    SourceListDocument,
    Suggestion,
)


def _finding(body: str) -> FindingOut:
    return FindingOut.model_validate_json(body[:-1] + ',"extrapolated":null}')


def show(index: CompiledIndex, finding_id: str, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    body = index.finding_body(finding_id)
    if body is None:
        raise unknown_name("finding", finding_id, index.finding_ids())
    emit(FindingDocument(finding=_finding(body)), fmt, out, options)


def _drug_id(index: CompiledIndex, drug: str) -> str:
    resolved, _dups, unresolved = resolve_names(index, [drug])
    if unresolved or not resolved:
        hint = describe_suggestions(unresolved[0].get("suggested", [])) if unresolved else ""
        raise UsageError(f"'{drug}' is not a recognised drug name.{hint}")
    return str(resolved[0]["id"])


def list_findings(
    index: CompiledIndex,
    drug: str | None,
    context: str | None,
    grade: EvidenceGrade | None,
    effect: Effect | None,
    fmt: OutputFormat,
    out: TextIO,
    options: RenderOptions,
) -> None:
    drug_id = _drug_id(index, drug) if drug is not None else None
    known = [c for c, _name in index.contexts()]
    if context is not None and context not in known:
        raise unknown_name("context", context, known)
    bodies = index.finding_bodies(
        drug=drug_id,
        context=context,
        effect=effect.value if effect else None,
        grade=grade.value if grade else None,
    )
    emit(FindingListDocument(findings=[_finding(b) for b in bodies]), fmt, out, options)


def sources(
    index: CompiledIndex, finding_id: str | None, fmt: OutputFormat, out: TextIO, options: RenderOptions
) -> None:
    if finding_id is None:
        bodies = index.source_bodies()
    else:
        body = index.finding_body(finding_id)
        if body is None:
            raise unknown_name("finding", finding_id, index.finding_ids())
        finding = _finding(body)
        ids = [s.id for s in finding.sources]
        if finding.mechanism:
            ids += [s.id for s in finding.mechanism.sources if s.id not in ids]
        bodies = index.source_bodies(ids)
    document = SourceListDocument(sources=[SourceDetail.model_validate_json(b) for b in bodies])
    emit(document, fmt, out, options)


def resolve(index: CompiledIndex, names: list[str], fmt: OutputFormat, out: TextIO, options: RenderOptions) -> ExitCode:
    entries = []
    for name in names:
        resolved, _dups, unresolved = resolve_names(index, [name])
        if unresolved:
            miss = unresolved[0]
            entries.append(
                ResolveEntry(
                    input=name,
                    status="unresolved",
                    matches=[],
                    suggestions=miss["suggestions"],
                    suggested=[Suggestion.model_validate(s) for s in miss["suggested"]],
                )
            )
        else:
            matches = [ResolvedName.model_validate(r) for r in resolved]
            entries.append(ResolveEntry(input=name, status="resolved", matches=matches, suggestions=[]))
    emit(ResolveDocument(names=entries), fmt, out, options)
    return ExitCode.UNRESOLVED if any(e.status == "unresolved" for e in entries) else ExitCode.OK


def drugs(index: CompiledIndex, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    emit(DrugsDocument.model_validate_json(index.document("drugs")), fmt, out, options)


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
