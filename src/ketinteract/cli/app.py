"""The typer app: declarations only. Each command parses its options and calls one function in the
module for its job (check, lookups, data), inside the error handler of :mod:`ketinteract.cli.runtime`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ketinteract._version import __version__
from ketinteract.cli.runtime import ColorMode, GlobalOptions, chosen_format, handled, load_config, render_options
from ketinteract.enums import (
    CHECK_FORMATS,
    PLAIN_FORMATS,
    SOURCE_FORMATS,
    CheckFormat,
    Effect,
    EvidenceGrade,
    OutputFormat,
    PlainFormat,
    Route,
    Severity,
    SourceFormat,
)
from ketinteract.errors import EXIT_CODE_HELP, ExitCode

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


FORMAT_HELP = "Output format."
JsonFlag = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
PlainFormatOption = Annotated[PlainFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)]


class SchemaKind(StrEnum):
    output = "output"
    show = "show"
    list = "list"
    sources = "sources"
    resolve = "resolve"
    drugs = "drugs"
    info = "info"
    validate = "validate"
    data = "data"


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
        local = not no_local and config.local is not False
        if color is ColorMode.auto and config.color is not None:
            color = config.color
        ctx.obj = GlobalOptions(table=table, local=local, color=color, config=config)


def _options(ctx: typer.Context) -> GlobalOptions:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()


def _index(ctx: typer.Context) -> Any:
    from ketinteract.tables import open_index

    options = _options(ctx)
    return open_index(options.table, local=options.local)


def _fmt(ctx: typer.Context, fmt: StrEnum | None, as_json: bool, allowed: tuple[OutputFormat, ...]) -> OutputFormat:
    return chosen_format(OutputFormat(fmt.value) if fmt else None, as_json, _options(ctx).config, allowed)


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


@app.command(
    epilog=(
        "Examples:\n\n"
        "  ketinteract check naloxone ketamine\n\n"
        "  ketinteract check Vivitrol Spravato --context antidepressant --json\n\n"
        "  ketinteract check ketamine lorazepam fentanyl alcohol --fail-on major\n\n"
        "  printf 'naloxone, ketamine\\n' | ketinteract check - --format ndjson\n\n"
        "  ketinteract check --fhir medications.json"
    )
)
def check(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Two or more drug names, or - to read regimens from stdin.",
            metavar="DRUG...",
            autocompletion=_complete_names,
        ),
    ] = None,
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
    fmt: Annotated[CheckFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    as_json: JsonFlag = False,
    route: Annotated[Route | None, typer.Option("--route", help="Keep findings that hold for this route.")] = None,
    min_severity: Annotated[
        Severity | None, typer.Option("--min-severity", help="Hide findings below this severity.")
    ] = None,
    fail_on: Annotated[
        Severity | None,
        typer.Option("--fail-on", help="Exit 1 if a finding at or above this severity is shown."),
    ] = None,
    fhir: Annotated[
        str | None,
        typer.Option("--fhir", help="Also the medications in this FHIR JSON file (- for stdin).", metavar="FILE"),
    ] = None,
) -> None:
    """Check every pair among the named drugs and print the curated findings."""
    with handled():
        from ketinteract.cli.check import CheckRequest, run_request

        options = _options(ctx)
        request = CheckRequest(
            names=names or [],
            contexts=context or [],
            fmt=_fmt(ctx, fmt, as_json, CHECK_FORMATS),
            route=route,
            min_severity=min_severity or options.config.min_severity,
            fail_on=fail_on,
        )
        if fhir is not None:
            from ketinteract.cli.fhir_check import run_fhir

            code = run_fhir(_index(ctx), fhir, request, sys.stdin, sys.stdout, render_options(options))
        else:
            code = run_request(_index(ctx), request, sys.stdin, sys.stdout, render_options(options))
    raise typer.Exit(int(code))


@app.command(epilog="Example:\n\n  ketinteract show naltrexone-ketamine-antidepressant")
def show(
    ctx: typer.Context,
    finding_id: Annotated[str, typer.Argument(help="A finding id, as shown by check or list.", metavar="FINDING")],
    fmt: PlainFormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show one finding in full: mechanism, both sides of any conflict, grading steps, citations."""
    with handled():
        from ketinteract.cli import lookups

        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        lookups.show(_index(ctx), finding_id, chosen, sys.stdout, render_options(_options(ctx)))


@app.command(
    name="list",
    epilog="Examples:\n\n  ketinteract list --drug naltrexone\n\n  ketinteract list --grade low --format json",
)
def list_findings(
    ctx: typer.Context,
    drug: Annotated[
        str | None, typer.Option("--drug", help="Only findings involving this drug or class.", metavar="DRUG")
    ] = None,
    context: Annotated[
        str | None, typer.Option("--context", "-c", help="Only this context.", metavar="CONTEXT")
    ] = None,
    grade: Annotated[EvidenceGrade | None, typer.Option("--grade", help="Only this evidence grade.")] = None,
    effect: Annotated[Effect | None, typer.Option("--effect", help="Only this effect.")] = None,
    fmt: PlainFormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """List the curated findings, optionally filtered."""
    with handled():
        from ketinteract.cli import lookups

        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        lookups.list_findings(
            _index(ctx), drug, context, grade, effect, chosen, sys.stdout, render_options(_options(ctx))
        )


@app.command(
    epilog=(
        "Examples:\n\n  ketinteract sources --format bibtex > ketamine.bib\n\n"
        "  ketinteract sources --finding naloxone-ketamine-anesthesia"
    )
)
def sources(
    ctx: typer.Context,
    finding: Annotated[
        str | None, typer.Option("--finding", help="Only the sources of this finding.", metavar="FINDING")
    ] = None,
    fmt: Annotated[SourceFormat | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    as_json: JsonFlag = False,
) -> None:
    """Print the sources, for reading or for a reference manager (BibTeX, RIS, CSL-JSON)."""
    with handled():
        from ketinteract.cli import lookups

        chosen = _fmt(ctx, fmt, as_json, SOURCE_FORMATS)
        lookups.sources(_index(ctx), finding, chosen, sys.stdout, render_options(_options(ctx)))


@app.command(epilog="Examples:\n\n  ketinteract resolve Narcan 'Ketamine HCl 50 mg/mL' Suboxone")
def resolve(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Names to resolve.", metavar="NAME...")],
    fmt: PlainFormatOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show what each name resolves to, by which rule, with identifiers."""
    with handled():
        from ketinteract.cli import lookups

        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        code = lookups.resolve(_index(ctx), names, chosen, sys.stdout, render_options(_options(ctx)))
    raise typer.Exit(int(code))


@app.command(epilog="Example:\n\n  ketinteract drugs --format json | jq '.drugs[].id'")
def drugs(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """List the drug vocabulary: ingredients, classes and combination products."""
    with handled():
        from ketinteract.cli import lookups

        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        lookups.drugs(_index(ctx), chosen, sys.stdout, render_options(_options(ctx)))


@app.command(epilog="Examples:\n\n  ketinteract schema output > output.schema.json\n\n  ketinteract schema data")
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="output: the JSON of check; show, list, sources, resolve, drugs, info, validate: the JSON "
            "of that command; data: table files.",
            metavar="KIND",
        ),
    ] = SchemaKind.output,
) -> None:
    """Print the JSON Schema of a command's JSON output or of the data table."""
    with handled():
        from ketinteract.cli import lookups

        lookups.schema(kind.value, sys.stdout)


@app.command(epilog="Examples:\n\n  ketinteract serve\n\n  ketinteract serve --port 9000 --log-requests")
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; only localhost by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port (0: any free port).")] = 8080,
    log_requests: Annotated[
        bool, typer.Option("--log-requests", help="Also log medication names and query strings (patient data).")
    ] = False,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow browsers from this origin only (repeatable).", metavar="ORIGIN"),
    ] = None,
) -> None:
    """Serve CDS Hooks (order-sign, order-select) and a JSON check over HTTP (needs ketinteract[serve])."""
    with handled():
        from ketinteract.cli.serve import run_server

        run_server(lambda: _index(ctx), host, port, log_requests, cors_origin or ["*"])


data_app = typer.Typer(help="The bundled table and your local data files.", no_args_is_help=True)
app.add_typer(data_app, name="data")


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

        options = _options(ctx)
        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        code = data.validate(path, options.table, options.local, chosen, sys.stdout, render_options(options))
    raise typer.Exit(int(code))


@data_app.command("path", epilog="Example:\n\n  ketinteract data path")
def data_path(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """Print where local data, the config file and the cache live."""
    with handled():
        from ketinteract.cli import data

        data.path(_fmt(ctx, fmt, as_json, PLAIN_FORMATS), sys.stdout, render_options(_options(ctx)))


@data_app.command("list", epilog="Example:\n\n  ketinteract data list")
def data_list(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """List local data files."""
    with handled():
        from ketinteract.cli import data

        data.list_files(_fmt(ctx, fmt, as_json, PLAIN_FORMATS), sys.stdout, render_options(_options(ctx)))


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

        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        data.add(file, _options(ctx).table, chosen, sys.stdout, render_options(_options(ctx)))


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

        data.remove(name, _fmt(ctx, fmt, as_json, PLAIN_FORMATS), sys.stdout, render_options(_options(ctx)))


@data_app.command("info", epilog="Example:\n\n  ketinteract data info")
def data_info(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """Bundled table version, sha256, counts, last review date, and local files."""
    with handled():
        from ketinteract.cli import data

        options = _options(ctx)
        chosen = _fmt(ctx, fmt, as_json, PLAIN_FORMATS)
        data.info(options.table, options.local, chosen, sys.stdout, render_options(options))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
        if isinstance(code, int) and code not in {int(c) for c in ExitCode}:
            raise SystemExit(int(ExitCode.USAGE)) from None
        raise
