"""The grading rubric, step by step, on small hand-built findings."""

from __future__ import annotations

import datetime as dt

from ketinteract.enums import Design, Direction, EvidenceGrade, SourceKind, Species
from ketinteract.grading import IMPRECISION_THRESHOLD, final_grading, grade_finding
from ketinteract.models import Citation, Finding, Source, SourceRef


def source(sid: str, design: Design, n: int | None = 50, species: Species | None = Species.human) -> Source:
    return Source(
        id=sid,
        kind=SourceKind.journal_article,
        citation=Citation(title=sid, authors=[f"Author{sid}"], year=2000),
        pmid="1",
        design=design,
        species=species,
        n=n,
        summary="s",
    )


def finding(*refs: SourceRef, override: str | None = None, grade: str = "low") -> Finding:
    return Finding(
        id="aa-bb-xx",
        drugs=("aa", "bb"),
        context="xx",
        question="q",
        answer="a",
        effect="no_effect",
        severity="minor",
        action="monitor",
        evidence_grade=grade,
        grade_override_reason=override,
        management="m",
        sources=list(refs),
        last_reviewed=dt.date(2026, 1, 1),
    )


def ref(sid: str, direction: Direction = Direction.no_effect, **kw: str) -> SourceRef:
    return SourceRef(source=sid, direction=direction, **kw)


RCT = source("r1", Design.randomized_controlled_trial, n=200)
RCT_SMALL = source("r2", Design.randomized_crossover_trial, n=20)
COHORT = source("c1", Design.cohort_study, n=500)
RAT = source("a1", Design.animal_study, n=None, species=Species.rat)
LABEL = Source(
    id="l1", kind=SourceKind.drug_label, citation=Citation(title="label"), design=Design.drug_label, summary="s"
)
SOURCES = {s.id: s for s in (RCT, RCT_SMALL, COHORT, RAT, LABEL)}


def steps(f: Finding) -> list[tuple[str, EvidenceGrade]]:
    return [(s.step, s.grade) for s in grade_finding(f, SOURCES).steps]


def test_large_consistent_direct_rct_is_high() -> None:
    assert grade_finding(finding(ref("r1")), SOURCES).grade is EvidenceGrade.high


def test_small_rct_is_rated_down_for_imprecision() -> None:
    assert steps(finding(ref("r2"))) == [("start", EvidenceGrade.high), ("imprecision", EvidenceGrade.moderate)]
    assert IMPRECISION_THRESHOLD > 20


def test_disagreeing_studies_are_rated_down_for_inconsistency() -> None:
    f = finding(ref("r1"), ref("c1", Direction.attenuates))
    assert steps(f)[-1] == ("inconsistency", EvidenceGrade.moderate)


def test_all_indirect_and_biased_starting_studies_rate_down_twice() -> None:
    f = finding(ref("r1", indirect="volunteers", bias="open label"))
    assert steps(f) == [
        ("start", EvidenceGrade.high),
        ("indirectness", EvidenceGrade.moderate),
        ("risk_of_bias", EvidenceGrade.low),
    ]


def test_observational_only_starts_low() -> None:
    assert grade_finding(finding(ref("c1")), SOURCES).grade is EvidenceGrade.low


def test_animal_and_label_only_is_very_low_and_background_is_ignored() -> None:
    f = finding(ref("a1"), ref("l1", Direction.potentiates), ref("r1", Direction.background))
    grading = grade_finding(f, SOURCES)
    assert grading.grade is EvidenceGrade.very_low
    assert "no human study" in grading.rationale


def test_never_below_very_low() -> None:
    f = finding(ref("c1", indirect="x", bias="y"), ref("r2", Direction.attenuates, indirect="x", bias="y"))
    assert grade_finding(f, SOURCES).grade is EvidenceGrade.very_low


def test_override_is_shown_as_a_final_step() -> None:
    f = finding(ref("r1"), override="curator judgement", grade="moderate")
    grading = final_grading(f, SOURCES)
    assert grading.grade is EvidenceGrade.moderate
    assert grading.steps[-1].step == "override" and grading.steps[-1].reason == "curator judgement"
