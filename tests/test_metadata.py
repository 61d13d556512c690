"""OPTIONS (DRF's ``SimpleMetadata``) describes, for each method, the serializer that the action
behind it really validates input with: ``ActionConfig.request_serializer_class``, the view's
``request_serializer_class``, ``ActionConfig.serializer_class``, then ``serializer_class``."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import AsyncClient
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import ActionConfig, AsyncModelViewSet, ModelViewSet, action
from tests.testapp.models import Author, Book
from tests.testapp.serializers import (
    BookCreateSerializer,
    BookListSerializer,
    BookSerializer,
    NestedBookWriteSerializer,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class Books(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {
        "create": ActionConfig(request_serializer_class=BookCreateSerializer),
        "update": ActionConfig(serializer_class=BookListSerializer),
        "bulk": ActionConfig(request_serializer_class=NestedBookWriteSerializer),
    }

    @action(detail=False, methods=["post"])
    async def bulk(self, request: Request) -> Response:
        return Response(status=204)


class ClassLevel(AsyncModelViewSet[Book, BookSerializer]):
    """A class-level request serializer; ``update`` overrides only ``serializer_class``."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer
    request_serializer_class = BookCreateSerializer
    action_configs = {"update": ActionConfig(serializer_class=BookListSerializer)}


class SyncBooks(ModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {"create": ActionConfig(request_serializer_class=BookCreateSerializer)}


class NoWrites(BasePermission):
    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in ("GET", "HEAD", "OPTIONS")


class Guarded(Books):
    permission_classes = [NoWrites]


router = SimpleRouter()
router.register("books", Books, basename="books")
router.register("class-level", ClassLevel, basename="class-level")
router.register("sync-books", SyncBooks, basename="sync-books")
router.register("guarded", Guarded, basename="guarded")
urlpatterns = router.urls


@pytest.fixture
def book(db: None) -> Book:
    return Book.objects.create(title="Dune", author=Author.objects.create(name="Frank"))


async def _fields(client: AsyncClient, url: str, method: str) -> dict[str, Any]:
    response = await client.options(url)
    assert response.status_code == 200, response.content
    return response.json()["actions"][method]  # type: ignore[no-any-return]


@pytest.mark.parametrize("prefix", ["books", "sync-books"])
async def test_post_describes_the_create_request_serializer(
    aclient: AsyncClient, prefix: str
) -> None:
    """POST on the list route describes ``create``'s request serializer (author by name)."""
    fields = await _fields(aclient, f"/{prefix}/", "POST")
    assert set(fields) == {"title", "author"}
    assert fields["author"]["type"] == "field"  # SlugRelatedField, not a choice of ids
    response = await aclient.post(
        f"/{prefix}/", {"title": "New", "author": "Frank"}, content_type="application/json"
    )
    assert response.status_code == 400  # the author does not exist yet: validated by name
    assert "author" in response.json()


async def test_put_describes_update_config(aclient: AsyncClient, book: Book) -> None:
    """PUT on the detail route describes ``update``'s serializer (its ActionConfig's)."""
    fields = await _fields(aclient, f"/books/{book.pk}/", "PUT")
    assert set(fields) == {"id", "title"}


async def test_extra_action_describes_its_request_serializer(aclient: AsyncClient) -> None:
    """OPTIONS on an ``@action`` route describes that action's request serializer."""
    fields = await _fields(aclient, "/books/bulk/", "POST")
    assert set(fields) == {"id", "title", "author", "tag_names"}


async def test_class_level_request_serializer(aclient: AsyncClient, book: Book) -> None:
    """The view's ``request_serializer_class`` applies to every action without its own, even
    one whose config sets only ``serializer_class`` (input still goes through the request
    serializer there)."""
    assert set(await _fields(aclient, "/class-level/", "POST")) == {"title", "author"}
    assert set(await _fields(aclient, f"/class-level/{book.pk}/", "PUT")) == {"title", "author"}


async def test_object_permissions_hide_put(aclient: AsyncClient, book: Book, user: User) -> None:
    """As DRF: a method the object permissions refuse is left out of the description."""
    response = await aclient.options(f"/guarded/{book.pk}/")
    assert response.status_code == 200
    assert "PUT" not in response.json().get("actions", {})
