"""What every command shares: global options, the config file (loaded and validated in one place), the
colour decision, the output options, and the handler that turns every failure into one paragraph on
stderr and a documented exit code."""

from __future__ import annotations

import os
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from ketinteract.enums import OutputFormat, Route, Severity
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


def render_options(options: GlobalOptions, stream: TextIO | None = None, *, paged: bool = False) -> RenderOptions:
    """Output options for ``stream``; ``paged`` renders for a pager on that terminal (its width, colour
    as the terminal would get it)."""
    from ketinteract.render import RenderOptions

    stream = stream or sys.stdout
    color = use_color(options.color, stream)
    if paged:
        return RenderOptions(color=color, terminal=True, width=shutil.get_terminal_size().columns)
    return RenderOptions(color=color, terminal=_isatty(stream))


def _isatty(stream: TextIO) -> bool:
    isatty: Callable[[], bool] | None = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def wants_pager(stream: TextIO) -> bool:
    """Page only for a person: stdout and stdin on a terminal, and not disabled (PAGER="" or "cat")."""
    return _isatty(stream) and sys.stdin.isatty() and os.environ.get("PAGER", "less") not in {"", "cat"}


def page(text: str, stream: TextIO) -> None:
    """Show ``text`` through the pager when it is longer than the screen, else print it."""
    height = shutil.get_terminal_size().lines
    if text.count("\n") < height - 1:
        stream.write(text)
        return
    import shlex
    import subprocess

    command = shlex.split(os.environ.get("PAGER") or "less")
    env = dict(os.environ)
    if command and Path(command[0]).name == "less":
        env.setdefault("LESS", "FRX")  # quit if one screen, keep colour, leave the text on screen
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        stream.write(text)
        return
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode("utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early
    process.wait()


_ROUTE_ALIASES = {
    "iv": Route.intravenous,
    "po": Route.oral,
    "in": Route.intranasal,
    "im": Route.intramuscular,
    "sc": Route.subcutaneous,
    "sq": Route.subcutaneous,
    "subcut": Route.subcutaneous,
    "nasal": Route.intranasal,
}


def parse_route(value: str | None) -> Route | None:
    """A route by name or common abbreviation (iv, im, po, in, sc)."""
    if value is None:
        return None
    key = value.strip().casefold()
    if key in _ROUTE_ALIASES:
        return _ROUTE_ALIASES[key]
    try:
        return Route(key)
    except ValueError:
        from ketinteract.errors import did_you_mean

        known = [r.value for r in Route] + sorted(_ROUTE_ALIASES)
        import difflib

        hint = did_you_mean(difflib.get_close_matches(key, known, n=2, cutoff=0.6))
        raise UsageError(
            f"Unknown route '{value}'.{hint} Known: {', '.join(r.value for r in Route)} (or iv, im, po, in, sc)."
        ) from None


def prepare_process() -> None:
    """Before any command: argv that is not valid UTF-8 becomes U+FFFD (it is then an unrecognised name,
    shown safely), and stdout always writes valid UTF-8."""
    sys.argv = [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for a in sys.argv]
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def quiet_broken_pipe() -> None:
    """A reader that went away (``| head``) ends the run quietly: flush now, and if the pipe is closed,
    point stdout at /dev/null so the interpreter's own final flush cannot fail."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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


def usage_error(error: Exception) -> NoReturn:
    """A command-line mistake typer found (bad option value, missing argument): one paragraph on stderr
    in plain words, the usage line and the help hint, exit 2."""
    message = getattr(error, "format_message", lambda: str(error))()
    if type(error).__name__ == "NoArgsIsHelpError":  # bare "ketinteract": the help is the message
        sys.stderr.write(message + "\n")
        raise SystemExit(int(ExitCode.USAGE))
    for wording in ("Value error, ", "Input should be "):
        message = message.replace(wording, "" if wording.startswith("Value") else "it should be ")
    context = getattr(error, "ctx", None)
    if context is not None:
        sys.stderr.write(context.get_usage() + "\n")
        sys.stderr.write(f"Try '{context.command_path} -h' for help.\n")
    err(message)
    raise SystemExit(int(ExitCode.USAGE))
