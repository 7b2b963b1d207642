"""Assembling the table a command works on: the bundled table (or one named with --table) merged with the
user's local data files, validated as a whole, and indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ketinteract.errors import DataError
from ketinteract.inputs import local_files as local_files
from ketinteract.loader import bundled_table_path, parse_json, read_bytes, validate_fields, validate_raw
from ketinteract.models import Table
from ketinteract.validation import check_table

SECTIONS = ("contexts", "classes", "drugs", "products", "sources", "findings", "regimen_rules")
_ORIGIN_SECTIONS = ("drugs", "products", "sources", "findings")
_LOCATION = re.compile(r"^(\w+)\[(\d+)\](.*)$")


@dataclass(frozen=True)
class TableFile:
    path: Path
    name: str
    """How the file is named in output: "bundled" or the local file's name."""
    data: bytes
    table: Table


def read_table_file(path: Path, name: str) -> TableFile:
    return table_file(path, name, read_bytes(path))


def table_file(path: Path, name: str, data: bytes, raw: Any = None) -> TableFile:
    """A field-validated table file; "bundled" is fully validated, any other name is local data whose
    records are marked with that name as their origin. ``raw`` skips decoding when already done."""
    if raw is None:
        raw = parse_json(data, str(path))
    if name == "bundled":
        return TableFile(path, name, data, validate_raw(raw, str(path)))
    table = with_origin(validate_fields(raw, str(path)), name)
    return TableFile(path, name, data, table)


def with_origin(table: Table, origin: str) -> Table:
    update = {
        section: [r.model_copy(update={"origin": origin}) for r in getattr(table, section)]
        for section in _ORIGIN_SECTIONS
    }
    return table.model_copy(update=update)


def merge(files: list[TableFile]) -> Table:
    """One table from several; a conflict of ids is left for validation to report with both files."""
    base = files[0].table
    merged = {section: [r for f in files for r in getattr(f.table, section)] for section in SECTIONS}
    return base.model_copy(update=merged)


def _locator(files: list[TableFile]) -> dict[str, list[tuple[int, TableFile]]]:
    offsets: dict[str, list[tuple[int, TableFile]]] = {}
    for section in SECTIONS:
        start, spans = 0, []
        for f in files:
            spans.append((start, f))
            start += len(getattr(f.table, section))
        offsets[section] = spans
    return offsets


def validate_merged(files: list[TableFile]) -> Table:
    table = merge(files)
    spans = _locator(files)

    def locate(location: str) -> tuple[str, str]:
        match = _LOCATION.match(location)
        if not match or match.group(1) not in spans:
            return str(files[0].path), location
        section, index, rest = match.group(1), int(match.group(2)), match.group(3)
        start, owner = max((s for s in spans[section] if s[0] <= index), key=lambda s: s[0])
        return str(owner.path), f"{section}[{index - start}]{rest}"

    problems = check_table(table, str(files[0].path), locate)
    if problems:
        raise DataError(problems)
    return table


def open_tables(table_path: Path | None = None, *, local: bool = True, lock: bool = True) -> list[TableFile]:
    """The bundled (or named) table file followed by the local data files, each field-validated.
    ``lock=False`` when the caller already holds the data folder's exclusive lock."""
    from ketinteract.inputs import read_inputs
    from ketinteract.paths import user_paths

    inputs = read_inputs(table_path or bundled_table_path(), user_paths().data_dir if local else None, lock=lock)
    return [table_file(path, name, data) for path, name, data in inputs]
