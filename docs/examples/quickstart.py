"""Quick start: one async viewset with per-action configuration, routed by DRF's router."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bookshop.authors.models import Author
from django.contrib.auth.models import User

if TYPE_CHECKING:
    from django.test import AsyncClient

# --8<-- [start:viewset]
from bookshop.books.models import Book
from bookshop.books.serializers import BookListSerializer, BookSerializer, BookWriteSerializer
from rest_framework.permissions import IsAdminUser, IsAuthenticatedOrReadOnly

from async_viewsets import ActionConfig, AsyncModelViewSet


class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer  # retrieve, and the answer to create/update
    permission_classes = [IsAuthenticatedOrReadOnly]
    action_configs = {
        "list": ActionConfig(response_serializer_class=BookListSerializer),
        "create": ActionConfig(request_serializer_class=BookWriteSerializer),
        "destroy": ActionConfig(permission_classes=[IsAdminUser]),
    }


# --8<-- [end:viewset]

# --8<-- [start:urls]
from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register("books", BookViewSet)

urlpatterns = [path("api/", include(router.urls))]
# --8<-- [end:urls]


async def check(client: AsyncClient) -> None:
    author = await Author.objects.acreate(name="Italo Calvino")
    await Book.objects.acreate(title="Invisible Cities", author=author, isbn="1", year=1972)
    listed = (await client.get("/api/books/")).json()
    assert listed == [
        {
            "url": listed[0]["url"],
            "id": listed[0]["id"],
            "title": "Invisible Cities",
            "author": "Italo Calvino",
            "year": 1972,
        }
    ]
    user = await User.objects.acreate_user("reader")
    await client.aforce_login(user)
    payload = {"title": "Cosmicomics", "author": author.pk, "isbn": "2", "year": 1965}
    created = await client.post("/api/books/", payload, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["added_by"] == "reader"
    assert created.json()["author"] == {"id": author.pk, "name": "Italo Calvino"}
    refused = await client.delete(f"/api/books/{created.json()['id']}/")
    assert refused.status_code == 403
