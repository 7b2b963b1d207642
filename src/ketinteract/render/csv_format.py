"""CSV for spreadsheets: one row per finding (regimen warnings as rows of their own), written with the
csv module. Cells keep the data exactly; a leading =, +, - or @ is prefixed with a quote so a
spreadsheet never evaluates a field as a formula."""

from __future__ import annotations

import csv
from typing import TextIO

from ketinteract.render import RenderOptions
from ketinteract.results import CheckResult

COLUMNS = (
    "drug_a",
    "drug_b",
    "status",
    "finding_id",
    "context",
    "effect",
    "severity",
    "action",
    "evidence_grade",
    "routes",
    "population",
    "extrapolated",
    "origin",
    "question",
    "answer",
    "management",
    "grade_rationale",
    "pmids",
    "dois",
)


def cell(value: str) -> str:
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


def render_csv(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for warning in result.regimen_warnings:
        row = dict.fromkeys(COLUMNS, "")
        row |= {
            "drug_a": ";".join(warning.drugs),
            "status": "regimen_warning",
            "finding_id": warning.id,
            "severity": warning.severity.value,
            "answer": warning.message,
            "management": warning.management,
        }
        writer.writerow([cell(row[c]) for c in COLUMNS])
    for pair in result.pairs:
        if not pair.findings:
            row = dict.fromkeys(COLUMNS, "")
            row |= {
                "drug_a": pair.drugs[0],
                "drug_b": pair.drugs[1],
                "status": pair.status,
                "answer": pair.note or "",
            }
            writer.writerow([cell(row[c]) for c in COLUMNS])
        for f in pair.findings:
            row = {
                "drug_a": pair.drugs[0],
                "drug_b": pair.drugs[1],
                "status": pair.status,
                "finding_id": f.id,
                "context": f.context,
                "effect": f.effect.value,
                "severity": f.severity.value,
                "action": f.action.value,
                "evidence_grade": f.evidence_grade.value,
                "routes": ";".join(r.value for r in f.conditions.routes),
                "population": f.conditions.population or "",
                "extrapolated": f.extrapolated.explanation if f.extrapolated else "",
                "origin": f.origin,
                "question": f.question,
                "answer": f.answer,
                "management": f.management,
                "grade_rationale": f.grade_rationale,
                "pmids": ";".join(s.pmid for s in f.sources if s.pmid),
                "dois": ";".join(s.doi for s in f.sources if s.doi),
            }
            writer.writerow([cell(row[c]) for c in COLUMNS])
