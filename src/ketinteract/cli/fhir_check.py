"""``check --fhir FILE``: the medications in a saved FHIR document (a Bundle or one resource; ``-`` for
stdin), plus any names given, checked pair by pair like ``check``.

The option's declaration lives here too (:data:`FhirOption`), so ``check`` in app.py only names it. Only
typer is imported at module level: app.py imports this module for every command, and the FHIR reader
and the renderers load when ``--fhir`` is used.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TextIO

import typer

if TYPE_CHECKING:
    from ketinteract.cli.check import CheckRequest
    from ketinteract.compiled import CompiledIndex
    from ketinteract.errors import ExitCode
    from ketinteract.render import RenderOptions

MAX_FHIR_BYTES = 16 * 1024 * 1024
"""Largest FHIR document read from a file or stdin (16 MiB): a whole-record export of a patient's
medications and more fits many times over, and the bound keeps a wrong file from filling memory."""

FhirOption = Annotated[
    str | None,
    typer.Option("--fhir", help="Also the medications in this FHIR JSON file (- for stdin).", metavar="FILE"),
]


def read_bytes(source: str, stdin: BinaryIO | TextIO) -> bytes:
    """The bytes of a FHIR file, or of stdin for ``-``, at most :data:`MAX_FHIR_BYTES`."""
    from ketinteract.errors import DataError, UsageError
    from ketinteract.inputs import read_regular_file

    limit_text = f"larger than the {MAX_FHIR_BYTES // (1024 * 1024)} MiB limit"
    if source != "-":
        try:
            return read_regular_file(Path(source), limit=MAX_FHIR_BYTES)
        except DataError as error:
            reason = error.problems[0].message.replace("a table file", "a FHIR file")
            raise UsageError(f"Cannot read FHIR file {source}: it {reason}.") from None
    stream: Any = getattr(stdin, "buffer", stdin)
    try:
        data = stream.read(MAX_FHIR_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"Cannot read FHIR from stdin: {exc.strerror or exc}.") from None
    if isinstance(data, str):  # a text stream without a buffer (an embedding program's)
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > MAX_FHIR_BYTES:
        raise UsageError(f"FHIR from stdin is {limit_text}; refused.")
    return bytes(data)


def read_document(source: str, stdin: BinaryIO | TextIO) -> Any:
    """The JSON of a FHIR file, or of stdin for ``-``; unreadable or invalid input is a usage error."""
    from ketinteract.errors import UsageError

    shown = "stdin" if source == "-" else f"file {source}"
    data = read_bytes(source, stdin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"FHIR {shown} is not UTF-8 text.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"FHIR {shown} is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    except RecursionError:
        raise UsageError(f"FHIR {shown} is nested too deeply to read.") from None


def _ignored(counts: Counter[str]) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in counts.most_common())


def run_fhir(
    index: CompiledIndex,
    source: str,
    request: CheckRequest,
    stdin: BinaryIO | TextIO,
    stdout: TextIO,
    options: RenderOptions,
) -> ExitCode:
    from ketinteract.cli.check import _emit as emit_answer
    from ketinteract.cli.check import report_unresolved, result_codes
    from ketinteract.cli.runtime import err
    from ketinteract.errors import UsageError, combine
    from ketinteract.fhir_input import FhirInputError, match_medication, medication_from_name, read_medications
    from ketinteract.medlist import check_lists

    if "-" in request.names:
        raise UsageError("'-' (regimens from stdin) cannot be combined with --fhir; use --fhir - to read FHIR.")
    shown = "stdin" if source == "-" else source
    try:
        found = read_medications(read_document(source, stdin), strict=False)
    except FhirInputError as error:
        raise UsageError(f"{shown}: {error.message}") from None
    for skipped in found.skipped:
        err(f"{shown}: skipped {skipped}.")
    if found.ignored:
        count = found.ignored.total()
        err(f"{shown}: ignored {count} resource(s) that are not medications ({_ignored(found.ignored)}).")
    medications = [*found.medications, *(medication_from_name(n) for n in request.names)]
    if len(medications) < 2:
        raise UsageError(
            f"check needs at least two medications; {shown} holds {len(found.medications)}"
            + (f" and {len(request.names)} name(s) were given." if request.names else ".")
        )
    matches = [match_medication(index, m) for m in medications]
    answer = check_lists(
        index, matches, contexts=request.contexts, route=request.route, min_severity=request.min_severity
    )
    report_unresolved(answer)
    emit_answer(answer, request, stdout, options)
    return combine(result_codes(answer, request))
