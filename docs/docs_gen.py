"""Generators for the README's command table, --help block and exit-code table, run by cog.

`cog -r -I docs README.md` rewrites the blocks; `cog --check -I docs README.md` (in CI and in the test
suite) fails when the README has drifted from the app.
"""

from __future__ import annotations

import os

from typer.main import get_command
from typer.testing import CliRunner

from ketinteract.cli import app
from ketinteract.errors import EXIT_CODE_HELP


def commands() -> list[tuple[str, str]]:
    """Every command and subcommand with the first line of its help."""
    root = get_command(app)
    found: list[tuple[str, str]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            found += [(f"{name} {s}", (c.help or "").split("\n")[0]) for s, c in sub.items()]
        else:
            found.append((name, (command.help or "").split("\n")[0]))
    return found


def command_table() -> str:
    rows = "".join(f"| `{name}` | {text} |\n" for name, text in commands())
    return "\n| command | what it does |\n|---|---|\n" + rows


def help_text() -> str:
    os.environ["COLUMNS"] = "80"
    result = CliRunner().invoke(app, ["--help"], prog_name="ketinteract")
    return "\n```\n" + result.stdout.strip() + "\n```\n"


def exit_code_table() -> str:
    rows = "".join(f"| {int(code)} | {text} |\n" for code, text in EXIT_CODE_HELP.items())
    return "\n| code | meaning |\n|---|---|\n" + rows


def _roff(text: str) -> str:
    lines = []
    for raw in text.splitlines():
        line = raw.replace("\\", "\\e").replace("-", "\\-")
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def man_page() -> str:
    """``man ketinteract``: the --help of the program and of every command, in roff."""
    from ketinteract._version import __version__

    os.environ["COLUMNS"] = "80"
    runner = CliRunner()
    parts = [
        f'.TH KETINTERACT 1 "" "ketinteract {__version__}" "User Commands"',
        ".SH NAME",
        "ketinteract \\- offline, evidence\\-graded drug\\-interaction reference for ketamine",
        ".SH SYNOPSIS",
        ".B ketinteract",
        "[OPTIONS] COMMAND [ARGS]...",
        ".SH DESCRIPTION",
        ".nf",
        _roff(runner.invoke(app, ["--help"], prog_name="ketinteract").stdout.strip()),
        ".fi",
        ".SH COMMANDS",
    ]
    for name, _help in commands():
        result = runner.invoke(app, [*name.split(), "--help"], prog_name="ketinteract")
        parts += [f".SS {name}", ".nf", _roff(result.stdout.strip()), ".fi"]
    parts += [".SH NOTES", "A reference to published evidence, not medical advice.", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # python docs/docs_gen.py > docs/ketinteract.1
    import sys

    sys.stdout.write(man_page())
