"""What every command shares: global options, the config file (loaded and validated in one place), the
colour decision, the output options, and the handler that turns every failure into one paragraph on
stderr and a documented exit code."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from ketinteract.enums import OutputFormat, Severity
from ketinteract.errors import ExitCode, KetinteractError, UsageError

if TYPE_CHECKING:
    from ketinteract.render import RenderOptions


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


@dataclass(frozen=True)
class Config:
    """Defaults from config.toml; every key optional, every value checked when the file is read."""

    format: OutputFormat | None = None
    color: ColorMode | None = None
    min_severity: Severity | None = None
    local: bool | None = None


@dataclass
class GlobalOptions:
    """Options given before the command name, plus defaults from the config file."""

    table: Path | None = None
    local: bool = True
    color: ColorMode = ColorMode.auto
    config: Config = field(default_factory=Config)


def use_color(mode: ColorMode, stream: TextIO) -> bool:
    """Colour only on a terminal, never with a non-empty NO_COLOR (no-color.org) or TERM=dumb, unless
    forced with --color always."""
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty: Callable[[], bool] | None = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render_options(options: GlobalOptions, stream: TextIO | None = None) -> RenderOptions:
    from ketinteract.render import RenderOptions

    return RenderOptions(color=use_color(options.color, stream or sys.stdout))


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


_CONFIG_CHOICES: dict[str, type[StrEnum]] = {
    "format": OutputFormat,
    "color": ColorMode,
    "min_severity": Severity,
}


def load_config(path: Path) -> Config:
    """Defaults from the TOML config file. A broken file, an unknown key or a bad value is a usage error
    naming the file, the key and the allowed values."""
    if not path.is_file():
        return Config()
    import tomllib

    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise UsageError(f"Config file {path} cannot be read: {exc}.") from None
    known = sorted([*_CONFIG_CHOICES, "local"])
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise UsageError(f"Config file {path} has unknown key(s) {', '.join(unknown)}; known keys: {', '.join(known)}.")
    values: dict[str, object] = {}
    for key, kind in _CONFIG_CHOICES.items():
        if key in raw:
            allowed = [m.value for m in kind]
            value = raw[key]
            if not isinstance(value, str) or value not in allowed:
                shown = repr(value) if isinstance(value, str) else f"{value!r} (a {type(value).__name__})"
                raise UsageError(
                    f"Config file {path}: '{key}' must be one of {', '.join(allowed)} (a quoted string); "
                    f"got {shown[:80]}."
                )
            values[key] = kind(value)
    if "local" in raw:
        if not isinstance(raw["local"], bool):
            raise UsageError(
                f"Config file {path}: 'local' must be true or false (a TOML boolean, unquoted); "
                f"got {raw['local']!r:.80}."
            )
        values["local"] = raw["local"]
    return Config(**values)  # type: ignore[arg-type]


def chosen_format(
    fmt: OutputFormat | None, as_json: bool, config: Config, allowed: tuple[OutputFormat, ...]
) -> OutputFormat:
    """The format a command prints in: --json, then --format, then the config default when the command
    offers it, then text."""
    if as_json:
        if fmt is not None and fmt is not OutputFormat.json:
            raise UsageError(f"--json and --format {fmt.value} contradict each other; give one.")
        return OutputFormat.json
    if fmt is not None:
        return fmt
    if config.format is not None and config.format in allowed:
        return config.format
    return OutputFormat.text
