"""Citations for reference managers: plain text, BibTeX, RIS and CSL-JSON.

Only verified fields are exported; a missing title stays missing rather than being invented.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from ketinteract.models import Source
from ketinteract.query import canonical_url, evidence_type, format_citation
from ketinteract.textsafe import inert
from ketinteract.vocabulary import SourceKind

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


def _note(source: Source) -> str:
    return f"{evidence_type(source).value.replace('_', ' ')}; ketinteract source {source.id}"


def to_text(sources: Sequence[Source]) -> str:
    lines = []
    for number, source in enumerate(sources, start=1):
        link = canonical_url(source)
        lines.append(inert(f"[{number}] {format_citation(source.citation)}" + (f" {link}" if link else "")))
    return "\n".join(lines) + "\n"


def to_bibtex(sources: Sequence[Source]) -> str:
    entries = []
    for source in sources:
        c = source.citation
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
        for key in ("doi", "pmid", "pmcid"):
            value = getattr(source, key)
            if value:
                fields.append((key, value))
        link = canonical_url(source)
        if link:
            fields.append(("url", link))
        fields.append(("note", _note(source)))
        body = ",\n".join(f"  {k} = {{{_bibtex_escape(_one_line(v))}}}" for k, v in fields)
        entries.append(f"@{_BIBTEX_TYPE[source.kind]}{{{source.id},\n{body}\n}}\n")
    return "\n".join(entries)


def to_ris(sources: Sequence[Source]) -> str:
    records = []
    for source in sources:
        c = source.citation
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
        link = canonical_url(source)
        if link:
            tags.append(("UR", link))
        tags.append(("N1", _note(source)))
        tags.append(("ER", ""))
        records.append("\n".join(f"{tag}  - {_one_line(value)}".rstrip() for tag, value in tags))
    return "\n\n".join(records) + "\n"


def _csl_author(name: str) -> dict[str, str]:
    family, _, given = name.partition(" ")
    return {"family": family, "given": given} if given else {"literal": name}


def to_csl_json(sources: Sequence[Source]) -> str:
    items = []
    for source in sources:
        c = source.citation
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
        if source.pmcid:
            item["PMCID"] = source.pmcid
        link = canonical_url(source)
        if link:
            item["URL"] = link
        item["note"] = _note(source)
        items.append(item)
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


EXPORTERS: dict[str, Callable[[Sequence[Source]], str]] = {
    "text": to_text,
    "bibtex": to_bibtex,
    "ris": to_ris,
    "csl-json": to_csl_json,
}
