"""Profile one contender and operation through the in-process ASGI driver.

``python -m benchmarks.profile ours list [--count 300] [--top 40]`` prints the functions with
the most CPU time, summed over every thread (the event loop and the worker threads), using
yappi when it is installed. Used to find the fast paths of :mod:`benchmarks.fastpaths`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    p.add_argument("contender")
    p.add_argument("operation")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--top", type=int, default=45)
    p.add_argument("--sort", default="tsub", choices=["tsub", "ttot"])
    args = p.parse_args(argv)
    try:
        import yappi
    except ImportError:
        raise SystemExit("pip install yappi (it profiles every thread)") from None

    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    os.environ["BENCH_DB_PATH"] = os.path.join(tempfile.mkdtemp(dir=shm), "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.asgi import get_asgi_application

    from benchmarks import harness
    from benchmarks.seed import create_and_seed

    book_ids, author_ids = create_and_seed()
    app = get_asgi_application()
    op = harness.operations(book_ids, author_ids)[args.operation]

    async def run() -> None:
        await harness.run_batch(app, op, args.contender, 20)  # warm up
        yappi.set_clock_type("cpu")
        yappi.start(builtins=True, profile_threads=True)
        await harness.run_batch(app, op, args.contender, args.count)
        yappi.stop()

    asyncio.run(run())
    stats = yappi.get_func_stats()
    stats.sort(args.sort, "desc")
    total = sum(t.ttot for t in yappi.get_thread_stats())
    print(
        f"{args.contender} {args.operation}: {total / args.count * 1e6:.0f} µs CPU/request "
        f"under yappi (inflated by the profiler)"
    )
    for stat in list(stats)[: args.top]:
        per = stat.tsub if args.sort == "tsub" else stat.ttot
        name = f"{Path(stat.module).name}:{stat.lineno} {stat.name}"
        print(f"{per / args.count * 1e6:9.1f} µs  {stat.ncall / args.count:7.1f} calls  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
