"""``check``: one regimen from argv, or many from stdin (``check -``), with exit codes computed from
what was answered. Bulk input is read as bytes, one line at a time, so a bad line is one error record
and never stops the rest, and output is streamed so memory stays flat however long the input."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

from ketinteract.cli.runtime import err
from ketinteract.compiled import CompiledIndex
from ketinteract.enums import SEVERITY_RANK, OutputFormat, Route, Severity
from ketinteract.errors import ExitCode, KetinteractError, UsageError, combine, describe_suggestions
from ketinteract.query import CheckAnswer, run_check
from ketinteract.render import RenderOptions, emit
from ketinteract.textsafe import inert

if TYPE_CHECKING:
    from ketinteract.render.csv_format import CsvTable

MAX_LINE_BYTES = 64 * 1024
"""A regimen line longer than this is an error record (no regimen comes near it)."""


class CheckRequest(NamedTuple):
    names: Sequence[str]
    contexts: Sequence[str]
    fmt: OutputFormat
    route: Route | None
    min_severity: Severity | None
    fail_on: Severity | None
    strict: bool = False
    brief: bool = False


class RegimenLine(NamedTuple):
    number: int
    text: str
    """The line as given (undecodable bytes shown as U+FFFD)."""
    error: str | None = None


def read_regimen_lines(stream: BinaryIO) -> Iterator[RegimenLine]:
    """Numbered lines of a regimen file, with blank lines and # comments skipped; a line that is not
    UTF-8 or is over the size limit comes back with an error instead of stopping the stream."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:  # skip the rest of the long line without holding it
                more = stream.readline(MAX_LINE_BYTES)
                if not more or more.endswith(b"\n"):
                    break
            shown = raw[:80].decode("utf-8", "replace")
            yield RegimenLine(number, shown + "...", f"line {number} is longer than {MAX_LINE_BYTES} bytes")
            continue
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            shown = raw.decode("utf-8", "replace").rstrip("\r\n")[:200]
            yield RegimenLine(number, shown, f"line {number} is not valid UTF-8 (byte {exc.start + 1})")
            continue
        if text.strip() and not text.lstrip().startswith("#"):
            yield RegimenLine(number, text)


def split_regimen(text: str) -> list[str]:
    """Drug names on one line, separated by commas or tabs."""
    return [name.strip() for name in text.replace("\t", ",").split(",") if name.strip()]


def result_codes(answer: CheckAnswer, request: CheckRequest) -> list[ExitCode]:
    """Exit codes that apply to one answer: 3 unrecognised names, 6 a pair without record (--strict),
    1 a threshold reached."""
    codes = [ExitCode.OK]
    if answer.unresolved:
        codes.append(ExitCode.UNRESOLVED)
    if request.strict and answer.no_record_pairs:
        codes.append(ExitCode.NO_RECORD)
    fail_on, worst = request.fail_on, answer.worst_shown
    if fail_on is not None and worst is not None and SEVERITY_RANK[worst] >= fail_on.rank:
        codes.append(ExitCode.THRESHOLD)
    return codes


def report_unresolved(answer: CheckAnswer, prefix: str = "") -> None:
    if not answer.unresolved:
        return
    for miss in answer.data()["unresolved"]:
        hint = describe_suggestions(miss.get("suggested", [])) or " No close match."
        err(f"{prefix}'{miss['input']}' is not a recognised drug name; it was not checked.{hint}")


def _check(index: CompiledIndex, names: Sequence[str], request: CheckRequest) -> CheckAnswer:
    return run_check(index, names, request.contexts, request.route, request.min_severity)


def _emit(answer: CheckAnswer, request: CheckRequest, out: TextIO, options: RenderOptions) -> None:
    if request.brief and request.fmt is OutputFormat.text:
        from ketinteract.render import text

        text.render_text(answer.data(), out, options, brief=True)
    else:
        emit(answer, request.fmt, out, options)


def run_request(
    index: CompiledIndex, request: CheckRequest, stdin: BinaryIO, stdout: TextIO, options: RenderOptions
) -> ExitCode:
    if list(request.names) == ["-"]:
        return run_bulk(index, request, stdin, stdout, options)
    if "-" in request.names:
        raise UsageError("'-' (read from stdin) cannot be mixed with drug names.")
    answer = _check(index, request.names, request)
    report_unresolved(answer)
    _emit(answer, request, stdout, options)
    return combine(result_codes(answer, request))


class _BulkWriter:
    """Writes one answer per input line in the chosen format, streaming: nothing is held but the line
    being written (JSON is written as an array one element at a time)."""

    def __init__(self, request: CheckRequest, out: TextIO, options: RenderOptions) -> None:
        self.request, self.out, self.options = request, out, options
        self.first = True
        self.csv: CsvTable | None = None
        self.rendered: dict[str, str] = {}
        self.last: CheckAnswer | None = None

    def _text(self, answer: CheckAnswer) -> str:
        """The text of one answer, drawn once per distinct answer: rich is the slow part of bulk text,
        and regimen files repeat themselves (the same answer always renders the same)."""
        text = self.rendered.get(answer.json)
        if text is None:
            buffer = io.StringIO()
            _emit(answer, self.request, buffer, self.options)
            text = buffer.getvalue()
            if len(self.rendered) >= 1024:
                self.rendered.clear()
            self.rendered[answer.json] = text
        return text

    def start(self) -> None:
        if self.request.fmt is OutputFormat.json:
            self.out.write("[")
        elif self.request.fmt is OutputFormat.csv:
            from ketinteract.render.csv_format import CsvTable

            self.csv = CsvTable(self.out, self.options, bulk=True)

    def finish(self) -> None:
        if self.request.fmt is OutputFormat.json:
            self.out.write("]\n")
        elif self.request.fmt is OutputFormat.markdown and self.last is not None:
            from ketinteract.render import markdown

            self.out.write(markdown.notice(self.last.model()))

    def write(self, line: RegimenLine, answer: CheckAnswer | None, error: KetinteractError | None) -> None:
        fmt, out = self.request.fmt, self.out
        entry: dict[str, object] = {"line": line.number, "input": line.text}
        if answer is None:
            assert error is not None
            entry |= {"status": "error", "error": {"exit_code": int(error.exit_code), "message": error.message}}
        if fmt in (OutputFormat.ndjson, OutputFormat.json):
            from ketinteract.render.json_format import bulk_line

            record = bulk_line(entry, answer.json if answer else None)
            if fmt is OutputFormat.json:
                out.write(("" if self.first else ",") + record.rstrip("\n"))
            else:
                out.write(record)
        elif fmt in (OutputFormat.fhir, OutputFormat.cds_hooks):
            # One JSON document per line, one line each (the FHIR bulk-data NDJSON convention).
            if answer is None:
                out.write(json.dumps(entry, ensure_ascii=True, separators=(",", ":")) + "\n")
            else:
                buffer = io.StringIO()
                emit(answer, fmt, buffer, RenderOptions())
                document = json.loads(buffer.getvalue())
                out.write(json.dumps({**entry, "status": "ok", "result": document}, ensure_ascii=True) + "\n")
        elif fmt is OutputFormat.csv:
            assert self.csv is not None
            if answer is None:
                assert error is not None
                self.csv.write_error(line.number, line.text, error.message)
            else:
                self.csv.write(answer.model(), line=line.number, text=line.text)
        elif fmt is OutputFormat.markdown:
            from ketinteract.render import markdown

            heading = markdown.line_heading(line.number, line.text)
            if answer is None:
                assert error is not None
                out.write(f"{heading}\n\n> **Error (exit {int(error.exit_code)}):** {markdown.md(error.message)}\n\n")
            else:
                markdown.write_markdown(answer.model(), out, heading=heading, with_notice=False)
                self.last = answer
        else:
            out.write(f"=== line {line.number}: {inert(line.text, keep_newlines=False)}\n")
            if answer is None:
                assert error is not None
                out.write(inert(f"error (exit {int(error.exit_code)}): {error.message}", keep_newlines=False) + "\n")
            else:
                out.write(self._text(answer))
        self.first = False


def run_bulk(
    index: CompiledIndex, request: CheckRequest, stdin: BinaryIO, stdout: TextIO, options: RenderOptions
) -> ExitCode:
    """One regimen per stdin line; a bad line becomes an error entry and never stops the rest."""
    codes: set[ExitCode] = {ExitCode.OK}
    writer = _BulkWriter(request, stdout, options)
    writer.start()
    # NDJSON records of lines seen before, minus their line number: regimen files repeat themselves, and
    # a repeated line then costs one dictionary lookup (lines that write to stderr are never reused).
    repeated: dict[str, tuple[str, frozenset[ExitCode]]] = {}
    fast = request.fmt is OutputFormat.ndjson
    for line in read_regimen_lines(stdin):
        if fast and line.text in repeated:
            rest, line_codes = repeated[line.text]
            stdout.write(f'{{"line":{line.number},{rest}')
            codes |= line_codes
            continue
        answer: CheckAnswer | None = None
        error: KetinteractError | None = None
        if line.error:
            error = UsageError(line.error)
        else:
            try:
                answer = _check(index, split_regimen(line.text), request)
            except KetinteractError as problem:
                error = problem
        if error is not None:
            codes.add(error.exit_code)
            err(f"line {line.number}: {error.message}")
        else:
            assert answer is not None
            line_codes = frozenset(result_codes(answer, request))
            codes |= line_codes
            report_unresolved(answer, prefix=f"line {line.number}: ")
            if fast and not answer.unresolved and len(repeated) < 4096:
                from ketinteract.render.json_format import bulk_line

                record = bulk_line({"line": line.number, "input": line.text}, answer.json)
                stdout.write(record)
                repeated[line.text] = (record[len(f'{{"line":{line.number},') :], line_codes)
                continue
        writer.write(line, answer, error)
    writer.finish()
    return combine(list(codes))
