"""Overridden DRF hooks are honoured, sync or async, and ``async def get_queryset`` is
rejected when the class is defined."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.test import AsyncClient
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import BaseThrottle

from async_viewsets import AsyncModelViewSet
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookListSerializer, BookSerializer

_Row = TypeVar("_Row")  # drf-stubs types filter_queryset over the queryset's row type

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CALLS: list[str] = []


class Base(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class SyncHooks(Base):
    """Every hook overridden with DRF's sync signature."""

    def get_queryset(self) -> QuerySet[Book]:
        CALLS.append("get_queryset")
        return Book.objects.filter(published=True)

    def filter_queryset(self, queryset: QuerySet[Book, _Row]) -> QuerySet[Book, _Row]:
        CALLS.append("filter_queryset")
        title = self.request.query_params.get("title")
        return queryset.filter(title=title) if title else queryset

    def get_object(self) -> Book:
        CALLS.append("get_object")
        return super().get_object()

    def get_serializer_class(self) -> type[BaseSerializer[Book]]:
        CALLS.append("get_serializer_class")
        return BookListSerializer if self.action == "list" else BookSerializer

    def get_serializer_context(self) -> Mapping[str, Any]:
        CALLS.append("get_serializer_context")
        return super().get_serializer_context()

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        CALLS.append("perform_create")
        serializer.save(published=False)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        CALLS.append("perform_update")
        serializer.save(title=serializer.validated_data["title"].upper())

    def perform_destroy(self, instance: Book) -> None:
        CALLS.append("perform_destroy")
        instance.title = "deleted"
        instance.save()


class AsyncHooks(Base):
    """The async twins overridden; each calls super() to reach the library's logic."""

    async def afilter_queryset(self, queryset: QuerySet[Book, _Row]) -> QuerySet[Book, _Row]:
        CALLS.append("afilter_queryset")
        return (await super().afilter_queryset(queryset)).exclude(title="hidden")

    async def aget_object(self) -> Book:
        CALLS.append("aget_object")
        return await super().aget_object()

    async def aperform_create(self, serializer: BaseSerializer[Any]) -> None:
        CALLS.append("aperform_create")
        await super().aperform_create(serializer)
        assert serializer.instance is not None
        await Book.objects.filter(pk=serializer.instance.pk).aupdate(title="async created")
        await serializer.instance.arefresh_from_db()

    async def aperform_update(self, serializer: BaseSerializer[Any]) -> None:
        CALLS.append("aperform_update")
        await super().aperform_update(serializer)

    async def aperform_destroy(self, instance: Book) -> None:
        CALLS.append("aperform_destroy")
        await super().aperform_destroy(instance)


class DenyTitled(BasePermission):
    message = "Books titled 'secret' are private."
    code = "secret"

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return bool(obj.title != "secret")


class Never(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        return False

    def wait(self) -> float:
        return 42


class PolicyHooks(Base):
    """get_permissions / get_throttles overrides decide per request."""

    def get_permissions(self) -> list[BasePermission]:
        CALLS.append("get_permissions")
        return [DenyTitled()]

    def get_throttles(self) -> list[BaseThrottle]:
        CALLS.append("get_throttles")
        return [Never()] if self.request.query_params.get("throttle") else []


class BothTwins(Base):
    """Both get_object and aget_object overridden: the async twin wins, and each super()
    reaches the library's lookup without recursing into the other override."""

    def get_object(self) -> Book:
        CALLS.append("get_object")
        return super().get_object()

    async def aget_object(self) -> Book:
        CALLS.append("aget_object")
        return await super().aget_object()


router = SimpleRouter()
router.register("sync", SyncHooks, basename="sync")
router.register("async", AsyncHooks, basename="async")
router.register("policy", PolicyHooks, basename="policy")
router.register("both", BothTwins, basename="both")
urlpatterns = router.urls


@pytest.fixture
def author(db: None) -> Author:
    return Author.objects.create(name="Iain")


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


async def test_sync_overrides_for_reads(aclient: AsyncClient, author: Author) -> None:
    """list and retrieve go through the overridden sync hooks."""
    await Book.objects.acreate(title="Excession", author=author)
    draft = await Book.objects.acreate(title="Draft", author=author, published=False)
    listed = await aclient.get("/sync/", {"title": "Excession"})
    assert listed.json() == [{"id": listed.json()[0]["id"], "title": "Excession"}]
    assert CALLS == [
        "get_queryset",
        "filter_queryset",
        "get_serializer_class",
        "get_serializer_context",
    ]
    CALLS.clear()
    assert (await aclient.get(f"/sync/{draft.pk}/")).status_code == 404  # get_queryset hides it
    assert CALLS[:3] == ["get_object", "get_queryset", "filter_queryset"]


async def test_sync_overrides_for_writes(aclient: AsyncClient, author: Author) -> None:
    """perform_create/update/destroy overrides are called, with their effects saved."""
    created = await aclient.post(
        "/sync/", {"title": "Matter", "author": author.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["published"] is False
    assert "perform_create" in CALLS
    book = await Book.objects.aget(title="Matter")
    book.published = True
    await book.asave()
    updated = await aclient.put(
        f"/sync/{book.pk}/",
        {"title": "matter", "author": author.pk},
        content_type="application/json",
    )
    assert updated.json()["title"] == "MATTER"
    assert "perform_update" in CALLS
    assert (await aclient.delete(f"/sync/{book.pk}/")).status_code == 204
    assert "perform_destroy" in CALLS
    await book.arefresh_from_db()
    assert book.title == "deleted"


async def test_async_overrides(aclient: AsyncClient, author: Author) -> None:
    """Async twins are awaited, and work done in them is part of the response."""
    hidden = await Book.objects.acreate(title="hidden", author=author)
    assert (await aclient.get(f"/async/{hidden.pk}/")).status_code == 404
    assert CALLS == ["aget_object", "afilter_queryset"]
    CALLS.clear()
    created = await aclient.post(
        "/async/", {"title": "Phlebas", "author": author.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["title"] == "async created"
    assert CALLS == ["aperform_create"]
    CALLS.clear()
    pk = created.json()["id"]
    patched = await aclient.patch(f"/async/{pk}/", {"title": "P"}, content_type="application/json")
    assert patched.json()["title"] == "P"
    assert CALLS == ["aget_object", "afilter_queryset", "aperform_update"]
    CALLS.clear()
    assert (await aclient.delete(f"/async/{pk}/")).status_code == 204
    assert CALLS == ["aget_object", "afilter_queryset", "aperform_destroy"]
    assert not await Book.objects.filter(pk=pk).aexists()


async def test_permission_and_throttle_overrides(
    aclient: AsyncClient, author: Author, user: User
) -> None:
    """get_permissions and get_throttles overrides decide, with DRF's messages (anonymous:
    DRF's "not authenticated" wording; signed in: the permission's own message)."""
    secret = await Book.objects.acreate(title="secret", author=author)
    anonymous = await aclient.get(f"/policy/{secret.pk}/")
    assert anonymous.json() == {"detail": "Authentication credentials were not provided."}
    await aclient.aforce_login(user)
    denied = await aclient.get(f"/policy/{secret.pk}/")
    assert denied.status_code == 403
    assert denied.json() == {"detail": "Books titled 'secret' are private."}
    throttled = await aclient.get("/policy/", {"throttle": "1"})
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "42"
    assert "get_permissions" in CALLS and "get_throttles" in CALLS


async def test_both_twins_overridden(aclient: AsyncClient, author: Author) -> None:
    """The async override runs; its super() does the lookup; no recursion."""
    book = await Book.objects.acreate(title="Look to Windward", author=author)
    response = await aclient.get(f"/both/{book.pk}/")
    assert response.status_code == 200
    assert CALLS == ["aget_object"]


def test_sync_get_object_called_directly_honours_the_async_twin(author: Author) -> None:
    """Sync code calling get_object() on a view that overrides aget_object gets the async
    override (run to completion), not a silent bypass."""
    from rest_framework.test import APIRequestFactory

    book = Book.objects.create(title="Surface Detail", author=author)

    class OnlyAsync(Base):
        async def aget_object(self) -> Book:
            CALLS.append("aget_object")
            obj = await super().aget_object()
            obj.title = "via aget_object"
            return obj

    view = OnlyAsync(action_map={"get": "retrieve"})
    view.request = view.initialize_request(APIRequestFactory().get("/"))
    view.kwargs = {"pk": book.pk}
    view.format_kwarg = None
    assert view.get_object().title == "via aget_object"
    assert CALLS == ["aget_object"]


def test_async_get_queryset_is_rejected_at_class_definition() -> None:
    """get_queryset builds a lazy QuerySet; an async one is a definition-time error."""
    with pytest.raises(ImproperlyConfigured, match=r"get_queryset must not be async"):

        class Bad(Base):
            async def get_queryset(self) -> QuerySet[Book]:  # type: ignore[override]
                return Book.objects.all()
