"""Option types and helpers shared by every command module's typer declarations."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ketinteract.cli.runtime import GlobalOptions, chosen_format
from ketinteract.enums import OutputFormat, PlainFormat

FORMAT_HELP = "Output format."
JsonFlag = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
PlainFormatOption = Annotated[PlainFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)]


def options_of(ctx: typer.Context) -> GlobalOptions:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()


def fmt_of(ctx: typer.Context, fmt: StrEnum | None, as_json: bool, allowed: tuple[OutputFormat, ...]) -> OutputFormat:
    """The format a command prints in (see runtime.chosen_format)."""
    return chosen_format(OutputFormat(fmt.value) if fmt else None, as_json, options_of(ctx).config, allowed)
