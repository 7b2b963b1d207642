"""Renderers: one module per output format behind one small interface.

A renderer is a function ``render(result, out, options)`` that writes a whole :class:`CheckResult` to
``out``. Modules are imported only when their format is asked for, so the JSON path never loads rich.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, TextIO

from ketinteract.results import CheckResult
from ketinteract.vocabulary import OutputFormat


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int | None = None


class Renderer(Protocol):
    def __call__(self, result: CheckResult, out: TextIO, options: RenderOptions) -> None: ...


RENDERER_MODULES: dict[OutputFormat, str] = {
    OutputFormat.text: "ketinteract.render.text",
    OutputFormat.json: "ketinteract.render.json_format",
    OutputFormat.ndjson: "ketinteract.render.json_format",
    OutputFormat.markdown: "ketinteract.render.markdown",
    OutputFormat.csv: "ketinteract.render.csv_format",
    OutputFormat.fhir: "ketinteract.render.fhir",
    OutputFormat.cds_hooks: "ketinteract.render.cds_hooks",
}


def get_renderer(fmt: OutputFormat) -> Renderer:
    """The renderer for ``fmt``; every OutputFormat has exactly one (a test enforces it)."""
    module = importlib.import_module(RENDERER_MODULES[fmt])
    renderer: Renderer = module.RENDERERS[fmt]
    return renderer
