"""The words documents use for the table's vocabularies, so a clinician reads "no effect" and "very low"
rather than the tokens ``no_effect`` and ``very_low`` (issue 15, item 7). Machine columns (CSV, JSON)
keep the tokens; prose (FHIR, CDS Hooks, Markdown) uses these."""

from __future__ import annotations

from enum import StrEnum

from ketinteract.enums import Action, Effect, EvidenceGrade, Severity
from ketinteract.results import FindingOut

EFFECT = {
    Effect.no_effect: "no effect",
    Effect.attenuates: "attenuates",
    Effect.reverses: "reverses",
    Effect.potentiates: "potentiates",
    Effect.conflicting: "conflicting evidence",
    Effect.insufficient: "insufficient evidence",
}
ACTION = {
    Action.avoid: "avoid",
    Action.adjust: "adjust",
    Action.monitor: "monitor",
    Action.no_action: "no action needed",
}
SEVERITY = {
    Severity.major: "major",
    Severity.moderate: "moderate",
    Severity.minor: "minor",
    Severity.none: "none",
}
GRADE = {
    EvidenceGrade.high: "high",
    EvidenceGrade.moderate: "moderate",
    EvidenceGrade.low: "low",
    EvidenceGrade.very_low: "very low",
}


def words(value: StrEnum | str) -> str:
    """Any other token as words ("human_study" -> "human study")."""
    return str(value).replace("_", " ")


def verdict(finding: FindingOut) -> str:
    """One sentence of the four scales: "Effect: no effect; severity: minor; action: monitor; certainty of
    evidence: very low." """
    return (
        f"Effect: {EFFECT[finding.effect]}; severity: {SEVERITY[finding.severity]}; "
        f"action: {ACTION[finding.action]}; certainty of evidence: {GRADE[finding.evidence_grade]}."
    )
