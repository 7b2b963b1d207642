"""Reading table files: locating the bundled table, parsing, and turning every failure into a
:class:`DataError` that names the file, the JSON location and the record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ketinteract.errors import DataError, Problem
from ketinteract.models import Table
from ketinteract.validation import check_table

MAX_TABLE_BYTES = 64 * 1024 * 1024
"""Larger files are refused before reading: no curated table comes near this, and a runaway file must
not exhaust memory."""

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_table_path() -> Path:
    """The table shipped with this install.

    Wheels and sdists carry it inside the package (``ketinteract/data/``, force-included by the build);
    an editable install has no copy there, so fall back to ``data/`` at the root of the source checkout.
    """
    packaged = _PACKAGE_DIR / "data" / "interactions.json"
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent.parent / "data" / "interactions.json"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DataError that says why they cannot be had."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataError([Problem(name, "", "is a directory, not a table file")])
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            limit = MAX_TABLE_BYTES // (1024 * 1024)
            raise DataError([Problem(name, "", f"is {size} bytes, over the {limit} MiB limit")])
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, "", "does not exist")]) from None
    except PermissionError:
        raise DataError([Problem(name, "", "cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise DataError([Problem(name, "", f"cannot be read ({exc.strerror or exc})")]) from None


def parse_json(data: bytes, name: str) -> Any:
    """Decoded JSON, or a DataError giving line and column."""
    if not data.strip():
        raise DataError([Problem(name, "", "is empty; a table file holds one JSON object")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, f"byte {exc.start}", "is not valid UTF-8")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            [Problem(name, f"line {exc.lineno} column {exc.colno}", f"is not valid JSON ({exc.msg})")]
        ) from None
    except RecursionError:
        raise DataError([Problem(name, "", "is nested too deeply to be a table")]) from None


def _location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _record_id(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    if len(loc) >= 2 and isinstance(raw, dict):
        section = raw.get(loc[0])
        if isinstance(section, list) and isinstance(loc[1], int) and loc[1] < len(section):
            record = section[loc[1]]
            record_id = record.get("id") if isinstance(record, dict) else None
            if isinstance(record_id, str):
                return record_id
    return None


def validate_fields(raw: Any, name: str) -> Table:
    """Field-level validation only (types, vocabularies, id shapes): what one file can be checked for
    on its own. A local file may cite the bundled table's records, so its cross-record checks wait for the
    merged table."""
    if not isinstance(raw, dict):
        raise DataError([Problem(name, "(top level)", "must be a JSON object")])
    try:
        table = Table.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(
                name,
                _location(tuple(err["loc"])) or "(top level)",
                err["msg"],
                _record_id(raw, tuple(err["loc"])),
            )
            for err in exc.errors(include_url=False)
        ]
        raise DataError(problems) from None
    return table


def validate_raw(raw: Any, name: str) -> Table:
    """A fully valid Table from decoded JSON, or a DataError listing every problem."""
    table = validate_fields(raw, name)
    problems = check_table(table, name)
    if problems:
        raise DataError(problems)
    return table


def load_file(path: Path) -> Table:
    """Read, parse and validate one table file."""
    return validate_raw(parse_json(read_bytes(path), str(path)), str(path))
