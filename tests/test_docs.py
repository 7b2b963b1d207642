"""README and --help stay true: every command documented, the --help block and exit codes match."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from typer.testing import Result

from ketinteract.cli import app
from ketinteract.errors import EXIT_CODE_HELP

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, str]]:
    from docs_gen import commands

    found: list[tuple[str, str]] = commands()
    return found


def test_readme_generated_blocks_match_the_app() -> None:
    """cog regenerates the command table, the --help block and the exit codes; --check fails on drift."""
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "docs"), str(ROOT / "README.md")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_command_is_documented_in_readme() -> None:
    for name, _help in all_commands():
        assert f"| `{name}` |" in README, f"README does not document '{name}'"


def test_every_command_has_help_with_an_example(cli: Callable[..., Result]) -> None:
    for name, _help in all_commands():
        result = cli(*name.split(), "--help")
        assert result.exit_code == 0
        assert "ketinteract " + name.split()[0] in result.stdout.split("Example")[-1], name


def test_readme_exit_codes_match_errors_module() -> None:
    for code, text in EXIT_CODE_HELP.items():
        assert f"| {int(code)} | {text} |" in README


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


def test_readme_python_api_example_runs() -> None:
    """The documented API works as written: the functions (not submodules), typed results."""
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block
    namespace: dict[str, object] = {}
    exec(block.group(1), namespace)  # the README's own example, as a user would paste it
    from ketinteract import check, load_table, resolve
    from ketinteract.results import CheckResult

    assert callable(check) and callable(resolve) and callable(load_table)
    assert isinstance(namespace["result"], CheckResult)


def test_api_rejects_a_string_where_a_list_belongs() -> None:
    import pytest

    from ketinteract import check
    from ketinteract.errors import UsageError

    with pytest.raises(UsageError, match="list of strings"):
        check("naltrexone", "ketamine", contexts="antidepressant")


def test_man_page_is_generated_from_the_app() -> None:
    from docs_gen import man_page

    assert (ROOT / "docs" / "ketinteract.1").read_text(encoding="utf-8") == man_page(), (
        "regenerate it: python docs/docs_gen.py > docs/ketinteract.1"
    )
