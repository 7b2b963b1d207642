"""Citations for reference managers: plain text, BibTeX, RIS and CSL-JSON.

Only fields seen in a public record are exported; a missing title stays missing rather than being invented.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TextIO

from ketinteract.enums import OutputFormat, SourceKind
from ketinteract.results import SourceDetail, SourceListDocument
from ketinteract.textsafe import inert

_BIBTEX_TYPE = {
    SourceKind.journal_article: "article",
    SourceKind.letter: "article",
    SourceKind.preprint: "unpublished",
    SourceKind.thesis: "mastersthesis",
    SourceKind.drug_label: "misc",
    SourceKind.manufacturer_information: "misc",
    SourceKind.reference_work: "misc",
}
_RIS_TYPE = {
    SourceKind.journal_article: "JOUR",
    SourceKind.letter: "JOUR",
    SourceKind.preprint: "UNPB",
    SourceKind.thesis: "THES",
    SourceKind.drug_label: "GEN",
    SourceKind.manufacturer_information: "GEN",
    SourceKind.reference_work: "GEN",
}
_CSL_TYPE = {
    SourceKind.journal_article: "article-journal",
    SourceKind.letter: "article-journal",
    SourceKind.preprint: "article",
    SourceKind.thesis: "thesis",
    SourceKind.drug_label: "document",
    SourceKind.manufacturer_information: "document",
    SourceKind.reference_work: "entry",
}


def _bibtex_escape(value: str) -> str:
    value = value.replace("\\", "\\textbackslash{}")
    value = re.sub(r"([{}&%$#_])", r"\\\1", value)
    return value.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _note(source: SourceDetail) -> str:
    return f"{source.evidence_type.value.replace('_', ' ')}; ketinteract source {source.id}"


def to_text(sources: Sequence[SourceDetail]) -> str:
    lines = []
    for number, source in enumerate(sources, start=1):
        link = source.url
        lines.append(inert(f"[{number}] {source.citation}" + (f" {link}" if link else "")))
    return "\n".join(lines) + "\n"


def to_bibtex(sources: Sequence[SourceDetail]) -> str:
    entries = []
    for source in sources:
        c = source.bibliographic
        fields: list[tuple[str, str]] = []
        if c.authors:
            fields.append(("author", " and ".join(c.authors) + ("" if c.authors_complete else " and others")))
        if c.title:
            fields.append(("title", c.title))
        if c.journal:
            fields.append(("journal", c.journal))
        if c.publisher:
            fields.append(("publisher", c.publisher))
        for key in ("year", "volume", "pages"):
            value = getattr(c, key)
            if value is not None:
                fields.append((key, str(value)))
        if c.issue:
            fields.append(("number", c.issue))
        if source.doi:
            fields.append(("doi", source.doi))
        if source.pmid:
            fields.append(("pmid", source.pmid))
        if c.pmcid:
            fields.append(("pmcid", c.pmcid))
        if source.url:
            fields.append(("url", source.url))
        fields.append(("note", _note(source)))
        body = ",\n".join(f"  {k} = {{{_bibtex_escape(_one_line(v))}}}" for k, v in fields)
        entries.append(f"@{_BIBTEX_TYPE[source.kind]}{{{source.id},\n{body}\n}}\n")
    return "\n".join(entries)


def to_ris(sources: Sequence[SourceDetail]) -> str:
    records = []
    for source in sources:
        c = source.bibliographic
        tags: list[tuple[str, str]] = [("TY", _RIS_TYPE[source.kind]), ("ID", source.id)]
        tags += [("AU", a) for a in c.authors]
        if c.title:
            tags.append(("TI", c.title))
        if c.journal:
            tags.append(("JO", c.journal))
        if c.publisher:
            tags.append(("PB", c.publisher))
        if c.year:
            tags.append(("PY", str(c.year)))
        if c.volume:
            tags.append(("VL", c.volume))
        if c.issue:
            tags.append(("IS", c.issue))
        if c.pages:
            start, _, end = c.pages.partition("-")
            tags.append(("SP", start))
            if end:
                tags.append(("EP", end))
        if source.doi:
            tags.append(("DO", source.doi))
        if source.pmid:
            tags.append(("AN", f"PMID:{source.pmid}"))
        if source.url:
            tags.append(("UR", source.url))
        tags.append(("N1", _note(source)))
        tags.append(("ER", ""))
        records.append("\n".join(f"{tag}  - {_one_line(value)}".rstrip() for tag, value in tags))
    return "\n\n".join(records) + "\n"


def _csl_author(name: str) -> dict[str, str]:
    family, _, given = name.partition(" ")
    return {"family": family, "given": given} if given else {"literal": name}


def to_csl_json(sources: Sequence[SourceDetail]) -> str:
    items = []
    for source in sources:
        c = source.bibliographic
        item: dict[str, object] = {"id": source.id, "type": _CSL_TYPE[source.kind]}
        if c.authors:
            item["author"] = [_csl_author(a) for a in c.authors]
        if c.title:
            item["title"] = c.title
        if c.journal:
            item["container-title"] = c.journal
        if c.publisher:
            item["publisher"] = c.publisher
        if c.year:
            item["issued"] = {"date-parts": [[c.year]]}
        if c.volume:
            item["volume"] = c.volume
        if c.issue:
            item["issue"] = c.issue
        if c.pages:
            item["page"] = c.pages
        if source.doi:
            item["DOI"] = source.doi
        if source.pmid:
            item["PMID"] = source.pmid
        if c.pmcid:
            item["PMCID"] = c.pmcid
        if source.url:
            item["URL"] = source.url
        item["note"] = _note(source)
        items.append(item)
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


EXPORTERS: dict[OutputFormat, Callable[[Sequence[SourceDetail]], str]] = {
    OutputFormat.text: to_text,
    OutputFormat.bibtex: to_bibtex,
    OutputFormat.ris: to_ris,
    OutputFormat.csl_json: to_csl_json,
}


def render_citations(document: SourceListDocument, fmt: OutputFormat, out: TextIO) -> None:
    out.write(EXPORTERS[fmt](document.sources))
