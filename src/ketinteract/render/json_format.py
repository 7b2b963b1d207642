"""JSON and NDJSON: written with the json module straight to the stream, never through rich.

Every JSON writer escapes C1 controls and bidi overrides as ``\\uXXXX`` (the compact writers by writing
ASCII, the indented one through :func:`ketinteract.textsafe.json_safe`), so no data string can drive a
terminal or reorder what a reader sees, and every string still round-trips exactly.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ketinteract.render import RenderOptions

if TYPE_CHECKING:
    from ketinteract.results import CheckResult, Document
from ketinteract.textsafe import json_safe


def to_jsonable(document: Document | CheckResult) -> dict[str, Any]:
    return document.model_dump(mode="json")


def write_json(data: Any, out: TextIO) -> None:
    """Indented for a person at a terminal; compact when piped (the json module's C encoder only runs
    without indentation, and pipelines reformat with jq anyway)."""
    isatty = getattr(out, "isatty", None)
    indent = 2 if isatty is not None and isatty() else None
    out.write(dumps(data, indent=indent))
    out.write("\n")


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as readable UTF-8 JSON (non-ASCII letters kept, so "Schüle" stays legible) with the
    characters a terminal would act on escaped; the one encoder for every non-ASCII JSON output."""
    return json_safe(json.dumps(data, indent=indent, ensure_ascii=False))


def write_json_text(text: str, out: TextIO) -> None:
    """Stored compact JSON: as it is when piped, indented for a person at a terminal."""
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        write_json(json.loads(text), out)
    else:
        out.write(text + "\n")


def bulk_line(entry: dict[str, Any], result_json: str | None) -> str:
    """One stdin-mode NDJSON record: ``entry`` (line, input, and status/error), then the result.

    NDJSON is ASCII-only, so no record can contain a character (U+0085, U+2028, ...) that a reader
    splitting on Unicode line breaks would take for the end of a line; strings still round-trip exactly.
    """
    if result_json is None:
        return json.dumps(entry, ensure_ascii=True, separators=(",", ":")) + "\n"
    head = json.dumps(entry | {"status": "ok"}, ensure_ascii=True, separators=(",", ":"))
    return f'{head[:-1]},"result":{result_json}}}\n'


def render_json(document: Document | CheckResult, out: TextIO, options: RenderOptions) -> None:
    write_json(to_jsonable(document), out)


def render_ndjson(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    out.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=True, separators=(",", ":")) + "\n")
