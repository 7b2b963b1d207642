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
BULK_TEXT_LINES = 1_000
BULK_JSON_LINES = 20_000
SCALE_DRUGS = 5_000
SCALE_FINDINGS = 50_000
BIG_FINDINGS = 500_000
BIG_FILES = 5
"""500,000 findings are split over five local files, each under the 64 MiB file limit."""


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


def scale_table(count: int = SCALE_FINDINGS, seed: int = 7) -> dict[str, Any]:
    """``count`` findings over 5,000 generated drugs, in the local-data format."""
    rng = random.Random(seed)
    drugs = [
        {"id": f"scale-drug-{i}", "name": f"scaledrug{i}", "brands": [f"Scalebrand{i}"]} for i in range(SCALE_DRUGS)
    ]
    contexts = ["anesthesia", "analgesia", "antidepressant", "dissociation", "sedation", "pharmacokinetics"]
    seen: set[tuple[int, int, str]] = set()
    findings = []
    while len(findings) < count:
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


def write_table(path: Path, count: int, seed: int, prefix: str) -> list[str]:
    """Write a generated local table in a child process and return its probe pair. A child, because a
    table held in this process would be counted in every measured child's peak RSS (fork copies the
    parent's pages until exec)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import run; "
        "print(json.dumps(run.generated(int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[2])))"
    )
    done = subprocess.run(
        [PY, "-c", code, str(HERE), str(path), str(count), str(seed), prefix],
        capture_output=True,
        text=True,
        check=True,
    )
    probe: list[str] = json.loads(done.stdout)
    return probe


def generated(count: int, seed: int, prefix: str, path: str) -> list[str]:
    """Runs in the child: build the table, rename its records with ``prefix``, write it, return the probe."""
    part = scale_table(count, seed=seed)
    probe: list[str] = part.pop("_probe")
    if prefix:
        for d in part["drugs"]:
            d["id"], d["name"], d["brands"] = f"{prefix}-{d['id']}", f"{prefix}{d['name']}", []
        part["sources"][0]["id"] = f"{prefix}-scale-label"
        for f in part["findings"]:
            f["id"] = f"{prefix}-{f['id']}"
            f["drugs"] = [f"{prefix}-{x}" for x in f["drugs"]]
            f["sources"][0]["source"] = f"{prefix}-scale-label"
        probe = [f"{prefix}-{x}" for x in probe]
    Path(path).write_text(json.dumps(part), encoding="utf-8")
    return probe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-big", action="store_true", help="skip the 500,000-finding build (about a minute)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ketinteract-bench-"))
    try:
        report = measure(work, args.repeats, big=not args.no_big)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    print(f"\nfigures written to {args.out}")


def measure(work: Path, repeats: int, *, big: bool = True) -> dict[str, Any]:
    # An installed package has bytecode; measure that, not a source tree recompiled on every start.
    base_env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE"}}
    package = Path(
        subprocess.run(
            [PY, "-c", "import ketinteract, os; print(os.path.dirname(ketinteract.__file__))"],
            capture_output=True,
            text=True,
            env=base_env,
            check=True,
        ).stdout.strip()
    )
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(package), str(HERE)], env=base_env, check=True, stdout=subprocess.DEVNULL
    )
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
    regimens = [
        "naloxone, ketamine",
        "Vivitrol\tSpravato",
        "ketamine, lorazepam, fentanyl",
        "ketamine, itraconazole",
        "propofol, ketamine, rocuronium",
        "ketamine, lithium, quetiapine",
        "cocaine, ketamine, alcohol",
    ]

    def lines_file(name: str, count: int) -> Path:
        path = work / name
        path.write_text("\n".join(regimens[i % len(regimens)] for i in range(count)) + "\n", encoding="utf-8")
        return path

    bulk = ([str(BIN), "check", "-", "--format", "ndjson"], lines_file("bulk.txt", BULK_LINES))
    bulk_text = ([str(BIN), "check", "-"], lines_file("bulk-text.txt", BULK_TEXT_LINES))
    bulk_json = ([str(BIN), "check", "-", "--format", "json"], lines_file("bulk-json.txt", BULK_JSON_LINES))

    run(commands["check --format json"][0], env)  # build the bundled table's index, warm the OS file cache
    times: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[int]] = {k: [] for k in commands}
    for _ in range(repeats):
        order = list(commands)
        random.shuffle(order)
        for key in order:
            seconds, kib = run(commands[key][0], env, commands[key][1])
            times[key].append(seconds)
            rss[key].append(kib)
    bulk_runs = [run(bulk[0], env, bulk[1]) for _ in range(max(3, repeats // 5))]
    text_runs = [run(bulk_text[0], env, bulk_text[1]) for _ in range(3)]
    json_runs = [run(bulk_json[0], env, bulk_json[1]) for _ in range(3)]

    scale_home = work / "home-scale"
    (scale_home / "data").mkdir(parents=True)
    probe = write_table(scale_home / "data" / "scale.json", SCALE_FINDINGS, 7, "")
    scale_env = base_env | {"KETINTERACT_HOME": str(scale_home)}
    scale_check = [str(BIN), "check", *probe, "--format", "json"]
    bundled_check = [str(BIN), "check", *names, "--format", "json"]
    first_builds, scale_checks, scale_rss, bundled_checks = [], [], [], []
    for _ in range(3):
        shutil.rmtree(scale_home / "cache", ignore_errors=True)
        first_builds.append(run(scale_check, scale_env)[0])
    for _ in range(repeats):
        seconds, kib = run(scale_check, scale_env)
        scale_checks.append(seconds)
        scale_rss.append(kib)
        bundled_checks.append(run(bundled_check, env)[0])

    big_row: dict[str, Any] = {}
    if big:
        big_home = work / "home-big"
        (big_home / "data").mkdir(parents=True)
        per_file = BIG_FINDINGS // BIG_FILES
        big_probe: list[str] = []
        for i in range(BIG_FILES):
            big_probe = write_table(big_home / "data" / f"big{i}.json", per_file, 100 + i, f"big{i}")
        big_env = base_env | {"KETINTERACT_HOME": str(big_home)}
        big_check = [str(BIN), "check", *big_probe, "--format", "json"]
        build_s, build_kib = run(big_check, big_env)
        big_checks = [run(big_check, big_env)[0] for _ in range(max(5, repeats // 2))]
        big_row = {"build_s": build_s, "build_kib": build_kib, "check_s": statistics.median(big_checks)}

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
    bulk_median = statistics.median(r[0] for r in bulk_runs)
    text_median = statistics.median(r[0] for r in text_runs)
    json_median = statistics.median(r[0] for r in json_runs)
    rows.append(
        {
            "figure": f"bulk: {BULK_LINES} lines, ndjson",
            "median_s": round(bulk_median, 4),
            "ratio": round(bulk_median / stack, 3),
            "floor": "stack",
            "lines_per_s": round(BULK_LINES / bulk_median),
            "peak_rss_kib": max(r[1] for r in bulk_runs),
        }
    )
    rows.append(
        {
            "figure": f"bulk: {BULK_TEXT_LINES} lines, text",
            "median_s": round(text_median, 4),
            "ratio": round(text_median / stack, 3),
            "floor": "stack",
            "lines_per_s": round(BULK_TEXT_LINES / text_median),
            "peak_rss_kib": max(r[1] for r in text_runs),
        }
    )
    rows.append(
        {
            "figure": f"bulk: {BULK_JSON_LINES} lines, json",
            "median_s": round(json_median, 4),
            "ratio": round(json_median / stack, 3),
            "floor": "stack",
            "lines_per_s": round(BULK_JSON_LINES / json_median),
            "peak_rss_kib": max(r[1] for r in json_runs),
        }
    )
    bundled_median = statistics.median(bundled_checks)
    scale_median = statistics.median(scale_checks)
    build_median = statistics.median(first_builds)
    rows.append(
        {
            "figure": "50,000 findings: first build",
            "median_s": round(build_median, 4),
            "ratio": round(build_median / stack, 3),
            "floor": "stack",
        }
    )
    rows.append(
        {
            "figure": "50,000 findings: cached check",
            "median_s": round(scale_median, 4),
            "ratio": round(scale_median / bundled_median, 3),
            "floor": "bundled check",
            "peak_rss_kib": max(scale_rss),
        }
    )
    if big_row:
        rows.append(
            {
                "figure": "500,000 findings: first build",
                "median_s": round(big_row["build_s"], 4),
                "ratio": round(big_row["build_s"] / stack, 3),
                "floor": "stack",
                "peak_rss_kib": big_row["build_kib"],
            }
        )
        rows.append(
            {
                "figure": "500,000 findings: cached check",
                "median_s": round(big_row["check_s"], 4),
                "ratio": round(big_row["check_s"] / bundled_median, 3),
                "floor": "bundled check",
            }
        )
    targets = {
        "check --format json <= 1.10x stack floor": med["check --format json"] / stack <= 1.10,
        "check (text) <= 1.30x stack floor": med["check (text)"] / stack <= 1.30,
        "bulk ndjson >= 50,000 lines/s": BULK_LINES / bulk_median >= 50_000,
        "bulk text >= 1,000 lines/s": BULK_TEXT_LINES / text_median >= 1_000,
        "bulk json (20,000 lines) peak RSS < 150 MiB": max(r[1] for r in json_runs) < 150 * 1024,
        "50,000 findings: cached check <= 1.3x bundled check": scale_median / bundled_median <= 1.3,
        "50,000 findings: peak RSS < 80 MiB": max(scale_rss) < 80 * 1024,
        "50,000 findings: first build < 10 s": build_median < 10,
    }
    if big_row:
        targets["500,000 findings: cached check <= 1.5x bundled check"] = big_row["check_s"] / bundled_median <= 1.5
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
    print(f"{'figure':<42} {'median s':>9} {'ratio':>7}  {'floor':<13} {'peak RSS MiB':>12} {'lines/s':>8}")
    for row in report["rows"]:
        rss = f"{row['peak_rss_kib'] / 1024:.1f}" if "peak_rss_kib" in row else ""
        lps = str(row.get("lines_per_s", ""))
        print(
            f"{row['figure']:<42} {row['median_s']:>9.4f} {row['ratio']:>6.2f}x  {row['floor']:<13} {rss:>12} {lps:>8}"
        )
    print()
    for target, met in report["targets"].items():
        print(f"{'met   ' if met else 'MISSED'} {target}")


if __name__ == "__main__":
    main()
