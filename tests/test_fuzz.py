"""Hypothesis fuzzing of the CLI (argv and stdin) and the loader (JSON shaped like a table): no unhandled
exception, an exit code from the documented set, and JSON output that always parses. Bounded so CI stays
fast (a few hundred examples in all)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ketinteract.cli import app
from ketinteract.errors import DataError, ExitCode
from ketinteract.loader import validate_raw

DOCUMENTED = {int(c) for c in ExitCode} - {int(ExitCode.INTERNAL)}
RUNNER = CliRunner()
WORDS = [
    "check",
    "show",
    "list",
    "sources",
    "resolve",
    "drugs",
    "schema",
    "data",
    "validate",
    "info",
    "--json",
    "--format",
    "json",
    "ndjson",
    "text",
    "csv",
    "fhir",
    "cds-hooks",
    "markdown",
    "--context",
    "antidepressant",
    "--route",
    "oral",
    "--fail-on",
    "major",
    "--min-severity",
    "-",
    "--no-local",
    "ketamine",
    "naloxone",
    "Narcan",
    "Spravato",
    "lorazepam",
    "[bold]x",
    "\x1b[31m",
    "--color",
    "always",
]
ARGV = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=7)


def invoke(argv: list[str], stdin: str = "") -> Any:
    return RUNNER.invoke(app, argv, input=stdin)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=ARGV)
def test_random_argv_never_crashes(argv: list[str]) -> None:
    result = invoke(argv)
    assert result.exit_code in DOCUMENTED, (argv, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    if (
        result.exit_code in {0, 1, 3}
        and ("--json" in argv or argv[-2:] == ["--format", "json"])
        and argv[:1] == ["check"]
    ):
        json.loads(result.stdout)


@settings(max_examples=100, deadline=None)
@given(
    stdin=st.lists(
        st.one_of(
            st.text(max_size=30), st.sampled_from(["ketamine, naloxone", "Narcan\tSpravato", "# comment", "", "x"])
        ),
        max_size=6,
    )
)
def test_random_stdin_bulk_lines_never_crash_and_each_line_parses(stdin: list[str]) -> None:
    text = "\n".join(s.replace("\r", " ") for s in stdin)
    result = invoke(["check", "-", "--format", "ndjson"], stdin=text)
    assert result.exit_code in DOCUMENTED, result.stderr
    for line in result.stdout.splitlines():
        entry = json.loads(line)
        assert entry["status"] in {"ok", "error"}


JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=8),
    st.sampled_from(["ketamine", "naloxone", "major", "high", "no_effect", "2026-01-01"]),
)
RECORD = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "name",
            "drugs",
            "context",
            "effect",
            "severity",
            "sources",
            "kind",
            "citation",
            "design",
            "summary",
            "question",
            "answer",
            "action",
            "evidence_grade",
            "management",
            "last_reviewed",
            "definition",
            "source",
            "direction",
        ]
    ),
    st.one_of(JSON_LEAF, st.lists(JSON_LEAF, max_size=3)),
    max_size=8,
)
TABLE = st.dictionaries(
    st.sampled_from(
        ["contexts", "classes", "drugs", "products", "sources", "findings", "regimen_rules", "table_version", "extra"]
    ),
    st.one_of(JSON_LEAF, st.lists(RECORD, max_size=3)),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(raw=TABLE)
def test_random_table_shaped_json_is_valid_or_a_data_error(raw: dict[str, Any]) -> None:
    try:
        validate_raw(raw, "fuzz.json")
    except DataError as error:
        assert error.problems and all(p.file == "fuzz.json" for p in error.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=TABLE)
def test_random_table_through_cli_exits_0_or_4(tmp_path: Path, raw: dict[str, Any]) -> None:
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = invoke(["--table", str(path), "check", "ketamine", "naloxone", "--json"])
    assert result.exit_code in {0, 2, 3, 4}, result.stderr
    if result.exit_code in {0, 3}:
        json.loads(result.stdout)
