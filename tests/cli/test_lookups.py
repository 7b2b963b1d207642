"""Output of the commands other than check: show, list, resolve, drugs, sources (text), data path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result


def test_show_json_has_grading_steps_both_sides_and_mechanism(cli: Callable[..., Result]) -> None:
    result = cli("show", "naltrexone-ketamine-antidepressant", "--format", "json")
    finding = json.loads(result.stdout)["finding"]
    assert [s["step"] for s in finding["grading"]] == ["start", "imprecision", "inconsistency"]
    assert [s["grade"] for s in finding["grading"]] == ["high", "moderate", "low"]
    assert {s["direction"] for s in finding["sources"]} == {"attenuates", "no_effect"}
    assert finding["mechanism"]["sources"][0]["citation"]


def test_show_text_lists_grading_steps_and_full_citations(cli: Callable[..., Result]) -> None:
    out = cli("show", "naltrexone-ketamine-antidepressant").stdout
    assert "Grading steps" in out and "imprecision" in out
    assert "Williams NR, Heifets BD" in out and "PMID 30153752" in out


def test_show_unknown_finding_suggests(cli: Callable[..., Result]) -> None:
    result = cli("show", "naltrexone-ketamine-antidepresant")
    assert result.exit_code == 2
    assert "Did you mean: naltrexone-ketamine-antidepressant" in result.stderr


def test_list_filters(cli: Callable[..., Result]) -> None:
    def ids(*args: str) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = json.loads(cli("list", *args, "--format", "json").stdout)["findings"]
        return findings

    everything = ids()
    by_drug = ids("--drug", "Vivitrol")
    assert by_drug and all("naltrexone" in f["drugs"] for f in by_drug)
    assert len(by_drug) < len(everything)
    assert all(f["evidence_grade"] == "high" for f in ids("--grade", "high"))
    conflicting = ids("--effect", "conflicting", "--context", "antidepressant")
    assert {f["id"] for f in conflicting} >= {"naltrexone-ketamine-antidepressant"}
    assert all(f["effect"] == "conflicting" and f["context"] == "antidepressant" for f in conflicting)
    assert cli("list", "--drug", "ketamin").exit_code == 2


def test_list_text_shows_full_ids_and_contexts(cli: Callable[..., Result]) -> None:
    out = cli("list", "--drug", "naltrexone").stdout
    for finding_id in ("naltrexone-ketamine-antidepressant", "naltrexone-ketamine-alcohol-use-disorder"):
        assert finding_id in out
    lines = out.splitlines()
    first = lines.index("naltrexone-ketamine-antidepressant")
    assert lines[first + 1].split(" | ") == [
        "    antidepressant",
        "ketamine + naltrexone",
        "conflicting",
        "moderate",
        "monitor",
        "evidence low",
    ]
    assert "finding(s)" in out


def test_resolve_json(cli: Callable[..., Result]) -> None:
    result = cli("resolve", "Narcan", "Ketamine HCl 50 mg/mL", "Suboxone", "ketamin", "--format", "json")
    assert result.exit_code == 3
    names = json.loads(result.stdout)["names"]
    assert [n["status"] for n in names] == ["resolved", "resolved", "resolved", "unresolved"]
    assert names[0]["matches"][0] | {"id": "naloxone", "rule": "brand"} == names[0]["matches"][0]
    assert names[0]["matches"][0]["atc"] == ["V03AB15", "A06AH04"]
    assert names[1]["matches"][0]["rule"] == "stripped"
    assert [m["id"] for m in names[2]["matches"]] == ["buprenorphine", "naloxone"]
    assert names[3]["suggestions"][0] == "ketamine"


def test_drugs_json_and_text(cli: Callable[..., Result], bundled_raw: dict[str, Any]) -> None:
    data = json.loads(cli("drugs", "--format", "json").stdout)
    assert [d["id"] for d in data["drugs"]] == [d["id"] for d in bundled_raw["drugs"]]
    benzos = next(c for c in data["classes"] if c["id"] == "benzodiazepines")
    assert {"lorazepam", "midazolam"} <= set(benzos["members"])
    assert [p["ingredients"] for p in data["products"] if p["id"] == "suboxone"] == [["buprenorphine", "naloxone"]]
    text = cli("drugs").stdout
    assert "Spravato" in text and "product\tsuboxone\tSuboxone\t\t\tbuprenorphine,naloxone" in text


def test_sources_text_numbers_each_source_with_its_link(cli: Callable[..., Result]) -> None:
    out = cli("sources", "--finding", "naloxone-ketamine-anesthesia").stdout.splitlines()
    assert out[0].startswith("[1] ")
    assert any("https://pubmed.ncbi.nlm.nih.gov/3671186/" in line for line in out)


def test_data_path_prints_the_three_locations(cli: Callable[..., Result], isolated_home: Path) -> None:
    assert cli("data", "path").stdout == (
        f"data: {isolated_home / 'data'}\nconfig: {isolated_home / 'config.toml'}\ncache: {isolated_home / 'cache'}\n"
    )


def test_data_info_text(cli: Callable[..., Result]) -> None:
    out = cli("data", "info").stdout
    assert out.startswith("bundled: ") and "sha256 " in out and "no local data files in" in out
