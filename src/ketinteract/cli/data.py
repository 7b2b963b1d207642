"""The ``data`` commands: validate, path, list, add, remove and info, printing through ``render.emit``."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ketinteract.cli.runtime import err
from ketinteract.enums import OutputFormat
from ketinteract.errors import DataError, ExitCode
from ketinteract.localdata import add_local_file, clean_leftovers, describe, remove_local_file, validate_files
from ketinteract.paths import user_paths
from ketinteract.render import RenderOptions, emit
from ketinteract.results import (
    DataChangeDocument,
    DataInfoDocument,
    DataListDocument,
    DataPathDocument,
    ProblemOut,
    ValidationDocument,
)
from ketinteract.tables import local_files, open_tables


def validate(
    path: Path | None, table: Path | None, local: bool, fmt: OutputFormat, out: TextIO, options: RenderOptions
) -> ExitCode:
    try:
        names = validate_files(path, table, local)
    except DataError as error:
        problems = [
            ProblemOut(file=p.file, location=p.location, message=p.message, record=p.record) for p in error.problems
        ]
        emit(ValidationDocument(valid=False, files=[], problems=problems), fmt, out, options)
        err(f"{len(problems)} problem(s) found.")
        return ExitCode.DATA
    emit(ValidationDocument(valid=True, files=names, problems=[]), fmt, out, options)
    return ExitCode.OK


def path(fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    paths = user_paths()
    document = DataPathDocument(data=str(paths.data_dir), config=str(paths.config_file), cache=str(paths.cache_dir))
    emit(document, fmt, out, options)


def _tidy() -> None:
    """Every data command first removes leftovers of a killed ``data add``."""
    folder = user_paths().data_dir
    if folder.is_dir():
        clean_leftovers(folder)


def list_files(fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    _tidy()
    emit(DataListDocument(files=[p.name for p in local_files(user_paths().data_dir)]), fmt, out, options)


def add(file: Path, table: Path | None, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    _tidy()
    new, folder = add_local_file(file, table)
    counts = {s: len(getattr(new.table, s)) for s in ("drugs", "sources", "findings")}
    emit(DataChangeDocument(action="added", name=new.name, folder=str(folder), counts=counts), fmt, out, options)


def remove(name: str, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    _tidy()
    folder = remove_local_file(name)
    emit(DataChangeDocument(action="removed", name=name, folder=str(folder), counts={}), fmt, out, options)


def info(table: Path | None, local: bool, fmt: OutputFormat, out: TextIO, options: RenderOptions) -> None:
    _tidy()
    files = open_tables(table, local=local)
    document = DataInfoDocument(
        bundled=describe(files[0]),
        local=[describe(f) for f in files[1:]],
        data_dir=str(user_paths().data_dir),
    )
    emit(document, fmt, out, options)
