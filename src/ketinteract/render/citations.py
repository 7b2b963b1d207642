"""Citations for reference managers: plain text, BibTeX (:mod:`ketinteract.render.bibtex`), RIS and
CSL-JSON.

Only fields seen in a public record are exported; a missing title stays missing rather than being
invented. Every format is written by the library or encoder made for it (bibtexparser, rispy, json) and
every data string is made inert first, since these exports are often printed straight to a terminal.

- RIS: ``AU  - Williams, NR`` ("Family, Given[, Suffix]", as the RIS specification asks), one line per
  tag; the journal abbreviation in ``JO`` (as PubMed's own RIS export does).
- CSL-JSON: names as ``family``/``given``/``suffix`` (``literal`` for a name we cannot split); our table
  stores NLM journal abbreviations ("Int J Neuropsychopharmacol"), which go in ``container-title-short``.
  No full journal title is known, so ``container-title`` repeats the abbreviation rather than being left
  empty (styles that print the full title would otherwise print no journal at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TextIO

from ketinteract.enums import OutputFormat, SourceKind
from ketinteract.render.authors import split_author
from ketinteract.render.json_format import dumps
from ketinteract.render.links import clean_url
from ketinteract.results import SourceDetail, SourceListDocument
from ketinteract.textsafe import inert, one_line

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


def _note(source: SourceDetail) -> str:
    return one_line(f"{source.evidence_type.value.replace('_', ' ')}; ketinteract source {source.id}")


def to_text(sources: Sequence[SourceDetail]) -> str:
    lines = []
    for number, source in enumerate(sources, start=1):
        link = clean_url(source.url)
        lines.append(one_line(f"[{number}] {source.citation}" + (f" {link}" if link else "")))
    return "\n".join(lines) + "\n"


def ris_author(name: str) -> str:
    person = split_author(name)
    if person.literal:
        return one_line(person.family)
    parts = [person.family, person.given] + ([person.suffix] if person.suffix else [])
    return one_line(", ".join(parts))


@cache
def _ris_writer() -> type[Any]:
    """rispy's writer without its "1." counter line before each record, which RIS does not define
    (built on first use, so only the RIS export imports rispy)."""
    import rispy

    class Writer(rispy.RisWriter):  # type: ignore[misc]  # rispy ships no type information
        def set_header(self, count: int) -> str:
            return ""

    return Writer


def ris_record(source: SourceDetail) -> dict[str, Any]:
    c = source.bibliographic
    record: dict[str, Any] = {"type_of_reference": _RIS_TYPE[source.kind], "id": one_line(source.id)}
    if c.authors:
        record["authors"] = [ris_author(a) for a in c.authors]
    optional = {
        "title": c.title,
        "journal_name": c.journal,
        "publisher": c.publisher,
        "year": str(c.year) if c.year is not None else None,
        "volume": c.volume,
        "number": c.issue,
        "doi": source.doi,
        "accession_number": f"PMID:{source.pmid}" if source.pmid else None,
    }
    record |= {key: one_line(value) for key, value in optional.items() if value}
    if c.pages:
        start, _, end = one_line(c.pages).partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    url = clean_url(source.url)
    if url:
        record["urls"] = [url]
    record["notes"] = [_note(source)]
    return record


def to_ris(sources: Sequence[SourceDetail]) -> str:
    import rispy

    text: str = rispy.dumps([ris_record(s) for s in sources], implementation=_ris_writer())
    return text


def to_bibtex(sources: Sequence[SourceDetail]) -> str:
    # Imported here so plain-text and CSL citations never load bibtexparser.
    from ketinteract.render import bibtex

    return bibtex.to_bibtex(sources)


def csl_author(name: str) -> dict[str, str]:
    person = split_author(name)
    if person.literal:
        return {"literal": one_line(person.family)}
    author = {"family": one_line(person.family), "given": one_line(person.dotted_given())}
    if person.suffix:
        author["suffix"] = one_line(person.suffix)
    return author


def csl_item(source: SourceDetail) -> dict[str, object]:
    c = source.bibliographic
    item: dict[str, object] = {"id": one_line(source.id), "type": _CSL_TYPE[source.kind]}
    if c.authors:
        item["author"] = [csl_author(a) for a in c.authors]
    if c.title:
        item["title"] = one_line(c.title)
    if c.journal:
        item["container-title-short"] = one_line(c.journal)
        item["container-title"] = one_line(c.journal)
    if c.publisher:
        item["publisher"] = one_line(c.publisher)
    if c.year is not None:
        item["issued"] = {"date-parts": [[c.year]]}
    strings = {"volume": c.volume, "issue": c.issue, "page": c.pages, "DOI": source.doi}
    strings |= {"PMID": source.pmid, "PMCID": c.pmcid, "URL": clean_url(source.url)}
    item |= {key: one_line(value) for key, value in strings.items() if value}
    item["note"] = _note(source)
    return item


def to_csl_json(sources: Sequence[SourceDetail]) -> str:
    return dumps([csl_item(s) for s in sources], indent=2) + "\n"


EXPORTERS: dict[OutputFormat, Callable[[Sequence[SourceDetail]], str]] = {
    OutputFormat.text: to_text,
    OutputFormat.bibtex: to_bibtex,
    OutputFormat.ris: to_ris,
    OutputFormat.csl_json: to_csl_json,
}


def render_citations(document: SourceListDocument, fmt: OutputFormat, out: TextIO) -> None:
    # The last inert() is belt and braces: every exporter already makes each value inert.
    out.write(inert(EXPORTERS[fmt](document.sources)))
