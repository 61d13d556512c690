"""``async_viewsets.test``: the async API client and request factory behave as DRF's, and the two
guards (thread hops, ORM on the event loop) fail exactly when they should."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import SynchronousOnlyOperation
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncModelViewSet, AsyncViewSet, action
from async_viewsets.test import (
    AsyncAPIClient,
    AsyncAPIRequestFactory,
    assert_max_hops,
    assert_no_orm_on_event_loop,
    count_hops,
)
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
pytest_plugins = ["pytester"]


class Books(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class Echo(AsyncViewSet):
    authentication_classes = [SessionAuthentication, TokenAuthentication]

    @action(detail=False, methods=["get", "post", "put", "patch", "delete"])
    async def echo(self, request: Request) -> Response:
        return Response(
            {
                "user": request.user.get_username() or None,
                "auth": type(request.auth).__name__,
                "data": request.data,
                "query": request.query_params.dict(),
                "content_type": request.content_type,
                "remote_addr": request.META.get("REMOTE_ADDR"),
                "header": request.META.get("HTTP_X_TRACE"),
            }
        )

    @action(detail=False)
    async def swallow(self, request: Request) -> Response:
        """Touches the ORM on the event loop and hides the error: a bug the guard must catch."""
        try:
            await_nothing = Book.objects.count()
        except SynchronousOnlyOperation:
            await_nothing = -1
        return Response({"count": await_nothing})


router = SimpleRouter()
router.register("books", Books, basename="books")
router.register("echo", Echo, basename="echo")
urlpatterns = router.urls


@pytest.fixture
def author(db: None) -> Author:
    return Author.objects.create(name="Ann")


async def test_client_encodes_like_drf(author: Author) -> None:
    """``format="json"`` (and the default format) encode the body with DRF's renderers; the
    response carries ``.data``; GET data becomes the query string."""
    client = AsyncAPIClient()
    response = await client.post("/books/", {"title": "Dune", "author": author.pk}, format="json")
    assert response.status_code == 201
    assert response.data["title"] == "Dune"
    echoed = (await client.patch("/echo/echo/", {"a": [1, 2]})).data
    assert (echoed["data"], echoed["content_type"]) == ({"a": [1, 2]}, "application/json")
    echoed = (await client.post("/echo/echo/", {"a": "1"}, format="multipart")).data
    assert echoed["data"]["a"] == "1"
    assert echoed["content_type"].startswith("multipart/form-data")
    echoed = (await client.get("/echo/echo/", {"q": "x"})).data
    assert echoed["query"] == {"q": "x"}
    echoed = (await client.delete("/echo/echo/", content_type="application/json")).data
    assert echoed["content_type"] == "application/json"  # as DRF: sent even without a body
    assert (await client.delete("/echo/echo/")).data["content_type"] == ""


async def test_client_wsgi_style_headers_and_remote_addr(db: None) -> None:
    """DRF-style keyword arguments (``HTTP_X_TRACE``, ``REMOTE_ADDR``) reach ``request.META``
    under their usual names, also under ``asyncio.gather``."""
    import asyncio

    client = AsyncAPIClient()
    responses = await asyncio.gather(
        *(
            client.get("/echo/echo/", HTTP_X_TRACE=f"t{i}", REMOTE_ADDR=f"10.0.0.{i}")
            for i in range(5)
        )
    )
    assert [(r.data["header"], r.data["remote_addr"]) for r in responses] == [
        (f"t{i}", f"10.0.0.{i}") for i in range(5)
    ]


async def test_force_authenticate_credentials_login_logout(user: User) -> None:
    """``force_authenticate``, ``credentials`` and ``alogin`` authenticate as DRF's client;
    ``alogout`` ends all three."""
    client = AsyncAPIClient()
    assert (await client.get("/echo/echo/")).data["user"] is None
    token = await Token.objects.acreate(user=user)
    client.force_authenticate(user, token)
    forced = (await client.get("/echo/echo/")).data
    assert (forced["user"], forced["auth"]) == ("alice", "Token")
    client.force_authenticate()
    assert (await client.get("/echo/echo/")).data["user"] is None
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert (await client.get("/echo/echo/")).data["user"] == "alice"
    await client.alogout()
    assert (await client.get("/echo/echo/")).data["user"] is None
    assert await client.alogin(username="alice", password="pw")
    assert (await client.get("/echo/echo/")).data["user"] == "alice"
    await client.alogout()
    assert (await client.get("/echo/echo/")).data["user"] is None


async def test_csrf_is_enforced_on_request(user: User) -> None:
    """With ``enforce_csrf_checks=True`` a logged-in unsafe request without a token is 403."""
    client = AsyncAPIClient(enforce_csrf_checks=True)
    await client.aforce_login(user)
    assert (await client.post("/echo/echo/", {})).status_code == 403
    assert (await AsyncAPIClient().post("/echo/echo/", {})).status_code == 200


async def test_request_factory(author: Author) -> None:
    """The factory builds ASGI requests (CSRF-exempt, DRF-encoded) that a view accepts."""
    factory = AsyncAPIRequestFactory()
    request = factory.post("/books/", {"title": "Emma", "author": author.pk}, format="json")
    assert request._dont_enforce_csrf_checks is True  # type: ignore[attr-defined]
    assert request.META["CONTENT_TYPE"] == "application/json"
    view: Any = Books.as_view({"post": "create"})
    response = await view(request)
    assert response.status_code == 201
    assert response.data["title"] == "Emma"
    request = factory.get("/books/", HTTP_X_TRACE="abc")
    assert request.META["HTTP_X_TRACE"] == "abc"


async def test_assert_max_hops(author: Author, hops: Any) -> None:
    """``assert_max_hops`` counts what the suite's own hop counter counts, passes within the
    budget and fails above it."""
    client = AsyncAPIClient()
    with hops() as reference, count_hops() as counted:
        await client.get("/books/")
    assert counted.value == reference.value > 0
    with assert_max_hops(counted.value):
        await client.get("/books/")
    with (
        pytest.raises(AssertionError, match=r"thread hops .*more than the 1 allowed"),
        assert_max_hops(1),
    ):
        await client.get("/books/")


async def test_assert_no_orm_on_event_loop_catches_swallowed_errors(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view that catches ``SynchronousOnlyOperation`` answers 200, yet the guard fails; it
    also fails with ``DJANGO_ALLOW_ASYNC_UNSAFE`` set, which it restores afterwards. A view that
    uses the async ORM passes."""
    client = AsyncAPIClient()
    with (
        pytest.raises(AssertionError, match="the ORM was used from the event loop"),
        assert_no_orm_on_event_loop(),
    ):
        response = await client.get("/echo/swallow/")
        assert response.data == {"count": -1}
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with pytest.raises(AssertionError), assert_no_orm_on_event_loop():
        await client.get("/echo/swallow/")
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"
    with assert_no_orm_on_event_loop() as reports:
        assert (await client.get("/books/")).status_code == 200
    assert reports == []


def test_pytest_plugin(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin's fixtures: the clients, ``max_hops``, and ``no_orm_on_event_loop`` failing a
    test that hid an ORM call on the loop."""
    pytester.makepyfile(
        """
        import asyncio
        from django.contrib.auth.models import User
        from django.core.exceptions import SynchronousOnlyOperation
        from async_viewsets.test import AsyncAPIClient, AsyncAPIRequestFactory

        def test_fixtures(async_api_client, async_api_request_factory, max_hops):
            assert isinstance(async_api_client, AsyncAPIClient)
            assert isinstance(async_api_request_factory, AsyncAPIRequestFactory)
            with max_hops(0):
                pass

        def test_hidden_orm_call(no_orm_on_event_loop):
            async def view():
                try:
                    User.objects.count()
                except SynchronousOnlyOperation:
                    pass
            asyncio.run(view())
        """
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    monkeypatch.setenv("PYTHONPATH", root)
    outcome = pytester.runpytest_subprocess(
        "-p", "async_viewsets.pytest_plugin", "--ds=tests.settings", "-p", "no:cacheprovider"
    )
    outcome.assert_outcomes(passed=2, errors=1)
    outcome.stdout.fnmatch_lines(["*the ORM was used from the event loop 1 time(s)*"])
