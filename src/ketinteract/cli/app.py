"""The typer app: declarations only. Each command parses its options and calls one function in the
module for its job (check, lookups, data), inside the error handler of :mod:`ketinteract.cli.runtime`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ketinteract._version import __version__
from ketinteract.cli.fhir_check import FhirOption
from ketinteract.cli.options import FORMAT_HELP, JsonFlag, PlainFormatOption, fmt_of, options_of
from ketinteract.cli.runtime import (
    ColorMode,
    GlobalOptions,
    handled,
    load_config,
    parse_route,
    render_options,
    usage_error,
)
from ketinteract.enums import (
    CHECK_FORMATS,
    PLAIN_FORMATS,
    SOURCE_FORMATS,
    CheckFormat,
    Effect,
    EvidenceGrade,
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


class CardChoice(StrEnum):
    actionable = "actionable"
    all = "all"


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


def _index(ctx: typer.Context) -> Any:
    from ketinteract.cli.commands import open_command_index

    return open_command_index(options_of(ctx))


def _complete_names(incomplete: str) -> list[str]:
    from ketinteract.cli.commands import complete_names

    return complete_names(incomplete)


def _complete_contexts(incomplete: str) -> list[str]:
    from ketinteract.cli.commands import complete_contexts

    return complete_contexts(incomplete)


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
    route: Annotated[
        str | None,
        typer.Option(
            "--route",
            help="Keep findings that hold for this route: oral (po), intravenous (iv), intranasal (in), "
            "intramuscular (im), subcutaneous (sc).",
            metavar="ROUTE",
        ),
    ] = None,
    min_severity: Annotated[
        Severity | None, typer.Option("--min-severity", help="Hide findings below this severity.")
    ] = None,
    fail_on: Annotated[
        Severity | None,
        typer.Option("--fail-on", help="Exit 1 if a finding at or above this severity is shown."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 6 if a pair of recognised drugs has no curated record.")
    ] = False,
    brief: Annotated[bool, typer.Option("--brief", help="Text: the one-line-per-finding summary only.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page long text output.")] = False,
    cards: Annotated[
        CardChoice,
        typer.Option("--cards", help="CDS Hooks: actionable (skip no-effect and no-action findings) or all."),
    ] = CardChoice.actionable,
    bom: Annotated[bool, typer.Option("--bom", help="CSV: start with a UTF-8 byte order mark (for Excel).")] = False,
    fhir: FhirOption = None,
) -> None:
    """Check every pair among the named drugs and print the curated findings."""
    with handled():
        from ketinteract.cli.check import CheckRequest
        from ketinteract.cli.commands import run_check_command

        options = options_of(ctx)
        request = CheckRequest(
            names=names or [],
            contexts=context or [],
            fmt=fmt_of(ctx, fmt, as_json, CHECK_FORMATS),
            route=parse_route(route),
            min_severity=min_severity or options.config.min_severity,
            fail_on=fail_on,
            strict=strict,
            brief=brief,
        )
        if fhir is not None:
            from dataclasses import replace

            from ketinteract.cli.commands import open_command_index
            from ketinteract.cli.fhir_check import run_fhir

            render = replace(render_options(options), cards=cards.value, bom=bom)
            code = run_fhir(open_command_index(options), fhir, request, sys.stdin, sys.stdout, render)
        else:
            code = run_check_command(options, request, pager=not no_pager, cards=cards.value, bom=bom)
    raise typer.Exit(int(code))


@app.command(epilog="Example:\n\n  ketinteract legend")
def legend() -> None:
    """Explain the effect, severity, action and evidence scales."""
    with handled():
        from ketinteract.contract import LEGEND

        sys.stdout.write(LEGEND)


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

        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        lookups.show(_index(ctx), finding_id, chosen, sys.stdout, render_options(options_of(ctx)))


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

        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        lookups.list_findings(
            _index(ctx), drug, context, grade, effect, chosen, sys.stdout, render_options(options_of(ctx))
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

        chosen = fmt_of(ctx, fmt, as_json, SOURCE_FORMATS)
        lookups.sources(_index(ctx), finding, chosen, sys.stdout, render_options(options_of(ctx)))


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

        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        code = lookups.resolve(_index(ctx), names, chosen, sys.stdout, render_options(options_of(ctx)))
    raise typer.Exit(int(code))


@app.command(epilog="Example:\n\n  ketinteract drugs --format json | jq '.drugs[].id'")
def drugs(ctx: typer.Context, fmt: PlainFormatOption = None, as_json: JsonFlag = False) -> None:
    """List the drug vocabulary: ingredients, classes and combination products."""
    with handled():
        from ketinteract.cli import lookups

        chosen = fmt_of(ctx, fmt, as_json, PLAIN_FORMATS)
        lookups.drugs(_index(ctx), chosen, sys.stdout, render_options(options_of(ctx)))


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


from ketinteract.cli.data_app import data_app  # noqa: E402  (after the shared helpers it uses)
from ketinteract.cli.serve_app import serve  # noqa: E402

app.add_typer(data_app, name="data")
app.command(epilog="Examples:\n\n  ketinteract serve\n\n  ketinteract serve --port 9000 --log-requests")(serve)


def main() -> None:
    """Console-script entry point."""
    from ketinteract.cli.runtime import prepare_process, quiet_broken_pipe

    prepare_process()
    # typer's own error display would show pydantic's wording ("Value error, ..."); running it outside
    # standalone mode lets usage errors be printed here, in the project's one-paragraph form.
    click_error: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    try:
        code = app(standalone_mode=False)
    except click_error as error:
        usage_error(error)
    except SystemExit as exc:
        quiet_broken_pipe()
        if isinstance(exc.code, int) and exc.code not in {int(c) for c in ExitCode}:
            raise SystemExit(int(ExitCode.USAGE)) from None
        raise
    except typer.Abort:
        raise SystemExit(130) from None
    quiet_broken_pipe()
    raise SystemExit(code if isinstance(code, int) and code in {int(c) for c in ExitCode} else 0)
