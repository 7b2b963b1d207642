"""A cache of the built, validated table index, so a large table (local data, future domains) is not
re-parsed and re-validated on every call.

The cache is keyed by the sha256 of every input file's bytes (and the package version), so a changed
file is a different key and a stale entry is simply never found. Each entry carries the sha256 of its
own payload, checked before anything is unpickled: a truncated or corrupted entry is deleted and
rebuilt, never trusted. Writes go to a temporary file renamed into place, so readers never see half a
file. The folder is the user's own cache folder; nothing in it is shared with other users.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ketinteract._version import __version__
from ketinteract.index import INDEX_FORMAT, TableIndex

MAGIC = b"KETIDX1\n"
_DIGEST = 32


def cache_key(inputs: Sequence[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"ketinteract {__version__} index format {INDEX_FORMAT}\n".encode())
    for name, data in inputs:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _read(path: Path) -> TableIndex | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    payload = blob[len(MAGIC) + _DIGEST :]
    expected = blob[len(MAGIC) : len(MAGIC) + _DIGEST]
    if not blob.startswith(MAGIC) or hashlib.sha256(payload).digest() != expected:
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    try:
        index = pickle.loads(payload)  # verified by hash above; written by this user only
    except Exception:
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return index if isinstance(index, TableIndex) else None


def _write(folder: Path, path: Path, index: TableIndex) -> None:
    payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    blob = MAGIC + hashlib.sha256(payload).digest() + payload
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".idx")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        Path(tmp).replace(path)
        for old in folder.glob("index-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return  # a read-only or full cache folder only costs speed, never correctness


def cached_index(folder: Path, inputs: Sequence[tuple[str, bytes]], build: Callable[[], TableIndex]) -> TableIndex:
    """The index for ``inputs`` from the cache, or built by ``build`` and stored."""
    path = folder / f"index-{cache_key(inputs)}.pickle"
    index = _read(path)
    if index is not None:
        return index
    index = build()
    index.prepare()
    _write(folder, path, index)
    return index
