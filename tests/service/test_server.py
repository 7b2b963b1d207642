"""``ketinteract serve`` as a user runs it: the installed command in a subprocess, on localhost only."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import entry_point, run_installed
from tests.fhir_factories import done_when_request

SIGN = "/cds-services/ketinteract-order-sign"
READY = re.compile(r"CDS Hooks discovery at (http://[^ ]+)/cds-services")


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    stderr: list[str] = field(default_factory=list)


def _read_line(process: subprocess.Popen[str], deadline: float) -> str:
    assert process.stderr is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.1)
        if ready:
            return process.stderr.readline()
        if process.poll() is not None:
            return process.stderr.readline()
    raise AssertionError("ketinteract serve did not say where it listens")


@contextmanager
def serve(*args: str, home: Path) -> Iterator[Served]:
    """Start ``ketinteract serve --port 0 ARGS``; on leaving, stop it with Ctrl-C and keep its stderr."""
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}} | {
        "KETINTERACT_HOME": str(home)
    }
    process = subprocess.Popen(
        [*entry_point(), "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    lines: list[str] = []
    while not (match := READY.search("".join(lines))):
        line = _read_line(process, deadline)
        assert line, f"serve exited early: {''.join(lines)}"
        lines.append(line)
    served = Served(match.group(1), process, lines)
    try:
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=20)
        served.stderr.append(err)


def client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=10, trust_env=False)


def test_serve_binds_localhost_answers_and_logs_no_patient_data(isolated_home: Path) -> None:
    with serve(home=isolated_home) as served, client(served.url) as http:
        assert served.url.startswith("http://127.0.0.1:")
        assert http.get("/health").json()["status"] == "ok"
        cards = http.post(SIGN, json=done_when_request()).json()["cards"]
        assert any(c["summary"].startswith("ketamine + naltrexone") for c in cards)
        assert any(c["summary"].startswith("ketamine + lorazepam") for c in cards)
        assert http.post(SIGN, content=b"{broken").status_code == 400
        assert http.post("/cds-services/nope", json={}).status_code == 404
        assert http.get("/check", params=[("drug", "Ativan"), ("drug", "Ketalar")]).status_code == 200
    log = "".join(served.stderr)
    assert served.process.returncode == 0, log
    assert "Traceback" not in log
    assert "POST /cds-services/ketinteract-order-sign 400" in log
    for private in ("Ativan", "Ketamine", "Ketalar", "Vivitrol", "naltrexone", "lorazepam"):
        assert private not in log, private


def test_log_requests_logs_medications_when_asked(isolated_home: Path) -> None:
    with serve("--log-requests", home=isolated_home) as served, client(served.url) as http:
        http.post(SIGN, json=done_when_request())
        http.get("/check", params=[("drug", "Ativan"), ("drug", "Ketalar")])
    log = "".join(served.stderr)
    assert "Ativan 1 mg tablet -> lorazepam" in log
    assert "drug=Ativan" in log
    assert "writes medication names" in log, "the operator is told"


def test_a_busy_port_is_a_usage_error(isolated_home: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = run_installed(
            "serve", "--port", str(busy.getsockname()[1]), env={"KETINTERACT_HOME": str(isolated_home)}
        )
    assert done.returncode == 2
    assert "Cannot listen on 127.0.0.1" in done.stderr and "Traceback" not in done.stderr


def test_serve_without_the_extra_says_how_to_install_it() -> None:
    code = (
        "import sys\nsys.modules['fastapi'] = None\n"
        "from ketinteract.cli import main\nsys.argv = ['ketinteract', 'serve']\nmain()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "pip install 'ketinteract[serve]'" in done.stderr
