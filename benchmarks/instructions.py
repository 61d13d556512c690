"""Instructions per request, counted by valgrind's callgrind: a measure the machine cannot jitter.

CPU time on a shared 2-core VM moves by 10-20 % between runs; the number of instructions a
request executes does not (callgrind runs the program on a synthetic CPU and counts every
instruction of every thread). That makes it the measure for "is ours cheaper than DRF, and by
how much" when the CPU-time intervals straddle 1.

How: ``python -m benchmarks.instructions`` re-runs itself under
``valgrind --tool=callgrind --instr-atstart=no`` (uninstrumented, so Django starts quickly). The
child sets up the seeded app, serves every contender's operations once uninstrumented and once
instrumented (warm-up: code paths are translated, caches filled), then for each operation and
contender: prepares the batch (untimed), zeroes the counters, serves ``count`` requests, and
asks callgrind to dump. The counters are driven through callgrind's client requests
(``valgrind/callgrind.h``), compiled into a tiny shared library at run time with the system C
compiler; outside valgrind they are no-ops. Each dump's ``totals:`` line divided by ``count`` is
the figure reported.

Needs ``valgrind`` on ``PATH``, its headers and a C compiler; without them the phase reports
that it was skipped. It takes a few minutes (callgrind is ~50x slower than native).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADER = Path("/usr/include/valgrind/callgrind.h")

_CLIENT_REQUESTS = r"""
#include <valgrind/callgrind.h>
void bench_start_instrumentation(void) { CALLGRIND_START_INSTRUMENTATION; }
void bench_zero(void) { CALLGRIND_ZERO_STATS; }
void bench_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""


def unavailable() -> str | None:
    """Why the phase cannot run here, or None when it can."""
    if shutil.which("valgrind") is None:
        return "valgrind is not installed"
    if not HEADER.exists():
        return f"{HEADER} is missing (valgrind's headers)"
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        return "no C compiler to build the callgrind client requests"
    return None


def _client_library(workdir: str) -> ctypes.CDLL:
    source = Path(workdir, "client.c")
    library = Path(workdir, "client.so")
    source.write_text(_CLIENT_REQUESTS)
    compiler = shutil.which("cc") or shutil.which("gcc") or "cc"
    subprocess.run(
        [compiler, "-O1", "-shared", "-fPIC", "-o", str(library), str(source)], check=True
    )
    return ctypes.CDLL(str(library))


def _totals(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    raise RuntimeError(f"{dump}: no totals line")


def measure(
    dump_dir: str, contenders: list[str], count: int, operations: list[str]
) -> dict[str, Any]:
    """In the valgrind child: instructions per request for each operation and contender."""
    import django

    django.setup()
    from asgiref.sync import sync_to_async
    from django.core.asgi import get_asgi_application

    from benchmarks import harness
    from benchmarks.seed import create_and_seed

    client = _client_library(dump_dir)
    book_ids, author_ids = create_and_seed()
    app = get_asgi_application()
    ops = harness.operations(book_ids, author_ids)
    result: dict[str, dict[str, float]] = {op: {} for op in operations}

    async def batch(op: harness.Operation, contender: str, n: int) -> None:
        requests = await sync_to_async(op.prepare)(contender, n)
        client.bench_zero()
        for url, body in requests:
            reply = await harness.call(app, op.method, url, body)
            if reply.status != op.expected:
                raise RuntimeError(f"{contender} {op.name}: HTTP {reply.status}")
        client.bench_dump(f"{op.name}:{contender}".encode())
        await sync_to_async(op.cleanup)()

    async def run() -> None:
        for op_name in operations:  # warm up uninstrumented, then instrumented
            for contender in contenders:
                await batch(ops[op_name], contender, 3)
        client.bench_start_instrumentation()
        for op_name in operations:
            for contender in contenders:
                await batch(ops[op_name], contender, 2)
        for op_name in operations:
            for contender in contenders:
                before = set(os.listdir(dump_dir))
                await batch(ops[op_name], contender, count)
                new = sorted(set(os.listdir(dump_dir)) - before)
                dumps = [name for name in new if name.startswith("callgrind.out")]
                if len(dumps) != 1:
                    raise RuntimeError(f"expected one new dump, found {new}")
                total = _totals(Path(dump_dir, dumps[0]))
                result[op_name][contender] = total / count

    asyncio.run(run())
    return result


def run_under_valgrind(contenders: list[str], *, count: int, env: dict[str, str]) -> dict[str, Any]:
    """Run :func:`measure` in a child under callgrind; returns instructions per request."""
    from benchmarks.harness import OPERATIONS

    with tempfile.TemporaryDirectory(prefix="callgrind-") as dump_dir:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={dump_dir}/callgrind.out.%p",
            sys.executable, "-m", "benchmarks.instructions", "--child", dump_dir,
            "--contenders", ",".join(contenders), "--count", str(count),
        ]  # fmt: skip
        out = subprocess.run(
            command, env=env, capture_output=True, text=True, check=False, cwd=str(ROOT)
        )
        if out.returncode != 0:
            raise RuntimeError(f"callgrind run failed:\n{out.stderr[-3000:]}")
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        per_request: dict[str, dict[str, float]] = json.loads(lines[-1])
    return {
        "config": {"count": count, "tool": "valgrind --tool=callgrind", "operations": OPERATIONS},
        "per_request": per_request,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    p.add_argument("--child", metavar="DUMP_DIR", help=argparse.SUPPRESS)
    p.add_argument("--contenders", default="drf,floor,ours,ours_fast")
    p.add_argument("--count", type=int, default=20, help="requests per operation and contender")
    args = p.parse_args(argv)
    contenders = [c for c in args.contenders.split(",") if c]
    if args.child:
        from benchmarks.harness import OPERATIONS

        print(json.dumps(measure(args.child, contenders, args.count, list(OPERATIONS))))
        return 0
    reason = unavailable()
    if reason:
        raise SystemExit(f"instructions: skipped, {reason}")
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    env = {
        **os.environ,
        "BENCH_DB_PATH": os.path.join(tempfile.mkdtemp(prefix="bench-", dir=shm), "b.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    result = run_under_valgrind(contenders, count=args.count, env=env)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
