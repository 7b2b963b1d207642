"""Hostile and careless input (issue: nothing runs, nothing leaks, nothing is lost): the attack suite's
cases as tests, driven through the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import entry_point, run_installed, ward_table

WARD = ward_table()


def no_traceback(done: subprocess.CompletedProcess[Any]) -> None:
    assert done.returncode != 5, done.stderr
    assert "Traceback" not in str(done.stderr)


def run_bytes(
    args: list[bytes], stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    full = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}} | (env or {})
    script = entry_point()[0].encode()
    return subprocess.run([script, *args], input=stdin, capture_output=True, env=full, timeout=60, check=False)


def test_bulk_line_that_is_not_utf8_is_one_error_record() -> None:
    lines = b"ketamine, naloxone\nketamine, \xff\nnaloxone, ketamine\n"
    done = run_bytes([b"check", b"-", b"--format", b"ndjson"], lines)
    no_traceback(done)
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["status"] for r in records] == ["ok", "error", "ok"]
    assert records[1]["line"] == 2 and "not valid UTF-8" in records[1]["error"]["message"]


def test_huge_stdin_line_is_an_error_record_and_the_rest_is_answered() -> None:
    huge = b"ketamine, " + b"x" * (200 * 1024) + b"\nnaloxone, ketamine\n"
    done = run_bytes([b"check", b"-", b"--format", b"ndjson"], huge)
    no_traceback(done)
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in records] == ["error", "ok"]


def test_non_utf8_argv_is_an_unrecognised_name_shown_safely() -> None:
    for fmt in (b"text", b"json", b"cds-hooks", b"fhir", b"markdown", b"csv"):
        done = run_bytes([b"check", b"ketamine", b"\xff\xfe\x1b[2J", b"--format", fmt])
        no_traceback(done)
        assert done.returncode == 3
        done.stdout.decode("utf-8")  # always valid UTF-8
        assert b"\x1b" not in done.stdout and b"\x1b" not in done.stderr


def test_fifo_in_data_folder_is_refused_without_hanging(isolated_home: Path) -> None:
    (isolated_home / "data").mkdir(parents=True)
    os.mkfifo(isolated_home / "data" / "trap.json")
    done = run_installed("check", "ketamine", "naloxone")
    no_traceback(done)
    assert done.returncode == 4 and "not a regular file" in done.stderr


def test_symlink_to_dev_zero_is_refused(isolated_home: Path) -> None:
    (isolated_home / "data").mkdir(parents=True)
    (isolated_home / "data" / "zero.json").symlink_to("/dev/zero")
    done = run_installed("check", "ketamine", "naloxone")
    no_traceback(done)
    assert done.returncode == 4 and "not a regular file" in done.stderr


def test_home_that_is_a_file_is_a_clear_error_or_still_answers(isolated_home: Path) -> None:
    isolated_home.parent.mkdir(parents=True, exist_ok=True)
    isolated_home.write_text("not a folder", encoding="utf-8")
    done = run_installed("check", "ketamine", "naloxone", "--json")
    no_traceback(done)
    assert done.returncode == 0 and json.loads(done.stdout)["pairs"][0]["status"] == "found"
    added = run_installed("data", "add", str(isolated_home))
    no_traceback(added)
    assert added.returncode in {2, 4} and "ketinteract:" in added.stderr


def test_read_only_data_folder_is_a_clear_error(isolated_home: Path, tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    (isolated_home / "data").mkdir(parents=True)
    (isolated_home / "data").chmod(0o500)
    ward = tmp_path / "ward.json"
    ward.write_text(json.dumps(WARD), encoding="utf-8")
    done = run_installed("data", "add", str(ward))
    no_traceback(done)
    assert done.returncode == 4


def test_remove_refuses_files_it_does_not_manage(isolated_home: Path) -> None:
    (isolated_home / "data").mkdir(parents=True)
    keep = isolated_home / "data" / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    done = run_installed("data", "remove", "notes.txt")
    assert done.returncode == 2 and keep.exists()


def test_leftover_temp_files_are_cleaned_by_the_next_data_command(isolated_home: Path, tmp_path: Path) -> None:
    data = isolated_home / "data"
    data.mkdir(parents=True)
    old, fresh = data / ".tmp-old.json", data / ".tmp-fresh.json"
    old.write_bytes(b"x" * 1000)
    fresh.write_bytes(b"y")
    stale = time.time() - 3600
    os.utime(old, (stale, stale))
    assert run_installed("data", "list").returncode == 0
    assert not old.exists() and fresh.exists(), "only leftovers older than a few minutes go"


def test_duplicate_keys_and_coerced_types_are_data_errors(tmp_path: Path, isolated_home: Path) -> None:
    text = json.dumps(WARD).replace('"severity": "minor"', '"severity": "major", "severity": "none"')
    bad = tmp_path / "dup.json"
    bad.write_text(text, encoding="utf-8")
    done = run_installed("data", "validate", str(bad))
    assert done.returncode == 4 and "twice" in done.stderr + done.stdout
    for change in ({"year": "2026"}, {"year": True}):
        table = json.loads(json.dumps(WARD))
        table["sources"][0]["citation"] |= change
        path = tmp_path / "typed.json"
        path.write_text(json.dumps(table), encoding="utf-8")
        assert run_installed("data", "validate", str(path)).returncode == 4
        assert run_installed("data", "add", str(path)).returncode == 4


def test_check_beside_add_and_remove_never_fails(isolated_home: Path, tmp_path: Path) -> None:
    ward = tmp_path / "ward.json"
    ward.write_text(json.dumps(WARD), encoding="utf-8")
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            run_installed("data", "add", str(ward))
            run_installed("data", "remove", "ward.json")

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        codes = [run_installed("check", "ketamine", "fentanyl", "--json").returncode for _ in range(100)]
    finally:
        stop.set()
        worker.join()
    assert set(codes) == {0}


def test_csv_cell_with_bare_cr_and_formula_stays_one_guarded_row(isolated_home: Path, tmp_path: Path) -> None:
    import csv
    import io

    table = json.loads(json.dumps(WARD))
    table["findings"][0]["answer"] = "\r=cmd|' /C calc'!A0"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    assert run_installed("data", "add", str(path)).returncode == 0
    done = run_installed("check", "ketamine", "fentanyl", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    found = json.loads(run_installed("check", "ketamine", "fentanyl", "--json").stdout)
    assert len(rows) == sum(len(p["findings"]) for p in found["pairs"]) + len(found["regimen_warnings"])
    evil = [r for r in rows if r["finding_id"] == "ward-fentanyl-ketamine-sedation"]
    assert evil and not evil[0]["answer"].startswith(("\r", "="))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(min_size=1, max_size=30), min_size=1, max_size=4), st.binary(max_size=300))
def test_random_bytes_in_argv_and_stdin_never_crash(argv: list[bytes], stdin: bytes) -> None:
    args = [a.replace(b"\x00", b"") or b"x" for a in argv]
    done = run_bytes([b"check", b"ketamine", *args, b"--json"])
    no_traceback(done)
    if done.returncode in {0, 3}:
        json.loads(done.stdout.decode("utf-8"))
    bulk = run_bytes([b"check", b"-", b"--format", b"ndjson"], stdin)
    no_traceback(bulk)
    for line in bulk.stdout.decode("utf-8").splitlines():
        json.loads(line)


@pytest.mark.parametrize("name", ["Ketamine HCl", "N01AX03", "Narcan nasal spray"])
def test_a_local_name_cannot_take_over_a_bundled_drug(tmp_path: Path, name: str) -> None:
    """A local drug named like a stripped form or a code of a bundled one would win the exact match and
    silently remove every bundled finding for that input; it is refused."""
    path = tmp_path / "shadow.json"
    path.write_text(json.dumps({"drugs": [{"id": "local-thing", "name": name}]}), encoding="utf-8")
    done = run_installed("data", "add", str(path))
    assert done.returncode == 4 and "would take over" in done.stderr
    check = json.loads(run_installed("check", name, "fentanyl", "--json").stdout)
    assert check["drugs"][0]["id"] in {"ketamine", "naloxone"}, "the bundled drug still answers"
