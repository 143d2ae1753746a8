"""Regenerate eval/RELIABILITY.md from real runs: the adversarial suite, the fault, security and fuzz tests,
a short load benchmark and the latest soak result.

    python -m eval.reliability [--skip-adversarial] [--skip-load] [--requests 60]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "eval" / "RELIABILITY.md"
FAULT_TESTS = (
    "tests/test_faults.py",
    "tests/test_stale_serving.py",
    "tests/test_security.py",
    "tests/test_http_edges.py",
    "tests/test_connections.py",
    "tests/test_fair_share.py",
    "tests/test_llm_lies.py",
    "tests/test_llm.py",
    "tests/test_ui_load.py",
    "tests/test_fuzz.py",
)
FAIRNESS_RESULT = ROOT / "eval" / "results" / "fairness.json"
SOAK_MAX_AGE = timedelta(days=7)
LLM_FAULT_TESTS = (
    "test_bad_llm_output_falls_back_to_verified_answer",
    "test_slow_llm_falls_back_within_timeout",
    "test_dead_llm_backend_falls_back",
)


# ------------------------------------------------------------------------------------------ machine


def commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def machine() -> list[str]:
    return [
        f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"- commit: `{commit()}`",
        f"- machine: {os.cpu_count()} cores, {memory_gib():.1f} GiB RAM, {platform.machine()}, "
        f"Python {platform.python_version()}, 1-min load average at start {os.getloadavg()[0]:.2f}",
    ]


# ------------------------------------------------------------------------------------------ adversarial


def adversarial_section() -> list[str]:
    lines = ["## Adversarial suite", ""]
    try:
        from eval.adversarial import known_failures, run_suite
    except ImportError as exc:
        return [*lines, f"Not run: `eval.adversarial.run_suite` is not available ({exc}).", ""]
    from bot.config import Settings
    from bot.wiring import build_bot

    started = time.perf_counter()
    result = run_suite(build_bot(Settings(), progress=False))
    seconds = time.perf_counter() - started
    known = known_failures()
    lines += [
        f"`eval/adversarial.jsonl` through `bot.ask` and `POST /v1/ask` ({seconds:.0f} s).",
        "",
        "| category | tried | passed | failed |",
        "|---|---:|---:|---:|",
    ]
    total: Counter[str] = Counter()
    for name, tally in result["categories"].items():
        total.update(tally)
        lines.append(f"| {name} | {tally['tried']} | {tally['passed']} | {tally['failed']} |")
    lines += [f"| **all** | {total['tried']} | {total['passed']} | {total['failed']} |", ""]
    failures = result["failures"]
    listed = [f for f in failures if f["id"] in known and not f["fatal"]]
    new = [f for f in failures if f not in listed]
    fixed = sorted(known - {f["id"] for f in failures})
    lines.append(
        f"Failures: {len(failures)} ({len(listed)} known, listed in `eval/KNOWN_FAILURES.md`; {len(new)} new; "
        f"{sum(f['fatal'] for f in failures)} fatal: crash, HTTP 5xx or phone leak)."
    )
    for failure in failures:
        state = "known" if failure in listed else ("FATAL" if failure["fatal"] else "NEW")
        lines.append(f"- {failure['id']} [{failure['category']}] {state}: {failure['why'][0]}")
    if fixed:
        lines.append(f"- listed as known but passing now: {', '.join(fixed)}")
    return [*lines, ""]


# ------------------------------------------------------------------------------------------ fault tests


def run_tests(files: list[str]) -> tuple[ET.Element, float, str]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", *files, "-p", "no:cacheprovider", f"--junitxml={report}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        seconds = time.perf_counter() - started
        if not report.exists():
            raise RuntimeError(f"pytest wrote no report:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return ET.parse(report).getroot(), seconds, done.stdout.strip().splitlines()[-1]


def outcome(case: ET.Element) -> tuple[str, str]:
    for tag in ("failure", "error"):
        found = case.find(tag)
        if found is not None:
            message = (found.get("message") or "").splitlines()
            return "failed", message[0][:200] if message else ""
    skipped = case.find("skipped")
    if skipped is not None:
        kind = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        return kind, (skipped.get("message") or "")[:300]
    return "passed", ""


def fault_section() -> tuple[list[str], dict[str, str]]:
    present = [f for f in FAULT_TESTS if (ROOT / f).exists()]
    missing = [f for f in FAULT_TESTS if f not in present]
    lines = ["## Fault, security and fuzz tests", ""]
    if not present:
        return [*lines, "Not run: none of the test files exist.", ""], {}
    root, seconds, summary = run_tests(present)
    per_file: dict[str, Counter[str]] = {f: Counter() for f in present}
    notes: list[str] = []
    properties: dict[str, str] = {}
    for case in root.iter("testcase"):
        file = case.get("classname", "").replace(".", "/") + ".py"
        file = next((f for f in present if file.startswith(f.removesuffix(".py"))), file)
        kind, message = outcome(case)
        per_file.setdefault(file, Counter())[kind] += 1
        if kind != "passed":
            notes.append(f"- {kind}: `{file}::{case.get('name')}` {message}")
        for prop in case.iter("property"):
            properties[prop.get("name", "")] = prop.get("value", "")
    lines += [
        f"`pytest -q {' '.join(present)} -p no:cacheprovider` ({seconds:.0f} s): {summary}",
        "",
        "| file | passed | failed | xfailed | skipped |",
        "|---|---:|---:|---:|---:|",
    ]
    for file, tally in per_file.items():
        lines.append(
            f"| {file} | {tally['passed']} | {tally['failed']} | {tally['xfailed']} | {tally['skipped']} |"
        )
    lines.append("")
    if missing:
        lines += [f"Not present, so not run: {', '.join(missing)}.", ""]
    if notes:
        lines += [*notes, ""]
    lines += [
        "What `tests/test_faults.py` covers: a corrupt or half-written index at start (truncated vectors, "
        "flipped byte, missing file, truncated manifest, build folder gone) falls back to the last good "
        "build, or rebuilds when that is stale or corrupt too, and never serves the corrupt one; SIGKILL "
        "during `policybot index` (at fixed moments and as a build is half-written) leaves the served build "
        "and its files unchanged, and abandoned `.partial-*` builds are ignored and cleaned by the next "
        "build; SIGKILL during `policybot ingest` leaves the catalogue all-or-nothing; feedback from 16 "
        "threads x 25 posts through the real HTTP API and more after a server restart; a server SIGKILLed "
        "mid-writes keeps every acknowledged record.",
        "",
        "`tests/test_stale_serving.py`: the real server, killed with SIGKILL during the rebuild after an "
        "ingest, answers again from the last good build within 15 s of its restart (`/readyz` and every answer "
        "say it is stale) and builds the fresh index behind it; the embedding cache is checkpointed during a "
        "build; crash leftovers are removed at start; a units file rewritten with a matching checksum is "
        "quarantined and rebuilt. `tests/test_http_edges.py`: 405 with `Allow`, HEAD on GET endpoints, "
        "unknown `/v1` paths in the error shape; a real full tmpfs gives 507 and loses nothing; "
        "`Idempotency-Key` retries of feedback and ingest (also after a kill) are done once. "
        "`tests/test_connections.py`: half-sent headers and stalled bodies are closed at their deadlines; "
        "20,000 half-open connections from two other processes do not keep new clients out. "
        "`tests/test_fair_share.py`: the rate limit bills CPU time, one client's requests run one at a time. "
        "`tests/test_llm_lies.py`: an LLM that lies (Chinese numerals, number words, invented quotations, "
        "planted contacts and links, obeyed injections), streaming included, never reaches the user. "
        "`tests/test_llm.py`: 16 trickling replies are cut at the deadline and leave no thread. "
        "`tests/test_ui_load.py`: the web UI answers several users side by side; thumbs are rate-limited and "
        "keep one record per answer.",
        "",
        "An LLM backend that is down, slow or returns garbage is covered in `tests/test_answer.py` ("
        + ", ".join(f"`{name}`" for name in LLM_FAULT_TESTS)
        + "); not re-run here.",
        "",
    ]
    return lines, properties


def records_section(properties: dict[str, str]) -> list[str]:
    if "feedback_sent" not in properties:
        return ["## Records lost", "", "Unknown: the feedback test did not run.", ""]
    sent, stored = properties["feedback_sent"], properties["feedback_stored"]
    unique, lost = properties["feedback_unique"], properties["feedback_lost"]
    return [
        "## Records lost",
        "",
        f"**{lost}** of {sent} feedback records lost ({stored} rows stored, {unique} unique comments): "
        "16 threads x 25 posts through POST /v1/feedback on a real uvicorn server, then a restart on the "
        "same SQLite (WAL) file and 4 x 25 more.",
        *(
            [
                f"A server process SIGKILLed while 4 clients were writing: **{properties['killed_lost']}** of "
                f"{properties['killed_acknowledged']} acknowledged records lost; the database passes "
                "`PRAGMA integrity_check`."
            ]
            if "killed_acknowledged" in properties
            else []
        ),
        "",
    ]


# ------------------------------------------------------------------------------------------ load, soak


def load_section(requests: int) -> list[str]:
    from eval.load import benchmark, format_table

    result = benchmark(requests=requests)
    return [
        "## Load (short run)",
        "",
        f"`python -m eval.load --requests {requests}`: POST /v1/ask on a real uvicorn server "
        "(loopback, rate limit lifted), questions from eval/questions.jsonl in rotation.",
        "",
        "```",
        format_table(result),
        "```",
        "",
    ]


def fairness_section() -> list[str]:
    import json

    lines = ["## Fair share", ""]
    if not FAIRNESS_RESULT.exists():
        return [*lines, "No result yet: run `python -m eval.fairness --json eval/results/fairness.json`.", ""]
    result = json.loads(FAIRNESS_RESULT.read_text())
    alone = result["cost_alone_ms"]
    base, heavy = result["baseline"], result["with_heavy_client"]
    return [
        *lines,
        f"From `{FAIRNESS_RESULT.relative_to(ROOT)}` (`python -m eval.fairness`, {result['seconds_per_phase']:g} "
        "s per phase): other clients' p50 "
        f"{base['normal_p50_ms']} ms alone, {heavy['normal_p50_ms']} ms while one client sends 2,000-character "
        f"questions without pause (**{result['p50_ratio']}x**; the target is at most 2x). What one question "
        "costs alone: " + "; ".join(f"{name} {ms} ms" for name, ms in alone.items()) + ". The heavy "
        "client's replies: "
        + ", ".join(f"{n} x {code}" for code, n in heavy["heavy_responses"].items())
        + ".",
        "",
    ]


def soak_section() -> list[str]:
    import json

    from eval.load import SOAK_RESULT, format_soak

    lines = ["## Soak", ""]
    if not SOAK_RESULT.exists():
        return [*lines, "No soak result yet: run `make soak` (600 s at concurrency 4).", ""]
    result = json.loads(SOAK_RESULT.read_text())
    at = datetime.strptime(result["at"], "%Y-%m-%dT%H:%M:%S%z")
    age = datetime.now(at.tzinfo) - at
    if age > SOAK_MAX_AGE:
        return [
            *lines,
            f"The last soak ({result['at']}) is older than {SOAK_MAX_AGE.days} days: run `make soak`.",
            "",
        ]
    return [
        *lines,
        f"From `{SOAK_RESULT.relative_to(ROOT)}` ({result['at']}):",
        "",
        "```",
        format_soak(result),
        "```",
        "",
    ]


# ------------------------------------------------------------------------------------------ entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-adversarial", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--requests", type=int, default=60, help="requests per load level")
    args = parser.parse_args(argv)

    lines = [
        "# Reliability",
        "",
        "Generated by `python -m eval.reliability` (`make reliability`).",
        "",
        *machine(),
        "",
    ]
    print("adversarial suite …", file=sys.stderr)
    lines += (
        ["## Adversarial suite", "", "Skipped (--skip-adversarial).", ""]
        if args.skip_adversarial
        else adversarial_section()
    )
    print("fault, security and fuzz tests …", file=sys.stderr)
    faults, properties = fault_section()
    lines += records_section(properties) + faults
    print("load benchmark …", file=sys.stderr)
    lines += ["## Load", "", "Skipped (--skip-load).", ""] if args.skip_load else load_section(args.requests)
    lines += fairness_section() + soak_section()
    REPORT.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"written to {REPORT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
