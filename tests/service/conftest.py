"""The real service on a free localhost port (uvicorn in a thread of the test process, so tests can also
look at the index it answers from), called over HTTP with httpx."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from ketinteract.compiled import CompiledIndex
from ketinteract.index_files import open_index
from ketinteract.service import create_app
from ketinteract.service.server import bind, url_of

CARD_KEYS = {"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "links"}
CARD_KEYS |= {"overrideReasons"}


@dataclass
class Running:
    url: str
    index: CompiledIndex
    client: httpx.Client


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on a free localhost port, for the duration of the block; yields its URL."""
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the service did not start"
        time.sleep(0.01)
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def service() -> Iterator[Running]:
    index = open_index(local=False, use_cache=False)
    # trust_env=False: never route through a proxy from the environment; only localhost is called.
    with serving(create_app(index)) as url, httpx.Client(base_url=url, timeout=10, trust_env=False) as client:
        yield Running(url, index, client)


@pytest.fixture
def client(service: Running) -> httpx.Client:
    return service.client


def no_empty_values(value: Any, where: str = "$") -> None:
    """CDS Hooks 2.0: JSON elements are never null or empty ("", [], {}) unless the spec says so."""
    assert value is not None and value != "" and value != [] and value != {}, f"{where} is null or empty"
    if isinstance(value, dict):
        for key, item in value.items():
            no_empty_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            no_empty_values(item, f"{where}[{i}]")


def assert_valid_card(card: dict[str, Any]) -> None:
    """The CDS Hooks 2.0 card rules."""
    assert set(card) <= CARD_KEYS, set(card) - CARD_KEYS
    uuid.UUID(card["uuid"])
    assert isinstance(card["summary"], str) and 0 < len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    source = card["source"]
    assert isinstance(source["label"], str) and source["label"]
    assert "url" not in source or source["url"].startswith(("https://", "http://"))
    assert "detail" not in card or isinstance(card["detail"], str)
    for link in card.get("links", []):
        assert link["label"] and link["url"].startswith(("https://", "http://"))
        assert link["type"] in {"absolute", "smart"}
        assert "appContext" not in link or link["type"] == "smart"
    assert "suggestions" not in card or card["selectionBehavior"] in {"at-most-one", "any"}
    no_empty_values(card)


def assert_valid_response(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert set(body) <= {"cards", "systemActions"}
    assert isinstance(body["cards"], list)
    for card in body["cards"]:
        assert_valid_card(card)
    uuids = [c["uuid"] for c in body["cards"]]
    assert len(uuids) == len(set(uuids)), "card uuids are unique within a response"
    cards: list[dict[str, Any]] = body["cards"]
    return cards
