"""ketinteract benchmark: whole-process timings as ratios to floors measured in the same run.

Usage: python bench/run.py [--repeats N] [--out PATH]

Every command runs as a separate process; rounds are interleaved (each round runs every command once,
in a shuffled order) and medians are reported, so drift on a busy machine affects all figures alike.
Peak RSS comes from os.wait4. Standard library plus the project's own dependencies only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PY = sys.executable
BIN = Path(PY).parent / "ketinteract"
BULK_LINES = 10_000
SCALE_DRUGS = 5_000
SCALE_FINDINGS = 50_000


def run(argv: list[str], env: dict[str, str], stdin: Path | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one whole process."""
    with (stdin or Path(os.devnull)).open("rb") as feed:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=feed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(argv)}\n{err}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, int(usage.ru_maxrss)


def scale_table() -> dict[str, Any]:
    """50,000 findings over 5,000 generated drugs, in the local-data format."""
    rng = random.Random(7)
    drugs = [
        {"id": f"scale-drug-{i}", "name": f"scaledrug{i}", "brands": [f"Scalebrand{i}"]} for i in range(SCALE_DRUGS)
    ]
    contexts = ["anesthesia", "analgesia", "antidepressant", "dissociation", "sedation", "pharmacokinetics"]
    seen: set[tuple[int, int, str]] = set()
    findings = []
    while len(findings) < SCALE_FINDINGS:
        a, b = sorted(rng.sample(range(SCALE_DRUGS), 2))
        context = rng.choice(contexts)
        if (a, b, context) in seen:
            continue
        seen.add((a, b, context))
        findings.append(
            {
                "id": f"scale-{a}-{b}-{context}",
                "drugs": [f"scale-drug-{a}", f"scale-drug-{b}"],
                "context": context,
                "question": "Generated question?",
                "answer": "Generated answer.",
                "effect": "insufficient",
                "severity": "minor",
                "action": "monitor",
                "evidence_grade": "very_low",
                "management": "Generated.",
                "sources": [{"source": "scale-label", "direction": "background"}],
                "last_reviewed": "2026-11-21",
            }
        )
    first = findings[0]["drugs"]
    return {
        "drugs": drugs,
        "sources": [
            {
                "id": "scale-label",
                "kind": "drug_label",
                "citation": {"title": "Generated label"},
                "design": "drug_label",
                "summary": "Generated source for the scale benchmark.",
            }
        ],
        "findings": findings,
        "_probe": first,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ketinteract-bench-"))
    try:
        report = measure(work, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    print(f"\nfigures written to {args.out}")


def measure(work: Path, repeats: int) -> dict[str, Any]:
    base_env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    env = base_env | {"KETINTERACT_HOME": str(work / "home-bundled")}
    names = ["naloxone", "ketamine"]
    commands: dict[str, tuple[list[str], Path | None]] = {
        "interpreter floor (python -c pass)": ([PY, "-c", "pass"], None),
        "stack floor (do-nothing typer check)": ([PY, str(HERE / "floor_app.py"), *names, "--format", "json"], None),
        "check --format json": ([str(BIN), "check", *names, "--format", "json"], None),
        "check (text)": ([str(BIN), "check", *names], None),
        "--version": ([str(BIN), "--version"], None),
        "python API check()": ([PY, "-c", "from ketinteract import check; check('naloxone', 'ketamine')"], None),
    }
    bulk_input = work / "bulk.txt"
    regimens = ["naloxone, ketamine", "Vivitrol\tSpravato", "ketamine, lorazepam, fentanyl", "ketamine, itraconazole"]
    bulk_input.write_text("\n".join(regimens[i % len(regimens)] for i in range(BULK_LINES)) + "\n", encoding="utf-8")
    bulk = ([str(BIN), "check", "-", "--format", "ndjson"], bulk_input)

    run(commands["check --format json"][0], env)  # warm the bundled table's cache and the OS file cache
    times: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[int]] = {k: [] for k in commands}
    bulk_times: list[float] = []
    for _ in range(repeats):
        order = list(commands)
        random.shuffle(order)
        for key in order:
            seconds, kib = run(commands[key][0], env, commands[key][1])
            times[key].append(seconds)
            rss[key].append(kib)
    for _ in range(max(3, repeats // 5)):
        bulk_times.append(run(bulk[0], env, bulk[1])[0])

    scale_home = work / "home-scale"
    (scale_home / "data").mkdir(parents=True)
    table = scale_table()
    probe = table.pop("_probe")
    (scale_home / "data" / "scale.json").write_text(json.dumps(table), encoding="utf-8")
    scale_env = base_env | {"KETINTERACT_HOME": str(scale_home)}
    scale_check = [str(BIN), "check", *probe, "--format", "json"]
    first_loads, cached_loads, scale_checks, scale_rss = [], [], [], []
    load_only = [PY, "-c", "from ketinteract.compiled import open_index; open_index()"]
    for _ in range(max(3, repeats // 5)):
        shutil.rmtree(scale_home / "cache", ignore_errors=True)
        first_loads.append(run(load_only, scale_env)[0])
        cached_loads.append(run(load_only, scale_env)[0])
        seconds, kib = run(scale_check, scale_env)
        scale_checks.append(seconds)
        scale_rss.append(kib)

    med = {k: statistics.median(v) for k, v in times.items()}
    interp = med["interpreter floor (python -c pass)"]
    stack = med["stack floor (do-nothing typer check)"]
    rows = []
    for key, value in med.items():
        floor = interp if key.startswith(("interpreter", "python API")) else stack
        rows.append(
            {
                "figure": key,
                "median_s": round(value, 4),
                "ratio": round(value / floor, 3),
                "floor": "interpreter" if floor is interp else "stack",
                "peak_rss_kib": max(rss[key]),
            }
        )
    bulk_median = statistics.median(bulk_times)
    rows.append(
        {
            "figure": f"bulk: {BULK_LINES} stdin lines, ndjson",
            "median_s": round(bulk_median, 4),
            "ratio": round(bulk_median / stack, 3),
            "floor": "stack",
            "lines_per_s": round(BULK_LINES / bulk_median),
        }
    )
    for label, values in (
        ("scale: first load (no cache)", first_loads),
        ("scale: cached load", cached_loads),
        ("scale: check against 50,000 findings", scale_checks),
    ):
        value = statistics.median(values)
        rows.append({"figure": label, "median_s": round(value, 4), "ratio": round(value / stack, 3), "floor": "stack"})
    rows[-1]["peak_rss_kib"] = max(scale_rss)
    targets = {
        "check --format json <= 1.10x stack floor": med["check --format json"] / stack <= 1.10,
        "check (text) <= 1.30x stack floor": med["check (text)"] / stack <= 1.30,
        "bulk >= 10,000 lines/s": BULK_LINES / bulk_median >= 10_000,
        "scale cached load < 0.5 s": statistics.median(cached_loads) < 0.5,
        "scale check < 0.6 s": statistics.median(scale_checks) < 0.6,
    }
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "repeats": repeats,
        "rows": rows,
        "targets": targets,
    }


def print_table(report: dict[str, Any]) -> None:
    print(
        f"ketinteract benchmark, {report['date']}, {report['machine']}, Python {report['python']}, "
        f"{report['repeats']} interleaved rounds (medians)"
    )
    print(f"{'figure':<42} {'median s':>9} {'ratio':>7}  {'floor':<11} {'peak RSS MiB':>12} {'lines/s':>8}")
    for row in report["rows"]:
        rss = f"{row['peak_rss_kib'] / 1024:.1f}" if "peak_rss_kib" in row else ""
        lps = str(row.get("lines_per_s", ""))
        print(
            f"{row['figure']:<42} {row['median_s']:>9.4f} {row['ratio']:>6.2f}x  {row['floor']:<11} {rss:>12} {lps:>8}"
        )
    print()
    for target, met in report["targets"].items():
        print(f"{'met   ' if met else 'MISSED'} {target}")


if __name__ == "__main__":
    main()
