"""Fixed vocabularies of the data table and of the output contract.

Every enum here is part of the public contract: adding a member is a minor change, renaming or removing
one changes ``SCHEMA_VERSION`` in :mod:`ketinteract.results`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Effect(StrEnum):
    """What the second drug does to the first drug's effect in one context."""

    no_effect = "no_effect"
    attenuates = "attenuates"
    reverses = "reverses"
    potentiates = "potentiates"
    conflicting = "conflicting"
    insufficient = "insufficient"


class Severity(StrEnum):
    """Clinical significance if the interaction happens (not how certain it is)."""

    major = "major"
    moderate = "moderate"
    minor = "minor"
    none = "none"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self]


def worst(severities: Iterable[Severity]) -> Severity | None:
    """The most severe of ``severities`` (None when there are none)."""
    return max(severities, key=lambda s: s.rank, default=None)


SEVERITY_RANK: dict[str, int] = {Severity.none: 0, Severity.minor: 1, Severity.moderate: 2, Severity.major: 3}
"""Severity order; keyed by the enum, and so also by its plain string values (the fast path's data)."""


class Action(StrEnum):
    """What a prescriber should do."""

    avoid = "avoid"
    adjust = "adjust"
    monitor = "monitor"
    no_action = "no_action"


class EvidenceGrade(StrEnum):
    """GRADE-style certainty that the stated effect is real."""

    high = "high"
    moderate = "moderate"
    low = "low"
    very_low = "very_low"

    @property
    def rank(self) -> int:
        return _GRADE_RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> EvidenceGrade:
        return _GRADE_BY_RANK[max(0, min(3, rank))]


_GRADE_RANK = {
    EvidenceGrade.very_low: 0,
    EvidenceGrade.low: 1,
    EvidenceGrade.moderate: 2,
    EvidenceGrade.high: 3,
}
_GRADE_BY_RANK = {rank: grade for grade, rank in _GRADE_RANK.items()}


class Direction(StrEnum):
    """Which way one source points for one finding.

    ``background`` marks a source that informs the answer (a label's overdose advice, a review) without
    testing the interaction itself; the grading rubric does not count it.
    """

    no_effect = "no_effect"
    attenuates = "attenuates"
    reverses = "reverses"
    potentiates = "potentiates"
    background = "background"


class SourceKind(StrEnum):
    """What kind of document a source is; decides which identifiers it must carry."""

    journal_article = "journal_article"
    letter = "letter"
    preprint = "preprint"
    thesis = "thesis"
    drug_label = "drug_label"
    manufacturer_information = "manufacturer_information"
    reference_work = "reference_work"


class Design(StrEnum):
    """Study design, as the grading rubric reads it.

    "randomized" means the interacting drug itself was allocated at random. A post hoc comparison of people
    who happened to take the drug inside a trial is ``post_hoc_analysis`` (observational for our question).
    """

    randomized_controlled_trial = "randomized_controlled_trial"
    randomized_crossover_trial = "randomized_crossover_trial"
    randomized_secondary_analysis = "randomized_secondary_analysis"
    post_hoc_analysis = "post_hoc_analysis"
    cohort_study = "cohort_study"
    case_series = "case_series"
    case_report = "case_report"
    systematic_review = "systematic_review"
    narrative_review = "narrative_review"
    animal_study = "animal_study"
    in_vitro_study = "in_vitro_study"
    drug_label = "drug_label"
    manufacturer_statement = "manufacturer_statement"
    reference_text = "reference_text"
    correspondence = "correspondence"


RANDOMIZED_DESIGNS = frozenset(
    {
        Design.randomized_controlled_trial,
        Design.randomized_crossover_trial,
        Design.randomized_secondary_analysis,
    }
)
OBSERVATIONAL_DESIGNS = frozenset(
    {Design.post_hoc_analysis, Design.cohort_study, Design.case_series, Design.case_report}
)


class Species(StrEnum):
    human = "human"
    rat = "rat"
    mouse = "mouse"
    cat = "cat"
    guinea_pig = "guinea_pig"
    rabbit = "rabbit"
    monkey = "monkey"
    rodents = "rodents"
    cells = "cells"


class EvidenceType(StrEnum):
    """The label every source carries in output, so animal, in-vitro and label evidence is never mistaken
    for clinical data."""

    human_study = "human_study"
    animal = "animal"
    in_vitro = "in_vitro"
    label = "label"
    manufacturer = "manufacturer"
    review = "review"
    commentary = "commentary"


class Route(StrEnum):
    oral = "oral"
    intravenous = "intravenous"
    intranasal = "intranasal"
    intramuscular = "intramuscular"
    subcutaneous = "subcutaneous"


class EntityKind(StrEnum):
    """What a typed name resolved to."""

    drug = "drug"
    drug_class = "class"
    product = "product"


class MatchRule(StrEnum):
    """How a typed name was matched; shown so users can see nothing was guessed."""

    id = "id"
    name = "name"
    synonym = "synonym"
    brand = "brand"
    salt = "salt"
    misspelling = "misspelling"
    stripped = "stripped"
    """Matched after removing strength, salt and dose-form words ("Ketamine HCl 50 mg/mL")."""
    class_name = "class_name"
    product = "product"
    atc = "atc"
    """Matched an ATC code of the WHO index (N01AX03)."""
    rxcui = "rxcui"
    """Matched an RxNorm ingredient RxCUI (only codes seen in a public record are stored)."""


class OutputFormat(StrEnum):
    """Every output format; each command accepts the subset that fits its answer (see
    ``ketinteract.render.FORMATS``)."""

    text = "text"
    json = "json"
    ndjson = "ndjson"
    markdown = "markdown"
    csv = "csv"
    fhir = "fhir"
    cds_hooks = "cds-hooks"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"


class CheckFormat(StrEnum):
    """The formats ``check`` offers (a subset of OutputFormat, as its own enum so --help lists them)."""

    text = "text"
    json = "json"
    ndjson = "ndjson"
    markdown = "markdown"
    csv = "csv"
    fhir = "fhir"
    cds_hooks = "cds-hooks"


class SourceFormat(StrEnum):
    """The formats ``sources`` offers."""

    text = "text"
    json = "json"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"


class PlainFormat(StrEnum):
    """The formats of every other command that prints data."""

    text = "text"
    json = "json"


CHECK_FORMATS = tuple(OutputFormat(f.value) for f in CheckFormat)
"""What ``check`` can print."""
SOURCE_FORMATS = tuple(OutputFormat(f.value) for f in SourceFormat)
"""What ``sources`` can print."""
PLAIN_FORMATS = tuple(OutputFormat(f.value) for f in PlainFormat)
"""What every other command that prints data can print."""
