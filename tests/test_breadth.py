"""Route-aware answers and the regimen-level warning (issue 8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result


def findings(cli: Callable[..., Result], *args: str) -> list[dict[str, Any]]:
    data = json.loads(cli("check", *args, "--json").stdout)
    return [f for p in data["pairs"] for f in p["findings"]]


def test_route_filter_gives_different_severities_each_with_its_route(cli: Callable[..., Result]) -> None:
    oral = findings(cli, "ketamine", "clarithromycin", "--route", "oral", "-c", "pharmacokinetics")
    iv = findings(cli, "ketamine", "clarithromycin", "--route", "intravenous", "-c", "pharmacokinetics")
    assert [f["conditions"]["routes"] for f in oral] == [["oral"]]
    assert all("intravenous" in f["conditions"]["routes"] for f in iv)
    assert oral[0]["severity"] != iv[0]["severity"]
    assert oral[0]["sources"] and iv[0]["sources"]
    text = cli("check", "ketamine", "clarithromycin", "--route", "oral").stdout
    assert "Applies only to: route oral" in text


def test_without_route_every_route_specific_finding_shows_its_route(cli: Callable[..., Result]) -> None:
    all_routes = findings(cli, "ketamine", "clarithromycin", "-c", "pharmacokinetics")
    assert len(all_routes) >= 2
    assert all(f["conditions"]["routes"] for f in all_routes)


def test_spravato_phenelzine_answers_with_blood_pressure(cli: Callable[..., Result]) -> None:
    found = findings(cli, "Spravato", "phenelzine")
    cardio = [f for f in found if f["context"] == "cardiovascular"]
    assert cardio and cardio[0]["extrapolated"]["kind"] == "class"


def test_lorazepam_antidepressant_shows_both_sides(cli: Callable[..., Result]) -> None:
    found = findings(cli, "ketamine", "lorazepam", "--context", "antidepressant")
    assert len(found) == 1
    directions = {s["direction"] for s in found[0]["sources"]}
    assert {"attenuates", "no_effect"} <= directions
    assert "8 mg" in found[0]["answer"]


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("json", '"id":"ketamine-cns-depressant-load"'),
        ("ndjson", '"id":"ketamine-cns-depressant-load"'),
        ("fhir", '"id": "ketamine-cns-depressant-load-'),
        ("cds-hooks", '"summary": "Regimen warning (major): '),
        ("text", "REGIMEN WARNING (major)"),
        ("markdown", "> **Regimen warning (major):**"),
        ("csv", "regimen_warning,ketamine-cns-depressant-load"),
    ],
)
def test_regimen_warning_in_every_format(cli: Callable[..., Result], fmt: str, marker: str) -> None:
    out = cli("check", "ketamine", "lorazepam", "fentanyl", "alcohol", "--format", fmt).stdout
    assert marker in out


def test_regimen_warning_leads_the_text_output(cli: Callable[..., Result]) -> None:
    out = cli("check", "ketamine", "lorazepam", "fentanyl", "alcohol").stdout
    assert out.lstrip().startswith("REGIMEN WARNING")


def test_regimen_warning_needs_two_other_depressants(cli: Callable[..., Result]) -> None:
    two = json.loads(cli("check", "ketamine", "lorazepam", "--json").stdout)
    three = json.loads(cli("check", "ketamine", "lorazepam", "fentanyl", "--json").stdout)
    assert two["regimen_warnings"] == []
    assert [w["id"] for w in three["regimen_warnings"]] == ["ketamine-cns-depressant-load"]
    assert three["regimen_warnings"][0]["sources"]


def test_route_filter_in_stdin_mode_and_api(cli: Callable[..., Result]) -> None:
    out = cli("check", "-", "--route", "oral", "--format", "ndjson", stdin="ketamine, clarithromycin\n").stdout
    line = json.loads(out)
    routes = [f["conditions"]["routes"] for p in line["result"]["pairs"] for f in p["findings"]]
    assert routes and all(r in ([], ["oral"]) for r in routes)
    from ketinteract import check

    result = check("ketamine", "clarithromycin", route="intravenous")
    assert all(not f.conditions.routes or "intravenous" in f.conditions.routes for f in result.pairs[0].findings)
