"""The async pipeline: hop counts, async and sync hooks, atomic writes, ATOMIC_REQUESTS.

``check`` measures the thread hops (``sync_to_async`` calls) that the async pipeline page
quotes, against an empty ``async def`` Django view on the same middleware stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from asgiref.sync import sync_to_async
from bookshop.authors.models import Author
from bookshop.authors.serializers import AuthorSerializer
from bookshop.books.models import Book
from bookshop.books.serializers import BookSerializer, BookWriteSerializer
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.routers import DefaultRouter

if TYPE_CHECKING:
    from django.test import AsyncClient

# --8<-- [start:sync-components]
from async_viewsets import AsyncModelViewSet


class PagedAuthors(PageNumberPagination):
    page_size = 10


class AuthorViewSet(AsyncModelViewSet[Author, AuthorSerializer]):
    """Only sync DRF components: each request's sync work takes one thread hop."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    authentication_classes = [SessionAuthentication, BasicAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = PagedAuthors


# --8<-- [end:sync-components]

# --8<-- [start:async-permission]
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class ShopIsOpen(BasePermission):
    """An async permission: ``ahas_permission`` is awaited on the event loop."""

    async def ahas_permission(self, request: Request, view: APIView) -> bool:
        return await Author.objects.aexists()  # any async I/O: cache, HTTP, async ORM

    def has_permission(self, request: Request, view: APIView) -> bool:
        return Author.objects.exists()  # for sync callers (DRF's sync views)


class OpenHoursAuthorViewSet(AuthorViewSet):
    permission_classes = [ShopIsOpen]


# --8<-- [end:async-permission]

# --8<-- [start:hooks]
from rest_framework.serializers import BaseSerializer

audit_log: list[str] = []


async def notify(message: str) -> None:
    """Stands for any async side effect: a message queue, a webhook, a cache."""
    audit_log.append(message)


class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer
    request_serializer_class = BookWriteSerializer

    async def aperform_create(self, serializer: BaseSerializer[Any]) -> None:
        # An async override of the hook: awaited on the loop, inside the write's transaction.
        await super().aperform_create(serializer)  # saves, in the request's worker thread
        await notify(f"created {serializer.validated_data['title']}")

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        # A sync override: called in the worker thread, inside the write's transaction.
        serializer.save()
        if serializer.validated_data.get("year", 0) > 2100:
            raise ValueError("from the future")  # rolls the whole update back


# --8<-- [end:hooks]


# --8<-- [start:opt-out]
class UnguardedBookViewSet(BookViewSet):
    atomic_writes = False  # no transaction.atomic around create/update/destroy


# --8<-- [end:opt-out]


async def empty_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The baseline: an empty ``async def`` Django view behind the same middleware."""
    return HttpResponse(b"")


router = DefaultRouter()
router.register("authors", AuthorViewSet, basename="author")
router.register("open-authors", OpenHoursAuthorViewSet, basename="open-author")
router.register("books", BookViewSet, basename="book")
router.register("unguarded-books", UnguardedBookViewSet, basename="unguarded-book")
urlpatterns = [
    path("empty/", empty_view),
    path("empty/<int:pk>/", empty_view),
    path("", include(router.urls)),
]

HopCounter = Callable[[], Any]

# The figures the async pipeline page quotes: hops beyond the empty async view.
EXTRA_HOPS = {"list": 1, "retrieve": 1, "create": 1, "update": 1, "partial_update": 1, "destroy": 1}


async def check(client: AsyncClient, hops: HopCounter) -> None:
    await hop_counts(client, hops)
    await hooks_and_transactions(client)
    await atomic_requests_is_refused(client)


async def count(hops: HopCounter, request: Any) -> tuple[int, int]:
    with hops() as counter:
        response = await request
    return response.status_code, counter.value


async def hop_counts(client: AsyncClient, hops: HopCounter) -> None:
    user = await User.objects.acreate_user("hopper", password="pw")
    await client.aforce_login(user)
    author = await Author.objects.acreate(name="A")
    doomed = await Author.objects.acreate(name="Z")
    json = "application/json"

    _, baseline = await count(hops, client.get("/empty/"))
    assert (await count(hops, client.post("/empty/", {}, content_type=json)))[1] == baseline
    measured = {
        "list": await count(hops, client.get("/authors/")),
        "retrieve": await count(hops, client.get(f"/authors/{author.pk}/")),
        "create": await count(hops, client.post("/authors/", {"name": "B"}, content_type=json)),
        "update": await count(
            hops, client.put(f"/authors/{author.pk}/", {"name": "C"}, content_type=json)
        ),
        "partial_update": await count(
            hops, client.patch(f"/authors/{author.pk}/", {"name": "D"}, content_type=json)
        ),
        "destroy": await count(hops, client.delete(f"/authors/{doomed.pk}/")),
    }
    assert {name: status for name, (status, _) in measured.items()} == {
        "list": 200,
        "retrieve": 200,
        "create": 201,
        "update": 200,
        "partial_update": 200,
        "destroy": 204,
    }
    assert {name: n - baseline for name, (_, n) in measured.items()} == EXTRA_HOPS

    # An awaited async component adds one return trip to the worker thread, plus its own
    # awaits: Django's async ORM (aexists here) is itself one sync_to_async hop per query.
    status, with_async_permission = await count(hops, client.get("/open-authors/"))
    assert status == 200
    assert with_async_permission - baseline == EXTRA_HOPS["list"] + 1 + 1


async def hooks_and_transactions(client: AsyncClient) -> None:
    admin = await User.objects.acreate_superuser("boss", password="pw")
    await client.aforce_login(admin)
    author = await Author.objects.acreate(name="Le Guin")
    payload = {"title": "Lavinia", "author": author.pk, "isbn": "1", "year": 2008}
    created = await client.post("/books/", payload, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["added_by"] == "boss"
    assert audit_log[-1] == "created Lavinia"

    url = f"/books/{created.json()['id']}/"
    with pytest.raises(ValueError, match="from the future"):
        await client.patch(url, {"year": 2200}, content_type="application/json")
    book = await Book.objects.aget(isbn="1")
    assert book.year == 2008  # the save was rolled back with the failed update

    unguarded = f"/unguarded-books/{book.pk}/"
    with pytest.raises(ValueError, match="from the future"):
        await client.patch(unguarded, {"year": 2200}, content_type="application/json")
    assert (await Book.objects.aget(isbn="1")).year == 2200  # no transaction: the save stayed


async def atomic_requests_is_refused(client: AsyncClient) -> None:
    def set_atomic_requests(value: bool) -> None:
        connection.settings_dict["ATOMIC_REQUESTS"] = value

    await sync_to_async(set_atomic_requests)(True)
    try:
        with pytest.raises(RuntimeError, match="You cannot use ATOMIC_REQUESTS with async views"):
            await client.get("/authors/")
    finally:
        await sync_to_async(set_atomic_requests)(False)
