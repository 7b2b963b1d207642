"""README and --help stay true: every command documented, the --help block and exit codes match."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from typer.main import get_command
from typer.testing import Result

from ketinteract.cli import app
from ketinteract.errors import EXIT_CODE_HELP

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", README, re.S)
    assert match, f"README has no {name} block"
    return match.group(1)


def all_commands() -> list[tuple[str, str]]:
    root = get_command(app)
    found = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            found += [(f"{name} {s}", c.help or "") for s, c in sub.items()]
        else:
            found.append((name, command.help or ""))
    return found


def test_every_command_is_documented_in_readme() -> None:
    table = block("commands")
    for name, _help in all_commands():
        assert f"| `{name}` |" in table, f"README does not document '{name}'"


def test_every_command_has_help_with_an_example(cli: Callable[..., Result]) -> None:
    for name, _help in all_commands():
        result = cli(*name.split(), "--help")
        assert result.exit_code == 0
        assert "ketinteract " + name.split()[0] in result.stdout.split("Example")[-1], name


def test_readme_help_block_matches_real_help(cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    real = cli("--help").stdout.strip()
    documented = block("help").strip().removeprefix("```").removesuffix("```").strip()
    assert documented == real


def test_readme_exit_codes_match_errors_module() -> None:
    table = block("exit-codes")
    for code, text in EXIT_CODE_HELP.items():
        assert f"| {int(code)} | {text} |" in table


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = README[:600]
    assert "ketinteract check naloxone ketamine" in head
    assert ".venv/bin/pytest" in head


def test_ci_runs_the_readme_test_command() -> None:
    command = re.search(r"```sh\n(python3 -m venv .venv && .*pytest)\n```", README)
    assert command
    assert command.group(1) in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_shell_completion_offers_drug_names_and_contexts(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    env = {"_KETINTERACT_COMPLETE": "complete_bash", "COMP_WORDS": "ketinteract check Nar", "COMP_CWORD": "2"}
    result = runner.invoke(app, [], env=env, prog_name="ketinteract")
    assert "Narcan" in result.stdout
    env = {
        "_KETINTERACT_COMPLETE": "complete_bash",
        "COMP_WORDS": "ketinteract check a b --context anti",
        "COMP_CWORD": "5",
    }
    result = runner.invoke(app, [], env=env, prog_name="ketinteract")
    assert "antidepressant" in result.stdout and "antisuicidal" in result.stdout
