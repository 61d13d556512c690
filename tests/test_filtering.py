"""Filter backends on async views: sync ones (DRF's and django-filter's) run in the request's
worker thread, async ones (``afilter_queryset``) are awaited on the event loop; both kinds
compose, apply to ``list`` and to the object lookup, and work on the sync twins too."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import django_filters
import pytest
from django.db.models import QuerySet
from django.test import AsyncClient
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncModelViewSet, ModelViewSet
from async_viewsets.filters import AsyncBaseFilterBackend, AsyncFilterBackend
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class BookFilter(django_filters.FilterSet):  # type: ignore[misc]
    # Validating this filter runs a query (does the author exist?).
    author = django_filters.ModelChoiceFilter(queryset=Author.objects.all())

    class Meta:
        model = Book
        fields = ["author", "published"]


class PublishedOnly(AsyncBaseFilterBackend):
    """Hides drafts unless ``?drafts=1``; records where it ran."""

    calls: list[tuple[bool, str]] = []

    async def afilter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        await asyncio.sleep(0)  # something to await
        running = True
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - would mean it ran in a thread
            running = False
        self.calls.append((running, threading.current_thread().name))
        if request.query_params.get("drafts") == "1":
            return queryset
        return queryset.filter(published=True)


class Filtered(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    filter_backends = [PublishedOnly, DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_class = BookFilter
    search_fields = ["title"]
    ordering_fields = ["title", "id"]


class SyncOnly(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_class = BookFilter
    search_fields = ["title"]
    ordering_fields = ["title", "id"]


class Unfiltered(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    filter_backends = ()


class SyncTwin(ModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    filter_backends = [PublishedOnly, DjangoFilterBackend]
    filterset_class = BookFilter


router = SimpleRouter()
router.register("filtered", Filtered, basename="filtered")
router.register("sync-only", SyncOnly, basename="sync-only")
router.register("unfiltered", Unfiltered, basename="unfiltered")
router.register("sync-twin", SyncTwin, basename="sync-twin")
urlpatterns = router.urls


@pytest.fixture
def library(db: None) -> dict[str, Any]:
    ann, bob = Author.objects.create(name="Ann"), Author.objects.create(name="Bob")
    books = {
        "dune": Book.objects.create(title="Dune", author=ann),
        "emma": Book.objects.create(title="Emma", author=bob),
        "draft": Book.objects.create(title="Draft of Dune", author=ann, published=False),
        "odyssey": Book.objects.create(title="Odyssey", author=bob),
    }
    return {"ann": ann, "bob": bob, **books}


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [book["title"] for book in response.json()]


async def test_async_backend_is_awaited_on_the_loop(
    aclient: AsyncClient, library: dict[str, Any]
) -> None:
    """``afilter_queryset`` runs on the event loop (not in a worker thread) and its queryset is
    the one the next backends and the list use."""
    PublishedOnly.calls.clear()
    assert _titles(await aclient.get("/filtered/")) == ["Dune", "Emma", "Odyssey"]
    assert _titles(await aclient.get("/filtered/?drafts=1")) == [
        "Dune",
        "Emma",
        "Draft of Dune",
        "Odyssey",
    ]
    assert [running for running, _ in PublishedOnly.calls] == [True, True]
    assert isinstance(PublishedOnly(), AsyncFilterBackend)


@pytest.mark.parametrize("prefix", ["filtered", "sync-only"])
async def test_django_filter_model_choice_filter(
    aclient: AsyncClient, library: dict[str, Any], prefix: str
) -> None:
    """django-filter's ``ModelChoiceFilter`` queries while it validates: it runs in the worker
    thread, filters by a valid author and answers 400 with django-filter's error otherwise."""
    ann = library["ann"]
    assert _titles(await aclient.get(f"/{prefix}/?author={ann.pk}")) == ["Dune"] + (
        [] if prefix == "filtered" else ["Draft of Dune"]
    )
    response = await aclient.get(f"/{prefix}/?author=999999")
    assert response.status_code == 400
    assert response.json() == {
        "author": ["Select a valid choice. That choice is not one of the available choices."]
    }


async def test_search_and_ordering_compose_with_async_backend(
    aclient: AsyncClient, library: dict[str, Any]
) -> None:
    """SearchFilter and OrderingFilter apply after the async backend, in their order."""
    assert _titles(await aclient.get("/filtered/?search=dune")) == ["Dune"]
    assert _titles(await aclient.get("/filtered/?search=dune&drafts=1&ordering=-title")) == [
        "Dune",
        "Draft of Dune",
    ]
    bob = library["bob"]
    assert _titles(await aclient.get(f"/filtered/?author={bob.pk}&ordering=-title")) == [
        "Odyssey",
        "Emma",
    ]


async def test_filters_apply_to_object_lookup(
    aclient: AsyncClient, library: dict[str, Any]
) -> None:
    """``get_object`` filters the queryset first: a row an async backend hides is a 404."""
    draft = library["draft"]
    assert (await aclient.get(f"/filtered/{draft.pk}/")).status_code == 404
    assert (await aclient.get(f"/filtered/{draft.pk}/?drafts=1")).status_code == 200
    assert (await aclient.get(f"/sync-only/{draft.pk}/")).status_code == 200


async def test_sync_backends_share_the_flow_hop(
    aclient: AsyncClient, library: dict[str, Any], hops: Any
) -> None:
    """Sync backends (django-filter included) add no thread hop; an async backend adds one
    round trip."""
    counts = {}
    for prefix in ("unfiltered", "sync-only", "filtered"):
        with hops() as count:
            response = await aclient.get(f"/{prefix}/?author={library['ann'].pk}&ordering=id")
        assert response.status_code == 200
        counts[prefix] = count.value
    assert counts["sync-only"] == counts["unfiltered"]
    assert counts["filtered"] == counts["unfiltered"] + 1


async def test_async_backend_on_a_sync_view(aclient: AsyncClient, library: dict[str, Any]) -> None:
    """On a sync viewset the async backend still filters (its sync entry point drives the
    coroutine), next to django-filter."""
    assert _titles(await aclient.get("/sync-twin/")) == ["Dune", "Emma", "Odyssey"]
    assert _titles(await aclient.get(f"/sync-twin/?author={library['ann'].pk}&drafts=1")) == [
        "Dune",
        "Draft of Dune",
    ]


async def test_view_afilter_queryset_is_public(library: dict[str, Any]) -> None:
    """``await view.afilter_queryset(qs)`` runs the same backends from async code."""
    from async_viewsets.test import AsyncAPIRequestFactory

    view = Filtered(action_map={"get": "list"})
    request = view.initialize_request(AsyncAPIRequestFactory().get("/filtered/?search=emma"))
    view.request, view.format_kwarg, view.kwargs = request, None, {}
    queryset: QuerySet[Book] = await view.afilter_queryset(Book.objects.all())
    assert [book.title async for book in queryset] == ["Emma"]
