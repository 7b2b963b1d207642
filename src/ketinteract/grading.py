"""The evidence-grading rubric: computes a finding's certainty from its sources, step by step.

Documented in docs/grading.md. The body of evidence for a finding is its human studies that test the
question (direction other than ``background``). Labels, reviews, letters, animal and in-vitro work inform
the answer and the mechanism but never raise certainty.

1. Start: high if any body study is randomized; low if the best is observational; very low if there is no
   human study at all.
2. Imprecision (-1): fewer than ``IMPRECISION_THRESHOLD`` participants in all studies at the starting
   design level together, or a participant count that is not reported.
3. Inconsistency (-1): studies in the body point in different directions.
4. Indirectness (-1): every study at the starting level answers a neighbouring question.
5. Risk of bias (-1): every study at the starting level has a serious risk-of-bias concern.
The result never goes below very low.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ketinteract.enums import (
    OBSERVATIONAL_DESIGNS,
    RANDOMIZED_DESIGNS,
    Direction,
    EvidenceGrade,
    Species,
)
from ketinteract.models import Finding, Source, SourceRef

IMPRECISION_THRESHOLD = 100
"""Participants across the starting-level studies below which certainty is rated down (GRADE's optimal
information size, simplified: small crossover trials of 12-26 people are the norm in this literature)."""


@dataclass(frozen=True)
class GradeStep:
    step: str
    change: int
    grade: EvidenceGrade
    reason: str


@dataclass(frozen=True)
class Grading:
    grade: EvidenceGrade
    steps: tuple[GradeStep, ...]

    @property
    def rationale(self) -> str:
        return " ".join(f"{s.step.replace('_', ' ').capitalize()}: {s.reason}" for s in self.steps)


def _label(source: Source) -> str:
    """How a study is named in a rationale: "Mikkelsen 1999", or its source id where no author was seen
    (the id already carries the year when it has one)."""
    if not source.citation.authors:
        return source.id
    first = source.citation.authors[0].split(" ")[0]
    return f"{first} {source.citation.year}" if source.citation.year else first


def _join(labels: list[str]) -> str:
    return ", ".join(labels)


def grade_finding(finding: Finding, sources: Mapping[str, Source]) -> Grading:
    """Apply the rubric to ``finding``; ``sources`` maps source id to source."""
    body: list[tuple[SourceRef, Source]] = []
    for ref in finding.sources:
        source = sources[ref.source]
        if ref.direction is Direction.background or source.species is not Species.human:
            continue
        if source.design in RANDOMIZED_DESIGNS or source.design in OBSERVATIONAL_DESIGNS:
            body.append((ref, source))

    randomized = [(r, s) for r, s in body if s.design in RANDOMIZED_DESIGNS]
    observational = [(r, s) for r, s in body if s.design in OBSERVATIONAL_DESIGNS]
    steps: list[GradeStep] = []

    if randomized:
        level, start = randomized, EvidenceGrade.high
        why = f"randomized human evidence ({_join([_label(s) for _, s in randomized])}) starts high."
    elif observational:
        level, start = observational, EvidenceGrade.low
        why = (
            f"the best human evidence is observational ({_join([_label(s) for _, s in observational])}),"
            " which starts low."
        )
    else:
        kinds = sorted({sources[r.source].design.value.replace("_", " ") for r in finding.sources})
        why = f"no human study tests this question (only: {', '.join(kinds)}), which starts very low."
        step = GradeStep("start", 0, EvidenceGrade.very_low, why)
        return Grading(EvidenceGrade.very_low, (step,))

    rank = start.rank
    steps.append(GradeStep("start", 0, start, why))

    def rate_down(step: str, reason: str) -> None:
        nonlocal rank
        change = -1 if rank > 0 else 0
        rank += change
        suffix = "" if change else " (already at the floor)"
        steps.append(GradeStep(step, change, EvidenceGrade.from_rank(rank), reason + suffix))

    counts = [s.n for _, s in level]
    if any(n is None for n in counts):
        rate_down("imprecision", "a participant count is not reported for a starting-level study.")
    else:
        total = sum(n for n in counts if n is not None)
        if total < IMPRECISION_THRESHOLD:
            rate_down(
                "imprecision",
                f"{total} participants in the starting-level studies together (fewer than {IMPRECISION_THRESHOLD}).",
            )

    directions = sorted({r.direction.value.replace("_", " ") for r, _ in body})
    if len(directions) > 1:
        rate_down("inconsistency", f"human studies point different ways ({', '.join(directions)}).")

    if all(r.indirect for r, _ in level):
        reasons = "; ".join(f"{_label(s)}: {r.indirect}" for r, s in level)
        rate_down("indirectness", f"every starting-level study answers a neighbouring question ({reasons}).")

    if all(r.bias for r, _ in level):
        reasons = "; ".join(f"{_label(s)}: {r.bias}" for r, s in level)
        rate_down("risk_of_bias", f"every starting-level study has a serious risk of bias ({reasons}).")

    grade = EvidenceGrade.from_rank(rank)
    if len(steps) == 1:
        steps.append(GradeStep("no_downgrade", 0, grade, "no reason to rate down was found."))
    return Grading(grade, tuple(steps))


def final_grading(finding: Finding, sources: Mapping[str, Source]) -> Grading:
    """The rubric's grading, followed by the finding's written override when it has one."""
    computed = grade_finding(finding, sources)
    if finding.grade_override_reason and finding.evidence_grade is not computed.grade:
        override = GradeStep(
            "override",
            finding.evidence_grade.rank - computed.grade.rank,
            finding.evidence_grade,
            finding.grade_override_reason,
        )
        return Grading(finding.evidence_grade, (*computed.steps, override))
    return computed
