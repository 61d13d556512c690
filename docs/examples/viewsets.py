"""Viewsets: async and sync twins, composing mixins, ``@action``, routers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bookshop.authors.models import Author
from bookshop.authors.serializers import AuthorSerializer
from bookshop.books.models import Book
from bookshop.books.serializers import BookListSerializer, BookSerializer
from bookshop.reviews.models import Review
from django.urls import include, path

if TYPE_CHECKING:
    from django.test import AsyncClient

# --8<-- [start:model-viewset]
from rest_framework.permissions import IsAdminUser, IsAuthenticatedOrReadOnly

from async_viewsets import ActionConfig, AsyncModelViewSet


class AuthorViewSet(AsyncModelViewSet[Author, AuthorSerializer]):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    action_configs = {"destroy": ActionConfig(permission_classes=[IsAdminUser])}


# --8<-- [end:model-viewset]

# --8<-- [start:action]
from django.db.models import Avg
from rest_framework.request import Request
from rest_framework.response import Response

from async_viewsets import AsyncReadOnlyModelViewSet, action


class ShelfViewSet(AsyncReadOnlyModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer

    @action(detail=True)
    async def rating(self, request: Request, pk: str | None = None) -> Response:
        book = await self.aget_object()  # the queryset, filters, 404 and object permissions
        stats = await Review.objects.filter(book=book).aaggregate(average=Avg("rating"))
        return Response({"book": book.title, "average": stats["average"]})

    @action(detail=False, methods=["get"], url_path="by-year/(?P<year>[0-9]{4})")
    def by_year(self, request: Request, year: str) -> Response:
        # A plain `def` action runs in the request's worker thread: the ORM is fine here.
        books = self.get_queryset().filter(year=int(year))
        return Response(BookListSerializer(books, many=True, context={"request": request}).data)


# --8<-- [end:action]

# --8<-- [start:plain-viewset]
from async_viewsets import AsyncViewSet


class StatusViewSet(AsyncViewSet):
    """No model: write the actions yourself, ``async def`` or ``def``."""

    async def list(self, request: Request) -> Response:
        return Response({"books": await Book.objects.acount()})


# --8<-- [end:plain-viewset]

# --8<-- [start:composed]
from async_viewsets import AsyncCreateModelMixin, AsyncGenericViewSet, AsyncListModelMixin


class GuestbookViewSet(
    AsyncCreateModelMixin[Author, AuthorSerializer],
    AsyncListModelMixin[Author, AuthorSerializer],
    AsyncGenericViewSet[Author, AuthorSerializer],
):
    """Only ``list`` and ``create``: the router routes no detail URL."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer


# --8<-- [end:composed]

# --8<-- [start:sync-twin]
from async_viewsets import ModelViewSet


class SyncAuthorViewSet(ModelViewSet[Author, AuthorSerializer]):
    """DRF's ModelViewSet plus ``action_configs`` and atomic writes, for WSGI."""

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    action_configs = {"destroy": ActionConfig(permission_classes=[IsAdminUser])}


# --8<-- [end:sync-twin]

# --8<-- [start:router]
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register("authors", AuthorViewSet)
router.register("shelf", ShelfViewSet, basename="book")  # BookListSerializer links book-detail
router.register("status", StatusViewSet, basename="status")
router.register("guestbook", GuestbookViewSet, basename="guestbook")
router.register("sync-authors", SyncAuthorViewSet, basename="sync-author")
# --8<-- [end:router]

urlpatterns = [path("", include(router.urls))]


async def check(client: AsyncClient) -> None:
    author = await Author.objects.acreate(name="Octavia E. Butler")
    book = await Book.objects.acreate(title="Kindred", author=author, isbn="1", year=1979)
    assert (await client.get("/authors/")).json()[0]["name"] == "Octavia E. Butler"
    # The sync twin answers the same request the same way.
    assert (await client.get("/sync-authors/")).json()[0]["name"] == "Octavia E. Butler"

    rating = await client.get(f"/shelf/{book.pk}/rating/")
    assert rating.json() == {"book": "Kindred", "average": None}
    assert (await client.get("/shelf/999999/rating/")).status_code == 404
    by_year = (await client.get("/shelf/by-year/1979/")).json()
    assert [row["title"] for row in by_year] == ["Kindred"]

    assert (await client.get("/status/")).json() == {"books": 1}

    assert (await client.get("/guestbook/")).status_code == 200
    assert (await client.get(f"/guestbook/{author.pk}/")).status_code == 404  # no such route
    # Anonymous users may read but not delete.
    assert (await client.delete(f"/authors/{author.pk}/")).status_code == 403
    assert (await client.delete(f"/sync-authors/{author.pk}/")).status_code == 403
