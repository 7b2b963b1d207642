"""Shared fixtures. Every test gets its own KETINTERACT_HOME, so no test reads or writes real user files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ketinteract.cli import app
from ketinteract.loader import bundled_table_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "ketinteract-home"
    monkeypatch.setenv("KETINTERACT_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("KETINTERACT_DEBUG", raising=False)
    return home


@pytest.fixture
def cli() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=stdin)

    return invoke


@pytest.fixture
def cli_json(cli: Callable[..., Result]) -> Callable[..., tuple[int, Any]]:
    def invoke(*args: str) -> tuple[int, Any]:
        result = cli(*args)
        return result.exit_code, json.loads(result.stdout)

    return invoke


@pytest.fixture(scope="session")
def bundled_raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundled_table_path().read_text(encoding="utf-8"))
    return data


def entry_point() -> list[str]:
    """The installed console script, as a user runs it."""
    script = shutil.which("ketinteract", path=str(Path(sys.executable).parent))
    assert script, "the ketinteract console script is not installed next to this interpreter"
    return [script]


def run_installed(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    full_env.update(env or {})
    return subprocess.run(
        [*entry_point(), *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def ward_table() -> dict[str, Any]:
    """A small valid local data file: one ward protocol and one finding for fentanyl with ketamine."""
    return {
        "sources": [
            {
                "id": "ward-src",
                "kind": "reference_work",
                "design": "reference_text",
                "citation": {"title": "Ward protocol"},
                "summary": "A ward protocol.",
            }
        ],
        "findings": [
            {
                "id": "ward-fentanyl-ketamine-sedation",
                "drugs": ["fentanyl", "ketamine"],
                "context": "sedation",
                "question": "Q?",
                "answer": "Ward answer.",
                "effect": "insufficient",
                "severity": "minor",
                "action": "monitor",
                "evidence_grade": "very_low",
                "management": "Follow the protocol.",
                "sources": [{"source": "ward-src", "direction": "background"}],
                "last_reviewed": "2026-11-01",
            }
        ],
    }
