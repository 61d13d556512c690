"""Migrating: a DRF viewset with an ``if self.action`` ladder, and the same viewset here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bookshop.authors.models import Author
from bookshop.books.models import Book
from django.contrib.auth.models import User
from django.urls import include, path
from rest_framework.routers import DefaultRouter

if TYPE_CHECKING:
    from django.test import AsyncClient

# --8<-- [start:drf]
from bookshop.books.serializers import BookListSerializer, BookSerializer, BookWriteSerializer
from rest_framework import permissions, viewsets
from rest_framework.serializers import BaseSerializer


class DRFBookViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "list":
            return BookListSerializer
        if self.action == "create":
            return BookWriteSerializer  # ... and the 201 shows the write shape
        return BookSerializer

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.action == "destroy":
            return [permissions.IsAdminUser()]
        return [permissions.IsAuthenticatedOrReadOnly()]


# --8<-- [end:drf]

# --8<-- [start:ours]
from rest_framework.permissions import IsAdminUser, IsAuthenticatedOrReadOnly

from async_viewsets import ActionConfig, AsyncModelViewSet


class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    action_configs = {
        "list": ActionConfig(serializer_class=BookListSerializer),
        "create": ActionConfig(request_serializer_class=BookWriteSerializer),  # 201: full shape
        "destroy": ActionConfig(permission_classes=[IsAdminUser]),
    }


# --8<-- [end:ours]

router = DefaultRouter()
router.register("drf-books", DRFBookViewSet, basename="drf-book")
router.register("books", BookViewSet, basename="book")
urlpatterns = [path("", include(router.urls))]


async def check(client: AsyncClient) -> None:
    author = await Author.objects.acreate(name="Ursula K. Le Guin")
    await Book.objects.acreate(title="The Lathe of Heaven", author=author, isbn="1", year=1971)
    drf_list = (await client.get("/drf-books/")).json()
    ours = (await client.get("/books/")).json()
    assert [{**row, "url": None} for row in drf_list] == [{**row, "url": None} for row in ours]

    await client.aforce_login(await User.objects.acreate_user("reader"))
    json = "application/json"
    payload = {"title": "Always Coming Home", "author": author.pk, "isbn": "2", "year": 1985}
    drf_created = (await client.post("/drf-books/", payload, content_type=json)).json()
    assert drf_created == {**payload, "summary": ""}  # DRF answers with the write serializer
    payload = {**payload, "isbn": "3", "title": "Tehanu"}
    created = (await client.post("/books/", payload, content_type=json)).json()
    assert created["author"] == {"id": author.pk, "name": "Ursula K. Le Guin"}
    assert created["added_by"] == "reader"
    assert (await client.delete(f"/books/{created['id']}/")).status_code == 403
    assert (await client.delete(f"/drf-books/{created['id']}/")).status_code == 403
