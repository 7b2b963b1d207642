"""The check command through typer's CliRunner: content, exit codes and the JSON contract."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

PAIR_KEYS = {"drugs", "names", "status", "worst_severity", "note", "hidden_by_min_severity", "findings"}
FINDING_KEYS = {
    "id",
    "context",
    "question",
    "answer",
    "effect",
    "severity",
    "action",
    "evidence_grade",
    "grade_rationale",
    "management",
    "last_reviewed",
    "sources",
}
SOURCE_KEYS = {"id", "citation", "pmid", "doi", "url", "design", "species", "n", "finding", "direction"}


def test_check_text_shows_anesthesia_finding_with_grade_and_pmids(cli: Callable[..., Result]) -> None:
    result = cli("check", "naloxone", "ketamine")
    assert result.exit_code == 0
    out = result.stdout
    assert "Anesthesia" in out
    assert "Evidence: very low" in out
    assert "PMID 3671186" in out and "PMID 6121523" in out
    assert "not medical advice" in out
    assert "[ANIMAL: rat]" in out, "animal evidence must be labelled as such"
    assert "\x1b[" not in out, "no colour when not on a terminal"
    assert result.stderr == ""


def test_check_json_contract(cli_json: Callable[..., tuple[int, Any]]) -> None:
    code, data = cli_json("check", "Narcan", "ketamine", "--format", "json")
    assert code == 0
    assert data["schema_version"] == 1
    assert data["drugs"][0] == data["drugs"][0] | {"input": "Narcan", "id": "naloxone", "name": "naloxone"}
    assert data["unresolved"] == []
    pair = data["pairs"][0]
    assert set(pair) >= PAIR_KEYS
    assert pair["drugs"] == ["ketamine", "naloxone"]
    assert pair["status"] == "found"
    for finding in pair["findings"]:
        assert set(finding) >= FINDING_KEYS
        for source in finding["sources"]:
            assert set(source) >= SOURCE_KEYS
            if source["pmid"]:
                assert source["url"] == f"https://pubmed.ncbi.nlm.nih.gov/{source['pmid']}/"


def test_json_shorthand_equals_format_json(cli: Callable[..., Result]) -> None:
    assert (
        cli("check", "naloxone", "ketamine", "--json").stdout
        == cli("check", "naloxone", "ketamine", "--format", "json").stdout
    )


def test_naltrexone_antidepressant_is_conflicting_with_both_sides(
    cli_json: Callable[..., tuple[int, Any]],
) -> None:
    code, data = cli_json("check", "naltrexone", "ketamine", "--context", "antidepressant", "--json")
    assert code == 0
    findings = data["pairs"][0]["findings"]
    assert [f["context"] for f in findings] == ["antidepressant"]
    finding = findings[0]
    assert finding["effect"] == "conflicting"
    directions = {s["id"]: s["direction"] for s in finding["sources"]}
    assert directions["williams-2018"] == "attenuates"
    assert directions["jelen-2025"] == "attenuates"
    assert directions["yoon-2019"] == "no_effect"
    assert directions["yoon-rct"] == "no_effect"
    assert finding["conflict"]


def test_conflicting_text_groups_sources_by_side(cli: Callable[..., Result]) -> None:
    out = cli("check", "naltrexone", "ketamine", "-c", "antidepressant").stdout
    assert "Sources pointing to attenuation:" in out
    assert "Sources pointing to no effect:" in out
    assert "Why studies disagree:" in out


def test_unknown_name_exits_3_with_suggestions_on_stderr(cli: Callable[..., Result]) -> None:
    result = cli("check", "ketamin", "naloxone", "--json")
    assert result.exit_code == 3
    assert "'ketamin' is not a recognised drug name" in result.stderr
    assert "ketamine" in result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["unresolved"][0]["input"] == "ketamin"
    assert data["unresolved"][0]["suggested"][0] == {
        "id": "ketamine",
        "name": "ketamine",
        "classes": ["NMDA-receptor antagonists"],
    }
    assert "ketamine" in data["unresolved"][0]["suggestions"]
    assert data["pairs"] == [], "nothing that had to be guessed is answered"


def test_unknown_name_still_answers_recognised_pairs(cli_json: Callable[..., tuple[int, Any]]) -> None:
    code, data = cli_json("check", "naloxone", "ketamine", "notadrug", "--json")
    assert code == 3
    assert [p["drugs"] for p in data["pairs"]] == [["ketamine", "naloxone"]]


def test_no_record_is_not_called_safe(cli: Callable[..., Result], cli_json: Callable[..., tuple[int, Any]]) -> None:
    code, data = cli_json("check", "itraconazole", "naloxone", "--json")
    assert code == 0
    pair = data["pairs"][0]
    assert pair["status"] == "no_record"
    assert pair["findings"] == []
    assert "not evidence that the combination is safe" in pair["note"]
    assert "not evidence that the combination is safe" in cli("check", "itraconazole", "naloxone").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("check", "ketamine"),
        ("check", "ketamine", "naloxone", "--context", "nonsense"),
        ("check", "ketamine", "naloxone", "--format", "yaml"),
        ("check", "ketamine", "naloxone", "--bogus"),
        ("check", "-", "ketamine"),
        ("show", "no-such-finding"),
    ],
)
def test_usage_errors_exit_2_without_traceback(cli: Callable[..., Result], args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip()


def test_unknown_context_suggests(cli: Callable[..., Result]) -> None:
    result = cli("check", "ketamine", "naloxone", "--context", "anaesthesia")
    assert result.exit_code == 2
    assert "Did you mean: anesthesia" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "ndjson", "markdown", "csv", "fhir", "cds-hooks"])
def test_every_format_answers_with_findings(cli: Callable[..., Result], fmt: str) -> None:
    result = cli("check", "naloxone", "ketamine", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "naloxone-ketamine-anesthesia" in result.stdout or "3671186" in result.stdout


def test_markup_in_arguments_is_inert(cli: Callable[..., Result]) -> None:
    result = cli("check", "[bold red]x[/bold red]", "naloxone", "ketamine")
    assert result.exit_code == 3
    assert "[bold red]x[/bold red]" in result.stdout
    assert "[bold red]x[/bold red]" in result.stderr


def test_escape_sequences_in_arguments_are_shown_inert(cli: Callable[..., Result]) -> None:
    result = cli("check", "\x1b[31mred", "naloxone", "ketamine")
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
    assert "\\x1b[31mred" in result.stderr


def test_color_always_colours_and_never_does_not(cli: Callable[..., Result]) -> None:
    coloured = cli("--color", "always", "check", "naloxone", "ketamine").stdout
    plain = cli("--color", "never", "check", "naloxone", "ketamine").stdout
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain


def test_version(cli: Callable[..., Result]) -> None:
    from ketinteract import __version__

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ketinteract {__version__}\n"


def test_repeated_bulk_lines_give_the_same_records_with_their_own_line_numbers(
    cli: Callable[..., Result],
) -> None:
    import json

    lines = ["naloxone, ketamine", "ketamine, lorazepam, fentanyl"] * 3
    out = cli("check", "-", "--format", "ndjson", stdin="\n".join(lines) + "\n").stdout.splitlines()
    records = [json.loads(r) for r in out]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5, 6]
    single = json.loads(cli("check", "naloxone", "ketamine", "--json").stdout)
    assert all(r["result"] == single for r in records[::2])
    assert records[1] == records[3] | {"line": 2}
