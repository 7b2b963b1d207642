"""Storage of the user's local data files: name rules, the folder lock, atomic creation and removal, and
validation of a file against the bundled table. Nothing here prints; the ``data`` commands in
:mod:`ketinteract.cli.data` do."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from ketinteract.errors import DataError, Problem, UsageError
from ketinteract.inputs import folder_lock
from ketinteract.loader import bundled_table_path, parse_json, read_bytes, validate_raw
from ketinteract.paths import user_paths
from ketinteract.results import TableFileInfo
from ketinteract.tables import TableFile, local_files, open_tables, read_table_file, table_file, validate_merged

_SAFE_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def _is_local_table(raw: Any) -> bool:
    return isinstance(raw, dict) and raw.get("table_version", "local") == "local"


def validate_files(path: Path | None, table: Path | None, local: bool) -> list[str]:
    """Validate one file, or the bundled (or named) table with the local files; the names of the files
    found valid, or a DataError listing every problem."""
    if path is None:
        files = open_tables(table, local=local)
        if len(files) > 1:
            validate_merged(files)
        return [str(f.path) for f in files]
    raw = parse_json(read_bytes(path), str(path))
    if _is_local_table(raw):
        # A local file may cite the bundled table's records, so it is checked against it.
        bundled = read_table_file(table or bundled_table_path(), "bundled")
        validate_merged([bundled, table_file(path, path.name, b"", raw)])
    else:
        validate_raw(raw, str(path))
    return [str(path)]


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_create(destination: Path, data: bytes) -> None:
    """Write ``data`` to ``destination`` all at once or not at all; refuse to replace an existing file.

    The bytes go to a temporary file in the same folder, are flushed and fsynced, then hard-linked into
    place (which fails if the name is taken, even if another process just took it).
    """
    folder = destination.parent
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, destination)
        except FileExistsError:
            raise UsageError(
                f"A local data file named '{destination.name}' already exists; remove it first "
                f"('ketinteract data remove {destination.name}') or rename the new file."
            ) from None
        _fsync_dir(folder)
    finally:
        tmp.unlink(missing_ok=True)


def add_local_file(file: Path, table: Path | None) -> tuple[TableFile, Path]:
    """Validate ``file`` against the bundled table and the other local files, then copy it into the data
    folder atomically. Returns the validated file and the folder."""
    name = file.name
    if not name.endswith(".json") or not set(name) <= _SAFE_NAME or name.startswith("."):
        raise UsageError(
            f"Local data files must be named like 'my-clinic.json' (letters, digits, '.', '_', '-'); got '{name}'."
        )
    new = table_file(file, name, read_bytes(file))
    folder = user_paths().data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with folder_lock(folder, exclusive=True):
            files = open_tables(table, local=True, lock=False)
            if any(f.name == name for f in files[1:]):
                raise UsageError(f"A local data file named '{name}' already exists; remove it first.")
            validate_merged([*files, new])
            atomic_create(folder / name, new.data)
    except OSError as exc:
        raise DataError(
            [Problem(str(folder), "", f"cannot take the new file ({exc.strerror or exc}); check the folder")]
        ) from None
    return new, folder


def remove_local_file(name: str) -> Path:
    """Remove one local data file by name (only ``*.json`` files this tool manages); returns the folder."""
    folder = user_paths().data_dir
    if not set(name) <= _SAFE_NAME or name.startswith(".") or "/" in name or not name.endswith(".json"):
        raise UsageError(f"'{name}' is not a local data file name (a '*.json' file listed by 'ketinteract data list').")
    target = folder / name
    if not target.is_file():
        known = ", ".join(p.name for p in local_files(folder)) or "none"
        raise UsageError(f"No local data file '{name}'. Local files: {known}.")
    try:
        with folder_lock(folder, exclusive=True):
            target.unlink()
            _fsync_dir(folder)
    except OSError as exc:
        raise DataError([Problem(str(target), "", f"cannot be removed ({exc.strerror or exc})")]) from None
    return folder


LEFTOVER_SECONDS = 300
"""A temporary file older than this was left by a killed ``data add``: no live writer holds one so long."""


def clean_leftovers(folder: Path) -> None:
    """Remove temporary files a killed ``data add`` left behind (``.tmp-*``, older than five minutes)."""
    import time

    cutoff = time.time() - LEFTOVER_SECONDS
    with contextlib.suppress(OSError):
        for path in folder.glob(".tmp-*"):
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()


COUNTED_SECTIONS = ("drugs", "classes", "products", "sources", "findings")


def describe(file: TableFile) -> TableFileInfo:
    t = file.table
    return TableFileInfo(
        name=file.name,
        path=str(file.path),
        sha256=hashlib.sha256(file.data).hexdigest(),
        table_version=t.table_version,
        last_reviewed=t.last_reviewed,
        counts={s: len(getattr(t, s)) for s in COUNTED_SECTIONS},
    )
