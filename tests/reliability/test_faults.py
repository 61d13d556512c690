"""Faults: exceptions inside writes and clients that go away, through the real ASGI stack.

Rows are really committed here (``transaction=True``), so "no partial rows" means what it
says: a failed write left nothing in the database that another connection can see. Every
exception is routed through DRF's exception handler (a recording wrapper around DRF's own), and
the application keeps serving afterwards.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.serializers import BaseSerializer
from rest_framework.views import exception_handler

from async_viewsets import ActionConfig, AsyncModelViewSet
from tests.reliability.conftest import run_in_new_loop
from tests.testapp.models import Author, Book, Tag
from tests.testapp.serializers import BookSerializer, NestedBookWriteSerializer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

HANDLED: list[tuple[str, str]] = []
"""``(exception class, view class)`` for every exception DRF's handler saw."""
_HANDLED_LOCK = threading.Lock()


def recording_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, recording what it saw; an unhandled error becomes a 500 body."""
    with _HANDLED_LOCK:
        HANDLED.append((type(exc).__name__, type(context["view"]).__name__))
    response = exception_handler(exc, context)
    if response is None:
        return Response({"unhandled": type(exc).__name__}, status=500)
    return response


class SyncHookFaults(AsyncModelViewSet[Book, BookSerializer]):
    """``perform_create`` saves, then fails (a crash, or a validation error after the save)."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.save()
        if self.request.query_params.get("fail") == "validation":
            raise ValidationError({"title": ["rejected after saving"]})
        if self.request.query_params.get("fail"):
            raise RuntimeError("perform_create failed after saving")


class AsyncHookFaults(AsyncModelViewSet[Book, BookSerializer]):
    """``aperform_create`` saves, writes a side row with the async ORM, then fails."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer

    async def aperform_create(self, serializer: BaseSerializer[Any]) -> None:
        await super().aperform_create(serializer)
        if self.request.query_params.get("fail"):
            await Tag.objects.acreate(name=f"side effect {serializer.validated_data['title']}")
            raise RuntimeError("aperform_create failed after saving")


class ExplodingBookSerializer(BookSerializer):
    """``create`` saves the book, then fails."""

    def create(self, validated_data: dict[str, Any]) -> Book:
        book = super().create(validated_data)
        if book.title.startswith("explode"):
            raise ValueError("serializer.create failed after saving")
        return book


class SerializerFaults(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = ExplodingBookSerializer


class NestedFaults(AsyncModelViewSet[Book, BookSerializer]):
    """A nested write: the book, then its tags; the tag ``explode`` fails half-way."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {"create": ActionConfig(serializer_class=NestedBookWriteSerializer)}


DISCONNECT: dict[str, Any] = {}
"""Set per test: ``saved`` (an asyncio.Event), ``cancelled`` (a list of titles)."""


class SlowWrite(AsyncModelViewSet[Book, BookSerializer]):
    """Saves, then waits (as for a slow remote call) inside the write's transaction."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer

    async def aperform_create(self, serializer: BaseSerializer[Any]) -> None:
        await super().aperform_create(serializer)
        if self.request.query_params.get("slow"):
            DISCONNECT["saved"].set()
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                DISCONNECT["cancelled"].append(serializer.validated_data["title"])
                raise


router = SimpleRouter()
router.register("sync-hook", SyncHookFaults, basename="sync-hook")
router.register("async-hook", AsyncHookFaults, basename="async-hook")
router.register("serializer", SerializerFaults, basename="serializer")
router.register("nested", NestedFaults, basename="nested")
router.register("slow", SlowWrite, basename="slow")
urlpatterns = router.urls

_HANDLER_SETTINGS = {
    **settings.REST_FRAMEWORK,
    "EXCEPTION_HANDLER": f"{__name__}.recording_exception_handler",
}


@pytest.fixture(autouse=True)
def _recording_handler() -> Any:
    HANDLED.clear()
    with override_settings(REST_FRAMEWORK=_HANDLER_SETTINGS):
        yield


def _fault_plan(author_id: int) -> list[tuple[str, dict[str, Any], int, dict[str, Any] | None]]:
    """``(url, body, expected status, expected body or None)`` for each request of the mix."""
    plan: list[tuple[str, dict[str, Any], int, dict[str, Any] | None]] = []

    def book(title: str) -> dict[str, Any]:
        return {"title": title, "author": author_id, "tags": []}

    crash = {"unhandled": "RuntimeError"}
    for i in range(20):
        plan.append(("/sync-hook/?fail=crash", book(f"sync crash {i}"), 500, crash))
        plan.append(("/sync-hook/?fail=validation", book(f"sync invalid {i}"), 400, None))
        plan.append(("/async-hook/?fail=crash", book(f"async crash {i}"), 500, crash))
        plan.append(("/serializer/", book(f"explode {i}"), 500, {"unhandled": "ValueError"}))
        nested = {"title": f"nested crash {i}", "author": author_id, "tag_names": ["a", "explode"]}
        plan.append(("/nested/", nested, 500, crash))
        plan.append(("/sync-hook/", book(f"ok sync {i}"), 201, None))
        plan.append(("/async-hook/", book(f"ok async {i}"), 201, None))
        nested_ok = {"title": f"ok nested {i}", "author": author_id, "tag_names": [f"t{i}"]}
        plan.append(("/nested/", nested_ok, 201, None))
    return plan


def test_write_faults_under_concurrency_leave_no_partial_rows(
    asgi_client: Callable[[], httpx.AsyncClient],
    in_flight: int | None,
    pg_pool: Callable[[], dict[str, int]],
) -> None:
    """160 simultaneous creates, 100 of which fail half-way (in ``perform_create``, in
    ``aperform_create`` after an async ORM write, in ``serializer.create`` and in a nested
    write of tags) and 60 of which succeed: each failure reaches DRF's exception handler and
    gets its response, and the database holds exactly the 60 successful books and their tags,
    with no row of any failed write."""
    author_id = Author.objects.create(name="faults").pk
    plan = _fault_plan(author_id)
    gate = asyncio.Semaphore(in_flight or len(plan))

    async def load() -> list[httpx.Response]:
        async with asgi_client() as client:

            async def post(url: str, body: dict[str, Any]) -> httpx.Response:
                async with gate:
                    return await client.post(url, json=body)

            return await asyncio.gather(*(post(url, body) for url, body, _, _ in plan))

    responses = run_in_new_loop(load())
    for (url, body, status, expected), response in zip(plan, responses, strict=True):
        assert response.status_code == status, (url, body, response.text[:300])
        if expected is not None:
            assert response.json() == expected
    failures = [entry for entry in plan if entry[2] >= 400]
    assert len(HANDLED) == len(failures) == 100
    assert sorted(Book.objects.values_list("title", flat=True)) == sorted(
        body["title"] for _, body, status, _ in plan if status == 201
    )
    assert sorted(Tag.objects.values_list("name", flat=True)) == sorted(f"t{i}" for i in range(20))
    stats = pg_pool()
    if stats:  # PostgreSQL: no failed request kept its connection
        deadline = time.monotonic() + 10
        while stats["pool_available"] < stats["pool_size"] and time.monotonic() < deadline:
            time.sleep(0.05)
            stats = pg_pool()
        assert stats["pool_available"] == stats["pool_size"], stats


def test_client_disconnect_mid_write_rolls_back_and_server_keeps_serving(
    asgi_app: Callable[..., Any],
) -> None:
    """A client that disconnects while ``aperform_create`` waits inside the write's
    transaction (after the row was saved): Django cancels the view, the flow unwinds in its
    worker thread, the transaction rolls back (no row), and the same application then serves
    the next request normally."""
    author_id = Author.objects.create(name="disconnect").pk
    sent: list[dict[str, Any]] = []

    async def scenario() -> httpx.Response:
        DISCONNECT["saved"] = asyncio.Event()
        DISCONNECT["cancelled"] = []
        body = json.dumps({"title": "abandoned", "author": author_id, "tags": []}).encode()
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await DISCONNECT["saved"].wait()  # the row is saved, not yet committed
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/slow/",
            "raw_path": b"/slow/",
            "query_string": b"slow=1",
            "root_path": "",
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"host", b"testserver"),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        await asyncio.wait_for(asgi_app(scope, receive, send), timeout=20)
        transport = httpx.ASGITransport(app=asgi_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post(
                "/slow/", json={"title": "kept", "author": author_id, "tags": []}
            )

    after = run_in_new_loop(scenario())
    assert DISCONNECT["cancelled"] == ["abandoned"], f"the view was not cancelled: {sent}"
    assert not [m for m in sent if m["type"] == "http.response.start"], sent
    assert list(Book.objects.values_list("title", flat=True)) == ["kept"]
    assert after.status_code == 201, after.text
