"""Load test (make load): 50 users for 5 minutes on the demo scaled to 50 sites, in PostgreSQL.

Starts its own throwaway PostgreSQL cluster (LOAD_PG_DIR, default var/pg-load, port 55461),
runs bench/load/setup.py into it (migrate, demo, generated sites, load accounts, the plan),
serves the site with gunicorn (2 sync workers, DEBUG off, persistent database connections),
then runs locust headless (bench/load/locustfile.py: LOAD_USERS users, spawned LOAD_RATE a
second, for LOAD_DURATION). Prints throughput, p50, p95 and errors per page and for all pages
together, and the ratio to the health check (/sante/, the minimal view) measured in the same
run. Exits 1 when a target is missed: any error, or the pages' p95 above LOAD_P95_MS (300).
The sign-in requests are shown apart and not in the pages' figures: the password hash is slow
on purpose. The cluster is purged and gunicorn stopped at the end, even on failure.

Run: make load   (LOAD_DURATION=60s for a trial; the recorded run is the full 5 minutes).
"""

import csv
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PG_DIR = os.environ.get("LOAD_PG_DIR", "var/pg-load")
PG_PORT = os.environ.get("LOAD_PG_PORT", "55461")
PORT = os.environ.get("LOAD_PORT", "8461")
USERS = os.environ.get("LOAD_USERS", "50")
RATE = os.environ.get("LOAD_RATE", "10")
DURATION = os.environ.get("LOAD_DURATION", "5m")
WORKERS = os.environ.get("LOAD_WORKERS", "2")
P95_TARGET_MS = float(os.environ.get("LOAD_P95_MS", "300"))
OUT = ROOT / "var" / "load"
LOGIN_NAMES = {"login (form)", "login", "login (second factor)"}
HEALTH = "health"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (what locust reports, without its rounding)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def conditions() -> str:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), load average {load}, Python {platform.python_version()}"


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def report(samples: list[tuple[str, float, bool, float]], seconds: float) -> bool:
    by_name: dict[str, list[tuple[float, bool]]] = {}
    for name, ms, failed, _at in samples:
        by_name.setdefault(name, []).append((ms, failed))
    pages = [
        (ms, f) for n, rows in by_name.items() if n not in LOGIN_NAMES | {HEALTH} for ms, f in rows
    ]
    health = by_name.get(HEALTH, [])
    rows = []
    for name in sorted(by_name, key=lambda n: (n in LOGIN_NAMES, n == HEALTH, n)):
        times = [ms for ms, _ in by_name[name]]
        errors = sum(f for _, f in by_name[name])
        rows.append((name, len(times), errors, percentile(times, 50), percentile(times, 95)))
    page_times = [ms for ms, _ in pages]
    page_errors = sum(f for _, f in pages)
    all_errors = sum(f for _, _, f, _ in samples)
    width = max(len(r[0]) for r in rows + [("all pages", 0, 0, 0, 0)])
    print(f"\n{'page':<{width}} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, n, errors, p50, p95 in rows:
        print(f"{name:<{width}} {n:>9} {errors:>7} {p50:>8.0f} {p95:>8.0f}")
    p50, p95 = percentile(page_times, 50), percentile(page_times, 95)
    h50, h95 = percentile([ms for ms, _ in health], 50), percentile([ms for ms, _ in health], 95)
    print(f"{'all pages':<{width}} {len(page_times):>9} {page_errors:>7} {p50:>8.0f} {p95:>8.0f}")
    print(
        f"\nthroughput: {len(samples) / seconds:.1f} requests/s in all, "
        f"{len(page_times) / seconds:.1f} pages/s (over {seconds:.0f} s)"
    )
    print(f"health check (/sante/, minimal view): p50 {h50:.0f} ms, p95 {h95:.0f} ms")
    print(f"pages / minimal view: p50 x{p50 / max(h50, 1):.1f}, p95 x{p95 / max(h95, 1):.1f}")
    print(f"errors: {all_errors} of {len(samples)} requests (sign-in included)")
    ok = all_errors == 0 and p95 <= P95_TARGET_MS
    print(
        f"targets (no error, pages' p95 <= {P95_TARGET_MS:.0f} ms): " + ("met" if ok else "MISSED")
    )
    return ok


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DEBUG": "0", "CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1"}
    env.pop("TREMPLIN_ENV", None)
    print(f"machine: {conditions()}", flush=True)
    url = subprocess.run(
        [str(ROOT / "scripts/pg-start"), PG_DIR],
        env={**env, "PG_PORT": PG_PORT},
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    env["DATABASE_URL"] = url
    gunicorn = None
    try:
        plan = OUT / "plan.json"
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, str(HERE / "setup.py"), str(plan)], env=env, check=True, cwd=ROOT
        )
        print(f"setup: {time.monotonic() - t0:.0f} s", flush=True)
        log = open(OUT / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 (kept for the run)
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "tremplin.wsgi:application",
                "--workers",
                WORKERS,
                "--bind",
                f"127.0.0.1:{PORT}",
                "--timeout",
                "60",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(f"http://127.0.0.1:{PORT}/sante/", 60)
        samples_path = OUT / "samples.json"
        print(
            f"locust: {USERS} users (+{RATE}/s) for {DURATION} on {WORKERS} gunicorn workers; "
            f"machine: {conditions()}",
            flush=True,
        )
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                USERS,
                "-r",
                RATE,
                "-t",
                DURATION,
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(OUT / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            env={**env, "LOAD_PLAN": str(plan), "LOAD_SAMPLES": str(samples_path)},
            check=True,
            cwd=ROOT,
            stdout=open(OUT / "locust.log", "w", encoding="utf-8"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        seconds = time.monotonic() - started
        print(f"after the run: {conditions()}")
        # locust's own aggregate, as a cross-check of ours.
        with open(OUT / "locust_stats.csv", encoding="utf-8") as f:
            total = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated"][0]
        print(
            f"locust aggregate: {total['Request Count']} requests, {total['Failure Count']} "
            f"failures, {float(total['Requests/s']):.1f}/s, p50 {total['50%']} ms, "
            f"p95 {total['95%']} ms"
        )
        failures = (OUT / "locust_failures.csv").read_text(encoding="utf-8").splitlines()[1:]
        for line in failures[:20]:
            print(f"  failure: {line}")
        samples = [tuple(s) for s in json.loads(samples_path.read_text(encoding="utf-8"))]
        print("\n== whole run (the 50 sign-ins of the first seconds included) ==")
        whole = report(samples, seconds)  # type: ignore[arg-type]
        # The users all sign in within the first seconds (LOAD_RATE a second), and the password
        # hash is slow on purpose: the steady state starts once the last sign-in is done.
        signed_in = max((s[3] for s in samples if s[0] in LOGIN_NAMES), default=0.0)
        steady = [s for s in samples if s[3] > signed_in and s[0] not in LOGIN_NAMES]
        end = max((s[3] for s in samples), default=signed_in)
        print(f"\n== steady state (after the last sign-in, {end - signed_in:.0f} s) ==")
        ok = report(steady, max(end - signed_in, 1))  # type: ignore[arg-type]
        return 0 if (ok and whole) else 1
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(30)
        subprocess.run([str(ROOT / "scripts/pg-stop"), PG_DIR, "--purge"], cwd=ROOT, check=False)


if __name__ == "__main__":
    sys.exit(main())
