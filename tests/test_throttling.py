"""Async throttles: DRF's 429 and ``Retry-After``, exact counts under real concurrency.

The cache is Redis when ``REDIS_URL`` is set (``scripts/run_tests.py`` sets it when Redis
answers), LocMem otherwise. Every test uses its own client identity (``X-Forwarded-For``), so
no test clears a shared cache.
"""

from __future__ import annotations

import asyncio
import math
import threading
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.handlers.asgi import ASGIHandler
from django.test import AsyncClient
from rest_framework import throttling as drf
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncViewSet, action
from async_viewsets.test import AsyncAPIRequestFactory
from async_viewsets.throttling import (
    AsyncAnonRateThrottle,
    AsyncScopedRateThrottle,
    AsyncUserRateThrottle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

N = 5


class Clock:
    """A settable ``timer`` for throttles, so that waits are exact."""

    now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


class DrfAnon(drf.AnonRateThrottle):
    rate = f"{N}/min"
    timer = CLOCK


class Anon(AsyncAnonRateThrottle):
    rate = f"{N}/min"
    timer = CLOCK


class AwaitedAnon(Anon):
    prefer_sync_in_worker = False


class RealTimeAnon(AsyncAnonRateThrottle):
    rate = f"{N}/min"


class AwaitedRealTimeAnon(RealTimeAnon):
    prefer_sync_in_worker = False


class PerSecond(AsyncAnonRateThrottle):
    rate = "2/s"


class Users(AsyncUserRateThrottle):
    rate = "2/min"
    scope = f"user-{uuid.uuid4().hex}"  # user ids repeat across runs; a shared cache remembers


class Scoped(AsyncScopedRateThrottle):
    THROTTLE_RATES = {"burst": "2/min"}


class Ping(AsyncViewSet):
    authentication_classes = []

    @action(detail=False)
    async def ping(self, request: Request) -> Response:
        return Response({"ok": True})


def _view(name: str, **attrs: Any) -> type[Ping]:
    return type(name, (Ping,), attrs)


router = SimpleRouter()
for throttle in (DrfAnon, Anon, AwaitedAnon, RealTimeAnon, AwaitedRealTimeAnon, PerSecond):
    name = throttle.__name__.lower()
    router.register(name, _view(name, throttle_classes=[throttle]), basename=name)


class UserPing(Ping):
    from rest_framework.authentication import SessionAuthentication

    authentication_classes = [SessionAuthentication]
    throttle_classes = [Users]


router.register("users", UserPing, basename="users")
router.register(
    "scoped", _view("scoped", throttle_classes=[Scoped], throttle_scope="burst"), basename="scoped"
)
router.register("unscoped", _view("unscoped", throttle_classes=[Scoped]), basename="unscoped")
urlpatterns = router.urls


def _ident() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


async def _get(client: AsyncClient, path: str, ident: str) -> Any:
    return await client.get(path, headers={"X-Forwarded-For": ident})


async def test_429_and_retry_after_as_drf(aclient: AsyncClient) -> None:
    """N requests pass, the next ones are DRF's 429 with DRF's message and ``Retry-After``, on
    the sync path and the awaited path, as DRF's throttle answers the same sequence."""
    answers: dict[str, list[Any]] = {}
    for prefix in ("drfanon", "anon", "awaitedanon"):
        ident = _ident()
        CLOCK.now = 1_000_000.0
        seen = []
        for step in range(N + 2):
            CLOCK.now += 1.5 if step else 0.0
            response = await _get(aclient, f"/{prefix}/ping/", ident)
            seen.append((response.status_code, response.get("Retry-After"), response.json()))
        answers[prefix] = seen
    ours = answers["anon"]
    assert [status for status, _, _ in ours] == [200] * N + [429, 429]
    # Both refusals come 7.5 s and 9 s after the first request of the minute.
    assert [retry for _, retry, _ in ours[N:]] == ["53", "51"]  # DRF rounds the wait up
    assert ours[N][2] == {"detail": "Request was throttled. Expected available in 53 seconds."}
    assert answers["awaitedanon"] == ours
    # DRF's sliding log waits for its oldest request, which is the window's first one here.
    assert answers["drfanon"] == ours


async def test_window_reopens_after_its_duration(aclient: AsyncClient) -> None:
    """A window lasts ``duration`` seconds of real time (the cache timeout); then N more pass."""
    ident = _ident()
    statuses = [(await _get(aclient, "/persecond/ping/", ident)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    await asyncio.sleep(1.2)
    assert (await _get(aclient, "/persecond/ping/", ident)).status_code == 200


async def _asgi_get(app: ASGIHandler, path: str, ident: str) -> tuple[int, dict[str, str]]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"x-forwarded-for", ident.encode())],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    body_sent = False
    finished = asyncio.Event()
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    await app(scope, receive, send)  # type: ignore[arg-type]
    start = messages[0]
    headers = {key.decode().lower(): value.decode() for key, value in start["headers"]}
    return start["status"], headers


def _burst(prefix: str) -> list[tuple[int, dict[str, str]]]:
    """3N concurrent requests of one client to Django's ASGI application, on a fresh event loop.

    The loop runs outside the test's ``async_to_sync``, so each request gets its own
    thread-sensitive context and its sync parts really run in parallel threads.
    """
    app = ASGIHandler()
    ident = _ident()

    async def burst() -> list[tuple[int, dict[str, str]]]:
        return list(
            await asyncio.gather(*(_asgi_get(app, f"/{prefix}/ping/", ident) for _ in range(3 * N)))
        )

    return asyncio.run(burst())


@pytest.mark.parametrize("prefix", ["realtimeanon", "awaitedrealtimeanon"])
def test_exact_count_under_concurrency_through_the_asgi_app(prefix: str) -> None:
    """3N concurrent requests of one client through the ASGI app let exactly N through; the
    rest are 429 with a ``Retry-After`` within the minute."""
    results = _burst(prefix)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * N + [429] * (2 * N)
    for status, headers in results:
        if status == 429:
            assert 0 < int(headers["retry-after"]) <= 60


def test_exact_count_under_thread_parallelism() -> None:
    """3N threads released at once call ``allow_request`` for one client: exactly N allowed."""
    factory = AsyncAPIRequestFactory()
    ident = _ident()
    barrier = threading.Barrier(3 * N)
    allowed: list[bool] = []

    def hit() -> None:
        request = Request(factory.get("/", HTTP_X_FORWARDED_FOR=ident))
        request.user = None  # type: ignore[assignment]  # no user: throttled by address
        barrier.wait()
        allowed.append(RealTimeAnon().allow_request(request, None))  # type: ignore[arg-type]

    threads = [threading.Thread(target=hit) for _ in range(3 * N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(allowed) == [False] * (2 * N) + [True] * N


async def test_aallow_request_concurrently_on_the_loop() -> None:
    """``aallow_request`` interleaved on one event loop (Django's own ``aincr`` would lose
    counts here, being a get and a set) still lets exactly N through."""
    factory = AsyncAPIRequestFactory()
    ident = _ident()

    async def hit() -> bool:
        request = Request(factory.get("/", HTTP_X_FORWARDED_FOR=ident))
        request.user = None  # type: ignore[assignment]
        return await RealTimeAnon().aallow_request(request, None)  # type: ignore[arg-type]

    allowed = await asyncio.gather(*(hit() for _ in range(3 * N)))
    assert sorted(allowed) == [False] * (2 * N) + [True] * N


async def test_user_rate_is_per_user(user: User, admin: User) -> None:
    """Authenticated users are counted by id, each on its own; the anonymous client by IP."""
    ident = _ident()
    alice, root, anonymous = AsyncClient(), AsyncClient(), AsyncClient()
    await alice.aforce_login(user)
    await root.aforce_login(admin)
    for client in (alice, root, anonymous):
        statuses = [(await _get(client, "/users/ping/", ident)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]


async def test_scoped_rate(aclient: AsyncClient) -> None:
    """The view's ``throttle_scope`` picks the rate; a view without one is not throttled."""
    ident = _ident()
    statuses = [(await _get(aclient, "/scoped/ping/", ident)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    statuses = [(await _get(aclient, "/unscoped/ping/", ident)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]


def test_wait_without_a_recorded_window_start() -> None:
    """When the window's start is unknown (its record was evicted), the wait is the duration."""
    throttle = RealTimeAnon()
    throttle.now, throttle.window_started = 0.0, None
    assert throttle.wait() == 60.0
    throttle.window_started = -59.25
    assert math.isclose(throttle.wait() or 0.0, 0.75)
