"""Async viewsets under stock DRF routers and direct ``as_view()``: every standard action,
``@action`` handlers (async and sync), ``self.action``, HEAD, OPTIONS and 405."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from asgiref.sync import iscoroutinefunction
from django.test import AsyncClient
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter, SimpleRouter

from async_viewsets import (
    ActionConfig,
    AsyncGenericViewSet,
    AsyncModelViewSet,
    AsyncReadOnlyModelViewSet,
    AsyncViewSet,
    ModelViewSet,
    action,
)
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SEEN_ACTIONS: list[str | None] = []


class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def get_serializer_context(self) -> Mapping[str, Any]:
        SEEN_ACTIONS.append(self.action)
        return super().get_serializer_context()

    @action(detail=True, methods=["post"])
    async def unpublish(self, request: Request, pk: str | None = None) -> Response:
        book = await self.aget_object()
        book.published = False
        await book.asave(update_fields=["published"])
        return Response({"id": book.pk, "published": book.published, "action": self.action})

    @unpublish.mapping.delete
    async def republish(self, request: Request, pk: str | None = None) -> Response:
        book = await self.aget_object()
        book.published = True
        await book.asave(update_fields=["published"])
        return Response({"published": True, "action": self.action})

    @action(detail=False)
    def titles(self, request: Request) -> Response:
        """A plain ``def`` action on an async viewset runs in the worker thread."""
        return Response(sorted(self.get_queryset().values_list("title", flat=True)))


class ReadOnlyBooks(AsyncReadOnlyModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class Ping(AsyncViewSet):
    async def list(self, request: Request) -> Response:
        return Response({"pong": True, "action": self.action})


class Counting(AsyncGenericViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    async def list(self, request: Request) -> Response:
        return Response(
            {"count": await (await self.afilter_queryset(self.get_queryset())).acount()}
        )


default_router = DefaultRouter()
default_router.register("books", BookViewSet)
default_router.register("ro-books", ReadOnlyBooks, basename="ro-book")
simple_router = SimpleRouter()
simple_router.register("ping", Ping, basename="ping")
simple_router.register("counting", Counting, basename="counting")

urlpatterns = [
    *default_router.urls,
    *simple_router.urls,
    path("direct/", BookViewSet.as_view({"get": "list", "post": "create"})),
    path("direct/<int:pk>/", BookViewSet.as_view({"get": "retrieve", "delete": "destroy"})),
]


@pytest.fixture
def author(db: None) -> Author:
    return Author.objects.create(name="Ursula")


@pytest.fixture
def book(author: Author) -> Book:
    return Book.objects.create(title="The Dispossessed", author=author)


def test_as_view_returns_a_coroutine_view() -> None:
    """Django awaits the view instead of running it in a thread."""
    view = BookViewSet.as_view({"get": "list"})
    assert iscoroutinefunction(view)
    assert view.cls is BookViewSet  # type: ignore[attr-defined]
    assert view.actions == {"get": "list"}  # type: ignore[attr-defined]


def test_routers_register_standard_and_extra_actions() -> None:
    """DefaultRouter sees the standard actions and the async @action with its extra mapping."""
    names = {getattr(p, "name", None) for p in default_router.urls}
    assert {"book-list", "book-detail", "book-unpublish", "book-titles", "ro-book-list"} <= names
    assert {a.__name__ for a in BookViewSet.get_extra_actions()} == {"unpublish", "titles"}
    route = next(p for p in default_router.urls if getattr(p, "name", None) == "book-unpublish")
    callback: Any = getattr(route, "callback", None)
    assert callback.actions == {"post": "unpublish", "delete": "republish"}


async def test_crud_through_the_router(aclient: AsyncClient, author: Author) -> None:
    """create, list, retrieve, update, partial_update and destroy with DRF's responses."""
    SEEN_ACTIONS.clear()
    created = await aclient.post(
        "/books/", {"title": "Lathe", "author": author.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json() == {
        "id": pk,
        "title": "Lathe",
        "author": author.pk,
        "author_name": "Ursula",
        "tags": [],
        "published": True,
        "review_count": 0,
    }
    listed = await aclient.get("/books/")
    assert listed.status_code == 200
    assert [b["title"] for b in listed.json()] == ["Lathe"]
    retrieved = await aclient.get(f"/books/{pk}/")
    assert retrieved.json()["title"] == "Lathe"
    updated = await aclient.put(
        f"/books/{pk}/",
        {"title": "The Lathe of Heaven", "author": author.pk, "published": False},
        content_type="application/json",
    )
    assert updated.status_code == 200
    assert updated.json()["title"] == "The Lathe of Heaven"
    assert updated.json()["published"] is False
    patched = await aclient.patch(
        f"/books/{pk}/", {"published": True}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["published"] is True
    assert patched.json()["title"] == "The Lathe of Heaven"
    deleted = await aclient.delete(f"/books/{pk}/")
    assert deleted.status_code == 204
    assert not await Book.objects.filter(pk=pk).aexists()
    assert SEEN_ACTIONS == ["create", "list", "retrieve", "update", "partial_update"]


async def test_async_action_and_its_extra_mapping(aclient: AsyncClient, book: Book) -> None:
    """An async @action runs with self.action set, and so does its .mapping twin."""
    response = await aclient.post(f"/books/{book.pk}/unpublish/")
    assert response.json() == {"id": book.pk, "published": False, "action": "unpublish"}
    await book.arefresh_from_db()
    assert book.published is False
    response = await aclient.delete(f"/books/{book.pk}/unpublish/")
    assert response.json() == {"published": True, "action": "republish"}


async def test_sync_action_on_async_viewset(aclient: AsyncClient, book: Book) -> None:
    """A plain def action touches the ORM without SynchronousOnlyOperation."""
    response = await aclient.get("/books/titles/")
    assert response.status_code == 200
    assert response.json() == ["The Dispossessed"]


async def test_direct_as_view(aclient: AsyncClient, author: Author, book: Book) -> None:
    """as_view() with an explicit action map works without a router."""
    assert (await aclient.get("/direct/")).json()[0]["id"] == book.pk
    assert (await aclient.get(f"/direct/{book.pk}/")).json()["title"] == book.title
    assert (await aclient.delete(f"/direct/{book.pk}/")).status_code == 204
    assert (await aclient.put("/direct/")).status_code == 405


async def test_read_only_viewset_refuses_writes(aclient: AsyncClient, book: Book) -> None:
    """Read-only viewsets route list/retrieve only; writes get DRF's 405."""
    assert (await aclient.get(f"/ro-books/{book.pk}/")).status_code == 200
    response = await aclient.post("/ro-books/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


async def test_head_and_options(aclient: AsyncClient, book: Book) -> None:
    """HEAD answers like GET without a body; OPTIONS describes the view as DRF's metadata."""
    head = await aclient.head("/books/")
    assert head.status_code == 200
    assert head.content == b""
    options = await aclient.options("/books/")
    assert options.status_code == 200
    body = options.json()
    assert body["name"] == "Book List"
    assert set(body["actions"]["POST"]) >= {"title", "author", "tags"}
    assert options["Allow"] == "GET, POST, HEAD, OPTIONS"


async def test_plain_async_viewset_and_generic_viewset(aclient: AsyncClient, book: Book) -> None:
    """AsyncViewSet and AsyncGenericViewSet run hand-written async actions."""
    assert (await aclient.get("/ping/")).json() == {"pong": True, "action": "list"}
    assert (await aclient.get("/counting/")).json() == {"count": 1}


def test_as_view_rejects_unknown_action_names() -> None:
    """A routed action name the class lacks fails at as_view(), naming the class and the fix."""
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(
        ImproperlyConfigured, match=r"ReadOnlyBooks\.as_view\(\) maps POST to 'create'"
    ):
        ReadOnlyBooks.as_view({"post": "create"})


@pytest.mark.parametrize("base", [AsyncModelViewSet, ModelViewSet])
def test_missing_queryset_or_serializer_fails_at_as_view(base: type[Any]) -> None:
    """A routed model action without a queryset or serializer fails when it is routed,
    naming the class, the action and the fix, instead of a 500 on the first request."""
    from django.core.exceptions import ImproperlyConfigured

    no_queryset: Any = type("NoQueryset", (base,), {"serializer_class": BookSerializer})
    with pytest.raises(ImproperlyConfigured, match=r"NoQueryset routes 'list' but has no queryset"):
        no_queryset.as_view({"get": "list"})
    no_queryset.as_view({"post": "create"})  # create needs no queryset
    no_serializer: Any = type("NoSerializer", (base,), {"queryset": Book.objects.all()})
    with pytest.raises(ImproperlyConfigured, match=r"NoSerializer routes 'retrieve' but has no"):
        no_serializer.as_view({"get": "retrieve"})
    no_serializer.as_view({"delete": "destroy"})  # destroy serializes nothing
    configured: Any = type(
        "Configured",
        (base,),
        {
            "action_configs": {
                "list": ActionConfig(queryset=Book.objects.all(), serializer_class=BookSerializer)
            }
        },
    )
    configured.as_view({"get": "list"})
