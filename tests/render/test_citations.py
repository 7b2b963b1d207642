"""Citation exports read back by the libraries reference managers use: names field by field, required
fields per BibTeX entry type, braced acronyms, journal abbreviations, and hostile data (issues 15 and 16)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from ketinteract.enums import SOURCE_FORMATS, OutputFormat, SourceKind
from ketinteract.render import RenderOptions, emit
from ketinteract.render.authors import PersonName, is_initials, split_author
from ketinteract.render.bibtex import REQUIRED, needs_braces
from ketinteract.results import SourceDetail, SourceListDocument

from .factories import no_raw_controls, source_detail

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202e\u2066"


def export(fmt: OutputFormat, *sources: SourceDetail) -> str:
    out = io.StringIO()
    emit(SourceListDocument(sources=list(sources)), fmt, out, RenderOptions())
    return out.getvalue()


def parse_bibtex(text: str) -> Any:
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])  # type: ignore[attr-defined]  # re-exported without __all__
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def family(parts: Any) -> str:
    return " ".join([*parts.von, *parts.last]).replace("{", "").replace("}", "")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Williams NR", PersonName("Williams", "NR")),
        ("van Dam AB", PersonName("van Dam", "AB")),
        ("Yoon G", PersonName("Yoon", "G")),
        ("Zarate CA Jr", PersonName("Zarate", "CA", "Jr")),
        ("Fang J-X", PersonName("Fang", "J-X")),
        ("De Bernardini D", PersonName("De Bernardini", "D")),
        ("Vande Voort JL", PersonName("Vande Voort", "JL")),
        ("D'Souza DC", PersonName("D'Souza", "DC")),
        ("Mäkelä M-L", PersonName("Mäkelä", "M-L")),
        ("Chiu HFK", PersonName("Chiu", "HFK")),
        ("World Health Organization", PersonName("World Health Organization")),
        ("Janssen", PersonName("Janssen")),
    ],
)
def test_author_splitter(name: str, expected: PersonName) -> None:
    assert split_author(name) == expected
    assert split_author(name).joined() == name


def test_dotted_initials_are_one_token_per_initial() -> None:
    assert split_author("Williams NR").dotted_given() == "N. R."
    assert split_author("Fang J-X").dotted_given() == "J.-X."
    assert split_author("Yoon G").dotted_given() == "G."


@given(st.text())
def test_any_author_string_splits_into_parts_that_rejoin(name: str) -> None:
    person = split_author(name)
    assert person.joined() == " ".join(name.split())
    if not person.literal:
        assert person.family and is_initials(person.given)


family_words = st.lists(st.from_regex(r"[A-Za-zÀ-ÿ'][a-zà-ÿ'-]{1,12}", fullmatch=True), min_size=1, max_size=3)


@given(family_words, st.from_regex(r"[A-Z]{1,3}(-[A-Z])?", fullmatch=True))
def test_family_and_initials_come_back_exactly(words: list[str], initials: str) -> None:
    person = split_author(" ".join([*words, initials]))
    assert (person.family, person.given) == (" ".join(words), initials)


BRACED = ["NMDA", "MDMA", "CYP3A", "S-ketamine", "(S)-ketamine", "N-methyl-D-aspartate", "UpToDate", "I"]
NOT_BRACED = ["ketamine", "Ketamine", "Double-Blind", "A", "1997-2019"]


@pytest.mark.parametrize(("word", "braced"), [(w, True) for w in BRACED] + [(w, False) for w in NOT_BRACED])
def test_which_title_words_are_braced(word: str, braced: bool) -> None:
    assert needs_braces(word) is braced


def test_bundled_bibtex_names_parse_field_by_field(cli: Callable[..., Result], bundled_raw: dict[str, Any]) -> None:
    library = parse_bibtex(cli("sources", "--format", "bibtex").stdout)
    raw = {s["id"]: s for s in bundled_raw["sources"]}
    assert {e.key for e in library.entries} == set(raw)
    williams = next(e for e in library.entries if e.key == "williams-2018")
    assert family(williams.fields_dict["author"].value[0]) == "Williams"
    assert williams.fields_dict["author"].value[0].first == ["N.", "R."]
    for entry in library.entries:
        authors = raw[entry.key]["citation"].get("authors") or []
        if not authors:
            assert "author" not in entry.fields_dict
            continue
        parsed = entry.fields_dict["author"].value
        complete = raw[entry.key]["citation"].get("authors_complete", True)
        if not complete:
            assert family(parsed.pop()) == "others"
        assert [family(p) for p in parsed] == [split_author(a).family for a in authors]
        assert [" ".join(p.first) for p in parsed] == [split_author(a).dotted_given() for a in authors]


def test_bundled_bibtex_entries_carry_their_required_fields(cli: Callable[..., Result]) -> None:
    library = parse_bibtex(cli("sources", "--format", "bibtex").stdout)
    types = set()
    for entry in library.entries:
        types.add(entry.entry_type)
        assert entry.entry_type in REQUIRED
        assert all(f in entry.fields_dict for f in REQUIRED[entry.entry_type]), entry.key
    assert {"article", "misc"} <= types


def test_article_without_a_journal_falls_back_to_misc() -> None:
    entries = parse_bibtex(export(OutputFormat.bibtex, source_detail(journal=None))).entries
    assert entries[0].entry_type == "misc"
    assert parse_bibtex(export(OutputFormat.bibtex, source_detail())).entries[0].entry_type == "article"


def test_bibtex_braces_acronyms_and_keeps_dois_verbatim() -> None:
    text = export(OutputFormat.bibtex, source_detail(title="NMDA and MDMA in S-ketamine users", doi="10.1000/a_b"))
    entry = parse_bibtex(text).entries[0]
    assert entry.fields_dict["title"].value == "{NMDA} and {MDMA} in {S-ketamine} users"
    assert entry.fields_dict["doi"].value == "10.1000/a_b"
    assert entry.fields_dict["pages"].value == "1205--1215"


def test_bibtex_marks_incomplete_author_lists_and_braces_organisations() -> None:
    text = export(OutputFormat.bibtex, source_detail(authors=["Yoon G", "Smith and Jones"], complete=False))
    names = parse_bibtex(text).entries[0].fields_dict["author"].value
    assert [family(n) for n in names] == ["Yoon", "Smith and Jones", "others"]


def test_ris_writes_family_comma_given(cli: Callable[..., Result]) -> None:
    text = cli("sources", "--format", "ris").stdout
    assert "AU  - Williams, NR\n" in text
    assert "AU  - Zarate, CA, Jr\n" in text
    records = {r["id"]: r for r in rispy.loads(text)}
    assert records["williams-2018"]["authors"][0] == "Williams, NR"
    assert not re.search(r"^\d+\.$", text, re.MULTILINE), "no rispy counter lines"


def test_csl_json_names_and_journal_abbreviation() -> None:
    item = json.loads(export(OutputFormat.csl_json, source_detail(authors=["Zarate CA Jr", "WHO Group"])))[0]
    assert item["author"] == [{"family": "Zarate", "given": "C. A.", "suffix": "Jr"}, {"literal": "WHO Group"}]
    assert item["container-title-short"] == "Am J Psychiatry"


def hostile_source(text: str = HOSTILE) -> SourceDetail:
    return source_detail(
        sid="hostile",
        authors=[f"Evil{text} AB", f"{text} CD", text],
        title=f"Title {text} {{}} }} \\ & % $ # _ ~ ^",
        journal=f"J {text}",
        publisher=f"P {text}",
        url=f"https://example.org/{text}",
        pmid=None,
        doi=f"10.1000/{text}",
        summary=text,
    )


@pytest.mark.parametrize("fmt", SOURCE_FORMATS)
def test_citation_exports_make_hostile_data_inert(fmt: OutputFormat) -> None:
    text = export(fmt, hostile_source())
    assert no_raw_controls(text), fmt
    if fmt is OutputFormat.bibtex:
        assert len(parse_bibtex(text).entries) == 1
    elif fmt is OutputFormat.ris:
        assert len(rispy.loads(text)) == 1
    elif fmt in {OutputFormat.csl_json, OutputFormat.json}:
        json.loads(text)


hostile_text = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(HOSTILE + "{}\\%@,\n"))), max_size=40)


@given(hostile_text)
def test_any_text_gives_one_parseable_bibtex_entry_and_ris_record(text: str) -> None:
    source = hostile_source(text)
    bib = export(OutputFormat.bibtex, source)
    assert no_raw_controls(bib)
    assert [e.key for e in parse_bibtex(bib).entries] == ["hostile"]
    ris = export(OutputFormat.ris, source)
    assert no_raw_controls(ris)
    records = rispy.loads(ris)
    assert len(records) == 1 and records[0]["id"] == "hostile"
    assert json.loads(export(OutputFormat.csl_json, source))[0]["id"] == "hostile"


def test_drug_label_without_authors_is_misc_with_url_and_note() -> None:
    label = source_detail(
        sid="label",
        authors=[],
        kind=SourceKind.drug_label,
        journal=None,
        pmid=None,
        doi=None,
        url="https://dailymed.nlm.nih.gov/x",
        publisher="Janssen",
    )
    entry = parse_bibtex(export(OutputFormat.bibtex, label)).entries[0]
    assert entry.entry_type == "misc"
    assert entry.fields_dict["url"].value == "https://dailymed.nlm.nih.gov/x"
    assert entry.fields_dict["howpublished"].value == "Janssen"
    assert "note" in entry.fields_dict
