"""The benchmark command: ``python -m benchmarks [--quick] [--label NAME] [--only PHASES]``.

Phases, in order (``--only`` picks a subset):

``census``  thread hops and SQL statements per request, for every operation and contender
``cpu``     CPU time per request in-process through the ASGI app, interleaved rounds: medians,
            and per-round paired ratios to DRF and the floor with bootstrap 95 % intervals
``load``    list under a real uvicorn on 127.0.0.1 with a bounded load generator (rps, p50, p99,
            server CPU per served request)
``io``      list behind an authenticator that waits 50-100 ms, at high concurrency
``instructions``  instructions per request under valgrind's callgrind, deterministic
            (:mod:`benchmarks.instructions`; skipped, and said so, without valgrind)

The database is a seeded SQLite file in a fresh temporary directory (on ``/dev/shm`` when there
is one, so that fsync does not dominate the write operations). Results go to
``benchmarks/results/<date>-<label>.{json,md,png}``; the JSON keeps every per-round sample, and
``phase_seconds`` records how long each phase took.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("census", "cpu", "load", "io", "instructions")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="few rounds and short phases (smoke run)")
    p.add_argument("--label", default="local", help="results file name suffix (default: local)")
    p.add_argument("--only", default=",".join(PHASES), help="comma-separated phases to run")
    p.add_argument("--contenders", default="", help="comma-separated subset of contenders")
    p.add_argument("--rounds", type=int, help="CPU rounds (default 30, quick 3)")
    p.add_argument("--batch", type=int, help="requests per contender per round (default 25)")
    p.add_argument("--load-seconds", type=float, help="seconds per load phase (default 5)")
    p.add_argument("--load-rounds", type=int, help="load phase rounds (default 5, quick 1)")
    p.add_argument("--io-rounds", type=int, help="I/O phase rounds (default 3, quick 1)")
    p.add_argument("--no-write", action="store_true", help="print the tables, write nothing")
    return p.parse_args(argv)


def _load_phase(
    base: str,
    pid: int,
    contenders: list[str],
    *,
    path: str,
    concurrency: int,
    rounds: int,
    duration: float,
    timeout: float,
) -> dict[str, Any]:
    """One load phase (``path`` with ``{}`` for the contender) and its results entry."""
    from benchmarks import load

    samples = load.measure_load(
        base, pid, {c: path.format(c) for c in contenders},
        rounds=rounds, concurrency=concurrency, duration=duration, timeout=timeout,
    )  # fmt: skip
    return {
        "config": {
            "generator": load.generator(), "concurrency": concurrency, "duration": duration,
            "rounds": rounds, "path": path.format("<name>"), "server_cpu": load.SERVER_CPU,
        },
        "results": {c: s.summary() for c, s in samples.items()},
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    phases = [p for p in args.only.split(",") if p]
    unknown = set(phases) - set(PHASES)
    if unknown:
        raise SystemExit(f"unknown phases {sorted(unknown)}; choose from {PHASES}")
    rounds = args.rounds or (3 if args.quick else 30)
    batch = args.batch or (10 if args.quick else 25)
    seconds = args.load_seconds or (2.0 if args.quick else 5.0)

    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    workdir = tempfile.mkdtemp(prefix="bench-", dir=shm)
    os.environ["BENCH_DB_PATH"] = os.path.join(workdir, "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from benchmarks import harness, load, report, stats
    from benchmarks.seed import create_and_seed
    from benchmarks.urls import AVAILABLE

    contenders = [c for c in args.contenders.split(",") if c] or AVAILABLE
    missing = set(contenders) - set(AVAILABLE)
    if missing:
        raise SystemExit(f"not available: {sorted(missing)} (installed: {AVAILABLE})")
    book_ids, author_ids = create_and_seed()
    result: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "label": args.label,
        "command": "python -m benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "machine": report.machine(),
        "versions": report.versions(),
        "contenders": contenders,
        "config": {
            "rounds": rounds, "batch": batch, "load_seconds": seconds,
            "ratio_ci": {
                "method": "percentile bootstrap of the median of per-round paired ratios",
                "confidence": stats.CONFIDENCE, "resamples": stats.RESAMPLES, "seed": stats.SEED,
            },
        },
    }  # fmt: skip
    started = time.monotonic()
    timings: dict[str, float] = {}
    result["phase_seconds"] = timings

    def timed(name: str, since: float) -> None:
        timings[name] = round(time.monotonic() - since, 1)

    if {"census", "cpu"} & set(phases):
        from django.core.asgi import get_asgi_application

        app = get_asgi_application()
        ops = harness.operations(book_ids, author_ids)

        async def in_process() -> None:
            differing = await harness.same_answers(app, contenders, book_ids[3])
            result["same_answers_as_first"] = {c: c not in differing for c in contenders}
            if differing:
                print(f"warning: answers differ from {contenders[0]}'s: {differing}")
            if "census" in phases:
                print("census: hops and queries per request")
                since = time.monotonic()
                result["census"] = await harness.census(app, ops, contenders)
                timed("census", since)
            if "cpu" in phases:
                print(f"cpu: {rounds} rounds x {batch} requests x {len(contenders)} contenders")
                since = time.monotonic()
                samples = await harness.measure_cpu(
                    app, ops, contenders, rounds=rounds, batch=batch
                )
                result["cpu"] = harness.summarise_cpu(samples)
                timed("cpu", since)

        asyncio.run(in_process())

    python_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": python_path}
    if "load" in phases or "io" in phases:
        with load.uvicorn_server(env) as (base, pid):
            if "load" in phases:
                since = time.monotonic()
                n = args.load_rounds or (1 if args.quick else 5)
                print(f"load: {n} rounds x {seconds:g} s x {len(contenders)} contenders")
                result["load"] = _load_phase(
                    base, pid, contenders, path="/{}/books/?page=2",
                    concurrency=32, rounds=n, duration=seconds, timeout=10.0,
                )  # fmt: skip
                timed("load", since)
            if "io" in phases:
                since = time.monotonic()
                n = args.io_rounds or (1 if args.quick else 3)
                io_seconds = max(seconds, 3.0) if args.quick else 2 * seconds
                print(f"io: {n} rounds x {io_seconds:g} s x {len(contenders)} contenders")
                result["io"] = _load_phase(
                    base, pid, contenders, path="/io/{}/books/?page=2",
                    concurrency=200, rounds=n, duration=io_seconds, timeout=30.0,
                )  # fmt: skip
                timed("io", since)

    if "instructions" in phases:
        from benchmarks import instructions

        since = time.monotonic()
        reason = instructions.unavailable()
        if reason:
            print(f"instructions: skipped, {reason}")
            result["instructions"] = {"skipped": reason}
        else:
            count = 3 if args.quick else 20
            print(f"instructions: {count} requests x {len(contenders)} contenders under callgrind")
            child_db = os.path.join(tempfile.mkdtemp(prefix="bench-", dir=shm), "bench.sqlite3")
            result["instructions"] = instructions.run_under_valgrind(
                contenders, count=count, env={**env, "BENCH_DB_PATH": child_db}
            )
        timed("instructions", since)

    result["elapsed_seconds"] = round(time.monotonic() - started, 1)
    print(report.markdown(result))
    if not args.no_write:
        for path in report.write(result, ROOT / "benchmarks" / "results"):
            print(f"wrote {path.relative_to(ROOT)}")
    return 0
