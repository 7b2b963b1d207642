"""The command-line interface: parse, call the library, render. No clinical logic lives here."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ketinteract import __version__
from ketinteract.cli_support import (
    ColorMode,
    GlobalOptions,
    handled,
    load_config,
    use_color,
)
from ketinteract.errors import EXIT_CODE_HELP, ExitCode, UsageError
from ketinteract.vocabulary import Effect, EvidenceGrade, OutputFormat, Route, Severity

EXIT_CODES_TEXT = "\n\n".join(f"{int(code)}  {text}" for code, text in EXIT_CODE_HELP.items())

app = typer.Typer(
    name="ketinteract",
    help=(
        "Offline, evidence-graded interactions of ketamine with opioid-receptor drugs and more.\n\n"
        "A reference to published evidence, not medical advice.\n\n"
        f"Exit codes:\n\n{EXIT_CODES_TEXT}"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # A fixed help width keeps --help identical everywhere (and the README copy of it checkable).
    context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 80, "max_content_width": 80},
)


class ViewFormat(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ketinteract {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    table: Annotated[
        Path | None,
        typer.Option(
            "--table",
            help="Use this table file instead of the bundled one.",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    no_local: Annotated[bool, typer.Option("--no-local", help="Ignore local data files.")] = False,
    color: Annotated[
        ColorMode,
        typer.Option("--color", help="Colour in text output (auto: only on a terminal, never with NO_COLOR)."),
    ] = ColorMode.auto,
) -> None:
    """Global options come before the command: ketinteract --no-local check naloxone ketamine."""
    with handled():
        from ketinteract.paths import user_paths

        config = load_config(user_paths().config_file)
        options = GlobalOptions(
            table=table, local=not no_local and config.get("local", True) is not False, config=config
        )
        options.color = ColorMode(config["color"]) if color is ColorMode.auto and "color" in config else color
        ctx.obj = options


def _options(ctx: typer.Context) -> GlobalOptions:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()


def _index(ctx: typer.Context) -> Any:
    from ketinteract.tables import open_index

    options = _options(ctx)
    return open_index(options.table, local=options.local)


def _render_options(ctx: typer.Context) -> Any:
    from ketinteract.render import RenderOptions

    return RenderOptions(color=use_color(_options(ctx).color, sys.stdout))


def _complete_names(incomplete: str) -> list[str]:
    """Shell completion for drug, class and product names (ids, names and brands)."""
    from ketinteract.tables import open_index

    try:
        index = open_index(None, local=True)
    except Exception:  # completion must never print a traceback into the user's shell
        return []
    names = {*index.drugs, *index.classes, *index.products}
    names |= {brand for drug in index.drugs.values() for brand in drug.brands}
    return sorted(n for n in names if n.lower().startswith(incomplete.lower()))


def _complete_contexts(incomplete: str) -> list[str]:
    from ketinteract.tables import open_index

    try:
        return [c for c in open_index(None, local=True).contexts if c.startswith(incomplete)]
    except Exception:
        return []


def _config_enum(ctx: typer.Context, key: str, value: Any, kind: Any) -> Any:
    """An option's value, or the config file's default for it when the option was not given."""
    if value is not None:
        return value
    configured = _options(ctx).config.get(key)
    if configured is None:
        return None
    try:
        return kind(configured)
    except ValueError:
        raise UsageError(f"Config key '{key}' has invalid value '{configured}'.") from None


@app.command(
    epilog=(
        "Examples:\n\n"
        "  ketinteract check naloxone ketamine\n\n"
        "  ketinteract check Vivitrol Spravato --context antidepressant --json\n\n"
        "  ketinteract check ketamine lorazepam fentanyl alcohol --fail-on major\n\n"
        "  printf 'naloxone, ketamine\\n' | ketinteract check - --format ndjson"
    )
)
def check(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            help="Two or more drug names, or - to read regimens from stdin.",
            metavar="NAME",
            autocompletion=_complete_names,
        ),
    ],
    context: Annotated[
        list[str] | None,
        typer.Option(
            "--context",
            "-c",
            help="Only this clinical context (repeatable).",
            metavar="CONTEXT",
            autocompletion=_complete_contexts,
        ),
    ] = None,
    fmt: Annotated[OutputFormat | None, typer.Option("--format", "-f", help="Output format.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")] = False,
    route: Annotated[Route | None, typer.Option("--route", help="Keep findings that hold for this route.")] = None,
    min_severity: Annotated[
        Severity | None, typer.Option("--min-severity", help="Hide findings below this severity.")
    ] = None,
    fail_on: Annotated[
        Severity | None,
        typer.Option("--fail-on", help="Exit 1 if a finding at or above this severity is shown."),
    ] = None,
) -> None:
    """Check every pair among the named drugs and print the curated findings."""
    with handled():
        from ketinteract.checking import CheckRequest, run_request

        chosen = OutputFormat.json if as_json else _config_enum(ctx, "format", fmt, OutputFormat)
        request = CheckRequest(
            names=names,
            contexts=context or [],
            fmt=chosen or OutputFormat.text,
            route=route,
            min_severity=_config_enum(ctx, "min_severity", min_severity, Severity),
            fail_on=fail_on,
        )
        code = run_request(_index(ctx), request, sys.stdin, sys.stdout, _render_options(ctx))
    raise typer.Exit(int(code))


@app.command(epilog="Example:\n\n  ketinteract show naltrexone-ketamine-antidepressant")
def show(
    ctx: typer.Context,
    finding_id: Annotated[str, typer.Argument(help="A finding id, as shown by check or list.")],
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f")] = ViewFormat.text,
) -> None:
    """Show one finding in full: mechanism, both sides of any conflict, grading steps, citations."""
    with handled():
        from ketinteract import views

        views.show(_index(ctx), finding_id, fmt.value, sys.stdout, _render_options(ctx))


@app.command(
    name="list",
    epilog="Examples:\n\n  ketinteract list --drug naltrexone\n\n  ketinteract list --grade low --format json",
)
def list_findings(
    ctx: typer.Context,
    drug: Annotated[str | None, typer.Option("--drug", help="Only findings involving this drug or class.")] = None,
    context: Annotated[str | None, typer.Option("--context", "-c", help="Only this context.")] = None,
    grade: Annotated[EvidenceGrade | None, typer.Option("--grade", help="Only this evidence grade.")] = None,
    effect: Annotated[Effect | None, typer.Option("--effect", help="Only this effect.")] = None,
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f")] = ViewFormat.text,
) -> None:
    """List the curated findings, optionally filtered."""
    with handled():
        from ketinteract import views

        views.list_findings(_index(ctx), drug, context, grade, effect, fmt.value, sys.stdout, _render_options(ctx))


class CitationFormat(StrEnum):
    text = "text"
    json = "json"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"


@app.command(
    epilog=(
        "Examples:\n\n  ketinteract sources --format bibtex > ketamine.bib\n\n"
        "  ketinteract sources --finding naloxone-ketamine-anesthesia"
    )
)
def sources(
    ctx: typer.Context,
    finding: Annotated[str | None, typer.Option("--finding", help="Only the sources of this finding.")] = None,
    fmt: Annotated[CitationFormat, typer.Option("--format", "-f")] = CitationFormat.text,
) -> None:
    """Print the sources, for reading or for a reference manager (BibTeX, RIS, CSL-JSON)."""
    with handled():
        from ketinteract import views

        views.sources(_index(ctx), finding, fmt.value, sys.stdout)


@app.command(epilog="Examples:\n\n  ketinteract resolve Narcan 'Ketamine HCl 50 mg/mL' Suboxone")
def resolve(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Names to resolve.", metavar="NAME")],
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f")] = ViewFormat.text,
) -> None:
    """Show what each name resolves to, by which rule, with identifiers."""
    with handled():
        from ketinteract import views

        code = views.resolve(_index(ctx), names, fmt.value, sys.stdout, _render_options(ctx))
    raise typer.Exit(int(code))


@app.command(epilog="Example:\n\n  ketinteract drugs --format json | jq '.drugs[].id'")
def drugs(
    ctx: typer.Context,
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f")] = ViewFormat.text,
) -> None:
    """List the drug vocabulary: ingredients, classes and combination products."""
    with handled():
        from ketinteract import views

        views.drugs(_index(ctx), fmt.value, sys.stdout, _render_options(ctx))


class SchemaKind(StrEnum):
    output = "output"
    data = "data"


@app.command(epilog="Examples:\n\n  ketinteract schema output > output.schema.json\n\n  ketinteract schema data")
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="output: the JSON output of check; data: table files.")
    ] = SchemaKind.output,
) -> None:
    """Print the JSON Schema of the JSON output or of the data table."""
    with handled():
        from ketinteract import views

        views.schema(kind.value, sys.stdout)


data_app = typer.Typer(help="The bundled table and your local data files.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command(
    "validate",
    epilog="Examples:\n\n  ketinteract data validate\n\n  ketinteract data validate my-clinic.json",
)
def data_validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="A table file; default: the bundled table and local files.")
    ] = None,
) -> None:
    """Validate a table, reporting every problem with its JSON location (exit 0 or 4)."""
    with handled():
        from ketinteract import localdata

        options = _options(ctx)
        code = localdata.validate_command(path, options.table, options.local, sys.stdout)
    raise typer.Exit(int(code))


@data_app.command("path", epilog="Example:\n\n  ketinteract data path")
def data_path() -> None:
    """Print where local data, the config file and the cache live."""
    with handled():
        from ketinteract import localdata

        localdata.path_command(sys.stdout)


@data_app.command("list", epilog="Example:\n\n  ketinteract data list")
def data_list() -> None:
    """List local data files."""
    with handled():
        from ketinteract import localdata

        localdata.list_command(sys.stdout)


@data_app.command("add", epilog="Example:\n\n  ketinteract data add my-clinic.json")
def data_add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A table file in the bundled table's format.")],
) -> None:
    """Validate a file against the bundled table and copy it into the data folder atomically."""
    with handled():
        from ketinteract import localdata

        localdata.add_command(file, _options(ctx).table, sys.stdout)


@data_app.command("remove", epilog="Example:\n\n  ketinteract data remove my-clinic.json")
def data_remove(name: Annotated[str, typer.Argument(help="The local file's name, as in data list.")]) -> None:
    """Remove a local data file."""
    with handled():
        from ketinteract import localdata

        localdata.remove_command(name, sys.stdout)


@data_app.command("info", epilog="Example:\n\n  ketinteract data info")
def data_info(
    ctx: typer.Context,
    fmt: Annotated[ViewFormat, typer.Option("--format", "-f")] = ViewFormat.text,
) -> None:
    """Bundled table version, sha256, counts, last review date, and local files."""
    with handled():
        from ketinteract import localdata

        options = _options(ctx)
        localdata.info_command(options.table, options.local, fmt.value, sys.stdout)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
        if isinstance(code, int) and code not in {int(c) for c in ExitCode}:
            raise SystemExit(int(ExitCode.USAGE)) from None
        raise
