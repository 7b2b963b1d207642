"""The ``data`` subcommands' typer declarations (the work is in :mod:`ketinteract.cli.data`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ketinteract.cli.options import JsonFlag, PlainFormatOption, fmt_of, options_of
from ketinteract.cli.runtime import handled, render_options
from ketinteract.enums import PLAIN_FORMATS

data_app = typer.Typer(help="The bundled table and your local data files.", no_args_is_help=True)


@data_app.command(
    "validate",
    epilog="Examples:\n\n  ketinteract data validate\n\n  ketinteract data validate my-clinic.json",
)
def data_validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="A table file; default: the bundled table and local files.", metavar="FILE"),
    ] = None,
    fmt: PlainFormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Validate a table, reporting every problem with its JSON location (exit 0 or 4)."""
    with handled():
        from ketinteract.cli import data

        options = options_of(ctx)
        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        code = data.validate(path, options.table, options.local, chosen, sys.stdout, render_options(options))
    raise typer.Exit(int(code))


@data_app.command("path", epilog="Example:\n\n  ketinteract data path")
def data_path(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """Print where local data, the config file and the cache live."""
    with handled():
        from ketinteract.cli import data

        data.path(fmt_of(ctx, fmt, as_json, PLAIN_FORMATS), sys.stdout, render_options(options_of(ctx)))


@data_app.command("list", epilog="Example:\n\n  ketinteract data list")
def data_list(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """List local data files."""
    with handled():
        from ketinteract.cli import data

        data.list_files(fmt_of(ctx, fmt, as_json, PLAIN_FORMATS), sys.stdout, render_options(options_of(ctx)))


@data_app.command("add", epilog="Example:\n\n  ketinteract data add my-clinic.json")
def data_add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A table file in the bundled table's format.", metavar="FILE")],
    fmt: PlainFormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Validate a file against the bundled table and copy it into the data folder atomically."""
    with handled():
        from ketinteract.cli import data

        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        data.add(file, options_of(ctx).table, chosen, sys.stdout, render_options(options_of(ctx)))


@data_app.command("remove", epilog="Example:\n\n  ketinteract data remove my-clinic.json")
def data_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The local file's name, as in data list.", metavar="NAME")],
    fmt: PlainFormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Remove a local data file."""
    with handled():
        from ketinteract.cli import data

        data.remove(name, fmt_of(ctx, fmt, as_json, PLAIN_FORMATS), sys.stdout, render_options(options_of(ctx)))


@data_app.command("info", epilog="Example:\n\n  ketinteract data info")
def data_info(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """Bundled table version, sha256, counts, last review date, and local files."""
    with handled():
        from ketinteract.cli import data

        options = options_of(ctx)
        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        data.info(options.table, options.local, chosen, sys.stdout, render_options(options))
