"""In-process measurements through Django's ASGI application: CPU time, thread hops, queries.

Requests are driven straight into ``django.core.asgi.get_asgi_application()`` (no server, no
sockets), one at a time, so everything a request costs Django, the stack under test and the
database driver lands in this process. CPU time is ``time.process_time_ns()``, which counts every
thread of the process: the event loop and the worker threads that ``sync_to_async`` hops to.
Contenders take turns in interleaved rounds and keep one sample per round, so that a contender's
sample can be divided by DRF's (or the floor's) from the same round: :mod:`benchmarks.stats`
turns those paired ratios into a median with a bootstrap confidence interval.

Thread hops are counted by wrapping ``asgiref.sync.SyncToAsync.__call__`` and SQL statements by
wrapping Django's ``CursorWrapper.execute``/``executemany``; both run in a separate census pass,
so the timed passes carry no instrumentation.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import SyncToAsync, sync_to_async

from benchmarks import stats

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]

OPERATIONS = ("list", "retrieve", "create", "partial_update", "destroy")


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


async def call(app: ASGIApp, method: str, url: str, body: Any = None) -> Reply:
    """One HTTP request through the ASGI application."""
    path, _, query = url.partition("?")
    payload = b"" if body is None else json.dumps(body).encode()
    headers = [(b"host", b"testserver"), (b"accept", b"application/json")]
    if payload:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    delivered = False
    never: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": payload, "more_body": False}
        await never  # Django cancels this listener once the response is sent
        return {"type": "http.disconnect"}

    reply = Reply(0, b"")

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            reply.status = message["status"]
        elif message["type"] == "http.response.body":
            reply.body += message.get("body", b"")

    await app(scope, receive, send)
    return reply


# --- operations -----------------------------------------------------------------------------


@dataclass
class Operation:
    """How to issue ``count`` requests of one operation against one contender."""

    name: str
    method: str
    expected: int
    prepare: Callable[[str, int], list[tuple[str, Any]]]
    """``(contender, count) -> [(url, body)]``; runs sync, untimed (may create rows)."""
    cleanup: Callable[[], None] = lambda: None
    """Runs sync, untimed, after the batch (removes rows that creates added)."""


def operations(seeded_ids: list[int], author_ids: list[int]) -> dict[str, Operation]:
    """The five operations; reads and updates use seeded rows, destroy deletes fresh ones."""
    from benchmarks.bookstore.models import Book

    last_seeded = max(seeded_ids)
    cursor = {"i": 0}

    def next_ids(count: int) -> list[int]:
        start = cursor["i"]
        cursor["i"] += count
        return [seeded_ids[(start + k) % len(seeded_ids)] for k in range(count)]

    def list_urls(c: str, n: int) -> list[tuple[str, Any]]:
        return [(f"/{c}/books/?page=2", None)] * n

    def retrieve_urls(c: str, n: int) -> list[tuple[str, Any]]:
        return [(f"/{c}/books/{pk}/", None) for pk in next_ids(n)]

    def create_urls(c: str, n: int) -> list[tuple[str, Any]]:
        return [
            (
                f"/{c}/books/",
                {
                    "title": f"New book {k}",
                    "pages": 100 + k,
                    "published": "2021-03-04",
                    "author": author_ids[k % len(author_ids)],
                },
            )
            for k in range(n)
        ]

    def update_urls(c: str, n: int) -> list[tuple[str, Any]]:
        return [(f"/{c}/books/{pk}/", {"title": f"Renamed {pk}"}) for pk in next_ids(n)]

    def destroy_urls(c: str, n: int) -> list[tuple[str, Any]]:
        template = Book.objects.get(pk=seeded_ids[0])
        fresh = Book.objects.bulk_create(
            Book(
                title="Doomed",
                pages=1,
                published=template.published,
                author_id=author_ids[k % len(author_ids)],
            )
            for k in range(n)
        )
        return [(f"/{c}/books/{book.pk}/", None) for book in fresh]

    def drop_new_rows() -> None:
        Book.objects.filter(pk__gt=last_seeded).delete()

    return {
        "list": Operation("list", "GET", 200, list_urls),
        "retrieve": Operation("retrieve", "GET", 200, retrieve_urls),
        "create": Operation("create", "POST", 201, create_urls, drop_new_rows),
        "partial_update": Operation("partial_update", "PATCH", 200, update_urls),
        "destroy": Operation("destroy", "DELETE", 204, destroy_urls, drop_new_rows),
    }


async def run_batch(app: ASGIApp, op: Operation, contender: str, count: int) -> tuple[int, int]:
    """Issue ``count`` requests; returns (CPU ns, wall ns) spent on them."""
    requests = await sync_to_async(op.prepare)(contender, count)
    gc.collect()
    cpu0, wall0 = time.process_time_ns(), time.perf_counter_ns()
    for url, body in requests:
        reply = await call(app, op.method, url, body)
        if reply.status != op.expected:
            raise RuntimeError(
                f"{contender} {op.name} {url}: HTTP {reply.status} {reply.body[:300]!r}"
            )
    cpu, wall = time.process_time_ns() - cpu0, time.perf_counter_ns() - wall0
    await sync_to_async(op.cleanup)()
    return cpu, wall


@dataclass
class Samples:
    """Per-request CPU microseconds, one sample per round, in round order."""

    cpu_us: list[float] = field(default_factory=list)
    wall_us: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Medians and quartiles, plus the per-round samples themselves (rounded to the
        nanosecond) so that a reader of the results can recompute every figure."""
        q = statistics.quantiles(self.cpu_us, n=4) if len(self.cpu_us) > 1 else self.cpu_us * 3
        return {
            "cpu_us_median": statistics.median(self.cpu_us),
            "cpu_us_q1": q[0],
            "cpu_us_q3": q[-1],
            "wall_us_median": statistics.median(self.wall_us),
            "rounds": len(self.cpu_us),
            "cpu_us": [round(v, 3) for v in self.cpu_us],
            "wall_us": [round(v, 3) for v in self.wall_us],
        }


REFERENCES = ("drf", "floor")
"""The contenders every other one is divided by, when they took part in the run."""


def summarise_cpu(samples: dict[str, dict[str, Samples]]) -> dict[str, dict[str, Any]]:
    """``{operation: {contender: summary}}``; each summary gains ``ratio_to_drf`` and
    ``ratio_to_floor``: the median of per-round paired ratios with its bootstrap interval
    (:mod:`benchmarks.stats`), computed from the stored, rounded samples."""
    result: dict[str, dict[str, Any]] = {}
    for op, per in samples.items():
        summaries = {c: s.summary() for c, s in per.items()}
        for summary in summaries.values():
            for ref in REFERENCES:
                if ref in summaries:
                    ratio = stats.paired_ratio(summary["cpu_us"], summaries[ref]["cpu_us"])
                    summary[f"ratio_to_{ref}"] = ratio.as_dict()
        result[op] = summaries
    return result


async def measure_cpu(
    app: ASGIApp,
    ops: dict[str, Operation],
    contenders: list[str],
    *,
    rounds: int,
    batch: int,
    progress: Callable[[str], None] = print,
) -> dict[str, dict[str, Samples]]:
    """Interleaved rounds: in each round every contender runs one batch of every operation, in
    an order rotated from round to round; the first (warm-up) round is discarded. Every
    contender's samples are in round order, so sample ``i`` of two contenders pair up."""
    samples = {op: {c: Samples() for c in contenders} for op in ops}
    for r in range(rounds + 1):
        shift = r % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        for op_name, op in ops.items():
            for contender in order:
                cpu, wall = await run_batch(app, op, contender, batch)
                if r:
                    samples[op_name][contender].cpu_us.append(cpu / batch / 1000)
                    samples[op_name][contender].wall_us.append(wall / batch / 1000)
        progress(f"  round {r}/{rounds}{' (warm-up)' if not r else ''} done")
    return samples


# --- census: hops and queries ---------------------------------------------------------------


@contextlib.contextmanager
def counting() -> Iterator[dict[str, int]]:
    """Count ``sync_to_async`` calls and SQL statements while the block runs."""
    from django.db.backends.utils import CursorWrapper

    counts = {"hops": 0, "queries": 0}
    original_call = SyncToAsync.__call__
    original_execute = CursorWrapper.execute
    original_executemany = CursorWrapper.executemany

    async def counted_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["hops"] += 1
        return await original_call(self, *args, **kwargs)

    def counted_execute(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["queries"] += 1
        return original_execute(self, *args, **kwargs)

    def counted_executemany(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["queries"] += 1
        return original_executemany(self, *args, **kwargs)

    SyncToAsync.__call__ = counted_call  # type: ignore[method-assign]
    CursorWrapper.execute = counted_execute  # type: ignore[method-assign]
    CursorWrapper.executemany = counted_executemany  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        SyncToAsync.__call__ = original_call  # type: ignore[method-assign]
        CursorWrapper.execute = original_execute  # type: ignore[method-assign]
        CursorWrapper.executemany = original_executemany  # type: ignore[method-assign]


async def census(
    app: ASGIApp, ops: dict[str, Operation], contenders: list[str], *, count: int = 5
) -> dict[str, dict[str, dict[str, float]]]:
    """Thread hops and SQL statements per request, for every operation and contender."""
    result: dict[str, dict[str, dict[str, float]]] = {}
    for op_name, op in ops.items():
        result[op_name] = {}
        for contender in contenders:
            requests = await sync_to_async(op.prepare)(contender, count)
            with counting() as counts:
                for url, body in requests:
                    reply = await call(app, op.method, url, body)
                    assert reply.status == op.expected, (contender, op_name, reply)
            await sync_to_async(op.cleanup)()
            result[op_name][contender] = {k: v / count for k, v in counts.items()}
    return result


async def same_answers(app: ASGIApp, contenders: list[str], pk: int) -> list[str]:
    """Contenders whose list page and retrieve answers differ from DRF's (should be none)."""

    def normalised(contender: str, data: Any) -> str:
        return json.dumps(data, sort_keys=True).replace(f"/{contender}/", "/X/")

    reference: dict[str, str] = {}
    differing = []
    for contender in contenders:
        page = await call(app, "GET", f"/{contender}/books/?page=2")
        detail = await call(app, "GET", f"/{contender}/books/{pk}/")
        answers = {
            "list": normalised(contender, page.json()),
            "retrieve": normalised(contender, detail.json()),
        }
        if not reference:
            reference = answers
        elif answers != reference:
            differing.append(contender)
    return differing
