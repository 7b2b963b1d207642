"""The compiled index: used when its inputs are unchanged, rebuilt when stale, corrupt, foreign or
planted, and never able to run code or change an answer."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ketinteract.index_files import open_index
from ketinteract.query import run_check

from .conftest import run_installed, ward_table


def entries(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("index-*.sqlite"))


def answer_json(index: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run_check(index, ["ketamine", "fentanyl"]).json)
    return data


def downgrade_every_major(path: Path) -> None:
    """Forge an index the way an attacker would: every major finding stored as severity none."""
    connection = sqlite3.connect(path)
    connection.execute("UPDATE findings SET body = replace(body, '\"major\"', '\"none\"')")
    connection.commit()
    connection.close()


def test_index_is_built_once_and_reused(isolated_home: Path) -> None:
    first = open_index()
    assert len(entries(isolated_home)) == 1
    again = open_index()
    assert again.where == first.where != ":memory:"
    assert answer_json(again) == answer_json(first)


def test_stale_index_is_never_served_and_old_entries_go(isolated_home: Path, tmp_path: Path) -> None:
    open_index()
    old = entries(isolated_home)
    local = ward_table()
    (isolated_home / "data").mkdir(parents=True)
    (isolated_home / "data" / "ward.json").write_text(json.dumps(local), encoding="utf-8")
    fresh = open_index()
    ids = [f["id"] for p in answer_json(fresh)["pairs"] for f in p["findings"]]
    assert "ward-fentanyl-ketamine-sedation" in ids
    assert entries(isolated_home) != old and len(entries(isolated_home)) == 1


def test_corrupt_index_is_rebuilt_and_answers_stay_right(isolated_home: Path) -> None:
    expected = answer_json(open_index())
    (path,) = entries(isolated_home)
    data = bytearray(path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    assert answer_json(open_index()) == expected
    path.write_bytes(b"not a database at all")
    assert answer_json(open_index()) == expected


def test_forged_index_with_wrong_key_is_ignored(isolated_home: Path) -> None:
    expected = answer_json(open_index())
    (path,) = entries(isolated_home)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE findings SET severity = 'none'")
    connection.execute("UPDATE meta SET value = 'forged' WHERE key = 'input_key'")
    connection.commit()
    connection.close()
    assert answer_json(open_index()) == expected


def test_planted_pickle_runs_no_code(isolated_home: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    open_index()
    cache = isolated_home / "cache"
    for name in [p.name.replace(".sqlite", ".pickle") for p in entries(isolated_home)] + ["index.pickle"]:
        (cache / name).write_bytes(pickle.dumps(Payload()))
    assert run_installed("check", "ketamine", "fentanyl", "--json").returncode == 0
    assert not marker.exists()


def test_cache_folder_writable_by_others_is_not_trusted(isolated_home: Path) -> None:
    expected = answer_json(open_index())
    (path,) = entries(isolated_home)
    downgrade_every_major(path)
    (isolated_home / "cache").chmod(0o777)
    done = run_installed("check", "ketamine", "fentanyl", "--json")
    assert "not yours alone" in done.stderr
    assert json.loads(done.stdout)["pairs"] == expected["pairs"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_index_file_owned_by_another_user_is_not_trusted(isolated_home: Path) -> None:
    expected = answer_json(open_index())
    (path,) = entries(isolated_home)
    downgrade_every_major(path)
    os.chown(path, 65534, 65534)
    assert answer_json(open_index()) == expected


def test_unusable_cache_folder_costs_speed_not_correctness(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "cache").write_text("not a folder", encoding="utf-8")
    index = open_index()
    assert index.where == ":memory:"
    assert answer_json(index)["pairs"][0]["status"] == "found"


def test_cache_folder_is_private(isolated_home: Path) -> None:
    open_index()
    assert (isolated_home / "cache").stat().st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in entries(isolated_home))
