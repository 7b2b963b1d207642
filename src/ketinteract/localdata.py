"""The ``data`` commands: where user files live, validating tables, and adding or removing local data
files so that nothing is ever half-written or silently lost."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ketinteract.errors import DataError, ExitCode, UsageError
from ketinteract.loader import bundled_table_path, parse_json, read_bytes, validate_raw
from ketinteract.paths import user_paths
from ketinteract.tables import TableFile, local_files, open_tables, read_table_file, table_file, validate_merged

_SAFE_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def path_command(out: TextIO) -> None:
    paths = user_paths()
    out.write(f"data: {paths.data_dir}\nconfig: {paths.config_file}\ncache: {paths.cache_dir}\n")


def list_command(out: TextIO) -> None:
    for path in local_files(user_paths().data_dir):
        out.write(f"{path.name}\n")


def _is_local_table(raw: Any) -> bool:
    return isinstance(raw, dict) and raw.get("table_version", "local") == "local"


def validate_command(path: Path | None, table: Path | None, local: bool, out: TextIO) -> ExitCode:
    """Validate one file, or the bundled table with the local files; print every problem found."""
    try:
        if path is None:
            files = open_tables(table, local=local)
            if len(files) > 1:
                validate_merged(files)
            names = [str(f.path) for f in files]
        else:
            raw = parse_json(read_bytes(path), str(path))
            if _is_local_table(raw):
                # A local file may cite the bundled table's records, so it is checked against it.
                bundled = read_table_file(table or bundled_table_path(), "bundled")
                validate_merged([bundled, table_file(path, path.name, b"", raw)])
            else:
                validate_raw(raw, str(path))
            names = [str(path)]
    except DataError as error:
        for problem in error.problems:
            out.write(f"{problem}\n")
        from ketinteract.cli_support import err

        err(f"{len(error.problems)} problem(s) found.")
        return ExitCode.DATA
    for name in names:
        out.write(f"valid: {name}\n")
    return ExitCode.OK


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Serialise writers to the data folder (validation and copy happen under one lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX: os.link still refuses to overwrite
        yield
        return
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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


def add_command(file: Path, table: Path | None, out: TextIO) -> None:
    name = file.name
    if not name.endswith(".json") or not set(name) <= _SAFE_NAME or name.startswith("."):
        raise UsageError(
            f"Local data files must be named like 'my-clinic.json' (letters, digits, '.', '_', '-'); got '{name}'."
        )
    new = table_file(file, name, read_bytes(file))
    folder = user_paths().data_dir
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        files = open_tables(table, local=True)
        if any(f.name == name for f in files[1:]):
            raise UsageError(f"A local data file named '{name}' already exists; remove it first.")
        validate_merged([*files, new])
        atomic_create(folder / name, new.data)
    counts = ", ".join(f"{len(getattr(new.table, s))} {s}" for s in ("drugs", "sources", "findings"))
    out.write(f"added {name} ({counts}) to {folder}\n")


def remove_command(name: str, out: TextIO) -> None:
    folder = user_paths().data_dir
    if not set(name) <= _SAFE_NAME or name.startswith(".") or "/" in name:
        raise UsageError(f"'{name}' is not a local data file name (see 'ketinteract data list').")
    target = folder / name
    if not target.is_file():
        known = ", ".join(p.name for p in local_files(folder)) or "none"
        raise UsageError(f"No local data file '{name}'. Local files: {known}.")
    with _locked(folder):
        target.unlink()
        _fsync_dir(folder)
    out.write(f"removed {name}\n")


def _describe(file: TableFile) -> dict[str, Any]:
    t = file.table
    return {
        "name": file.name,
        "path": str(file.path),
        "sha256": hashlib.sha256(file.data).hexdigest(),
        "table_version": t.table_version,
        "last_reviewed": t.last_reviewed.isoformat() if t.last_reviewed else None,
        "counts": {s: len(getattr(t, s)) for s in ("drugs", "classes", "products", "sources", "findings")},
    }


def info_command(table: Path | None, local: bool, fmt: str, out: TextIO) -> None:
    files = open_tables(table, local=local)
    bundled, local_entries = _describe(files[0]), [_describe(f) for f in files[1:]]
    info = {"bundled": bundled, "local": local_entries}
    if fmt == "json":
        json.dump(info, out, indent=2)
        out.write("\n")
        return
    for entry in [bundled, *local_entries]:
        counts = ", ".join(f"{v} {k}" for k, v in entry["counts"].items())
        out.write(
            f"{entry['name']}: {entry['path']}\n  version {entry['table_version']}, "
            f"last reviewed {entry['last_reviewed']}\n  sha256 {entry['sha256']}\n  {counts}\n"
        )
    if not local_entries:
        out.write(f"no local data files in {user_paths().data_dir}\n")
