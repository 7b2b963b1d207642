"""JSON and NDJSON: written with the json module straight to the stream, never through rich."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ketinteract.render import Renderer, RenderOptions
from ketinteract.results import CheckResult
from ketinteract.vocabulary import OutputFormat


def to_jsonable(result: CheckResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


def write_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_json_line(data: Any, out: TextIO) -> None:
    # ASCII-only, so no record can contain a character (U+0085, U+2028, ...) that a reader splitting on
    # Unicode line breaks would take for the end of a line; the strings still round-trip exactly.
    out.write(json.dumps(data, ensure_ascii=True, separators=(",", ":")))
    out.write("\n")


def render_json(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    write_json(to_jsonable(result), out)


def render_ndjson(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    write_json_line(to_jsonable(result), out)


RENDERERS: dict[OutputFormat, Renderer] = {
    OutputFormat.json: render_json,
    OutputFormat.ndjson: render_ndjson,
}
