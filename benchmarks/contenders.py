"""The contenders: one resource (books with their author's name, 20 to a page), six stacks.

=============  ===============================================================================
``drf``        DRF's sync ``ModelViewSet``, served as Django serves a sync view under ASGI
``floor``      plain ``async def`` Django views: async ORM, ``values()``, ``JsonResponse``
``ours``       ``AsyncModelViewSet`` as a user writes it (defaults)
``ours_fast``  ``AsyncModelViewSet`` with the opt-in fast paths: the serializer of
               :mod:`async_viewsets.serializers`, ``atomic_writes = False``
``adrf``       adrf's ``ModelViewSet`` with adrf's ``ModelSerializer`` (optional)
``restflow``   drf-restflow's ``AsyncModelViewSet`` (optional)
``ninja``      django-ninja async operations with a DRF-shaped page (optional)
=============  ===============================================================================

Every contender answers the same JSON for the same request (the floor and ninja build DRF's
page shape by hand), so the numbers compare the stacks, not the payloads. The ``io_*`` variants
serve ``list`` behind an authenticator that waits 50-100 ms for an "external" service:
``asyncio.sleep`` where the stack can await it, ``time.sleep`` where it cannot (DRF sync).
"""

from __future__ import annotations

import asyncio
import datetime
import importlib.util
import json
import random
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import serializers, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.pagination import PageNumberPagination

from async_viewsets import AsyncModelViewSet
from async_viewsets.serializers import CachedFieldsMixin, OnePassListSerializer
from benchmarks.bookstore.models import Author, Book

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.request import Request

PAGE_SIZE = 20
FIELDS = ["id", "title", "pages", "published", "author", "author_name"]


def books() -> QuerySet[Book]:
    return Book.objects.select_related("author")


def has(module: str) -> bool:
    """Whether an optional contender's package is installed."""
    return importlib.util.find_spec(module) is not None


def external_call_seconds() -> float:
    """The simulated external call of the I/O scenario: 50-100 ms."""
    return random.uniform(0.05, 0.1)


class Page20(PageNumberPagination):
    page_size = PAGE_SIZE


class BookSerializer(serializers.ModelSerializer[Book]):
    author_name = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Book
        fields = FIELDS


# --- DRF sync -----------------------------------------------------------------------------------


class DRFBookViewSet(viewsets.ModelViewSet[Book]):
    queryset = books()
    serializer_class = BookSerializer
    pagination_class = Page20


class SleepingSyncAuth(BaseAuthentication):
    """Blocks its thread for the external call, as a sync authenticator must."""

    def authenticate(self, request: Request) -> tuple[object, None]:
        time.sleep(external_call_seconds())
        return object(), None


class DRFIOViewSet(DRFBookViewSet):
    authentication_classes = [SleepingSyncAuth]


# --- ours ---------------------------------------------------------------------------------------


class OursBookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = books()
    serializer_class = BookSerializer
    pagination_class = Page20


class FastBookSerializer(CachedFieldsMixin, BookSerializer):
    """``BookSerializer`` with the opt-in fast paths added, as to an existing serializer."""

    class Meta(BookSerializer.Meta):
        list_serializer_class = OnePassListSerializer


class OursFastBookViewSet(OursBookViewSet):
    serializer_class = FastBookSerializer
    atomic_writes = False  # DRF's own (non-atomic) writes: no BEGIN/COMMIT round trips


class SleepingAsyncAuth(SleepingSyncAuth):
    """Awaits the external call on the event loop (``aauthenticate``, as ours and restflow)."""

    async def aauthenticate(self, request: Request) -> tuple[object, None]:
        await asyncio.sleep(external_call_seconds())
        return object(), None


class OursIOViewSet(OursBookViewSet):
    authentication_classes = [SleepingAsyncAuth]


class OursFastIOViewSet(OursFastBookViewSet):
    authentication_classes = [SleepingAsyncAuth]


# --- the floor: plain async Django views --------------------------------------------------------

_VALUES = ("id", "title", "pages", "published", "author_id", "author__name")


def _row(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": values["id"],
        "title": values["title"],
        "pages": values["pages"],
        "published": values["published"].isoformat(),
        "author": values["author_id"],
        "author_name": values["author__name"],
    }


def page_url(request: HttpRequest, page: int) -> str | None:
    query = request.GET.copy()
    if page == 1:
        query.pop("page", None)
    else:
        query["page"] = str(page)
    encoded = urlencode(sorted(query.items()))
    url = request.build_absolute_uri(request.path)
    return f"{url}?{encoded}" if encoded else url


async def floor_list(request: HttpRequest) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return JsonResponse({"detail": "Invalid page."}, status=404)
    count = await Book.objects.acount()
    last = max(1, -(-count // PAGE_SIZE))
    if not 1 <= page <= last:
        return JsonResponse({"detail": "Invalid page."}, status=404)
    offset = (page - 1) * PAGE_SIZE
    rows = [_row(v) async for v in Book.objects.values(*_VALUES)[offset : offset + PAGE_SIZE]]
    return JsonResponse(
        {
            "count": count,
            "next": page_url(request, page + 1) if page < last else None,
            "previous": page_url(request, page - 1) if page > 1 else None,
            "results": rows,
        }
    )


def _validate(data: Any, *, partial: bool) -> dict[str, Any] | dict[str, list[str]]:
    """Hand-written validation of a book body: the cleaned fields, or errors under ``errors``."""
    if not isinstance(data, dict):
        return {"errors": ["Invalid data."]}
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    required = () if partial else ("title", "pages", "published", "author")
    for name in required:
        if name not in data:
            errors[name] = ["This field is required."]
    if "title" in data:
        if isinstance(data["title"], str) and 0 < len(data["title"]) <= 200:
            clean["title"] = data["title"]
        else:
            errors["title"] = ["Not a valid string."]
    if "pages" in data:
        if isinstance(data["pages"], int) and data["pages"] >= 0:
            clean["pages"] = data["pages"]
        else:
            errors["pages"] = ["A valid integer is required."]
    if "published" in data:
        try:
            clean["published"] = datetime.date.fromisoformat(data["published"])
        except (TypeError, ValueError):
            errors["published"] = ["Date has wrong format."]
    if "author" in data:
        if isinstance(data["author"], int):
            clean["author_id"] = data["author"]
        else:
            errors["author"] = ["Incorrect type."]
    return {"errors": errors} if errors else clean


async def floor_collection(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return await floor_list(request)
    if request.method != "POST":
        return JsonResponse({"detail": "Method not allowed."}, status=405)
    clean = _validate(json.loads(request.body or b"null"), partial=False)
    if "errors" in clean:
        return JsonResponse(clean["errors"], status=400, safe=False)
    author = await Author.objects.filter(pk=clean["author_id"]).values("name").afirst()
    if author is None:
        return JsonResponse({"author": ["Invalid pk - object does not exist."]}, status=400)
    book = await Book.objects.acreate(**clean)
    body = {
        "id": book.pk,
        "title": book.title,
        "pages": book.pages,
        "published": book.published.isoformat(),
        "author": clean["author_id"],
        "author_name": author["name"],
    }
    return JsonResponse(body, status=201)


async def floor_detail(request: HttpRequest, pk: str) -> HttpResponse:
    if request.method == "GET":
        values = await Book.objects.filter(pk=pk).values(*_VALUES).afirst()
        if values is None:
            return JsonResponse({"detail": "No Book matches the given query."}, status=404)
        return JsonResponse(_row(values))
    if request.method == "PATCH":
        clean = _validate(json.loads(request.body or b"null"), partial=True)
        if "errors" in clean:
            return JsonResponse(clean["errors"], status=400, safe=False)
        if not await Book.objects.filter(pk=pk).aupdate(**clean):
            return JsonResponse({"detail": "No Book matches the given query."}, status=404)
        values = await Book.objects.filter(pk=pk).values(*_VALUES).afirst()
        assert values is not None
        return JsonResponse(_row(values))
    if request.method == "DELETE":
        deleted, _ = await Book.objects.filter(pk=pk).adelete()
        if not deleted:
            return JsonResponse({"detail": "No Book matches the given query."}, status=404)
        return HttpResponse(status=204)
    return JsonResponse({"detail": "Method not allowed."}, status=405)


async def floor_io_list(request: HttpRequest) -> HttpResponse:
    await asyncio.sleep(external_call_seconds())
    return await floor_list(request)
