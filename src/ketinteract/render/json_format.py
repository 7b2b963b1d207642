"""JSON and NDJSON: written with the json module straight to the stream, never through rich."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ketinteract.render import Renderer, RenderOptions
from ketinteract.results import CheckResult, PairOut
from ketinteract.vocabulary import OutputFormat


def to_jsonable(result: CheckResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


_PAIR_JSON: dict[int, tuple[PairOut, str]] = {}


def _pair_json(pair: PairOut) -> str:
    # Pair answers are immutable and built once per process (see query.pair_out), so their JSON text is
    # made once too; the object is kept alongside so its id() cannot be reused.
    hit = _PAIR_JSON.get(id(pair))
    if hit is None or hit[0] is not pair:
        hit = (pair, json.dumps(pair.model_dump(mode="json"), ensure_ascii=True, separators=(",", ":")))
        _PAIR_JSON[id(pair)] = hit
    return hit[1]


def compact_result_json(result: CheckResult) -> str:
    """The same JSON as ``to_jsonable`` (same keys, same order), on one ASCII line; ``pairs`` is the
    model's last field, so it is appended from the per-pair texts."""
    head = json.dumps(result.model_dump(mode="json", exclude={"pairs"}), ensure_ascii=True, separators=(",", ":"))
    return head[:-1] + ',"pairs":[' + ",".join(_pair_json(p) for p in result.pairs) + "]}"


def write_json(data: Any, out: TextIO) -> None:
    """Indented for a person at a terminal; compact when piped (the json module's C encoder only runs
    without indentation, and pipelines reformat with jq anyway)."""
    isatty = getattr(out, "isatty", None)
    indent = 2 if isatty is not None and isatty() else None
    out.write(json.dumps(data, indent=indent, ensure_ascii=False))
    out.write("\n")


def bulk_line(entry: dict[str, Any], result: CheckResult | None) -> str:
    """One stdin-mode NDJSON record: ``entry`` (line, input, and status/error), then the result.

    NDJSON is ASCII-only, so no record can contain a character (U+0085, U+2028, ...) that a reader
    splitting on Unicode line breaks would take for the end of a line; strings still round-trip exactly.
    """
    if result is None:
        return json.dumps(entry, ensure_ascii=True, separators=(",", ":")) + "\n"
    head = json.dumps(entry | {"status": "ok"}, ensure_ascii=True, separators=(",", ":"))
    return f'{head[:-1]},"result":{compact_result_json(result)}}}\n'


def render_json(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    write_json(to_jsonable(result), out)


def render_ndjson(result: CheckResult, out: TextIO, options: RenderOptions) -> None:
    out.write(compact_result_json(result) + "\n")


RENDERERS: dict[OutputFormat, Renderer] = {
    OutputFormat.json: render_json,
    OutputFormat.ndjson: render_ndjson,
}
