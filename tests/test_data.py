"""Guards on the bundled table: it validates, every claim is sourced with checked identifiers and
canonical links, every context the issues require is present, and grades match the rubric."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from ketinteract.enums import Design, Effect, EvidenceType, SourceKind, Species
from ketinteract.grading import grade_finding
from ketinteract.loader import bundled_table_path, load_file
from ketinteract.models import Table
from ketinteract.present import canonical_url, evidence_type
from ketinteract.validation import check_table

TABLE: Table = load_file(bundled_table_path())
SOURCES = {s.id: s for s in TABLE.sources}
FINDINGS = {f.id: f for f in TABLE.findings}
MIRRORS = re.compile(
    r"metajournal|epistemonikos|scite\.ai|ouci\.dntb|booksci|bohrium|ichgcp|medluna|zendy|suppr\.|vibore"
    r"|fda\.report|medlibrary|mimsdev|pillsync|sciencegate|researchgate|semanticscholar|europepmc\.org/api"
)
"""Aggregators and mirrors where facts were sometimes confirmed; a citation never links to them."""

# (drug a, drug b, context): every pair x context the issues name, as written records (not extrapolated).
REQUIRED = [
    ("naloxone", "ketamine", "anesthesia"),
    ("naloxone", "ketamine", "analgesia"),
    ("naloxone", "ketamine", "dissociation"),
    ("naloxone", "ketamine", "respiratory-depression"),
    ("naloxone", "ketamine", "opioid-withdrawal"),
    ("naloxone", "ketamine", "antidepressant"),
    ("naloxone", "ketamine", "cardiovascular"),
    ("naltrexone", "ketamine", "antidepressant"),
    ("naltrexone", "ketamine", "antisuicidal"),
    ("naltrexone", "ketamine", "dissociation"),
    ("naltrexone", "ketamine", "opioid-withdrawal"),
    ("naltrexone", "ketamine", "alcohol-use-disorder"),
    ("buprenorphine", "ketamine", "antidepressant"),
    ("buprenorphine", "ketamine", "respiratory-depression"),
    ("methadone", "ketamine", "antidepressant"),
    ("methadone", "ketamine", "respiratory-depression"),
    ("opioid-analgesics", "ketamine", "respiratory-depression"),
    ("methylnaltrexone", "ketamine", "antidepressant"),
    ("nalmefene", "ketamine", "antidepressant"),
    ("samidorphan", "ketamine", "antidepressant"),
    ("benzodiazepines", "ketamine", "antidepressant"),
    ("benzodiazepines", "esketamine", "antidepressant"),
    ("benzodiazepines", "ketamine", "respiratory-depression"),
    ("lamotrigine", "ketamine", "dissociation"),
    ("lamotrigine", "ketamine", "antidepressant"),
    ("clarithromycin", "ketamine", "pharmacokinetics"),
    ("grapefruit-juice", "ketamine", "pharmacokinetics"),
    ("ticlopidine", "ketamine", "pharmacokinetics"),
    ("itraconazole", "ketamine", "pharmacokinetics"),
    ("rifampicin", "ketamine", "pharmacokinetics"),
    ("st-johns-wort", "ketamine", "pharmacokinetics"),
    ("maois", "esketamine", "cardiovascular"),
    ("psychostimulants", "esketamine", "cardiovascular"),
    ("cns-depressants", "esketamine", "sedation"),
    ("theophylline", "ketamine", "seizure-threshold"),
    ("aminophylline", "ketamine", "seizure-threshold"),
    ("sympathomimetics", "ketamine", "cardiovascular"),
    ("alcohol", "ketamine", "respiratory-depression"),
    ("memantine", "ketamine", "dissociation"),
    ("dextromethorphan", "ketamine", "dissociation"),
    ("nitrous-oxide", "ketamine", "dissociation"),
    ("ssris-snris", "ketamine", "antidepressant"),
    ("ssris-snris", "esketamine", "antidepressant"),
    ("clonidine", "ketamine", "cardiovascular"),
    ("dexmedetomidine", "ketamine", "cardiovascular"),
    ("haloperidol", "ketamine", "dissociation"),
]


def records(a: str, b: str, context: str) -> list[str]:
    return [f.id for f in TABLE.findings if set(f.drugs) == {a, b} and f.context == context]


def test_bundled_table_validates_with_no_problems() -> None:
    assert check_table(TABLE, "bundled") == []


@pytest.mark.parametrize(("a", "b", "context"), REQUIRED)
def test_required_pair_and_context_has_a_record(a: str, b: str, context: str) -> None:
    assert records(a, b, context), f"no finding for {a} x {b} in {context}"


def test_ids_are_unique() -> None:
    for ids in ([s.id for s in TABLE.sources], [f.id for f in TABLE.findings], [d.id for d in TABLE.drugs]):
        assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_every_finding_has_a_source_and_every_source_is_used() -> None:
    used = {r.source for f in TABLE.findings for r in f.sources}
    used |= {s for f in TABLE.findings if f.mechanism for s in f.mechanism.sources}
    used |= {s for r in TABLE.regimen_rules for s in r.sources}
    assert all(f.sources for f in TABLE.findings)
    assert set(SOURCES) == used, f"unused sources: {set(SOURCES) - used}"


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_journal_sources_have_well_formed_identifiers(source_id: str) -> None:
    source = SOURCES[source_id]
    if source.kind in {SourceKind.journal_article, SourceKind.letter}:
        assert source.pmid or source.doi or source.nct or source.url
        if source.pmid:
            assert re.fullmatch(r"[1-9]\d{0,8}", source.pmid)
        if source.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", source.doi)
    url = canonical_url(source)
    assert url, f"{source_id} cannot be located: no PMID, DOI or URL"
    assert url.startswith("https://") and not MIRRORS.search(url), f"{source_id}: {url} is not a canonical link"


NO_HUMAN = re.compile(r"\bno (human|clinical) (study|studies|data|evidence)\b", re.I)


def test_a_finding_that_says_no_human_evidence_cites_none_that_answers_it() -> None:
    """The audit's lesson: an answer may say no human study exists only when every human study it
    cites answers a neighbouring question (marked ``indirect``: another dose, route or population)."""
    for finding in TABLE.findings:
        if NO_HUMAN.search(finding.answer):
            direct = [
                r.source
                for r in finding.sources
                if r.direction != "background"
                and not r.indirect
                and evidence_type(SOURCES[r.source]) is EvidenceType.human_study
            ]
            assert not direct, f"{finding.id} says no human evidence but cites {direct} as direct evidence"


def test_articles_have_authors_and_titles_or_say_they_were_not_seen() -> None:
    for source in TABLE.sources:
        if source.kind in {SourceKind.journal_article, SourceKind.letter}:
            unseen = {u.casefold() for u in source.unverified}
            assert source.citation.authors or "authors" in unseen, source.id
            assert source.citation.title or "title" in unseen, source.id


def test_every_context_is_answered_and_new_contexts_carry_questions() -> None:
    used = {f.context for f in TABLE.findings}
    for context in TABLE.contexts:
        assert context.id in used, f"context {context.id} has no finding"
    new = [c for c in TABLE.contexts if c.questions]
    assert {"duplicate-therapy", "neuromuscular-block", "emergence-recovery"} <= {c.id for c in new}


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_non_clinical_evidence_is_labelled(source_id: str) -> None:
    source = SOURCES[source_id]
    kind = evidence_type(source)
    if source.design is Design.animal_study:
        assert kind is EvidenceType.animal and source.species not in {None, Species.human}
    if source.design is Design.in_vitro_study:
        assert kind is EvidenceType.in_vitro
    if source.kind is SourceKind.drug_label:
        assert kind is EvidenceType.label
    if kind is EvidenceType.human_study:
        assert source.species is Species.human  # n may be unreported; the rubric then rates down


def test_computed_grades_match_stored_grades() -> None:
    for finding in TABLE.findings:
        assert grade_finding(finding, SOURCES).grade is finding.evidence_grade or finding.grade_override_reason


def test_conflicting_findings_show_both_sides() -> None:
    conflicting = [f for f in TABLE.findings if f.effect is Effect.conflicting]
    assert conflicting
    for f in conflicting:
        assert f.conflict
        assert len({r.direction for r in f.sources} - {"background"}) >= 2


def test_route_specific_findings_state_their_route() -> None:
    by_pair_context: dict[tuple[Any, ...], list[Any]] = {}
    for f in TABLE.findings:
        by_pair_context.setdefault((frozenset(f.drugs), f.context, f.origin), []).append(f)
    for group in by_pair_context.values():
        severities = {f.severity for f in group}
        if len(group) > 1 and len(severities) > 1:
            assert all(f.conditions.routes or f.conditions.population or f.conditions.dose for f in group)


def test_summaries_are_written_not_pasted() -> None:
    """Crude guard against pasted abstracts: no summary carries abstract headings or is overly long."""
    for source in TABLE.sources:
        assert not re.search(r"\b(Background|Methods|Results|Conclusions):", source.summary), source.id
        assert len(source.summary) < 700, source.id
