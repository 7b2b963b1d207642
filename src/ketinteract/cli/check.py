"""``check``: one regimen from argv, or many from stdin (``check -``), with exit codes computed from
what was answered."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from ketinteract.cli.runtime import err
from ketinteract.enums import OutputFormat, Route, Severity
from ketinteract.errors import ExitCode, KetinteractError, UsageError, combine, did_you_mean
from ketinteract.index import TableIndex
from ketinteract.query import run_check
from ketinteract.render import RenderOptions, emit
from ketinteract.results import CheckResult
from ketinteract.textsafe import inert

BULK_FORMATS = frozenset({OutputFormat.text, OutputFormat.json, OutputFormat.ndjson})


@dataclass(frozen=True)
class CheckRequest:
    names: Sequence[str]
    contexts: Sequence[str]
    fmt: OutputFormat
    route: Route | None
    min_severity: Severity | None
    fail_on: Severity | None


def read_stdin_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """Numbered lines of a regimen file, with blank lines and # comments skipped."""
    for number, raw in enumerate(stream, start=1):
        text = raw.rstrip("\r\n")
        if text.strip() and not text.lstrip().startswith("#"):
            yield number, text


def split_regimen(text: str) -> list[str]:
    """Drug names on one line, separated by commas or tabs."""
    return [name.strip() for name in text.replace("\t", ",").split(",") if name.strip()]


def result_codes(result: CheckResult, fail_on: Severity | None) -> list[ExitCode]:
    """Exit codes that apply to one answer: 3 for unrecognised names, 1 for a threshold reached."""
    codes = [ExitCode.OK]
    if result.unresolved:
        codes.append(ExitCode.UNRESOLVED)
    worst = result.max_severity()
    if fail_on is not None and worst is not None and worst.rank >= fail_on.rank:
        codes.append(ExitCode.THRESHOLD)
    return codes


def report_unresolved(result: CheckResult, prefix: str = "") -> None:
    for miss in result.unresolved:
        hint = did_you_mean(miss.suggestions) or " No close match."
        err(f"{prefix}'{miss.input}' is not a recognised drug name; it was not checked.{hint}")


def _check(index: TableIndex, names: Sequence[str], request: CheckRequest) -> CheckResult:
    return run_check(index, names, request.contexts, request.route, request.min_severity)


def run_request(
    index: TableIndex, request: CheckRequest, stdin: TextIO, stdout: TextIO, options: RenderOptions
) -> ExitCode:
    if list(request.names) == ["-"]:
        return run_bulk(index, request, stdin, stdout, options)
    if "-" in request.names:
        raise UsageError("'-' (read from stdin) cannot be mixed with drug names.")
    result = _check(index, request.names, request)
    report_unresolved(result)
    emit(result, request.fmt, stdout, options)
    return combine(result_codes(result, request.fail_on))


def run_bulk(
    index: TableIndex, request: CheckRequest, stdin: TextIO, stdout: TextIO, options: RenderOptions
) -> ExitCode:
    """One regimen per stdin line; a bad line becomes an error entry and never stops the rest."""
    if request.fmt not in BULK_FORMATS:
        allowed = ", ".join(sorted(f.value for f in BULK_FORMATS))
        raise UsageError(f"Reading regimens from stdin supports --format {allowed}; got '{request.fmt.value}'.")
    from ketinteract.render.json_format import bulk_line, to_jsonable, write_json

    codes: list[ExitCode] = [ExitCode.OK]
    collected: list[dict[str, Any]] = []
    for number, text in read_stdin_lines(stdin):
        entry: dict[str, Any] = {"line": number, "input": text}
        result: CheckResult | None
        try:
            result = _check(index, split_regimen(text), request)
        except KetinteractError as error:
            codes.append(error.exit_code)
            err(f"line {number}: {error.message}")
            entry |= {
                "status": "error",
                "error": {"exit_code": int(error.exit_code), "message": error.message},
            }
            result = None
        else:
            codes.extend(result_codes(result, request.fail_on))
            report_unresolved(result, prefix=f"line {number}: ")
            if request.fmt is OutputFormat.json:
                entry |= {"status": "ok", "result": to_jsonable(result)}
        if request.fmt is OutputFormat.ndjson:
            stdout.write(bulk_line(entry, result))
        elif request.fmt is OutputFormat.json:
            collected.append(entry)
        elif result is not None:
            stdout.write(f"=== line {number}: {inert(text, keep_newlines=False)}\n")
            emit(result, OutputFormat.text, stdout, options)
    if request.fmt is OutputFormat.json:
        write_json(collected, stdout)
    return combine(codes)
