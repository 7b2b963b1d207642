"""Broken tables give one clear error naming the file, the JSON location and the record; never a
traceback."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from ketinteract.errors import DataError
from ketinteract.loader import load_file


def write(tmp_path: Path, data: Any, name: str = "table.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def broken(raw: dict[str, Any], mutate: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    copy_ = copy.deepcopy(raw)
    mutate(copy_)
    return copy_


CASES: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    (
        "bad severity",
        lambda t: t["findings"][0].update(severity="catastrophic"),
        "findings[0].severity",
        "naloxone-ketamine-anesthesia",
    ),
    (
        "bad effect",
        lambda t: t["findings"][1].update(effect="blocks"),
        "findings[1].effect",
        "naltrexone-ketamine-antidepressant",
    ),
    (
        "dangling source",
        lambda t: t["findings"][0]["sources"][0].update(source="nope-2020"),
        "findings[0].sources[0].source",
        "naloxone-ketamine-anesthesia",
    ),
    (
        "self pair",
        lambda t: t["findings"][0].update(drugs=["ketamine", "ketamine"]),
        "findings[0]",
        "naloxone-ketamine-anesthesia",
    ),
    (
        "unknown drug",
        lambda t: t["findings"][0].update(drugs=["ketamine", "unobtainium"]),
        "findings[0].drugs[1]",
        "naloxone-ketamine-anesthesia",
    ),
    ("duplicate source id", lambda t: t["sources"].append(copy.deepcopy(t["sources"][0])), "sources[", ""),
    (
        "grade mismatch",
        lambda t: t["findings"][0].update(evidence_grade="high"),
        "findings[0].evidence_grade",
        "naloxone-ketamine-anesthesia",
    ),
    (
        "article without identifiers",
        lambda t: [s.pop(k, None) for s in t["sources"] if s["id"] == "kraynack-1982" for k in ("pmid", "doi", "nct")],
        "sources[",
        "kraynack-1982",
    ),
    ("unknown key", lambda t: t["drugs"][0].update(colour="blue"), "drugs[0].colour", "ketamine"),
    (
        "unknown context",
        lambda t: t["findings"][0].update(context="astrology"),
        "findings[0].context",
        "naloxone-ketamine-anesthesia",
    ),
    (
        "conflicting without sides",
        lambda t: [r.update(direction="attenuates") for r in t["findings"][1]["sources"]],
        "findings[1]",
        "naltrexone-ketamine-antidepressant",
    ),
]


@pytest.mark.parametrize(("label", "mutate", "location", "record"), CASES, ids=[c[0] for c in CASES])
def test_broken_table_names_record_and_field(
    tmp_path: Path,
    bundled_raw: dict[str, Any],
    label: str,
    mutate: Callable[[dict[str, Any]], object],
    location: str,
    record: str,
) -> None:
    path = write(tmp_path, broken(bundled_raw, mutate))
    with pytest.raises(DataError) as caught:
        load_file(path)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert str(path) in text
    assert location in text
    assert record in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe\x00garbage", "is not valid UTF-8"),
        (b"[1, 2, 3]", "must be a JSON object"),
        (b'{"findings": 7}', "findings"),
    ],
)
def test_malformed_files_are_clear_errors(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        load_file(path)
    assert expected in str(caught.value)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a directory"):
        load_file(tmp_path)
    with pytest.raises(DataError, match="does not exist"):
        load_file(tmp_path / "missing.json")


def test_cli_exits_4_on_broken_table_without_traceback(
    tmp_path: Path, bundled_raw: dict[str, Any], cli: Callable[..., Result]
) -> None:
    path = write(tmp_path, broken(bundled_raw, CASES[0][1]))
    result = cli("--table", str(path), "check", "naloxone", "ketamine")
    assert result.exit_code == 4
    assert "findings[0].severity" in result.stderr and "naloxone-ketamine-anesthesia" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_data_validate_exit_codes(tmp_path: Path, bundled_raw: dict[str, Any], cli: Callable[..., Result]) -> None:
    assert cli("data", "validate").exit_code == 0
    path = write(tmp_path, broken(bundled_raw, CASES[1][1]))
    result = cli("data", "validate", str(path))
    assert result.exit_code == 4
    assert "findings[1].effect" in result.stdout and "naltrexone-ketamine-antidepressant" in result.stdout


def test_huge_file_is_refused_before_reading(tmp_path: Path, cli: Callable[..., Result]) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: 100 MB without using the disk
    result = cli("--table", str(path), "check", "naloxone", "ketamine")
    assert result.exit_code == 4
    assert "larger than the 64 MiB limit" in result.stderr and str(path) in result.stderr


def test_unreadable_file_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, {})

    def deny(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("ketinteract.inputs.os.open", deny)
    with pytest.raises(DataError, match="permission denied"):
        load_file(path)
