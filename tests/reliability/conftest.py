"""Fixtures of the reliability suite: the real ASGI application, a real server, DB connections.

* ``asgi_client``: an ``httpx.AsyncClient`` over Django's ``ASGIHandler`` (the application a
  server would run), so each request gets its own thread-sensitive context and worker thread,
  and its own database connection, as in production;
* ``live_server_url``: the same application served by uvicorn on 127.0.0.1 (a free port),
  started and stopped by the fixture;
* ``db_connections``: how many backends PostgreSQL has open on the test database
  (``pg_stat_activity``), or ``None`` on another database;
* ``pg_pool``: on PostgreSQL, Django's connection pool (psycopg's) for the requests of the
  test, as a deployment serving hundreds of concurrent requests needs one (one connection per
  in-flight request would exceed ``max_connections``); closed again afterwards;
* ``in_flight``: how many requests a burst may have in flight: all of them on PostgreSQL; one
  on SQLite, whose in-memory shared-cache test database answers concurrent writers with
  "database table is locked" at once instead of waiting.

Tests that go through these need ``django_db(transaction=True)``: requests run on their own
connections, which cannot see a test's uncommitted transaction.

The tests are plain ``def`` functions that hand their async part to :func:`run_in_new_loop`:
an event loop in a fresh thread, as a server has. (Under the suite's ``async def`` runner the
loop belongs to an ``async_to_sync`` call, whose thread then runs *every* request's sync work,
one request at a time: no real concurrency.)
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from django.core.asgi import get_asgi_application
from django.db import connection, connections


@pytest.fixture
def asgi_app() -> Callable[..., Awaitable[None]]:
    """Django's ASGI application for the test settings (and the module's URLconf)."""
    return get_asgi_application()


@pytest.fixture
def asgi_client(asgi_app: Callable[..., Awaitable[None]]) -> Callable[[], httpx.AsyncClient]:
    """``async with asgi_client() as client:``: httpx calling the ASGI app in-process."""

    def make() -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=asgi_app)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60)

    return make


def _count_backends() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return int(count)


_T = TypeVar("_T")


def run_in_new_loop(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` with ``asyncio.run`` in a new thread, as a server's loop runs."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-loop") as executor:
        return executor.submit(asyncio.run, coroutine).result()


@pytest.fixture
def db_connections() -> Callable[[], int | None]:
    """``db_connections()``: other backends on the test database (PostgreSQL), else None."""
    return _count_backends


def settle_connections(
    count: Callable[[], int | None], baseline: int | None, timeout: float = 10.0
) -> int | None:
    """Poll ``count`` until it is at most ``baseline`` (or ``timeout`` passes); the last value."""
    deadline = time.monotonic() + timeout
    value = count()
    while value is not None and baseline is not None and value > baseline:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
        value = count()
    return value


@pytest.fixture
def in_flight() -> int | None:
    """The cap on requests in flight at once (``None``: no cap); see the module docstring."""
    return None if connection.vendor == "postgresql" else 1


POOL_SIZE = 20
"""Connections in the PostgreSQL pool the concurrency tests use."""


@pytest.fixture
def pg_pool() -> Iterator[Callable[[], dict[str, int]]]:
    """Pool the request threads' connections (PostgreSQL); yields a ``stats()`` function.

    The pool is switched on only for connections opened from now on (the request threads'),
    then closed, so the test's own connection is untouched.
    """
    settings_dict = connections.settings["default"]
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        yield dict
        return
    connection.ensure_connection()  # the test's own connection stays a plain one
    options = settings_dict.setdefault("OPTIONS", {})
    options["pool"] = {"min_size": 0, "max_size": POOL_SIZE, "timeout": 60}
    wrapper = connections.create_connection("default")

    def stats() -> dict[str, int]:
        pool = wrapper.pool  # type: ignore[attr-defined]
        return dict(pool.get_stats()) if pool is not None else {}

    try:
        yield stats
    finally:
        wrapper.close_pool()  # type: ignore[attr-defined]
        del options["pool"]


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def live_server_url(asgi_app: Callable[..., Awaitable[None]]) -> Iterator[str]:
    """The ASGI app under uvicorn on 127.0.0.1 (random free port), for the test's duration."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(asgi_app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"
