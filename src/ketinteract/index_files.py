"""The compiled index's files in the cache folder: where they live, when they are trusted, how they are
written (temporary file, fsync, rename) and opened (read-only), and the manifest of input digests.
See :mod:`ketinteract.compiled` for what an index holds and how it is keyed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ketinteract.compiled import CompiledIndex, index_key

MANIFEST = "inputs-manifest.json"
_MANIFEST_ENTRIES = 64


def _read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    if not _trusted_file(path):
        return {}
    try:
        from ketinteract.inputs import read_regular_file

        data = json.loads(read_regular_file(path, limit=1 << 20))
    except Exception:  # a damaged manifest only costs one re-hash
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and len(v) == 64}


def _write_manifest(folder: Path, known: dict[str, str], files: Sequence[Any]) -> None:
    updated = dict(known)
    for f in files:
        updated[f.signature] = f.digest
    if updated == known:
        return
    entries = list(updated.items())[-_MANIFEST_ENTRIES:]
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dict(entries), handle)
        Path(tmp).replace(folder / MANIFEST)
    except OSError:
        return


def _trusted_folder(folder: Path) -> bool:
    """The cache folder is trusted only if it is the user's own and nobody else can write to it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return False
    return not info.st_mode & 0o022


def _trusted_file(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022:
        return False
    return not (hasattr(os, "geteuid") and info.st_uid != os.geteuid())


def _connect_read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    # Defence in depth for a file we did not write this second: no schema-defined functions run, and
    # nothing can be written through this connection.
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    return connection


def _fill(connection: sqlite3.Connection, inputs: Sequence[tuple[Path, str, bytes]], key: str) -> None:
    from ketinteract.compile import fill_index  # the slow path: models, validation, grading

    fill_index(connection, inputs, key)


def in_memory(inputs: Sequence[tuple[Path, str, bytes]], key: str) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    with contextlib.suppress(sqlite3.Error):
        connection.execute("PRAGMA journal_mode = OFF")
    _fill(connection, inputs, key)
    return connection


def _open_existing(path: Path, key: str, inputs: Sequence[tuple[Path, str, bytes]]) -> CompiledIndex | None:
    if not _trusted_file(path):
        return None
    try:
        connection = _connect_read_only(path)
        row = connection.execute("SELECT value FROM meta WHERE key = 'input_key'").fetchone()
        if row is None or row[0] != key:
            connection.close()
            return None
        return CompiledIndex(connection, str(path), lambda: in_memory(inputs, key))
    except sqlite3.DatabaseError:
        return None


def _write_file(folder: Path, path: Path, fill: Any) -> bool:
    """Build into a temporary file in ``folder``, fsync it, rename it into place; False on failure."""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".sqlite")
    except OSError:
        return False
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            fill(connection)
            connection.commit()
        finally:
            connection.close()
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(path)
        for old in folder.glob("index-*.sqlite"):
            if old != path:
                old.unlink(missing_ok=True)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        tmp.unlink(missing_ok=True)


def open_compiled(cache_dir: Path | None, inputs: Sequence[tuple[Path, str, bytes]]) -> CompiledIndex:
    """The compiled index for ``inputs``: from the cache when a trusted entry for exactly these bytes
    exists, otherwise built (validating everything) and stored for next time."""
    key = index_key([(name, hashlib.sha256(data).hexdigest()) for _path, name, data in inputs])
    if cache_dir is not None:
        if _trusted_folder(cache_dir):
            path = cache_dir / f"index-{key}.sqlite"
            found = _open_existing(path, key, inputs)
            if found is not None:
                return found
            if _write_file(cache_dir, path, lambda connection: _fill(connection, inputs, key)):
                found = _open_existing(path, key, inputs)
                if found is not None:
                    return found
        else:
            sys.stderr.write(
                f"ketinteract: warning: the cache folder {cache_dir} is not yours alone (owned by another user "
                "or writable by others), so it is not used; answers are built from the data files each time.\n"
            )
    return CompiledIndex(in_memory(inputs, key), ":memory:")


def open_index(table_path: Path | None = None, *, local: bool = True, use_cache: bool = True) -> CompiledIndex:
    """The compiled index a command works on: the bundled table (or ``table_path``) with the user's local
    data files, read under the data folder's shared lock."""
    from ketinteract.inputs import read_inputs, snapshot_inputs
    from ketinteract.paths import bundled_table_path, user_paths

    paths = user_paths()
    table = table_path or bundled_table_path()
    data_dir = paths.data_dir if local else None
    cache_dir = paths.cache_dir if use_cache else None
    if cache_dir is not None and _trusted_folder(cache_dir):
        known = _read_manifest(cache_dir)
        files = snapshot_inputs(table, data_dir, known)
        _write_manifest(cache_dir, known, files)
        key = index_key([(f.name, f.digest) for f in files])
        found = _open_existing(cache_dir / f"index-{key}.sqlite", key, [])
        if found is not None:
            found.rebuild_from(lambda: read_inputs(table, data_dir))
            return found
    return open_compiled(cache_dir, read_inputs(table, data_dir))
