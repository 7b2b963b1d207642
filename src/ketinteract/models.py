"""The data table, as pydantic models: read this file as the specification of ``data/interactions.json``.

All models are frozen. Field-level rules (id patterns, identifier shapes, vocabularies) live here;
rules that need the whole table (references resolve, ids unique, grades match the rubric) live in
:mod:`ketinteract.validation`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ketinteract.enums import (
    Action,
    Design,
    Direction,
    Effect,
    EvidenceGrade,
    Route,
    Severity,
    SourceKind,
    Species,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=120)]
"""Record ids: lower-case slugs, stable across releases because users and scripts refer to them."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Pmid = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,8}$")]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/\S+$", max_length=300)]
Pmcid = Annotated[str, StringConstraints(pattern=r"^PMC[0-9]{1,9}$")]
NctId = Annotated[str, StringConstraints(pattern=r"^NCT[0-9]{8}$")]
Atc = Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")]
RxCui = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}$")]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://\S+$", max_length=500)]


class Record(BaseModel):
    """Base of every table record: frozen, and unknown keys are errors (a typo must not vanish)."""

    # defer_build: a table loaded from the cache is never validated, so its schema need not be built.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Context(Record):
    """A clinical context: the situation in which a question about a pair is asked."""

    id: Id
    name: ShortText
    definition: Text
    questions: list[Text] = []
    """Questions users bring in this context; each should find a finding (a data test checks it)."""


class Identifiers(Record):
    """External codes, only where verified against a public record."""

    rxcui: RxCui | None = None
    atc: list[Atc] = []
    unii: str | None = None
    drugbank: str | None = None


class DrugClass(Record):
    """A group of drugs; a finding written for a class applies to each member, marked as extrapolated."""

    id: Id
    name: ShortText
    synonyms: list[ShortText] = []
    definition: Text


class Drug(Record):
    """One ingredient (or a well-defined substance such as ethanol or grapefruit juice)."""

    id: Id
    name: ShortText
    synonyms: list[ShortText] = []
    brands: list[ShortText] = []
    salts: list[ShortText] = []
    misspellings: list[ShortText] = []
    """Misspellings common enough to curate; each still shows the rule it matched by."""
    classes: list[Id] = []
    parent: Id | None = None
    """For an enantiomer: the racemate whose findings it inherits, marked as extrapolated."""
    identifiers: Identifiers = Field(default_factory=Identifiers)
    origin: str = "bundled"


class Product(Record):
    """A combination product (for example Suboxone), expanded to its ingredients when checked."""

    id: Id
    name: ShortText
    synonyms: list[ShortText] = []
    ingredients: list[Id] = Field(min_length=2)
    origin: str = "bundled"


class Citation(Record):
    """Bibliographic fields, each filled only where verified."""

    authors: list[ShortText] = []
    authors_complete: bool = True
    """False when only the first authors were verified; citations then end in "et al."."""
    year: int | None = Field(default=None, ge=1900, le=2100)
    title: Text | None = None
    """None when no retrieved record showed the title; output then says "[title not verified]"."""
    journal: ShortText | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: ShortText | None = None


class Source(Record):
    """A study or document. ``summary`` is written in our own words, never pasted."""

    id: Id
    kind: SourceKind
    citation: Citation
    pmid: Pmid | None = None
    doi: Doi | None = None
    pmcid: Pmcid | None = None
    nct: NctId | None = None
    url: HttpsUrl | None = None
    """Only for documents without PMID or DOI (labels): a canonical page, never a mirror."""
    design: Design
    species: Species | None = None
    population: ShortText | None = None
    n: int | None = Field(default=None, ge=1)
    dose_route: Text | None = None
    summary: Text
    dossier_ref: ShortText | None = None
    """Where the facts were taken from in the shared evidence dossier (for reviewers)."""
    unverified: list[ShortText] = []
    """Fields and details looked for and not seen in any public record, so left empty and never guessed
    (for reviewers: "pmid", "authors", "number of participants" ...)."""
    origin: str = "bundled"

    @model_validator(mode="after")
    def _articles_have_identifiers(self) -> Source:
        # An article whose PMID and DOI were not seen is still cited, through the page where its record
        # is (the publisher's article page, its trial registration, or a PubMed search for its exact
        # title); it never goes unlinked, and no identifier is invented for it.
        if self.kind in {SourceKind.journal_article, SourceKind.letter} and not (
            self.pmid or self.doi or self.nct or self.url
        ):
            raise ValueError("a journal article or letter needs a pmid, a doi, an nct id or the url of its record")
        if self.kind is SourceKind.preprint and not self.doi:
            raise ValueError("a preprint needs a doi")
        return self


class SourceRef(Record):
    """One source as used by one finding: which way it points for that question, and why it may be
    only partly relevant."""

    source: Id
    direction: Direction
    note: Text | None = None
    """What this source shows for this finding, in our own words."""
    indirect: Text | None = None
    """Set when the source answers a neighbouring question (other population, dose, drug or route)."""
    bias: Text | None = None
    """Set when the source has a serious risk of bias (stopped early, open label, no control arm)."""


class OutsideRating(Record):
    """A rating of the same pair by another reference, as seen (Drugs.com, Stockley's, a label)."""

    by: ShortText
    rating: ShortText
    """The rating in the outside reference's own words or scale."""
    severity: Severity
    """That rating mapped onto our severity scale."""
    url: HttpsUrl | None = None


class Conditions(Record):
    """Limits on when a finding holds. An empty Conditions means it holds generally."""

    routes: list[Route] = []
    population: ShortText | None = None
    dose: ShortText | None = None

    def is_empty(self) -> bool:
        return not self.routes and self.population is None and self.dose is None


class Mechanism(Record):
    """Receptor pharmacology or pharmacokinetics behind a finding, with its own sources."""

    text: Text
    sources: list[Id] = Field(min_length=1)


class Finding(Record):
    """One drug pair in one clinical context: the unit the tool answers with."""

    id: Id
    drugs: tuple[Id, Id]
    """Drug or class ids; order is not significant."""
    context: Id
    question: Text
    answer: Text
    effect: Effect
    severity: Severity
    action: Action
    evidence_grade: EvidenceGrade
    grade_override_reason: Text | None = None
    """Required when ``evidence_grade`` differs from the rubric's result; shown with the rationale."""
    management: Text
    conflict: Text | None = None
    """Why the sources disagree; required when the effect is ``conflicting``."""
    mechanism: Mechanism | None = None
    conditions: Conditions = Field(default_factory=Conditions)
    extrapolate_to: list[Id] = []
    """Drugs this finding also answers for, marked as extrapolated: the racemate of a finding written
    for an enantiomer (esketamine's label statements applied to racemic ketamine). Each must be the
    parent of one of ``drugs``."""
    outside_ratings: list[OutsideRating] = []
    severity_reason: Text | None = None
    """Required when our severity differs by more than one level from an outside rating, or when a class
    finding is more severe than a drug-specific finding beside it."""
    action_reason: Text | None = None
    """Required when the action is stronger than the severity allows (avoid needs major)."""
    sources: list[SourceRef] = Field(min_length=1)
    last_reviewed: dt.date
    origin: str = "bundled"

    @model_validator(mode="after")
    def _shape(self) -> Finding:
        if self.drugs[0] == self.drugs[1]:
            raise ValueError("a finding pairs two different drugs")
        if self.effect is Effect.conflicting and not self.conflict:
            raise ValueError("a conflicting finding must say why its sources disagree (conflict)")
        return self


class RegimenRule(Record):
    """A warning about the whole regimen rather than one pair (additive CNS and respiratory depression)."""

    id: Id
    anchors: list[Id] = Field(min_length=1)
    """The rule applies when one of these drugs is in the regimen."""
    load_classes: list[Id] = Field(min_length=1)
    minimum_others: int = Field(ge=2)
    """How many other drugs from ``load_classes`` it takes."""
    severity: Severity
    message: Text
    management: Text
    sources: list[Id] = Field(min_length=1)


class Table(Record):
    """The whole table: the bundled one, or a local file in the same format."""

    table_version: ShortText = "local"
    last_reviewed: dt.date | None = None
    contexts: list[Context] = []
    classes: list[DrugClass] = []
    drugs: list[Drug] = []
    products: list[Product] = []
    sources: list[Source] = []
    findings: list[Finding] = []
    regimen_rules: list[RegimenRule] = []
