"""Reading input files safely: regular files only, size measured while reading, never a hang.

Every table file and index entry goes through :func:`read_regular_file`. It opens without blocking (so a
FIFO planted in the data folder cannot hang a command), refuses anything that is not a regular file
(FIFOs, devices such as a symlink to /dev/zero, sockets), and stops reading one byte past the limit, so a
file that grows while read, or a device that reports size 0, cannot exhaust memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ketinteract.errors import DataError, Problem

MAX_TABLE_BYTES = 64 * 1024 * 1024
"""No curated table comes near this; a runaway file must not exhaust memory."""

LOCK_NAME = ".lock"


def read_regular_file(path: Path, limit: int = MAX_TABLE_BYTES) -> bytes:
    """The bytes of ``path``, or a DataError that says why they cannot be had."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataError([Problem(name, "", "does not exist")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, "", "is a directory, not a table file")]) from None
    except PermissionError:
        raise DataError([Problem(name, "", "cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise DataError([Problem(name, "", f"cannot be read ({exc.strerror or exc})")]) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DataError([Problem(name, "", "is a directory, not a table file")])
        if not stat.S_ISREG(mode):
            raise DataError([Problem(name, "", "is not a regular file (a FIFO, device or socket); refused")])
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                mib = limit // (1024 * 1024)
                raise DataError([Problem(name, "", f"is larger than the {mib} MiB limit; refused")])
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise DataError([Problem(name, "", f"cannot be read ({exc.strerror or exc})")]) from None
    finally:
        os.close(fd)


def local_files(data_dir: Path) -> list[Path]:
    """The local data files: ``*.json`` names not starting with a dot, in name order."""
    try:
        if not data_dir.is_dir():
            return []
        return sorted(p for p in data_dir.glob("*.json") if not p.name.startswith("."))
    except OSError as exc:
        raise DataError([Problem(str(data_dir), "", f"cannot be listed ({exc.strerror or exc})")]) from None


@contextlib.contextmanager
def folder_lock(folder: Path, *, exclusive: bool) -> Iterator[None]:
    """A lock on the data folder: writers (add, remove) take it exclusively, readers shared, so a
    check never sees a half-added or half-removed set of files. A folder that cannot hold a lock file
    (missing, read-only) is read without one: nobody can be writing to it through us either."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX: os.link still refuses to overwrite
        yield
        return
    try:
        handle = (folder / LOCK_NAME).open("a" if exclusive else "a+")
    except OSError:
        if exclusive:
            raise
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class InputFile:
    """One input of the compiled index: its name, the sha256 of its bytes, and the bytes once read.

    A file whose stat signature (device, inode, size, modification and change times, to the
    nanosecond) matches one already hashed is not read again: its digest comes from the manifest of
    hashes in the (trusted) cache folder, so a cached check costs the same at any table size."""

    path: Path
    name: str
    signature: str
    digest: str
    data: bytes | None = None


def _signature(path: Path) -> str:
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise DataError([Problem(str(path), "", "is a directory, not a table file")])
    if not stat.S_ISREG(info.st_mode):
        raise DataError([Problem(str(path), "", "is not a regular file (a FIFO, device or socket); refused")])
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def _input(path: Path, name: str, known: Mapping[str, str]) -> InputFile:
    try:
        signature = _signature(path)
    except FileNotFoundError:
        raise DataError([Problem(str(path), "", "does not exist")]) from None
    except OSError as exc:
        raise DataError([Problem(str(path), "", f"cannot be read ({exc.strerror or exc})")]) from None
    if signature in known:
        return InputFile(path, name, signature, known[signature])
    data = read_regular_file(path)
    return InputFile(path, name, signature, hashlib.sha256(data).hexdigest(), data)


def snapshot_inputs(
    table_path: Path, data_dir: Path | None, known: Mapping[str, str] | None = None, *, lock: bool = True
) -> list[InputFile]:
    """The bundled (or named) table followed by the local files, taken under the data folder's shared
    lock so a concurrent add or remove is seen whole or not at all."""
    known = known or {}
    inputs = [_input(table_path, "bundled", known)]
    if data_dir is None:
        return inputs
    locking = lock and data_dir.is_dir()
    with folder_lock(data_dir, exclusive=False) if locking else contextlib.nullcontext():
        inputs += [_input(p, p.name, known) for p in local_files(data_dir)]
    return inputs


def read_inputs(table_path: Path, data_dir: Path | None, *, lock: bool = True) -> list[tuple[Path, str, bytes]]:
    """Every input with its bytes, read under the shared folder lock."""
    locking = lock and data_dir is not None and data_dir.is_dir()
    with folder_lock(data_dir, exclusive=False) if locking and data_dir else contextlib.nullcontext():
        files = snapshot_inputs(table_path, data_dir, lock=False)
        return [(f.path, f.name, f.data if f.data is not None else read_regular_file(f.path)) for f in files]
