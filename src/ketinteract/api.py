"""The documented Python API: ``from ketinteract import check, resolve, load_table``.

Every function returns pydantic models (the same contract the CLI prints as JSON); the CLI is a thin
layer on top. Neither typer, click nor rich is imported here. Arguments are checked: a string where a
list of contexts is expected is an error, not read letter by letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ketinteract.compiled import CompiledIndex
from ketinteract.enums import Route, Severity
from ketinteract.errors import UsageError
from ketinteract.index_files import open_index
from ketinteract.models import Table
from ketinteract.query import resolve_names, run_check
from ketinteract.results import CheckResult, ResolvedName, UnresolvedName


def load_table(path: str | Path | None = None, *, local: bool = True) -> Table:
    """The validated table: the bundled one (or ``path``) merged with the user's local data files.

    Raises :class:`ketinteract.errors.DataError` when any file is invalid.
    """
    from ketinteract.compile import validated_table
    from ketinteract.inputs import read_inputs
    from ketinteract.paths import bundled_table_path, user_paths

    table_path = Path(path) if path else bundled_table_path()
    return validated_table(read_inputs(table_path, user_paths().data_dir if local else None))


def _strings(value: object, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise UsageError(f'{what} must be a list of strings, e.g. ["antidepressant"]; got {value!r:.60}.')
    items = list(value)
    if not all(isinstance(v, str) for v in items):
        raise UsageError(f"{what} must be a list of strings; got {value!r:.60}.")
    return items


def check(
    *names: str,
    contexts: Sequence[str] = (),
    route: Route | str | None = None,
    min_severity: Severity | str | None = None,
    index: CompiledIndex | None = None,
) -> CheckResult:
    """Check every pair among ``names``, e.g. ``check("naloxone", "ketamine")``."""
    wanted = _strings(list(names), "names")
    chosen_contexts = _strings(contexts, "contexts")
    try:
        chosen_route = Route(route) if route is not None else None
        floor = Severity(min_severity) if min_severity is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    index = index or open_index(None, local=True)
    return run_check(index, wanted, chosen_contexts, chosen_route, floor).model()


def resolve(*names: str, index: CompiledIndex | None = None) -> tuple[list[ResolvedName], list[UnresolvedName]]:
    """What each name resolves to (combination products expand to their ingredients)."""
    wanted = _strings(list(names), "names")
    index = index or open_index(None, local=True)
    resolved, _duplicates, unresolved = resolve_names(index, wanted)
    return (
        [ResolvedName.model_validate(r) for r in resolved],
        [UnresolvedName.model_validate(u) for u in unresolved],
    )
