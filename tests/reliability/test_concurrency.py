"""Concurrency: many simultaneous requests through the ASGI stack, with exact bookkeeping.

Each request runs as in production: Django's ``ASGIHandler`` gives it its own thread-sensitive
context, so its flow runs in its own worker thread on its own database connection. The tests
check that nothing is lost, duplicated or left open: every response is the expected success,
the final table equals what the responses say, and (on PostgreSQL) the number of database
backends returns to its baseline once the requests are done.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from rest_framework.routers import SimpleRouter

from async_viewsets import ActionConfig, AsyncModelViewSet, AsyncViewSet, action
from async_viewsets.throttling import AsyncAnonRateThrottle
from tests.reliability.conftest import run_in_new_loop, settle_connections
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookListSerializer, BookSerializer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

CONCURRENT_REQUESTS = 210
"""Requests in flight at once in the ASGI run (list, retrieve, create, update, destroy)."""


class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.select_related("author").all()
    serializer_class = BookSerializer
    action_configs = {"list": ActionConfig(serializer_class=BookListSerializer)}


class BurstThrottle(AsyncAnonRateThrottle):
    """N per minute for anonymous clients, in a scope of its own (set by the test)."""

    scope = "reliability-burst"
    THROTTLE_RATES = {"reliability-burst": "1000/min"}


class PingViewSet(AsyncViewSet):
    throttle_classes = [BurstThrottle]

    @action(detail=False, methods=["get"])
    async def ping(self, request: Any) -> Any:
        from rest_framework.response import Response

        return Response({"pong": True})


router = SimpleRouter()
router.register("books", BookViewSet)
router.register("throttled", PingViewSet, basename="throttled")
urlpatterns = router.urls


def _seed(count: int) -> list[int]:
    author = Author.objects.create(name=f"seed-{uuid.uuid4().hex[:8]}")
    books = Book.objects.bulk_create(Book(title=f"seed {i}", author=author) for i in range(count))
    return [book.pk for book in books]


async def _mixed_load(
    client: httpx.AsyncClient, ids: list[int], author_id: int, total: int, in_flight: int | None
) -> dict[str, Any]:
    """Fire ``total`` requests at once: list, retrieve, create, update and destroy.

    Updates and destroys touch disjoint books, so every one of them must succeed; retrieves
    only touch books that nothing destroys.
    """
    rng = random.Random(total)
    shuffled = ids[:]
    rng.shuffle(shuffled)
    n_destroy, n_update = total // 7, total // 7
    to_destroy = shuffled[:n_destroy]
    to_update = shuffled[n_destroy : n_destroy + n_update]
    stable = shuffled[n_destroy + n_update :]
    n_create = total // 5
    n_list = total // 7
    n_retrieve = total - n_destroy - n_update - n_create - n_list

    calls: list[tuple[str, Awaitable[httpx.Response], Any]] = []
    for book_id in to_destroy:
        calls.append(("destroy", client.delete(f"/books/{book_id}/"), book_id))
    for i, book_id in enumerate(to_update):
        title = f"updated {book_id}"
        if i % 2:
            request = client.patch(f"/books/{book_id}/", json={"title": title})
            calls.append(("partial_update", request, (book_id, title)))
        else:
            body = {"title": title, "author": author_id, "tags": [], "published": False}
            calls.append(("update", client.put(f"/books/{book_id}/", json=body), (book_id, title)))
    for i in range(n_create):
        body = {"title": f"created {i}", "author": author_id, "tags": []}
        calls.append(("create", client.post("/books/", json=body), f"created {i}"))
    for _ in range(n_list):
        calls.append(("list", client.get("/books/"), None))
    for i in range(n_retrieve):
        book_id = stable[i % len(stable)]
        calls.append(("retrieve", client.get(f"/books/{book_id}/"), book_id))
    rng.shuffle(calls)

    gate = asyncio.Semaphore(in_flight or total)
    peak = current = 0

    async def send(request: Awaitable[httpx.Response]) -> httpx.Response:
        nonlocal peak, current
        async with gate:
            current += 1
            peak = max(peak, current)
            try:
                return await request
            finally:
                current -= 1

    started = time.monotonic()
    responses = await asyncio.gather(*(send(request) for _, request, _ in calls))
    elapsed = time.monotonic() - started
    return {
        "calls": [(kind, expected) for kind, _, expected in calls],
        "responses": responses,
        "to_destroy": to_destroy,
        "elapsed": elapsed,
        "peak_in_flight": peak,
    }


_EXPECTED_STATUS = {
    "list": 200,
    "retrieve": 200,
    "create": 201,
    "update": 200,
    "partial_update": 200,
    "destroy": 204,
}


def _check_bookkeeping(result: dict[str, Any], seeded: list[int]) -> None:
    """Every response is its action's success, and the table is what the responses say."""
    created: dict[int, str] = {}
    updated: dict[int, str] = {}
    for (kind, expected), response in zip(result["calls"], result["responses"], strict=True):
        assert response.status_code == _EXPECTED_STATUS[kind], (kind, response.text[:300])
        body: Any = response.json() if response.status_code != 204 else {}
        if kind == "create":
            assert body["title"] == expected
            assert body["id"] not in created, "one id answered to two creates"
            created[body["id"]] = expected
        elif kind in {"update", "partial_update"}:
            book_id, title = expected
            assert body == {**body, "id": book_id, "title": title}
            updated[book_id] = title
        elif kind == "retrieve":
            assert body["id"] == expected
    rows = dict(Book.objects.values_list("id", "title"))
    expected_ids = (set(seeded) - set(result["to_destroy"])) | set(created)
    assert set(rows) == expected_ids, "lost or duplicated rows"
    for book_id, title in {**created, **updated}.items():
        assert rows[book_id] == title


def _burst(
    client_factory: Callable[[], httpx.AsyncClient],
    db_connections: Callable[[], int | None],
    pool_stats: Callable[[], dict[str, int]],
    in_flight: int | None,
) -> dict[str, Any]:
    seeded = _seed(80)
    author_id = Author.objects.get().pk
    baseline = db_connections()

    async def load() -> dict[str, Any]:
        async with client_factory() as client:
            return await _mixed_load(client, seeded, author_id, CONCURRENT_REQUESTS, in_flight)

    result = run_in_new_loop(load())
    _check_bookkeeping(result, seeded)
    stats = pool_stats()
    deadline = time.monotonic() + 10
    while stats and stats["pool_available"] < stats["pool_size"] and time.monotonic() < deadline:
        # A server may send the last response before its request_finished handlers return
        # the connection; give them a moment.
        time.sleep(0.05)
        stats = pool_stats()
    if stats:
        # Every connection a request took from the pool is back in it.
        assert stats["pool_available"] == stats["pool_size"], stats
        assert stats.get("requests_errors", 0) == 0, stats
    if in_flight is None:
        assert result["peak_in_flight"] == CONCURRENT_REQUESTS
    result["pool"] = stats
    result["baseline"] = baseline
    return result


def test_mixed_crud_burst_through_asgi(
    asgi_client: Callable[[], httpx.AsyncClient],
    db_connections: Callable[[], int | None],
    pg_pool: Callable[[], dict[str, int]],
    in_flight: int | None,
) -> None:
    """210 simultaneous list/retrieve/create/update/destroy requests through Django's ASGI
    handler all succeed and the table ends exactly as the responses say. On PostgreSQL all 210
    are in flight at once, sharing a pool of 20 connections, and afterwards every connection
    is back in the pool (none leaked by a finished request)."""
    result = _burst(asgi_client, db_connections, pg_pool, in_flight)
    print(
        f"\nASGI: {CONCURRENT_REQUESTS} requests, peak in flight {result['peak_in_flight']}, "
        f"{result['elapsed']:.2f}s, pool {result['pool']}"
    )


def test_mixed_crud_burst_through_uvicorn(
    live_server_url: str,
    db_connections: Callable[[], int | None],
    pg_pool: Callable[[], dict[str, int]],
    in_flight: int | None,
) -> None:
    """The same 210-request burst through a real uvicorn server on 127.0.0.1 (real sockets
    and HTTP parsing, 50 client connections): every response is the expected success, the
    bookkeeping is exact and no pooled connection is left checked out."""
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)

    def client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=live_server_url, limits=limits, timeout=60)

    result = _burst(client, db_connections, pg_pool, in_flight)
    print(
        f"\nuvicorn: {CONCURRENT_REQUESTS} requests, peak in flight {result['peak_in_flight']}, "
        f"{result['elapsed']:.2f}s, pool {result['pool']}"
    )


def test_backends_return_to_baseline_after_burst(
    asgi_client: Callable[[], httpx.AsyncClient],
    db_connections: Callable[[], int | None],
    in_flight: int | None,
) -> None:
    """Without a pool each request opens its own connection and must close it when it ends:
    after 60 simultaneous reads and writes (below PostgreSQL's ``max_connections``),
    ``pg_stat_activity`` returns to the number of backends seen before them."""
    seeded = _seed(30)
    author_id = Author.objects.get().pk
    baseline = db_connections()

    async def load() -> dict[str, Any]:
        async with asgi_client() as client:
            return await _mixed_load(client, seeded, author_id, 60, in_flight)

    result = run_in_new_loop(load())
    _check_bookkeeping(result, seeded)
    after = settle_connections(db_connections, baseline)
    assert after == baseline, f"database backends: {baseline} before, {after} after"
    if baseline is not None:
        print(f"\nbackends on the test database: {baseline} before, {after} after")


@pytest.mark.parametrize("rate", [10, 50])
def test_throttle_admits_exactly_n_of_3n_concurrent(
    asgi_client: Callable[[], httpx.AsyncClient], rate: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a rate of N/min and 3N simultaneous requests from one client, exactly N get 200
    and the other 2N get 429 with ``Retry-After``: the throttle counts atomically in the
    configured cache (Redis when ``REDIS_URL`` is set, else LocMem)."""
    scope = f"burst-{uuid.uuid4().hex}"  # a fresh key space, whatever the cache holds
    monkeypatch.setattr(BurstThrottle, "scope", scope)
    monkeypatch.setattr(BurstThrottle, "THROTTLE_RATES", {scope: f"{rate}/min"})

    async def load() -> list[httpx.Response]:
        async with asgi_client() as client:
            return await asyncio.gather(*(client.get("/throttled/ping/") for _ in range(3 * rate)))

    responses = run_in_new_loop(load())
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * rate + [429] * (2 * rate)
    refused = [r for r in responses if r.status_code == 429]
    assert all(int(r.headers["Retry-After"]) > 0 for r in refused)
