"""Plumbing shared by the CLI commands: options from the root callback, colour, errors, output streams.

Kept free of typer so it can be tested and imported cheaply; the typer app lives in cli.py.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TextIO

from ketinteract.errors import ExitCode, KetinteractError, UsageError


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


@dataclass
class GlobalOptions:
    """Options given before the command name, plus defaults from the config file."""

    table: Path | None = None
    local: bool = True
    color: ColorMode = ColorMode.auto
    config: dict[str, Any] = field(default_factory=dict)


def use_color(mode: ColorMode, stream: TextIO) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (any value) or TERM=dumb, unless forced."""
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    isatty: Callable[[], bool] | None = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def err(message: str) -> None:
    """One diagnostic paragraph on stderr, made inert (it may quote user input)."""
    from ketinteract.textsafe import inert

    sys.stderr.write(f"ketinteract: {inert(message, keep_newlines=False)}\n")


def fail(error: KetinteractError) -> NoReturn:
    err(error.message)
    raise SystemExit(int(error.exit_code))


@contextmanager
def handled() -> Iterator[None]:
    """Turn every failure into a one-paragraph message and a documented exit code, never a traceback."""
    try:
        yield
    except KetinteractError as error:
        fail(error)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(int(ExitCode.OK)) from None
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug: say so plainly, keep the details for whoever debugs it
        if os.environ.get("KETINTERACT_DEBUG"):
            traceback.print_exc()
        err(
            f"internal error ({type(exc).__name__}). This is a bug in ketinteract; please report it with "
            "the command you ran (set KETINTERACT_DEBUG=1 to see the details)."
        )
        raise SystemExit(int(ExitCode.INTERNAL)) from None


def load_config(path: Path) -> dict[str, Any]:
    """Defaults from the TOML config file; a broken file is a usage error naming the file."""
    if not path.is_file():
        return {}
    import tomllib

    try:
        with path.open("rb") as handle:
            config = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"Config file {path} cannot be read: {exc}.") from None
    known = {"format", "color", "min_severity", "local"}
    unknown = sorted(set(config) - known)
    if unknown:
        raise UsageError(
            f"Config file {path} has unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(known))}."
        )
    return config


def read_stdin_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """Numbered lines of a regimen file, with blank lines and # comments skipped."""
    for number, raw in enumerate(stream, start=1):
        text = raw.rstrip("\r\n")
        if text.strip() and not text.lstrip().startswith("#"):
            yield number, text


def split_regimen(text: str) -> list[str]:
    """Drug names on one line, separated by commas or tabs."""
    return [name.strip() for name in text.replace("\t", ",").split(",") if name.strip()]
