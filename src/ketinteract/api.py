"""The documented Python API: ``from ketinteract import check, resolve, load_table``.

Every function returns the same pydantic models the CLI renders; the CLI is a thin layer on top.
Neither typer, click nor rich is imported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ketinteract.enums import Route, Severity
from ketinteract.index import TableIndex
from ketinteract.models import Table
from ketinteract.query import resolve_names, run_check
from ketinteract.results import CheckResult, ResolvedName, UnresolvedName
from ketinteract.tables import open_index


def load_table(path: str | Path | None = None, *, local: bool = True) -> Table:
    """The validated table: the bundled one (or ``path``) merged with the user's local data files.

    Raises :class:`ketinteract.errors.DataError` when any file is invalid.
    """
    return open_index(Path(path) if path else None, local=local).table


def check(
    *names: str,
    contexts: Sequence[str] = (),
    route: Route | str | None = None,
    min_severity: Severity | str | None = None,
    index: TableIndex | None = None,
) -> CheckResult:
    """Check every pair among ``names``, e.g. ``check("naloxone", "ketamine")``."""
    index = index or open_index(None, local=True)
    return run_check(
        index,
        list(names),
        contexts=list(contexts),
        route=Route(route) if route is not None else None,
        min_severity=Severity(min_severity) if min_severity is not None else None,
    )


def resolve(*names: str, index: TableIndex | None = None) -> tuple[list[ResolvedName], list[UnresolvedName]]:
    """What each name resolves to (combination products expand to their ingredients)."""
    index = index or open_index(None, local=True)
    resolved, _duplicates, unresolved = resolve_names(index, names)
    return resolved, unresolved
