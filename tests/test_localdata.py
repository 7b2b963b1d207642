"""Local data: per-user folders, merging marked by origin, atomic add/remove, hostile strings inert."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from .conftest import run_installed

HOSTILE = "Give with care [red]x[/red] \x1b[31mred\x1b[0m and [bold]"


def local_table(
    answer: str = "Our ward gives ketamine under naltrexone only with a psychiatrist present.",
) -> dict[str, Any]:
    return {
        "sources": [
            {
                "id": "ward-protocol-2026",
                "kind": "reference_work",
                "citation": {"title": "Ward 7 protocol: ketamine in patients on naltrexone", "year": 2026},
                "design": "reference_text",
                "summary": "Local protocol for giving ketamine to patients taking naltrexone.",
            }
        ],
        "findings": [
            {
                "id": "ward-naltrexone-ketamine-antidepressant",
                "drugs": ["naltrexone", "ketamine"],
                "context": "antidepressant",
                "question": "How does our ward handle ketamine for patients on naltrexone?",
                "answer": answer,
                "effect": "insufficient",
                "severity": "moderate",
                "action": "monitor",
                "evidence_grade": "very_low",
                "management": "Follow the ward protocol.",
                "sources": [{"source": "ward-protocol-2026", "direction": "background"}],
                "last_reviewed": "2026-11-01",
            }
        ],
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_data_path_honours_xdg_when_home_variable_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETINTERACT_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    from ketinteract.paths import user_paths

    paths = user_paths()
    assert paths.data_dir == tmp_path / "xdg-data" / "ketinteract"
    assert paths.config_file == tmp_path / "xdg-config" / "ketinteract" / "config.toml"
    assert paths.cache_dir == tmp_path / "xdg-cache" / "ketinteract"


def test_add_makes_local_finding_appear_beside_bundled_and_no_local_hides_it(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    source = write(tmp_path / "ward.json", local_table())
    added = cli("data", "add", str(source))
    assert added.exit_code == 0, added.stderr
    assert cli("data", "list").stdout == "ward.json\n"
    data = json.loads(cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--json").stdout)
    origins = {f["id"]: f["origin"] for f in data["pairs"][0]["findings"]}
    assert origins == {
        "naltrexone-ketamine-antidepressant": "bundled",
        "ward-naltrexone-ketamine-antidepressant": "ward.json",
    }
    text = cli("check", "naltrexone", "ketamine", "-c", "antidepressant").stdout
    assert "LOCAL finding from ward.json" in text
    for fmt in ("markdown", "csv", "fhir", "cds-hooks"):
        assert "ward.json" in cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--format", fmt).stdout, (
            fmt
        )
    hidden = json.loads(cli("--no-local", "check", "naltrexone", "ketamine", "-c", "antidepressant", "--json").stdout)
    assert [f["origin"] for f in hidden["pairs"][0]["findings"]] == ["bundled"]


def test_add_with_xdg_data_home_through_the_installed_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KETINTERACT_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    env_clean = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    source = write(tmp_path / "local.json", local_table())
    added = run_installed("data", "add", str(source), env=env_clean)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "xdg" / "ketinteract" / "local.json").is_file()
    shown = run_installed("check", "naltrexone", "ketamine", "--json", env=env_clean)
    assert "local.json" in {f["origin"] for f in json.loads(shown.stdout)["pairs"][0]["findings"]}


def test_hostile_strings_are_inert_in_text_and_exact_in_json(tmp_path: Path, cli: Callable[..., Result]) -> None:
    write(tmp_path / "ward.json", local_table(answer=HOSTILE))
    assert cli("data", "add", str(tmp_path / "ward.json")).exit_code == 0
    text = cli("--color", "always", "check", "naltrexone", "ketamine", "-c", "antidepressant").stdout
    assert "[red]x[/red]" in text and "[bold]" in text
    assert "\\x1b[31mred\\x1b[0m" in text
    assert "\x1b[31mred" not in text
    data = json.loads(cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--json").stdout)
    answers = [f["answer"] for f in data["pairs"][0]["findings"]]
    assert HOSTILE in answers
    md = cli("check", "naltrexone", "ketamine", "-c", "antidepressant", "--format", "markdown").stdout
    assert "\x1b" not in md


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"findings": [{"id": "x"}]}', "findings[0]"),
        ("", "is empty"),
    ],
)
def test_add_refuses_invalid_files_and_leaves_data_untouched(
    tmp_path: Path, cli: Callable[..., Result], isolated_home: Path, content: str, message: str
) -> None:
    good = write(tmp_path / "good.json", local_table())
    assert cli("data", "add", str(good)).exit_code == 0
    before = sorted(p.name for p in (isolated_home / "data").iterdir())
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = cli("data", "add", str(bad))
    assert result.exit_code == 4
    assert message in result.stderr and str(bad) in result.stderr
    assert sorted(p.name for p in (isolated_home / "data").iterdir()) == before


def test_identifier_clash_names_both_files(tmp_path: Path, cli: Callable[..., Result]) -> None:
    clash = local_table()
    clash["sources"][0]["id"] = "williams-2018"
    clash["findings"][0]["sources"][0]["source"] = "williams-2018"
    result = cli("data", "add", str(write(tmp_path / "clash.json", clash)))
    assert result.exit_code == 4
    assert "clash.json" in result.stderr and "interactions.json" in result.stderr


def test_add_same_name_twice_fails_cleanly(tmp_path: Path, cli: Callable[..., Result]) -> None:
    path = write(tmp_path / "ward.json", local_table())
    assert cli("data", "add", str(path)).exit_code == 0
    again = cli("data", "add", str(path))
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_remove_and_info(tmp_path: Path, cli: Callable[..., Result]) -> None:
    cli("data", "add", str(write(tmp_path / "ward.json", local_table())))
    info = json.loads(cli("data", "info", "--format", "json").stdout)
    assert info["bundled"]["table_version"] and len(info["bundled"]["sha256"]) == 64
    assert [entry["name"] for entry in info["local"]] == ["ward.json"]
    assert cli("data", "remove", "ward.json").exit_code == 0
    assert cli("data", "list").stdout == ""
    assert cli("data", "remove", "ward.json").exit_code == 2
    assert cli("data", "remove", "../etc/passwd").exit_code == 2


def _add(args: tuple[str, str]) -> int:
    home, path = args
    os.environ["KETINTERACT_HOME"] = home
    return run_installed("data", "add", path, env={"KETINTERACT_HOME": home}).returncode


def test_concurrent_adds_both_succeed_or_one_fails_cleanly(tmp_path: Path, isolated_home: Path) -> None:
    first = local_table()
    second = json.loads(json.dumps(local_table()).replace("ward-", "clinic-"))
    a, b = write(tmp_path / "a.json", first), write(tmp_path / "b.json", second)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        codes = pool.map(_add, [(str(isolated_home), str(a)), (str(isolated_home), str(b))])
    assert codes == [0, 0], "different names: both succeed"
    third = json.loads(json.dumps(first).replace("ward-", "third-"))
    for i in (1, 2):
        (tmp_path / f"racer{i}").mkdir()
    racers = [write(tmp_path / f"racer{i}" / "c.json", third) for i in (1, 2)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        codes = pool.map(_add, [(str(isolated_home), str(p)) for p in racers])
    assert sorted(codes) == [0, 2], "the same new name: exactly one wins, the other fails cleanly"
    folder = isolated_home / "data"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["a.json", "b.json", "c.json"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp-")], "no partial file is left"
    for name in ("a.json", "b.json", "c.json"):
        json.loads((folder / name).read_text(encoding="utf-8"))


def test_config_file_sets_default_format(isolated_home: Path, cli: Callable[..., Result]) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config.toml").write_text('format = "json"\n', encoding="utf-8")
    assert json.loads(cli("check", "naloxone", "ketamine").stdout)["schema_version"] == 1
    (isolated_home / "config.toml").write_text("colour = 1\n", encoding="utf-8")
    bad = cli("check", "naloxone", "ketamine")
    assert bad.exit_code == 2 and "unknown key" in bad.stderr
