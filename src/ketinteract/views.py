"""The commands other than ``check``: each builds result models from the library, then prints them as
JSON (json module) or text (the rich renderer in render.text_views, imported only for text)."""

from __future__ import annotations

from typing import TextIO

from ketinteract.errors import ExitCode, UsageError, did_you_mean, unknown_name
from ketinteract.index import TableIndex
from ketinteract.query import finding_out, resolve_names, source_out
from ketinteract.render import RenderOptions
from ketinteract.render.json_format import write_json
from ketinteract.results import SCHEMA_VERSION, ResolveEntry
from ketinteract.vocabulary import Effect, EvidenceGrade


def show(index: TableIndex, finding_id: str, fmt: str, out: TextIO, options: RenderOptions) -> None:
    finding = index.findings.get(finding_id)
    if finding is None:
        raise unknown_name("finding", finding_id, list(index.findings))
    view = finding_out(index, finding)
    if fmt == "json":
        write_json({"schema_version": SCHEMA_VERSION, "finding": view.model_dump(mode="json")}, out)
        return
    from ketinteract.render import text_views

    text_views.show(view, out, options)


def list_findings(
    index: TableIndex,
    drug: str | None,
    context: str | None,
    grade: EvidenceGrade | None,
    effect: Effect | None,
    fmt: str,
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
    if fmt == "json":
        write_json({"schema_version": SCHEMA_VERSION, "findings": [v.model_dump(mode="json") for v in views]}, out)
        return
    from ketinteract.render import text_views

    text_views.finding_table(views, out, options)


def sources(index: TableIndex, finding_id: str | None, fmt: str, out: TextIO) -> None:
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
    if fmt == "json":
        write_json(
            {
                "schema_version": SCHEMA_VERSION,
                "sources": [source_out(s).model_dump(mode="json") for s in chosen],
            },
            out,
        )
        return
    from ketinteract import exports

    out.write(exports.EXPORTERS[fmt](chosen))


def resolve(index: TableIndex, names: list[str], fmt: str, out: TextIO, options: RenderOptions) -> ExitCode:
    entries = []
    for name in names:
        resolved, _dups, unresolved = resolve_names(index, [name])
        if unresolved:
            entries.append(
                ResolveEntry(input=name, status="unresolved", matches=[], suggestions=unresolved[0].suggestions)
            )
        else:
            entries.append(ResolveEntry(input=name, status="resolved", matches=resolved, suggestions=[]))
    if fmt == "json":
        write_json({"schema_version": SCHEMA_VERSION, "names": [e.model_dump(mode="json") for e in entries]}, out)
    else:
        from ketinteract.render import text_views

        text_views.resolve(entries, out, options)
    return ExitCode.UNRESOLVED if any(e.status == "unresolved" for e in entries) else ExitCode.OK


def drugs(index: TableIndex, fmt: str, out: TextIO, options: RenderOptions) -> None:
    table = index.table
    if fmt == "json":
        write_json(
            {
                "schema_version": SCHEMA_VERSION,
                "drugs": [d.model_dump(mode="json") for d in table.drugs],
                "classes": [
                    c.model_dump(mode="json") | {"members": sorted(d.id for d in table.drugs if c.id in d.classes)}
                    for c in table.classes
                ],
                "products": [p.model_dump(mode="json") for p in table.products],
            },
            out,
        )
        return
    from ketinteract.render import text_views

    text_views.drugs(table, out, options)


def schema(kind: str, out: TextIO) -> None:
    from ketinteract.models import Table
    from ketinteract.results import CheckResult

    model = CheckResult if kind == "output" else Table
    document = model.model_json_schema(mode="serialization" if kind == "output" else "validation")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$comment"] = f"ketinteract {kind} schema, schema_version {SCHEMA_VERSION}"
    write_json(document, out)
