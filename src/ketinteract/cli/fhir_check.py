"""``check --fhir FILE``: the medications in a saved FHIR document (a Bundle or one resource; ``-`` for
stdin), plus any names given, checked pair by pair like ``check``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from ketinteract.cli.check import CheckRequest, report_unresolved, result_codes
from ketinteract.cli.runtime import err
from ketinteract.errors import ExitCode, UsageError, combine
from ketinteract.fhir_input import FhirInputError, match_medication, medication_from_name, read_medications
from ketinteract.index import TableIndex
from ketinteract.medlist import check_lists
from ketinteract.render import RenderOptions, emit


def read_document(source: str, stdin: TextIO) -> Any:
    """The JSON of a FHIR file, or of stdin for ``-``; unreadable or invalid input is a usage error."""
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot read FHIR file {source}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"FHIR file {source} is not UTF-8 text.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"FHIR file {source} is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    except RecursionError:
        raise UsageError(f"FHIR file {source} is nested too deeply to read.") from None


def _ignored(counts: Counter[str]) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in counts.most_common())


def run_fhir(
    index: TableIndex, source: str, request: CheckRequest, stdin: TextIO, stdout: TextIO, options: RenderOptions
) -> ExitCode:
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
    result = check_lists(
        index, matches, contexts=request.contexts, route=request.route, min_severity=request.min_severity
    )
    report_unresolved(result)
    emit(result, request.fmt, stdout, options)
    return combine(result_codes(result, request.fail_on))
