"""Writes are atomic: an exception anywhere in create, update or destroy, sync or async,
leaves the database as it was, and the error goes through DRF's exception handler."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import AsyncClient
from rest_framework.exceptions import ValidationError
from rest_framework.routers import SimpleRouter
from rest_framework.serializers import BaseSerializer

from async_viewsets import ActionConfig, AsyncModelViewSet, ModelViewSet
from tests.testapp.models import Author, Book, Tag
from tests.testapp.serializers import BookSerializer, NestedBookWriteSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class SyncFailures(AsyncModelViewSet[Book, BookSerializer]):
    """Each perform_* hook writes, then fails."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {"create": ActionConfig(serializer_class=NestedBookWriteSerializer)}

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.save()
        if self.request.query_params.get("fail") == "validation":
            raise ValidationError({"title": ["rejected after saving"]})
        if self.request.query_params.get("fail") == "crash":
            raise RuntimeError("perform_create failed after saving")

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        serializer.save()
        raise RuntimeError("perform_update failed after saving")

    def perform_destroy(self, instance: Book) -> None:
        instance.delete()
        raise RuntimeError("perform_destroy failed after deleting")


class AsyncFailures(AsyncModelViewSet[Book, BookSerializer]):
    """The async twins write through the async ORM, then fail."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer

    async def aperform_create(self, serializer: BaseSerializer[Any]) -> None:
        await super().aperform_create(serializer)
        await Tag.objects.acreate(name="side effect")
        raise RuntimeError("aperform_create failed after saving")

    async def aperform_update(self, serializer: BaseSerializer[Any]) -> None:
        await super().aperform_update(serializer)
        raise ValidationError({"title": ["rejected after saving"]})

    async def aperform_destroy(self, instance: Book) -> None:
        await instance.adelete()
        raise RuntimeError("aperform_destroy failed after deleting")


class SyncTwinFailures(ModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.save()
        raise RuntimeError("sync twin failed after saving")


router = SimpleRouter()
router.register("sync", SyncFailures, basename="sync")
router.register("async", AsyncFailures, basename="async")
router.register("twin", SyncTwinFailures, basename="twin")
urlpatterns = router.urls


@pytest.fixture
def client500() -> AsyncClient:
    return AsyncClient(raise_request_exception=False)


@pytest.fixture
def book(db: None) -> Book:
    return Book.objects.create(title="Solaris", author=Author.objects.create(name="Lem"))


async def _state() -> tuple[list[str], list[str]]:
    titles = [t async for t in Book.objects.order_by("id").values_list("title", flat=True)]
    tags = [t async for t in Tag.objects.values_list("name", flat=True)]
    return titles, tags


async def test_sync_perform_create_failures(client500: AsyncClient, book: Book) -> None:
    """A crash is a 500 and a ValidationError a 400; neither leaves the new book or tags."""
    body = {"title": "Fiasco", "author": book.author_id, "tag_names": ["a", "b"]}
    crash = await client500.post("/sync/?fail=crash", body, content_type="application/json")
    assert crash.status_code == 500
    invalid = await client500.post("/sync/?fail=validation", body, content_type="application/json")
    assert invalid.status_code == 400
    assert invalid.json() == {"title": ["rejected after saving"]}
    assert await _state() == (["Solaris"], [])
    ok = await client500.post("/sync/", body, content_type="application/json")
    assert ok.status_code == 201
    assert await _state() == (["Solaris", "Fiasco"], ["a", "b"])


async def test_nested_write_failure(client500: AsyncClient, book: Book) -> None:
    """serializer.create fails after creating the book and a tag: nothing remains."""
    body = {"title": "Eden", "author": book.author_id, "tag_names": ["kept?", "explode"]}
    response = await client500.post("/sync/", body, content_type="application/json")
    assert response.status_code == 500
    assert await _state() == (["Solaris"], [])


async def test_sync_update_and_destroy_failures(client500: AsyncClient, book: Book) -> None:
    """The update and the delete are rolled back."""
    body = {"title": "Changed", "author": book.author_id}
    response = await client500.put(f"/sync/{book.pk}/", body, content_type="application/json")
    assert response.status_code == 500
    assert (await client500.delete(f"/sync/{book.pk}/")).status_code == 500
    assert await _state() == (["Solaris"], [])


async def test_async_hook_failures(client500: AsyncClient, book: Book) -> None:
    """Writes made by async hooks through the async ORM share the transaction."""
    body = {"title": "Golem", "author": book.author_id}
    assert (
        await client500.post("/async/", body, content_type="application/json")
    ).status_code == 500
    update = await client500.patch(
        f"/async/{book.pk}/", {"title": "Changed"}, content_type="application/json"
    )
    assert update.status_code == 400
    assert update.json() == {"title": ["rejected after saving"]}
    assert (await client500.delete(f"/async/{book.pk}/")).status_code == 500
    assert await _state() == (["Solaris"], [])


def test_sync_twin_failure(book: Book) -> None:
    """The sync ModelViewSet twin is atomic too."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    body = {"title": "Golem", "author": book.author_id}
    assert client.post("/twin/", body, content_type="application/json").status_code == 500
    assert list(Book.objects.values_list("title", flat=True)) == ["Solaris"]
