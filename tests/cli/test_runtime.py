"""The config file is checked in one place, keys and values: a bad value is exit 2 naming the key and
the allowed values, never exit 5 and never silently ignored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ('color = "purple"', "color", "auto, always, never"),
        ("color = 3", "color", "auto, always, never"),
        ('format = "yaml"', "format", "text, json"),
        ('min_severity = "huge"', "min_severity", "major, moderate"),
        ('local = "no"', "local", "true or false"),
        ('local = "false"', "local", "true or false"),
        ("local = 0", "local", "true or false"),
    ],
)
def test_bad_config_value_is_a_usage_error_naming_key_and_choices(
    cli: Callable[..., Result], isolated_home: Path, text: str, key: str, allowed: str
) -> None:
    write_config(isolated_home, text)
    result = cli("check", "naloxone", "ketamine")
    assert result.exit_code == 2, result.stderr
    assert f"'{key}'" in result.stderr and allowed in result.stderr
    assert "config.toml" in result.stderr
    assert result.stdout == ""


def test_config_defaults_apply(cli: Callable[..., Result], isolated_home: Path) -> None:
    write_config(isolated_home, 'format = "json"\nmin_severity = "moderate"\nlocal = false\n')
    result = cli("check", "naloxone", "ketamine")
    data = json.loads(result.stdout)
    assert data["filters"]["min_severity"] == "moderate"
    assert all(f["severity"] in {"moderate", "major"} for p in data["pairs"] for f in p["findings"])


def test_config_format_is_ignored_by_commands_that_do_not_offer_it(
    cli: Callable[..., Result], isolated_home: Path
) -> None:
    write_config(isolated_home, 'format = "csv"\n')
    assert cli("data", "path").stdout.startswith("data: ")


def test_data_info_json_carries_schema_version(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("data", "info", "--json").stdout)
    assert data["schema_version"] == 1
    assert data["bundled"]["counts"]["findings"] > 0


@pytest.mark.parametrize(
    "args",
    [
        ["show", "naloxone-ketamine-anesthesia"],
        ["list"],
        ["sources"],
        ["resolve", "Narcan"],
        ["drugs"],
        ["data", "info"],
        ["data", "path"],
        ["data", "list"],
        ["data", "validate"],
    ],
)
def test_every_data_command_prints_json_with_schema_version(cli: Callable[..., Result], args: list[str]) -> None:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["schema_version"] == 1
