"""Hand-built result models for renderer tests: no table, no query, so a renderer is tested on exactly the
answer it is given (as pip-audit's format tests do)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from ketinteract.enums import (
    Action,
    Design,
    Direction,
    Effect,
    EntityKind,
    EvidenceGrade,
    EvidenceType,
    MatchRule,
    Severity,
    SourceKind,
    Species,
)
from ketinteract.results import (
    NO_RECORD_NOTE,
    BibliographicOut,
    CheckResult,
    ConditionsOut,
    Filters,
    FindingOut,
    GradeStepOut,
    PairOut,
    RegimenWarning,
    ResolvedName,
    SourceDetail,
    SourceOut,
    UnresolvedName,
)
from ketinteract.textsafe import BIDI


def source(
    sid: str = "smith-2020", *, evidence: EvidenceType = EvidenceType.human_study, citation: str = "Smith A. A trial."
) -> SourceOut:
    animal = evidence is EvidenceType.animal
    return SourceOut(
        id=sid,
        citation=citation,
        pmid="12345678",
        doi=None,
        url="https://pubmed.ncbi.nlm.nih.gov/12345678/",
        kind=SourceKind.journal_article,
        design=Design.animal_study if animal else Design.randomized_controlled_trial,
        evidence_type=evidence,
        species=Species.rat if animal else Species.human,
        population=None,
        n=24,
        dose_route="drug B 0.4-2 mg IV",
        finding="Drug B did not change drug A's effect.",
        direction=Direction.no_effect,
        origin="bundled",
    )


def finding(
    fid: str = "a-b-analgesia",
    *,
    severity: Severity = Severity.moderate,
    effect: Effect = Effect.no_effect,
    answer: str = "No change was seen.",
    sources: list[SourceOut] | None = None,
    origin: str = "bundled",
) -> FindingOut:
    return FindingOut(
        id=fid,
        drugs=["drug-a", "drug-b"],
        context="analgesia",
        context_name="Analgesia",
        question="Does drug B weaken drug A's analgesia?",
        answer=answer,
        effect=effect,
        severity=severity,
        action=Action.monitor,
        evidence_grade=EvidenceGrade.low,
        grade_rationale="Start high; down two for imprecision and indirectness.",
        grading=[GradeStepOut(step="start", change=0, grade=EvidenceGrade.high, reason="randomized")],
        management="Give drug B at 0.4-2 mg IV as usual.",
        conflict=None,
        mechanism=None,
        conditions=ConditionsOut(routes=[], population=None, dose=None),
        last_reviewed=dt.date(2026, 11, 21),
        origin=origin,
        extrapolated=None,
        sources=sources if sources is not None else [source()],
    )


def name(drug_id: str) -> ResolvedName:
    return ResolvedName(
        input=drug_id, id=drug_id, name=drug_id, kind=EntityKind.drug, rule=MatchRule.id, matched=drug_id
    )


def pair(drugs: tuple[str, str] = ("drug-a", "drug-b"), findings: list[FindingOut] | None = None) -> PairOut:
    """A pair with ``findings`` (default: one finding); an empty list gives a pair without a record."""
    shown = findings if findings is not None else [finding()]
    return PairOut(
        drugs=list(drugs),
        names=list(drugs),
        status="found" if shown else "no_record",
        worst_severity=max((f.severity for f in shown), key=lambda s: s.rank) if shown else None,
        note=None if shown else NO_RECORD_NOTE,
        findings=shown,
    )


def result(
    findings: list[FindingOut] | None = None,
    *,
    unresolved: list[str] = (),  # type: ignore[assignment]
    warnings: list[RegimenWarning] | None = None,
    no_record: bool = False,
    pairs: list[PairOut] | None = None,
) -> CheckResult:
    """A check of drug-a and drug-b (or of the drugs in ``pairs``)."""
    if pairs is None:
        pairs = [pair(findings=[] if no_record else findings)]
    drugs = sorted({d for p in pairs for d in p.drugs})
    return CheckResult(
        filters=Filters(contexts=[], route=None, min_severity=None),
        drugs=[name(d) for d in drugs],
        duplicates=[],
        unresolved=[UnresolvedName(input=u, suggestions=[]) for u in unresolved],
        regimen_warnings=warnings or [],
        pairs=pairs,
    )


def regimen_warning(message: str = "Three CNS depressants together.", drugs: list[str] | None = None) -> RegimenWarning:
    return RegimenWarning(
        id="cns-depressants",
        severity=Severity.major,
        message=message,
        management="Reduce doses and monitor breathing.",
        drugs=drugs or ["drug-a", "drug-b", "drug-c"],
        sources=[source()],
    )


def source_detail(
    sid: str = "williams-2018",
    *,
    authors: list[str] | None = None,
    title: str | None = "Attenuation of antidepressant effects of ketamine by opioid receptor antagonism",
    journal: str | None = "Am J Psychiatry",
    year: int | None = 2018,
    kind: SourceKind = SourceKind.journal_article,
    pmid: str | None = "30153752",
    doi: str | None = "10.1176/appi.ajp.2018.18020138",
    url: str | None = None,
    publisher: str | None = None,
    complete: bool = True,
    summary: str = "Naltrexone blocked ketamine's antidepressant effect.",
) -> SourceDetail:
    """A source as ``sources`` lists it; ``url`` defaults to the PubMed link, as the table's sources do."""
    return SourceDetail(
        id=sid,
        citation=f"{', '.join(authors or [])}. {title}. {journal}. {year}.",
        pmid=pmid,
        doi=doi,
        url=url if url is not None else (f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None),
        kind=kind,
        design=Design.randomized_crossover_trial,
        evidence_type=EvidenceType.human_study,
        species=Species.human,
        population="adults with depression",
        n=14,
        dose_route="naltrexone 50 mg PO",
        finding=summary,
        direction=None,
        origin="bundled",
        summary=summary,
        bibliographic=BibliographicOut(
            authors=authors if authors is not None else ["Williams NR", "Heifets BD", "van Dam AB"],
            authors_complete=complete,
            title=title,
            journal=journal,
            year=year,
            volume="175",
            issue="12",
            pages="1205-1215",
            publisher=publisher,
            pmcid=None,
            nct=None,
        ),
    )


def no_raw_controls(text: str, allowed: str = "\n") -> bool:
    """True when ``text`` holds no control character (but ``allowed``), bidi control or lone surrogate, so
    it can neither drive a terminal nor fail to encode as UTF-8."""
    return not any(ch in BIDI or (unicodedata.category(ch) in {"Cc", "Cs"} and ch not in allowed) for ch in text)
