"""The answer to a check, as pydantic models: the output contract every renderer reads.

``ketinteract schema output`` prints the JSON Schema generated from :class:`CheckResult`; bump
``SCHEMA_VERSION`` whenever a key is renamed, removed or changes meaning.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ketinteract.contract import NO_RECORD_NOTE as NO_RECORD_NOTE
from ketinteract.contract import NOT_ADVICE as NOT_ADVICE
from ketinteract.contract import SCHEMA_VERSION as SCHEMA_VERSION
from ketinteract.enums import (
    Action,
    Design,
    Direction,
    Effect,
    EntityKind,
    EvidenceGrade,
    EvidenceType,
    MatchRule,
    Route,
    Severity,
    SourceKind,
    Species,
    worst,
)


class Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class ResolvedName(Output):
    input: str
    id: str
    name: str
    kind: EntityKind
    rule: MatchRule
    matched: str
    via_product: str | None = None
    rxcui: str | None = None
    atc: list[str] = []


class DuplicateName(Output):
    input: str
    id: str
    same_as: str
    warning: str | None = None
    """Set when two different names given are the same ingredient: possible duplicate therapy."""


class Suggestion(Output):
    """A close known name for an unrecognised one, with what it is, so a look-alike is never mistaken
    for the drug meant."""

    id: str
    name: str
    classes: list[str]


class UnresolvedName(Output):
    input: str
    suggestions: list[str]
    suggested: list[Suggestion] = []


class SourceOut(Output):
    id: str
    citation: str
    pmid: str | None
    doi: str | None
    url: str | None
    kind: SourceKind
    design: Design
    evidence_type: EvidenceType
    species: Species | None
    population: str | None
    n: int | None
    dose_route: str | None
    finding: str
    direction: Direction | None
    indirect: str | None = None
    bias: str | None = None
    origin: str


class GradeStepOut(Output):
    step: str
    change: int
    grade: EvidenceGrade
    reason: str


class ConditionsOut(Output):
    routes: list[Route]
    population: str | None
    dose: str | None


class MechanismOut(Output):
    text: str
    sources: list[SourceOut]


class Extrapolation(Output):
    """Set when a finding was written for a class or for the racemate, not for the drugs checked."""

    kind: Literal["class", "parent", "enantiomer"]
    record_drugs: list[str]
    explanation: str


class FindingOut(Output):
    id: str
    drugs: list[str]
    context: str
    context_name: str
    question: str
    answer: str
    effect: Effect
    severity: Severity
    action: Action
    evidence_grade: EvidenceGrade
    grade_rationale: str
    grading: list[GradeStepOut]
    management: str
    conflict: str | None
    mechanism: MechanismOut | None
    conditions: ConditionsOut
    last_reviewed: dt.date
    origin: str
    sources: list[SourceOut]
    extrapolated: Extrapolation | None = None
    """Last, so the stored JSON of a finding can be completed with it at query time."""


class PairOut(Output):
    drugs: list[str]
    names: list[str]
    status: Literal["found", "no_record"]
    worst_severity: Severity | None
    note: str | None
    hidden_by_min_severity: int = 0
    """Findings that exist but are below --min-severity: the pair is still "found", never "no_record"."""
    findings: list[FindingOut]


class RegimenWarning(Output):
    id: str
    severity: Severity
    message: str
    management: str
    drugs: list[str]
    sources: list[SourceOut]


class Filters(Output):
    contexts: list[str]
    route: Route | None
    min_severity: Severity | None


class CheckResult(Output):
    schema_version: int = SCHEMA_VERSION
    notice: str = NOT_ADVICE
    table_version: str | None = None
    """The ``table_version`` of the table that answered; CDS Hooks cards name it in their ``source``."""
    filters: Filters
    drugs: list[ResolvedName]
    duplicates: list[DuplicateName]
    unresolved: list[UnresolvedName]
    regimen_warnings: list[RegimenWarning]
    pairs: list[PairOut]

    def max_severity(self) -> Severity | None:
        """The worst severity shown anywhere in this answer, regimen warnings included."""
        shown = [f.severity for p in self.pairs for f in p.findings]
        return worst([*shown, *(w.severity for w in self.regimen_warnings)])


class ResolveEntry(Output):
    """What one typed name resolved to: one match, or several for a combination product."""

    input: str
    status: Literal["resolved", "unresolved"]
    matches: list[ResolvedName]
    suggestions: list[str]
    suggested: list[Suggestion] = []


class Document(Output):
    """A top-level answer a command prints; JSON output is its ``model_dump`` (with ``schema_version``)."""

    schema_version: int = SCHEMA_VERSION


class FindingDocument(Document):
    """``show``: one finding in full."""

    finding: FindingOut


class FindingListDocument(Document):
    """``list``: the findings that pass the filters."""

    findings: list[FindingOut]


class BibliographicOut(Output):
    """A source's citation field by field, for reference managers; only fields seen in a public record."""

    authors: list[str]
    authors_complete: bool
    title: str | None
    journal: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    publisher: str | None
    pmcid: str | None
    nct: str | None


class SourceDetail(SourceOut):
    """A source as the ``sources`` command lists it: the summary, plus the citation field by field."""

    summary: str
    bibliographic: BibliographicOut


class SourceListDocument(Document):
    """``sources``: the sources asked for, with their citations and links."""

    sources: list[SourceDetail]


class ResolveDocument(Document):
    """``resolve``: what each typed name means."""

    names: list[ResolveEntry]


class DrugOut(Output):
    id: str
    name: str
    synonyms: list[str]
    brands: list[str]
    salts: list[str]
    classes: list[str]
    parent: str | None
    atc: list[str]
    rxcui: str | None
    origin: str


class DrugClassOut(Output):
    id: str
    name: str
    synonyms: list[str]
    definition: str
    members: list[str]


class ProductOut(Output):
    id: str
    name: str
    synonyms: list[str]
    ingredients: list[str]
    origin: str


class DrugsDocument(Document):
    """``drugs``: the vocabulary."""

    drugs: list[DrugOut]
    classes: list[DrugClassOut]
    products: list[ProductOut]


class TableFileInfo(Output):
    name: str
    path: str
    sha256: str
    table_version: str
    last_reviewed: dt.date | None
    counts: dict[str, int]


class DataInfoDocument(Document):
    """``data info``: the bundled table and the local files."""

    bundled: TableFileInfo
    local: list[TableFileInfo]
    data_dir: str


class ProblemOut(Output):
    file: str
    location: str
    message: str
    record: str | None


class ValidationDocument(Document):
    """``data validate``: every problem found, or the files that are valid."""

    valid: bool
    files: list[str]
    problems: list[ProblemOut]


class DataPathDocument(Document):
    """``data path``: where user files live."""

    data: str
    config: str
    cache: str


class DataListDocument(Document):
    """``data list``: the local data files."""

    files: list[str]


class DataChangeDocument(Document):
    """``data add`` and ``data remove``: what was changed."""

    action: Literal["added", "removed"]
    name: str
    folder: str
    counts: dict[str, int]
