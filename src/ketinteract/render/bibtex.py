"""BibTeX, written by bibtexparser's own writer (entries built as a Library, names merged by its name
middleware), so the syntax is the library's and only the content is ours.

- Names are "Family, Given" ("Williams, N. R.", "van Dam, A. B.", "Zarate, Jr, C. A."), so reference
  managers and BibTeX styles never swap them; a name we cannot split (an organisation) is braced whole.
- Titles brace acronyms and other words with inner capitals ({NMDA}, {CYP3A}, {S-ketamine}), which
  sentence-case styles would otherwise lower-case.
- An entry type is written only when its required fields are all present (@article: author, title,
  journal, year; @unpublished: author, title, note;
  @online: author, title, year, url); anything else is @misc, which requires nothing.
- Every value is one line with control characters made inert; ``doi`` and ``url`` are verbatim fields in
  biblatex, so they are percent-encoded rather than TeX-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware, MergeCoAuthors, MergeNameParts, NameParts
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from ketinteract.enums import SourceKind
from ketinteract.render.authors import split_author
from ketinteract.render.links import clean_url
from ketinteract.results import SourceDetail
from ketinteract.textsafe import one_line

REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "unpublished": ("author", "title", "note"),
    "online": ("author", "title", "year", "url"),
    "misc": (),
}
"""Required fields per entry type (BibTeX's, and biblatex's for @online)."""
_PREFERRED = {
    SourceKind.journal_article: "article",
    SourceKind.letter: "article",
    SourceKind.preprint: "unpublished",
    SourceKind.thesis: "misc",
    SourceKind.drug_label: "online",
    SourceKind.manufacturer_information: "online",
    SourceKind.reference_work: "online",
}
_TEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_TEX_REPLACEMENT = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_VERBATIM_UNSAFE = re.compile(r"[{}\\%\s]")
_AND = re.compile(r"\band\b", re.IGNORECASE)


def tex(value: str) -> str:
    """``value`` as BibTeX field text: one line, inert, TeX specials escaped."""
    return _TEX_SPECIAL.sub(lambda m: _TEX_REPLACEMENT.get(m.group(), "\\" + m.group()), one_line(value))


def verbatim(value: str) -> str:
    """A DOI or URL for a verbatim field: inert, and braces, backslashes, % and spaces percent-encoded so
    the value can neither end the field nor be read as a comment."""
    return _VERBATIM_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), one_line(value))


_SEGMENT = re.compile(r"[-/]")
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def needs_braces(word: str) -> bool:
    """Words a sentence-case style must not lower-case, judged per hyphen-separated part: two or more
    capitals (NMDA, CYP3A), a capital after the first letter (UpToDate) or a lone capital letter
    (S-ketamine, N-methyl-D-aspartate, Phase I). "Double-Blind" is not braced: it is ordinary title case.
    The article "A" alone is not braced either."""
    if word == "A":
        return False
    for segment in _SEGMENT.split(word):
        letters = [ch for ch in segment if ch.isalpha()]
        if not letters:
            continue
        if sum(ch.isupper() for ch in letters) >= 2 or any(ch.isupper() for ch in letters[1:]):
            return True
        if len(letters) == 1 and letters[0].isupper():
            return True
    return False


def _title_word(word: str) -> str:
    if not needs_braces(word):
        return tex(word)
    lead, core, trail = _EDGES.fullmatch(word).groups()  # type: ignore[union-attr]  # matches any string
    return f"{tex(lead)}{{{tex(core)}}}{tex(trail)}"


def title(value: str) -> str:
    """Title text with case-sensitive words braced ("{NMDA} antagonist", "({PLR} format)")."""
    return " ".join(_title_word(w) for w in one_line(value).split(" "))


def pages(value: str) -> str:
    """Page ranges with BibTeX's en dash ("123--130")."""
    return re.sub(r"(?<=\w)-(?=\w)", "--", tex(value))


def _protect(value: str) -> str:
    """Brace a name part that BibTeX would misread: a comma splits parts, "and" splits authors."""
    return f"{{{value}}}" if "," in value or _AND.search(value) else value


def name_parts(author: str) -> NameParts:
    person = split_author(author)
    if person.literal:
        return NameParts(last=[f"{{{tex(person.family)}}}"])
    return NameParts(
        first=[tex(person.dotted_given())],
        last=[_protect(tex(person.family))],
        jr=[tex(person.suffix)] if person.suffix else [],
    )


def _fields(source: SourceDetail) -> dict[str, object]:
    c = source.bibliographic
    fields: dict[str, object] = {}
    if c.authors:
        people = [name_parts(a) for a in c.authors]
        fields["author"] = [*people, NameParts(last=["others"])] if not c.authors_complete else people
    if c.title:
        fields["title"] = title(c.title)
    if c.journal:
        fields["journal"] = tex(c.journal)
    if c.publisher:
        fields["publisher"] = tex(c.publisher)
    if c.year is not None:
        fields["year"] = str(c.year)
    if c.volume:
        fields["volume"] = tex(c.volume)
    if c.issue:
        fields["number"] = tex(c.issue)
    if c.pages:
        fields["pages"] = pages(c.pages)
    if source.doi:
        fields["doi"] = verbatim(source.doi)
    if source.pmid:
        fields["pmid"] = tex(source.pmid)
    if c.pmcid:
        fields["pmcid"] = tex(c.pmcid)
    url = clean_url(source.url)
    if url:
        fields["url"] = verbatim(url)
    fields["note"] = tex(f"{source.evidence_type.value.replace('_', ' ')}; ketinteract source {source.id}")
    return fields


def entry_type(kind: SourceKind, fields: dict[str, object]) -> str:
    """The preferred type for ``kind`` when every field it requires is present, else @misc."""
    preferred = _PREFERRED[kind]
    return preferred if all(f in fields for f in REQUIRED[preferred]) else "misc"


def entry(source: SourceDetail) -> Entry:
    fields = _fields(source)
    kind = entry_type(source.kind, fields)
    if kind == "misc" and "publisher" in fields:
        # @misc has no publisher field; styles print howpublished.
        fields["howpublished"] = fields.pop("publisher")
    key = re.sub(r"[^A-Za-z0-9_:.-]", "-", source.id)
    return Entry(kind, key, [Field(k, v) for k, v in fields.items()])


def to_bibtex(sources: Sequence[SourceDetail]) -> str:
    library = Library()
    library.add([entry(s) for s in sources])
    style = BibtexFormat()  # type: ignore[no-untyped-call]  # its __init__ lacks an annotation
    style.indent = "  "
    style.block_separator = "\n"
    stack = [
        MergeNameParts(style="last"),
        MergeCoAuthors(),
        AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=False, default_enclosing="{"),
    ]
    text: str = write_string(library, unparse_stack=stack, bibtex_format=style)
    return text
