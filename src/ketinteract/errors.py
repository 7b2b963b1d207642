"""Exit codes and the exceptions that carry them: the one place both are defined.

Precedence when several apply to one run (highest first): 5 internal error, 4 invalid data, 2 usage,
3 unrecognised name, 6 a pair without record (with --strict), 1 threshold reached, 0 answered. An
incomplete check (3, 6) outranks a threshold hit (1) because a script must never read a partial answer
as a complete one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    THRESHOLD = 1
    USAGE = 2
    UNRESOLVED = 3
    DATA = 4
    INTERNAL = 5
    NO_RECORD = 6


EXIT_CODE_HELP: dict[ExitCode, str] = {
    ExitCode.OK: "answered (findings or not, every name recognised)",
    ExitCode.THRESHOLD: "a finding at or above --fail-on severity was found",
    ExitCode.USAGE: "usage error (bad option, fewer than two drugs, unknown context)",
    ExitCode.UNRESOLVED: "one or more names not recognised (the recognised pairs are still answered)",
    ExitCode.DATA: "a data table or local data file is invalid or unreadable",
    ExitCode.INTERNAL: "internal error (a bug: please report it)",
    ExitCode.NO_RECORD: "with --strict: a pair of recognised drugs has no curated record",
}

_PRECEDENCE = (
    ExitCode.INTERNAL,
    ExitCode.DATA,
    ExitCode.USAGE,
    ExitCode.UNRESOLVED,
    ExitCode.NO_RECORD,
    ExitCode.THRESHOLD,
    ExitCode.OK,
)


def combine(codes: list[ExitCode]) -> ExitCode:
    """The exit code of a run in which each of ``codes`` applied."""
    for code in _PRECEDENCE:
        if code in codes:
            return code
    return ExitCode.OK


class KetinteractError(Exception):
    """An error with a one-paragraph message meant for the user and an exit code."""

    exit_code = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(KetinteractError):
    exit_code = ExitCode.USAGE


def did_you_mean(suggestions: Sequence[str]) -> str:
    """The suggestion sentence every message uses (empty when there is nothing close)."""
    return f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""


def describe_suggestions(suggested: Sequence[dict[str, object]]) -> str:
    """ " Did you mean: ketamine (NMDA receptor antagonists)?": each suggestion with what it is, so a
    look-alike of another class is never mistaken for the drug meant."""
    shown = []
    for item in suggested:
        classes = item.get("classes")
        label = f" ({', '.join(str(c) for c in classes)})" if isinstance(classes, list) and classes else ""
        shown.append(f"{item['id']}{label}")
    return did_you_mean(shown)


def unknown_name(kind: str, value: str, known: Sequence[str], *, list_known: bool = False) -> UsageError:
    """A usage error for an id that is not in the table, with the closest known ids."""
    import difflib

    message = f"Unknown {kind} '{value}'." + did_you_mean(difflib.get_close_matches(value, known, n=3, cutoff=0.5))
    if list_known:
        message += f" Known: {', '.join(known)}."
    return UsageError(message)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, located by file, JSON path and (when known) record id."""

    file: str
    location: str
    message: str
    record: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        if self.record:
            where += f" (record '{self.record}')"
        return f"{where}: {self.message}"


class DataError(KetinteractError):
    """A table that cannot be used. Carries every problem found, not just the first."""

    exit_code = ExitCode.DATA

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" ({len(problems) - 1} more problem(s); run 'ketinteract data validate' for all)"
        message = f"Invalid data table: {first}." + (more if len(problems) > 1 else "")
        super().__init__(message)
