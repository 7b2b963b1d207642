"""The compiled index: the validated, merged table compiled once into one SQLite file that holds data
only, so a query reads the few rows it needs and nothing can run code.

What is stored: the name and code lookup (folded names, brands, synonyms, salts, stripped forms, ATC
codes and RxCUIs -> entity ids), each entity's classes and parent, every finding's answer already
serialised as the JSON the output contract prints (without its ``extrapolated`` key, which depends on
the drugs asked about) beside the columns a query filters on, the sources, contexts, regimen rules and
the vocabulary document. How it is keyed: the sha256 of the package version, the index format and the
exact bytes of every input file (the file name holds the key, and so does the ``meta`` table). A file
whose stored key differs, that SQLite cannot read, or whose folder or file is not the user's own is
never trusted: the index is rebuilt (in memory when the cache folder cannot be trusted). It is written
to a temporary file, fsynced and renamed into place, so readers never see half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ketinteract._version import __version__

INDEX_FORMAT = 3
"""Bumped whenever the stored layout changes; part of the key, so an index written by other code is
never found."""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE names (name TEXT PRIMARY KEY, entity TEXT NOT NULL, rule TEXT NOT NULL, matched TEXT NOT NULL)
    WITHOUT ROWID;
CREATE TABLE stripped (name TEXT PRIMARY KEY, entity TEXT NOT NULL, rule TEXT NOT NULL, matched TEXT NOT NULL)
    WITHOUT ROWID;
CREATE TABLE codes (code TEXT PRIMARY KEY, system TEXT NOT NULL, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entities (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, parent TEXT,
    classes TEXT NOT NULL, closure TEXT NOT NULL, class_names TEXT NOT NULL, atc TEXT NOT NULL, rxcui TEXT,
    ingredients TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE findings (id TEXT NOT NULL, key_a TEXT NOT NULL, key_b TEXT NOT NULL, context TEXT NOT NULL,
    context_rank INTEGER NOT NULL, routes TEXT NOT NULL, population TEXT, dose TEXT, severity TEXT NOT NULL,
    effect TEXT NOT NULL, grade TEXT NOT NULL, drugs TEXT NOT NULL, base_distance INTEGER NOT NULL, via TEXT,
    origin TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX findings_pair ON findings (key_a, key_b);
CREATE INDEX findings_id ON findings (id);
CREATE TABLE sources (id TEXT PRIMARY KEY, rank INTEGER NOT NULL, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE contexts (id TEXT PRIMARY KEY, rank INTEGER NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE rules (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents (name TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
"""


def index_key(inputs: Sequence[tuple[str, str]]) -> str:
    """The key of an index: package version, index format, and each input's name and sha256."""
    digest = hashlib.sha256(f"ketinteract {__version__} index format {INDEX_FORMAT}\n".encode())
    for name, sha in inputs:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + sha.encode() + b"\n")
    return digest.hexdigest()


class Entity(NamedTuple):
    id: str
    kind: str
    name: str
    parent: str | None
    classes: tuple[str, ...]
    closure: frozenset[str]
    """Classes of the drug, directly or through its racemate."""
    class_names: tuple[str, ...]
    atc: tuple[str, ...]
    rxcui: str | None
    ingredients: tuple[str, ...]


class FindingRow(NamedTuple):
    id: str
    context: str
    context_rank: int
    routes: tuple[str, ...]
    population: str | None
    dose: str | None
    severity: str
    drugs: tuple[str, ...]
    base_distance: int
    via: str | None
    """Stored extrapolation (JSON) for a row copied to a racemate by ``extrapolate_to``."""
    body: str


class CompiledIndex:
    """Read access to one compiled index. Every lookup is an indexed query; answers already read are
    kept for the life of the object (the process), which is the project's one memo."""

    def __init__(
        self, connection: sqlite3.Connection, where: str, rebuild: Callable[[], sqlite3.Connection] | None = None
    ) -> None:
        self.connection = connection
        self.where = where
        self._rebuild = rebuild
        self.meta = dict(self._rows("SELECT key, value FROM meta"))
        self.table_version = self.meta.get("table_version")
        self._entities: dict[str, Entity | None] = {}
        self._pairs: dict[tuple[str, str], list[FindingRow]] = {}
        self.memo: dict[object, Any] = {}
        """Answers built in this process, keyed by what they depend on (names, pairs, regimens and
        filters); see :meth:`remember`."""
        self.pair_lookups = 0
        """How often the pair index was consulted (a test uses it to prove there is no scan)."""

    MEMO_LIMIT = 4_096
    """Entries kept at most: a bulk run over a million distinct lines must not grow without bound, so
    the memo starts afresh when full (answers are cheap to rebuild; only the repetition is saved)."""

    def remember(self, key: object, value: Any) -> None:
        if len(self.memo) >= self.MEMO_LIMIT:
            rules = self.memo.get("rules")
            self.memo.clear()
            if rules is not None:
                self.memo["rules"] = rules
        self.memo[key] = value

    def rebuild_from(self, read: Callable[[], Sequence[tuple[Path, str, bytes]]]) -> None:
        """How to rebuild if the file turns out damaged: read the inputs again and compile in memory."""

        def rebuild() -> sqlite3.Connection:
            inputs = read()
            key = index_key([(name, hashlib.sha256(data).hexdigest()) for _path, name, data in inputs])
            from ketinteract.index_files import in_memory

            return in_memory(inputs, key)

        self._rebuild = rebuild

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[Any]:
        """Rows of one query. A file SQLite finds damaged is removed and the index rebuilt in memory from
        the same inputs, so a corrupt cache entry costs time, never a wrong answer or a crash."""
        try:
            return self.connection.execute(sql, args).fetchall()
        except sqlite3.DatabaseError:
            if self._rebuild is None:
                raise
            if self.where != ":memory:":
                with contextlib.suppress(OSError):
                    Path(self.where).unlink()
            self.connection, self._rebuild, self.where = self._rebuild(), None, ":memory:"
            return self.connection.execute(sql, args).fetchall()

    def name(self, key: str, stripped: bool = False) -> tuple[str, str, str] | None:
        table = "stripped" if stripped else "names"
        rows = self._rows(f"SELECT entity, rule, matched FROM {table} WHERE name = ?", (key,))
        return (rows[0][0], rows[0][1], rows[0][2]) if rows else None

    def code(self, code: str) -> tuple[str, str] | None:
        rows = self._rows("SELECT entity, system FROM codes WHERE code = ?", (code,))
        return (rows[0][0], rows[0][1]) if rows else None

    def all_names(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._rows("SELECT name, entity FROM names")]

    def written_names(self) -> list[str]:
        """Every name as written in the table (for shell completion)."""
        return [r[0] for r in self._rows("SELECT matched FROM names")]

    def entity(self, entity_id: str) -> Entity | None:
        if entity_id in self._entities:
            return self._entities[entity_id]
        rows = self._rows(
            "SELECT id, kind, name, parent, classes, closure, class_names, atc, rxcui, ingredients "
            "FROM entities WHERE id = ?",
            (entity_id,),
        )
        entity = None
        if rows:
            row = rows[0]
            entity = Entity(
                row[0],
                row[1],
                row[2],
                row[3],
                tuple(json.loads(row[4])),
                frozenset(json.loads(row[5])),
                tuple(json.loads(row[6])),
                tuple(json.loads(row[7])),
                row[8],
                tuple(json.loads(row[9])),
            )
        self._entities[entity_id] = entity
        return entity

    def name_of(self, entity_id: str) -> str:
        entity = self.entity(entity_id)
        return entity.name if entity else entity_id

    def findings_for(self, key_a: str, key_b: str) -> list[FindingRow]:
        pair = (key_a, key_b) if key_a <= key_b else (key_b, key_a)
        rows = self._pairs.get(pair)
        if rows is None:
            self.pair_lookups += 1
            rows = [
                FindingRow(
                    r[0],
                    r[1],
                    r[2],
                    tuple(json.loads(r[3])),
                    r[4],
                    r[5],
                    r[6],
                    tuple(json.loads(r[7])),
                    r[8],
                    r[9],
                    r[10],
                )
                for r in self._rows(
                    "SELECT id, context, context_rank, routes, population, dose, severity, drugs, base_distance,"
                    " via, body FROM findings WHERE key_a = ? AND key_b = ?",
                    pair,
                )
            ]
            self._pairs[pair] = rows
        return rows

    def contexts(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._rows("SELECT id, name FROM contexts ORDER BY rank")]

    def rules(self) -> list[dict[str, Any]]:
        if "rules" not in self.memo:
            self.memo["rules"] = [json.loads(r[0]) for r in self._rows("SELECT body FROM rules ORDER BY id")]
        rules: list[dict[str, Any]] = self.memo["rules"]
        return rules

    def finding_body(self, finding_id: str) -> str | None:
        rows = self._rows("SELECT body FROM findings WHERE id = ? AND base_distance = 0 LIMIT 1", (finding_id,))
        return str(rows[0][0]) if rows else None

    def finding_ids(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT DISTINCT id FROM findings WHERE base_distance = 0")]

    def finding_bodies(
        self, drug: str | None = None, context: str | None = None, effect: str | None = None, grade: str | None = None
    ) -> list[str]:
        """Findings as stored (table order), filtered; ``drug`` matches either record of the pair."""
        sql = "SELECT body FROM findings WHERE base_distance = 0"
        args: list[str] = []
        for column, value in (("context", context), ("effect", effect), ("grade", grade)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        if drug is not None:
            sql += " AND (key_a = ? OR key_b = ?)"
            args += [drug, drug]
        return [r[0] for r in self._rows(sql + " ORDER BY rowid", args)]

    def source_bodies(self, ids: Sequence[str] | None = None) -> list[str]:
        if ids is None:
            return [r[0] for r in self._rows("SELECT body FROM sources ORDER BY rank")]
        marks = ",".join("?" * len(ids))
        found = dict(self._rows(f"SELECT id, body FROM sources WHERE id IN ({marks})", ids))
        return [found[i] for i in ids if i in found]

    def document(self, name: str) -> str:
        rows = self._rows("SELECT body FROM documents WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else "{}"
