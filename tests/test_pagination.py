"""The async paginators answer exactly as DRF's, on both of their paths, through real URLs.

Each style is served three ways: DRF's own paginator (the reference), ours as the view runs it
(its sync method inside the request's flow), and ours awaited by the view
(``prefer_sync_in_worker = False``, so ``apaginate_queryset`` with ``acount()``/``async for``
runs on the event loop). The same query strings must give the same status and body.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext
from rest_framework import pagination as drf
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import ActionConfig, AsyncReadOnlyModelViewSet, action
from async_viewsets.pagination import (
    AsyncCursorPagination,
    AsyncLimitOffsetPagination,
    AsyncPageNumberPagination,
    FastPageNumberPagination,
)
from async_viewsets.test import assert_no_orm_on_event_loop
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookListSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class DrfPages(drf.PageNumberPagination):
    page_size = 2
    page_size_query_param = "page_size"
    max_page_size = 3


class AsyncPages(AsyncPageNumberPagination):
    page_size = 2
    page_size_query_param = "page_size"
    max_page_size = 3


class AwaitedPages(AsyncPages):
    prefer_sync_in_worker = False


class DrfLimits(drf.LimitOffsetPagination):
    max_limit = 3


class AsyncLimits(AsyncLimitOffsetPagination):
    max_limit = 3


class AwaitedLimits(AsyncLimits):
    prefer_sync_in_worker = False


class DrfCursor(drf.CursorPagination):
    page_size = 2
    ordering = "title"  # not unique: exercises the cursor's offsets


class AsyncCursor(AsyncCursorPagination):
    page_size = 2
    ordering = "title"


class AwaitedCursor(AsyncCursor):
    prefer_sync_in_worker = False


class FastPages(FastPageNumberPagination):
    page_size = 2
    page_size_query_param = "page_size"


class AwaitedFastPages(FastPages):
    prefer_sync_in_worker = False


class Books(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookListSerializer

    @action(detail=False)
    async def on_the_loop(self, request: Request) -> Response:
        """Calls the paginator's coroutines itself, on the event loop."""
        paginator: Any = self.paginator
        page = await paginator.apaginate_queryset(self.get_queryset(), request, view=self)
        data = BookListSerializer(page, many=True).data  # a list: no query
        return await paginator.aget_paginated_response(data)  # type: ignore[no-any-return]


VARIANTS = {
    "page": (DrfPages, AsyncPages, AwaitedPages),
    "limit": (DrfLimits, AsyncLimits, AwaitedLimits),
    "cursor": (DrfCursor, AsyncCursor, AwaitedCursor),
}

router = SimpleRouter()
for style, classes in VARIANTS.items():
    for pagination_class in classes:
        name = f"{style}-{pagination_class.__name__.lower()}"
        view = type(name, (Books,), {"pagination_class": pagination_class})
        router.register(name, view, basename=name)
router.register("fast", type("Fast", (Books,), {"pagination_class": FastPages}), basename="fast")
router.register(
    "fast-awaited",
    type("FastAwaited", (Books,), {"pagination_class": AwaitedFastPages}),
    basename="fast-awaited",
)


class PerAction(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    pagination_class = AsyncPages
    action_configs = {"recent": ActionConfig(pagination_class=FastPages)}

    @action(detail=False)
    async def recent(self, request: Request) -> Response:
        page = await self.apaginate_queryset(self.get_queryset())
        return await self.aget_paginated_response(BookListSerializer(page, many=True).data)


class PlainDrf(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    pagination_class = DrfPages


router.register("per-action", PerAction, basename="per-action")
router.register("plain", PlainDrf, basename="plain")
urlpatterns = router.urls

TITLES = ["a", "b", "b", "c", "d"]


@pytest.fixture
def books(db: None) -> list[Book]:
    one, two = Author.objects.create(name="One"), Author.objects.create(name="Two")
    return [
        Book.objects.create(title=title, author=one if i % 2 else two)
        for i, title in enumerate(TITLES)
    ]


async def _answer(client: AsyncClient, prefix: str, query: str) -> tuple[int, Any]:
    response = await client.get(f"/{prefix}/{query}")
    body = json.loads(response.content.decode().replace(f"/{prefix}/", "/X/"))
    return response.status_code, body


QUERIES = {
    "page": [
        "",
        "?page=2",
        "?page=3",
        "?page=4",
        "?page=last",
        "?page=0",
        "?page=-1",
        "?page=abc",
        "?page=2.0",
        "?page_size=3&page=2",
        "?page_size=100",
        "?page_size=0",
        "?page_size=x",
    ],
    "limit": [
        "",
        "?limit=2",
        "?limit=2&offset=2",
        "?limit=2&offset=4",
        "?limit=2&offset=10",
        "?offset=-1&limit=2",
        "?limit=abc",
        "?limit=0",
        "?limit=100",
        "?offset=3",
    ],
    "cursor": ["", "?cursor=garbage", "?cursor=", "?cursor=bz0xJnA9Yg%3D%3D"],
}


@pytest.mark.parametrize("style", ["page", "limit"])
async def test_same_answers_as_drf(aclient: AsyncClient, books: list[Book], style: str) -> None:
    """Page-number and limit/offset: every query string (valid pages, out-of-range pages, bad
    numbers, page sizes over the maximum, ``last``) gives DRF's status and body, links
    included, on the sync path and on the awaited async path."""
    reference, *ours = VARIANTS[style]
    for query in QUERIES[style]:
        expected = await _answer(aclient, f"{style}-{reference.__name__.lower()}", query)
        for variant in ours:
            got = await _answer(aclient, f"{style}-{variant.__name__.lower()}", query)
            assert got == expected, (variant.__name__, query)
    assert (await _answer(aclient, "page-asyncpages", "?page=4"))[0] == 404


async def _walk(client: AsyncClient, prefix: str, start: str) -> list[tuple[int, Any]]:
    """Follow ``next`` links to the end, then ``previous`` links back to the start."""
    steps = [await _answer(client, prefix, start)]
    for direction in ("next", "previous"):
        while steps[-1][0] == 200 and steps[-1][1][direction]:
            query = "?" + steps[-1][1][direction].split("?", 1)[1]
            steps.append(await _answer(client, prefix, query))
    return steps


async def test_cursor_same_answers_as_drf(aclient: AsyncClient, books: list[Book]) -> None:
    """Cursor: walking forward and back through pages with non-unique positions gives DRF's
    pages and cursors on both paths; an invalid cursor is DRF's 404."""
    for query in QUERIES["cursor"]:
        expected = await _walk(aclient, "cursor-drfcursor", query)
        for variant in ("cursor-asynccursor", "cursor-awaitedcursor"):
            assert await _walk(aclient, variant, query) == expected, (variant, query)
    walk = await _walk(aclient, "cursor-asynccursor", "")
    titles = [book["title"] for _, body in walk for book in body["results"]]
    assert titles[: len(TITLES)] == sorted(TITLES)  # forward pass covers every row once
    status, body = await _answer(aclient, "cursor-asynccursor", "?cursor=garbage")
    assert (status, body) == (404, {"detail": "Invalid cursor"})


@pytest.mark.parametrize("style", ["page", "limit", "cursor"])
async def test_coroutines_on_the_loop(aclient: AsyncClient, books: list[Book], style: str) -> None:
    """``apaginate_queryset``/``aget_paginated_response`` called from an async action run their
    queries with Django's async ORM (never the sync ORM on the loop) and answer as the list."""
    _, async_class, _ = VARIANTS[style]
    prefix = f"{style}-{async_class.__name__.lower()}"
    query = {"page": "?page=2", "limit": "?limit=2&offset=2", "cursor": ""}[style]
    expected = await _answer(aclient, prefix, query)
    with assert_no_orm_on_event_loop():
        status, body = await _answer(aclient, prefix, f"on_the_loop/{query}")
    body = json.loads(json.dumps(body).replace("/X/on_the_loop/", "/X/"))
    assert (status, body) == expected


async def test_coroutine_errors_match_sync(aclient: AsyncClient, books: list[Book]) -> None:
    """An out-of-range page raises DRF's 404 from the coroutine as from the sync method."""
    response = await aclient.get("/page-asyncpages/on_the_loop/?page=9")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


FAST_CASES = [
    ("", 200, ["a", "b"], "?page=2", None),
    ("?page=2", 200, ["b", "c"], "?page=3", ""),
    ("?page=3", 200, ["d"], None, "?page=2"),
    ("?page=2&page_size=3", 200, ["c", "d"], None, "?page_size=3"),
]


@pytest.mark.parametrize("prefix", ["fast", "fast-awaited"])
@pytest.mark.parametrize(("query", "status", "titles", "next_query", "previous_query"), FAST_CASES)
async def test_fast_page_number(
    aclient: AsyncClient,
    books: list[Book],
    prefix: str,
    query: str,
    status: int,
    titles: list[str],
    next_query: str | None,
    previous_query: str | None,
) -> None:
    """FastPageNumberPagination: ``{next, previous, results}`` (no count), links by page number,
    on the sync and the awaited path."""
    response = await aclient.get(f"/{prefix}/{query}")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [book["title"] for book in body["results"]] == titles

    def link(suffix: str | None) -> str | None:
        if suffix is None:
            return None
        if "page_size" in query and suffix and "page_size" not in suffix:
            suffix = f"{suffix}&page_size=3" if suffix != "?page_size=3" else suffix
        return f"http://testserver/{prefix}/{suffix}"

    if "page_size" in query:
        assert body["next"] is None
        assert body["previous"] == f"http://testserver/{prefix}/?page_size=3"
    else:
        assert body["next"] == link(next_query)
        assert body["previous"] == link(previous_query)


@pytest.mark.parametrize("prefix", ["fast", "fast-awaited"])
@pytest.mark.parametrize("query", ["?page=4", "?page=0", "?page=-2", "?page=abc", "?page=last"])
async def test_fast_page_number_invalid_pages(
    aclient: AsyncClient, books: list[Book], prefix: str, query: str
) -> None:
    """A page past the end, a non-number, a number below 1 and ``last`` are DRF's 404."""
    response = await aclient.get(f"/{prefix}/{query}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


async def test_fast_page_number_empty_first_page(aclient: AsyncClient, db: None) -> None:
    """With no rows, page 1 is an empty page (200), as DRF's allow_empty_first_page."""
    response = await aclient.get("/fast/")
    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


def test_fast_page_number_runs_one_query_without_count(books: list[Book]) -> None:
    """The page costs one SELECT of page_size + 1 rows and no COUNT(*)."""
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get("/fast/?page=2"))
    with CaptureQueriesContext(connection) as queries:
        page = FastPages().paginate_queryset(Book.objects.all(), request)
    assert [book.title for book in page or []] == ["b", "c"]
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "COUNT(" not in sql
    assert "LIMIT 3" in sql and "OFFSET 2" in sql


async def test_pagination_class_per_action(aclient: AsyncClient, books: list[Book]) -> None:
    """``ActionConfig.pagination_class`` applies to its action only."""
    listed = (await aclient.get("/per-action/")).json()
    recent = (await aclient.get("/per-action/recent/")).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert listed["count"] == len(TITLES)
    assert set(recent) == {"next", "previous", "results"}
    assert recent["next"] == "http://testserver/per-action/recent/?page=2"


async def test_plain_drf_paginator_costs_no_extra_hop(
    aclient: AsyncClient, books: list[Book], hops: Any
) -> None:
    """DRF's paginator and ours cost the same hops in the view (their queries share the
    flow's hop); the awaited variant costs more (one per query, plus the return trip)."""
    counts = {}
    for prefix in ("plain", "page-asyncpages", "page-awaitedpages"):
        with hops() as count:
            response = await aclient.get(f"/{prefix}/?page=2")
        assert response.status_code == 200
        counts[prefix] = count.value
    assert counts["plain"] == counts["page-asyncpages"]
    assert counts["page-awaitedpages"] > counts["page-asyncpages"]


def test_page_size_and_default_pagination_class_settings() -> None:
    """``DEFAULT_PAGINATION_CLASS`` naming an async paginator and ``PAGE_SIZE`` apply to a view
    without a ``pagination_class`` (run in a fresh interpreter: DRF reads both at import)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.default_pagination",
            "async_viewsets.pagination.AsyncPageNumberPagination",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/defaults/?page=2"
