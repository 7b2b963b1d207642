"""Load check of ``ketinteract serve``: requests/s and latency for an order-sign request with 5 draft orders
and 10 current medications, and the server's memory over the run (it must stay flat).

Usage: python bench/service_load.py [--requests 10000] [--clients 1] [--out PATH]

Bounded and local: it starts its own server on 127.0.0.1 (a free port, a temporary KETINTERACT_HOME),
sends a fixed number of requests, and stops the server. One current medication carries a different
text in every request, as real records do, so the run also shows that request texts are not retained.
Standard library plus httpx. RSS is read from /proc (Linux).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent / "ketinteract"
ATC = "http://www.whocc.no/atc"
PATH = "/cds-services/ketinteract-order-sign"
READY = re.compile(r"CDS Hooks discovery at (http://127\.0\.0\.1:\d+)/cds-services")

DRAFTS = [
    "Ketamine hydrochloride 50 mg/mL injection",
    "Fentanyl citrate 50 mcg/mL injection",
    "Midazolam 1 mg/mL injection",
    "Dexmedetomidine 4 mcg/mL infusion",
    "Ondansetron 4 mg injection",
]
CURRENT = [
    "Ativan 1 mg tablet",
    "Sertraline 50 mg tablet",
    "Lamotrigine 100 mg tablet",
    "Methadone 10 mg tablet",
    "Clonidine 0.1 mg tablet",
    "St John's wort",
    "Atorvastatin 20 mg tablet",
    "Metformin 500 mg tablet",
]


def _request(rid: str, status: str, medication: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": status,
        "intent": "order",
        "subject": {"reference": "Patient/bench"},
        **medication,
    }


def order_sign(i: int) -> dict[str, Any]:
    """5 draft orders; 10 current medications (one ATC-coded by reference, one with a per-request text)."""
    drafts = [_request(f"d{n}", "draft", {"medicationCodeableConcept": {"text": t}}) for n, t in enumerate(DRAFTS)]
    vivitrol = {
        "resourceType": "Medication",
        "id": "viv",
        "code": {"text": "Vivitrol", "coding": [{"system": ATC, "code": "N07BB04"}]},
    }
    current = [_request("c-viv", "active", {"contained": [vivitrol], "medicationReference": {"reference": "#viv"}})]
    current += [_request(f"c{n}", "active", {"medicationCodeableConcept": {"text": t}}) for n, t in enumerate(CURRENT)]
    current.append(_request("c-home", "active", {"medicationCodeableConcept": {"text": f"Home remedy no. {i}"}}))
    assert len(drafts) == 5 and len(current) == 10
    return {
        "hook": "order-sign",
        "hookInstance": str(uuid.uuid4()),
        "context": {
            "userId": "Practitioner/bench",
            "patientId": "bench",
            "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in drafts]},
        },
        "prefetch": {
            "medicationRequests": {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"resource": r} for r in current],
            },
            "medicationStatements": None,
        },
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def start_server(home: str) -> tuple[subprocess.Popen[str], str]:
    env = os.environ | {"KETINTERACT_HOME": home}
    proc = subprocess.Popen(
        [str(BIN), "serve", "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit(f"ketinteract serve exited: {seen}")
        seen += line
        if match := READY.search(line):
            # Keep draining stderr (one log line per request) so the server never blocks on a full pipe.
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, match.group(1)
    raise SystemExit("ketinteract serve did not start")


def run_client(url: str, start: int, count: int, latencies: list[float], cards: list[int]) -> None:
    with httpx.Client(base_url=url, timeout=30, trust_env=False) as client:
        for i in range(start, start + count):
            body = json.dumps(order_sign(i)).encode()
            t0 = time.perf_counter()
            response = client.post(PATH, content=body, headers={"content-type": "application/json"})
            latencies.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise SystemExit(f"request {i}: HTTP {response.status_code}: {response.text[:300]}")
            cards.append(len(response.json()["cards"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=1, help="concurrent keep-alive clients (threads)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "service_load.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        proc, url = start_server(home)
        try:
            run_client(url, -args.warmup, args.warmup, [], [])
            samples = [(0, rss_mib(proc.pid))]
            latencies: list[float] = []
            cards: list[int] = []
            per_client = args.requests // args.clients
            started = time.perf_counter()
            threads = [
                threading.Thread(target=run_client, args=(url, c * per_client, per_client, latencies, cards))
                for c in range(args.clients)
            ]
            for t in threads:
                t.start()
            while any(t.is_alive() for t in threads):
                time.sleep(0.5)
                samples.append((len(latencies), rss_mib(proc.pid)))
            wall = time.perf_counter() - started
            samples.append((len(latencies), rss_mib(proc.pid)))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    done = len(latencies)
    ordered = sorted(latencies)
    rss = [m for _n, m in samples]
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}, "
        f"Python {platform.python_version()}",
        "requests": done,
        "clients": args.clients,
        "request": "order-sign, 5 draft orders, 10 current medications",
        "cards_per_response": statistics.median(cards),
        "wall_s": round(wall, 2),
        "requests_per_s": round(done / wall, 1),
        "latency_ms": {
            "p50": round(ordered[done // 2] * 1000, 2),
            "p90": round(ordered[int(done * 0.90)] * 1000, 2),
            "p99": round(ordered[int(done * 0.99)] * 1000, 2),
            "max": round(ordered[-1] * 1000, 2),
        },
        "rss_mib": {"after_warmup": round(rss[0], 1), "end": round(rss[-1], 1), "max": round(max(rss), 1)},
        "rss_growth_mib": round(rss[-1] - rss[0], 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures | {"rss_samples": samples}, indent=2) + "\n")
    lat = figures["latency_ms"]
    print(f"{figures['request']}; {done} requests, {args.clients} client(s); {figures['machine']}")
    print(f"throughput   {figures['requests_per_s']} requests/s ({figures['wall_s']} s)")
    print(f"latency ms   p50 {lat['p50']}  p90 {lat['p90']}  p99 {lat['p99']}  max {lat['max']}")
    r = figures["rss_mib"]
    print(f"server RSS   {r['after_warmup']} MiB after warm-up, {r['end']} MiB at the end, max {r['max']} MiB")
    print(f"cards/resp   {figures['cards_per_response']}")
    print(f"written to   {args.out}")


if __name__ == "__main__":
    main()
