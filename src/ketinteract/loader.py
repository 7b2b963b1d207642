"""Reading table files: locating the bundled table, parsing, and turning every failure into a
:class:`DataError` that names the file, the JSON location and the record."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ketinteract.errors import DataError, Problem
from ketinteract.inputs import read_regular_file
from ketinteract.models import Table
from ketinteract.paths import bundled_table_path as bundled_table_path
from ketinteract.validation import check_table


def read_bytes(path: Path) -> bytes:
    """The file's bytes (a regular file under the size limit), or a DataError that says why not."""
    return read_regular_file(path)


MAX_NUMBER_DIGITS = 15
"""Numbers in a table are years, counts and versions; a 5000-digit integer or 1e300 is a mistake."""


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"the number {text[:20]}... has more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _bounded_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > 10**MAX_NUMBER_DIGITS:
        raise ValueError(f"the number {text[:20]} is out of range")
    return value


def _no_constant(text: str) -> float:
    raise ValueError(f"{text} is not a JSON number")


def parse_json(data: bytes, name: str) -> Any:
    """Decoded JSON, or a DataError giving line and column. Duplicate keys (where the last would
    silently win), NaN/Infinity and absurd numbers are errors."""
    if not data.strip():
        raise DataError([Problem(name, "", "is empty; a table file holds one JSON object")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, f"byte {exc.start}", "is not valid UTF-8")]) from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=_bounded_int,
            parse_float=_bounded_float,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        raise DataError(
            [Problem(name, f"line {exc.lineno} column {exc.colno}", f"is not valid JSON ({exc.msg})")]
        ) from None
    except _DuplicateKey as exc:
        raise DataError([Problem(name, "", f"has the key '{exc}' twice in one object; each key once")]) from None
    except ValueError as exc:
        raise DataError([Problem(name, "", f"has a bad number: {exc}")]) from None
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
        # Strict: no string-to-int or bool-to-int coercion ("year": "2026" and "n": true are errors).
        # JSON-mode validation (strict still accepts ISO dates and enum values written as strings).
        table = Table.model_validate_json(json.dumps(raw), strict=True)
    except ValidationError as exc:
        problems = [
            Problem(
                name,
                _location(tuple(err["loc"])) or "(top level)",
                _plain_message(err["msg"]),
                _record_id(raw, tuple(err["loc"])),
            )
            for err in exc.errors(include_url=False)
        ]
        raise DataError(problems) from None
    return table


def _plain_message(message: str) -> str:
    """A validation message without pydantic's wording ("Value error, ...")."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


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
