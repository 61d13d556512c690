"""Load phases: a real uvicorn server on 127.0.0.1 and a bounded load generator.

The server is one uvicorn process (one worker, ``benchmarks.asgi:application``) serving every
contender under its prefix; the generator is ``wrk`` when it is on ``PATH`` (C, so it leaves the
second core to the server) and otherwise a bounded ``httpx.AsyncClient`` loop in a subprocess.
Every phase is bounded in time (``duration`` seconds) and in connections (``concurrency``), and
contenders take turns in interleaved rounds.

The server's own CPU time per request is the CPU time it spent between two idle points (read
from ``/proc/<pid>/stat``, waiting for the server to go idle before and after each phase)
divided by the requests it answered in between, counted by the ASGI wrapper in
:mod:`benchmarks.asgi` and read from :data:`COUNTER_PATH`. Dividing by the generator's count
instead would charge the requests still in flight when the generator stopped (which the server
goes on to process) to the ones the generator counted: up to ~20 % at 200 connections. What
remains is a small upward bias: the CPU time of requests that reached Django but got no answer,
because the client left and Django cancelled them, is in the ticks but not in the count
(``unanswered``; most are cancelled before any real work, but a sync view already running in
its thread runs to the end). The generator's own figures (requests/s, latencies, errors) are
reported as it gives them. Every phase is kept in the results, and the tables give the median
and the range across rounds.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks import stats

COUNTER_PATH = "/_bench/served"
"""Answered by :class:`benchmarks.asgi.ServedCounter`: requests started and answered so far."""

SERVER_CPU = "CPU between idle points / requests served (ASGI counter)"
"""How ``server_cpu_us_per_request`` is computed, recorded in the results' config."""

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


@dataclass
class Phase:
    """One load phase against one URL."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    """Requests the generator counted (completed before it stopped)."""
    errors: int
    served: int
    """Requests the server answered between the two idle points (ASGI counter)."""
    unanswered: int
    """Requests that reached the application but got no answer (client gone first)."""
    server_cpu_us: float | None
    """Server CPU time between the two idle points per served request (None: none served)."""
    peak_threads: int


@dataclass
class PhaseSamples:
    phases: list[Phase] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def med(name: str) -> float:
            return float(statistics.median(getattr(p, name) for p in self.phases))

        cpu = [p.server_cpu_us for p in self.phases if p.server_cpu_us is not None]
        cpu_median, cpu_min, cpu_max = stats.spread(cpu) if cpu else (None, None, None)
        return {
            "rps": med("rps"),
            "p50_ms": med("p50_ms"),
            "p99_ms": med("p99_ms"),
            "server_cpu_us_per_request": cpu_median,
            "server_cpu_us_min": cpu_min,
            "server_cpu_us_max": cpu_max,
            "peak_server_threads": max(p.peak_threads for p in self.phases),
            "errors": sum(p.errors for p in self.phases),
            "requests": sum(p.requests for p in self.phases),
            "served": sum(p.served for p in self.phases),
            "unanswered": sum(p.unanswered for p in self.phases),
            "rounds": len(self.phases),
            "phases": [asdict(p) for p in self.phases],
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


@contextlib.contextmanager
def uvicorn_server(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """Start uvicorn on 127.0.0.1 and yield (base URL, pid); stop it afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "benchmarks.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log", "--backlog", "4096",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unparsed latency {text!r}")
    return float(match[1]) * _UNITS[match[2]]


_Measured = tuple[float, float, float, int, int]  # rps, p50 ms, p99 ms, requests, errors


def _wrk(url: str, concurrency: int, duration: float, timeout: float) -> _Measured:
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(duration))}s"]
    command += [f"--timeout={max(1, round(timeout))}s", "--latency"]
    command += ["-H", "Accept: application/json", url]
    limit = duration + timeout + 30
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=limit).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out)[1])  # type: ignore[index]
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m[1])
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return rps, p50, p99, total, errors


_HTTPX_SCRIPT = r"""
import asyncio, json, sys, time
import httpx
url, concurrency = sys.argv[1], int(sys.argv[2])
duration, timeout = float(sys.argv[3]), float(sys.argv[4])
latencies, errors = [], 0
async def worker(client, stop):
    global errors
    while time.perf_counter() < stop:
        start = time.perf_counter()
        try:
            r = await client.get(url, headers={"Accept": "application/json"})
            ok = r.status_code < 400
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append((time.perf_counter() - start) * 1000)
        else:
            errors += 1
async def main():
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client, start + duration) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    pick = lambda q: latencies[min(n - 1, int(q * n))] if latencies else 0.0
    print(json.dumps([n / elapsed, pick(0.5), pick(0.99), n + errors, errors]))
asyncio.run(main())
"""


def _httpx(url: str, concurrency: int, duration: float, timeout: float) -> _Measured:
    command = [sys.executable, "-c", _HTTPX_SCRIPT, url, str(concurrency), str(duration)]
    command.append(str(timeout))
    limit = duration + timeout + 60
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=limit).stdout
    rps, p50, p99, total, errors = json.loads(out)
    return float(rps), float(p50), float(p99), int(total), int(errors)


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "httpx"


def _threads(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def wait_idle(pid: int, *, limit: float = 60.0) -> None:
    """Wait until the server has drained the previous phase's backlog (CPU idle for 0.3 s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _cpu_ticks(pid)
        time.sleep(0.3)
        if _cpu_ticks(pid) - before <= 1:
            return


def served_counts(base: str) -> tuple[int, int]:
    """``(started, served)`` so far, from the server's ASGI counter."""
    with urllib.request.urlopen(base + COUNTER_PATH, timeout=10) as reply:
        counts = json.load(reply)
    return int(counts["started"]), int(counts["served"])


def phase(
    base: str, path: str, pid: int, *, concurrency: int, duration: float, timeout: float
) -> Phase:
    """Run one bounded load phase against ``base + path``; read the server's CPU time and its
    request counters between the idle points around it and sample its thread count during it."""
    run = _wrk if generator() == "wrk" else _httpx
    wait_idle(pid)
    started0, served0 = served_counts(base)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            with contextlib.suppress(OSError, ValueError):
                peak[0] = max(peak[0], _threads(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    ticks0 = _cpu_ticks(pid)
    try:
        rps, p50, p99, total, errors = run(base + path, concurrency, duration, timeout)
    finally:
        stop.set()
        sampler.join()
    wait_idle(pid)  # requests still queued when the generator stopped are this phase's cost
    ticks = _cpu_ticks(pid) - ticks0
    started1, served1 = served_counts(base)
    served = served1 - served0
    unanswered = (started1 - started0) - served
    cpu_us = ticks / os.sysconf("SC_CLK_TCK") * 1e6 / served if served else None
    return Phase(rps, p50, p99, total, errors, served, unanswered, cpu_us, peak[0])


def measure_load(
    base: str,
    pid: int,
    paths: dict[str, str],
    *,
    rounds: int,
    concurrency: int,
    duration: float,
    timeout: float = 10.0,
    progress: Any = print,
) -> dict[str, PhaseSamples]:
    """Interleaved rounds of one phase per contender; ``paths`` maps contender to URL path."""
    names = list(paths)
    samples = {name: PhaseSamples() for name in names}
    for name in names:  # warm-up, discarded
        phase(base, paths[name], pid, concurrency=concurrency, duration=1, timeout=timeout)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            measured = phase(
                base, paths[name], pid, concurrency=concurrency, duration=duration, timeout=timeout
            )
            samples[name].phases.append(measured)
        progress(f"  round {r + 1}/{rounds} done")
    return samples
