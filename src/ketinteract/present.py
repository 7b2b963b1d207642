"""From table records to output models: citations, links, evidence labels and findings as the output
contract shows them. Pure mapping; the lookup itself lives in :mod:`ketinteract.query`."""

from __future__ import annotations

from ketinteract.enums import Design, EvidenceType, Species
from ketinteract.grading import final_grading
from ketinteract.index import TableIndex
from ketinteract.models import Citation, Finding, Source, SourceRef
from ketinteract.results import (
    BibliographicOut,
    ConditionsOut,
    Extrapolation,
    FindingOut,
    GradeStepOut,
    MechanismOut,
    SourceDetail,
    SourceOut,
)

_EVIDENCE_TYPE_BY_DESIGN = {
    Design.animal_study: EvidenceType.animal,
    Design.in_vitro_study: EvidenceType.in_vitro,
    Design.drug_label: EvidenceType.label,
    Design.manufacturer_statement: EvidenceType.manufacturer,
    Design.reference_text: EvidenceType.review,
    Design.systematic_review: EvidenceType.review,
    Design.narrative_review: EvidenceType.review,
    Design.correspondence: EvidenceType.commentary,
}


def evidence_type(source: Source) -> EvidenceType:
    """The label a source carries in every output, so non-clinical evidence is never mistaken for it."""
    if source.design in _EVIDENCE_TYPE_BY_DESIGN:
        return _EVIDENCE_TYPE_BY_DESIGN[source.design]
    if source.species is not None and source.species is not Species.human:
        return EvidenceType.in_vitro if source.species is Species.cells else EvidenceType.animal
    return EvidenceType.human_study


def format_citation(citation: Citation) -> str:
    """A plain Vancouver-style citation string."""
    authors = ", ".join(citation.authors)
    if citation.authors and not citation.authors_complete:
        authors += ", et al"
    title = citation.title.rstrip(".") if citation.title else "[title not verified]"
    parts = [f"{authors}." if authors else "", f"{title}."]
    venue = citation.journal or citation.publisher
    if venue:
        where = f"{venue}."
        if citation.year:
            where += f" {citation.year}"
            if citation.volume:
                where += f";{citation.volume}"
                if citation.issue:
                    where += f"({citation.issue})"
            if citation.pages:
                where += f":{citation.pages}"
            where += "."
        parts.append(where)
    elif citation.year:
        parts.append(f"{citation.year}.")
    return " ".join(p for p in parts if p)


def canonical_url(source: Source) -> str | None:
    if source.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
    if source.doi:
        return f"https://doi.org/{source.doi}"
    if source.nct and source.url is None:
        return f"https://clinicaltrials.gov/study/{source.nct}"
    return source.url


def source_out(source: Source, ref: SourceRef | None = None) -> SourceOut:
    return SourceOut(
        id=source.id,
        citation=format_citation(source.citation),
        pmid=source.pmid,
        doi=source.doi,
        url=canonical_url(source),
        kind=source.kind,
        design=source.design,
        evidence_type=evidence_type(source),
        species=source.species,
        population=source.population,
        n=source.n,
        dose_route=source.dose_route,
        finding=(ref.note if ref and ref.note else source.summary),
        direction=ref.direction if ref else None,
        indirect=ref.indirect if ref else None,
        bias=ref.bias if ref else None,
        origin=source.origin,
    )


def source_detail(source: Source) -> SourceDetail:
    c = source.citation
    bibliographic = BibliographicOut(
        authors=list(c.authors),
        authors_complete=c.authors_complete,
        title=c.title,
        journal=c.journal,
        year=c.year,
        volume=c.volume,
        issue=c.issue,
        pages=c.pages,
        publisher=c.publisher,
        pmcid=source.pmcid,
        nct=source.nct,
    )
    base = source_out(source).model_dump()
    base["finding"] = source.summary
    return SourceDetail(**base, summary=source.summary, bibliographic=bibliographic)


def finding_out(index: TableIndex, finding: Finding, via: Extrapolation | None = None) -> FindingOut:
    grading = final_grading(finding, index.sources)
    context = index.contexts.get(finding.context)
    mechanism = None
    if finding.mechanism is not None:
        mechanism = MechanismOut(
            text=finding.mechanism.text,
            sources=[source_out(index.sources[s]) for s in finding.mechanism.sources],
        )
    return FindingOut(
        id=finding.id,
        drugs=sorted(finding.drugs),
        context=finding.context,
        context_name=context.name if context else finding.context,
        question=finding.question,
        answer=finding.answer,
        effect=finding.effect,
        severity=finding.severity,
        action=finding.action,
        evidence_grade=grading.grade,
        grade_rationale=grading.rationale,
        grading=[GradeStepOut(step=s.step, change=s.change, grade=s.grade, reason=s.reason) for s in grading.steps],
        management=finding.management,
        conflict=finding.conflict,
        mechanism=mechanism,
        conditions=ConditionsOut(
            routes=list(finding.conditions.routes),
            population=finding.conditions.population,
            dose=finding.conditions.dose,
        ),
        last_reviewed=finding.last_reviewed,
        origin=finding.origin,
        extrapolated=via,
        sources=[source_out(index.sources[r.source], r) for r in finding.sources],
    )
