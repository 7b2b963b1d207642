"""Assembling the table a command works on: the bundled table (or one named with --table) merged with the
user's local data files, validated as a whole, and indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ketinteract.errors import DataError
from ketinteract.index import TableIndex
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


def local_files(data_dir: Path) -> list[Path]:
    if not data_dir.is_dir():
        return []
    return sorted(p for p in data_dir.glob("*.json") if not p.name.startswith("."))


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


def open_tables(table_path: Path | None = None, *, local: bool = True) -> list[TableFile]:
    """The bundled (or named) table file followed by the local data files, each field-validated."""
    from ketinteract.paths import user_paths

    files = [read_table_file(table_path or bundled_table_path(), "bundled")]
    if local:
        files += [read_table_file(p, p.name) for p in local_files(user_paths().data_dir)]
    return files


def open_index(table_path: Path | None = None, *, local: bool = True, use_cache: bool = True) -> TableIndex:
    """The indexed, fully validated table a command works on, from the cache when its inputs are
    unchanged (see ketinteract.cache)."""
    from ketinteract.paths import user_paths

    paths = [table_path or bundled_table_path()]
    if local:
        paths += local_files(user_paths().data_dir)
    inputs = [(str(p), read_bytes(p)) for p in paths]

    def build() -> TableIndex:
        files = [
            table_file(Path(name), "bundled" if i == 0 else Path(name).name, data)
            for i, (name, data) in enumerate(inputs)
        ]
        table = files[0].table if len(files) == 1 else validate_merged(files)
        return TableIndex(table)

    if not use_cache:
        return build()
    from ketinteract.cache import cached_index

    return cached_index(user_paths().cache_dir, inputs, build)
