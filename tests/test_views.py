"""``AsyncAPIView``: DRF's request lifecycle with an async dispatch."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import iscoroutinefunction
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpResponse
from django.test import AsyncClient
from django.urls import path
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.versioning import QueryParameterVersioning

from async_viewsets import AsyncAPIView

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

EVENTS: list[str] = []


class HeaderAuthentication(BaseAuthentication):
    """An async authenticator awaiting I/O (simulated) before answering."""

    async def aauthenticate(self, request: Request) -> tuple[Any, Any] | None:
        name = request.headers.get("X-User")
        if name is None:
            return None
        await asyncio.sleep(0)
        if name == "bad":
            raise exceptions.AuthenticationFailed("Unknown user.")
        user = await User.objects.aget(username=name)
        return (user, "header")

    def authenticate_header(self, request: Request) -> str:
        return "X-User"


class AsyncIsAlice(BasePermission):
    message = "Only alice."

    async def ahas_permission(self, request: Request, view: Any) -> bool:
        await asyncio.sleep(0)
        return bool(request.user.get_username() == "alice")


class AsyncBudget(BaseThrottle):
    async def aallow_request(self, request: Request, view: Any) -> bool:
        return request.query_params.get("spent") is None

    def wait(self) -> float:
        return 7


class Echo(AsyncAPIView):
    authentication_classes = [HeaderAuthentication]
    permission_classes = [IsAuthenticated, AsyncIsAlice]
    throttle_classes = [AsyncBudget]
    versioning_class = QueryParameterVersioning

    async def get(self, request: Request) -> Response:
        return Response(
            {"user": request.user.get_username(), "auth": request.auth, "version": request.version}
        )

    def post(self, request: Request) -> Response:
        """A sync handler: runs in the worker thread, so it may query."""
        return Response({"users": User.objects.count(), "data": request.data}, status=201)

    async def delete(self, request: Request) -> HttpResponse:
        return HttpResponse("plain", content_type="text/plain")


class Failing(AsyncAPIView):
    async def get(self, request: Request) -> Response:
        raise exceptions.NotFound("Nothing here.")

    async def post(self, request: Request) -> Response:
        raise RuntimeError("boom")


class Hooked(AsyncAPIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        EVENTS.append("initial")
        super().initial(request, *args, **kwargs)

    async def get(self, request: Request) -> Response:
        return Response({"user": str(request.user)})


class AsyncHooked(AsyncAPIView):
    authentication_classes = []  # no authenticators: a denial is a plain 403 with our message

    async def ainitial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        EVENTS.append("ainitial")
        await super().ainitial(request, *args, **kwargs)

    async def acheck_permissions(self, request: Request) -> None:
        EVENTS.append("acheck_permissions")
        if request.query_params.get("deny"):
            self.permission_denied(request, message="denied by hook", code="hook")

    async def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [
    path("echo/", Echo.as_view()),
    path("failing/", Failing.as_view()),
    path("hooked/", Hooked.as_view()),
    path("async-hooked/", AsyncHooked.as_view()),
]


@pytest.fixture(autouse=True)
def _reset() -> None:
    EVENTS.clear()


def test_as_view_is_a_coroutine_function() -> None:
    assert iscoroutinefunction(Echo.as_view())
    assert getattr(Echo.as_view(), "csrf_exempt", False)


async def test_async_authentication_permission_throttle_and_versioning(
    aclient: AsyncClient, user: User
) -> None:
    """aauthenticate, ahas_permission and aallow_request are awaited, with DRF's answers."""
    ok = await aclient.get("/echo/?version=2", headers={"x-user": "alice"})
    assert ok.status_code == 200
    assert ok.json() == {"user": "alice", "auth": "header", "version": "2"}
    anonymous = await aclient.get("/echo/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "X-User"
    failed = await aclient.get("/echo/", headers={"x-user": "bad"})
    assert failed.status_code == 401
    assert failed.json() == {"detail": "Unknown user."}
    await User.objects.acreate_user("bob")
    denied = await aclient.get("/echo/", headers={"x-user": "bob"})
    assert denied.status_code == 403
    assert denied.json() == {"detail": "Only alice."}
    throttled = await aclient.get("/echo/?spent=1", headers={"x-user": "alice"})
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "7"


async def test_sync_handler_and_plain_http_response(aclient: AsyncClient, user: User) -> None:
    """A def handler runs in the thread; a plain HttpResponse passes through finalize."""
    created = await aclient.post(
        "/echo/", {"a": 1}, content_type="application/json", headers={"x-user": "alice"}
    )
    assert created.status_code == 201
    assert created.json() == {"users": 1, "data": {"a": 1}}
    plain = await aclient.delete("/echo/", headers={"x-user": "alice"})
    assert plain.content == b"plain"
    assert plain["Allow"] == "GET, POST, DELETE, HEAD, OPTIONS"


async def test_exceptions_go_through_the_exception_handler(settings: Any) -> None:
    """An APIException becomes DRF's response; other exceptions propagate (a 500)."""
    client = AsyncClient(raise_request_exception=False)
    missing = await client.get("/failing/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Nothing here."}
    crash = await client.post("/failing/")
    assert crash.status_code == 500
    with pytest.raises(RuntimeError, match="boom"):
        await AsyncClient().post("/failing/")


async def test_custom_exception_handler_is_used(aclient: AsyncClient, settings: Any) -> None:
    """The view reads EXCEPTION_HANDLER through its `settings`, like DRF's APIView."""
    from rest_framework.settings import api_settings

    def handler(exc: Exception, context: dict[str, Any]) -> Response:
        return Response(
            {"handled": type(exc).__name__, "view": type(context["view"]).__name__}, 418
        )

    original = api_settings.EXCEPTION_HANDLER
    api_settings.EXCEPTION_HANDLER = handler
    try:
        response = await aclient.post("/failing/")
    finally:
        api_settings.EXCEPTION_HANDLER = original
    assert response.status_code == 418
    assert response.json() == {"handled": "RuntimeError", "view": "Failing"}


async def test_head_and_options(aclient: AsyncClient, user: User) -> None:
    """HEAD runs get without a body; OPTIONS uses the metadata class."""
    head = await aclient.head("/echo/", headers={"x-user": "alice"})
    assert head.status_code == 200
    assert head.content == b""
    options = await aclient.options("/echo/", headers={"x-user": "alice"})
    assert options.json()["name"] == "Echo"
    assert options.json()["renders"] == ["application/json", "text/html"]


async def test_sync_and_async_initial_overrides(aclient: AsyncClient) -> None:
    """An overridden initial (sync) or ainitial (async) runs, and its super() does DRF's
    checks: request.user is authenticated by then."""
    assert (await aclient.get("/hooked/")).json() == {"user": str(AnonymousUser())}
    assert EVENTS == ["initial"]
    EVENTS.clear()
    assert (await aclient.get("/async-hooked/")).json() == {"ok": True}
    assert EVENTS == ["ainitial", "acheck_permissions"]
    denied = await aclient.get("/async-hooked/?deny=1")
    assert denied.status_code == 403
    assert denied.json() == {"detail": "denied by hook"}
