"""Thread-hop budget per request.

A hop is one ``sync_to_async`` call. The baseline is what Django itself makes for an empty
``async def`` view returning a ``JsonResponse`` (request signals, middleware, closing the
response). With sync DRF authentication, permission and throttle classes and a plain
``ModelSerializer``, every action of ``AsyncModelViewSet`` adds exactly two hops: one for the
request's flow (authentication, permissions, throttles, queries, validation, save and
serialization together) and one for Django rendering the DRF ``Response``. The documented
budget is three; these tests pin the exact figure so that a regression shows.

Each awaited async component costs one more hop: the flow returns to the event loop for it and
comes back to the worker thread afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest, JsonResponse
from django.test import AsyncClient
from django.urls import path
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import UserRateThrottle

from async_viewsets import AsyncModelViewSet
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

FLOW_AND_RENDER = 2


class Pages(PageNumberPagination):
    page_size = 10


class Throttle(UserRateThrottle):
    rate = "1000/min"


class Books(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [Throttle]
    pagination_class = Pages


class AsyncAllow(BasePermission):
    async def ahas_permission(self, request: Request, view: Any) -> bool:
        return True


class BooksWithAsyncPermission(Books):
    permission_classes = [IsAuthenticated, AsyncAllow]


async def empty(request: HttpRequest) -> JsonResponse:
    return JsonResponse({})


router = SimpleRouter()
router.register("books", Books, basename="books")
router.register("async-perm", BooksWithAsyncPermission, basename="async-perm")
urlpatterns = [*router.urls, path("empty/", empty)]


@pytest.fixture
def setup(aclient: AsyncClient, user: User) -> Book:
    aclient.force_login(user)
    return Book.objects.create(title="Story", author=Author.objects.create(name="Ted"))


async def _baseline(aclient: AsyncClient, hops: Any) -> int:
    with hops() as count:
        response = await aclient.get("/empty/")
    assert response.status_code == 200
    return int(count.value)


OPERATIONS = [
    ("list", "get", "/{prefix}/", None, 200),
    ("retrieve", "get", "/{prefix}/{pk}/", None, 200),
    ("create", "post", "/{prefix}/", {"title": "New", "author": "{author}"}, 201),
    ("update", "put", "/{prefix}/{pk}/", {"title": "Up", "author": "{author}"}, 200),
    ("partial_update", "patch", "/{prefix}/{pk}/", {"title": "Patched"}, 200),
    ("destroy", "delete", "/{prefix}/{pk}/", None, 204),
]


async def _request(
    aclient: AsyncClient, book: Book, prefix: str, method: str, url: str, body: Any
) -> Any:
    url = url.format(prefix=prefix, pk=book.pk)
    if body is not None:
        body = {k: (book.author_id if v == "{author}" else v) for k, v in body.items()}
        return await getattr(aclient, method)(url, body, content_type="application/json")
    return await getattr(aclient, method)(url)


@pytest.mark.parametrize(("name", "method", "url", "body", "status"), OPERATIONS)
async def test_sync_components_cost_two_hops(
    aclient: AsyncClient,
    setup: Book,
    hops: Any,
    name: str,
    method: str,
    url: str,
    body: Any,
    status: int,
) -> None:
    """Each action with sync auth/permission/throttle and a ModelSerializer: baseline + 2."""
    baseline = await _baseline(aclient, hops)
    with hops() as count:
        response = await _request(aclient, setup, "books", method, url, body)
    assert response.status_code == status, response.content
    assert count.value - baseline == FLOW_AND_RENDER, f"{name}: {count.value} vs {baseline}"


async def test_an_awaited_async_permission_costs_one_round_trip(
    aclient: AsyncClient, setup: Book, hops: Any
) -> None:
    """An async permission is awaited on the loop: one more hop to resume the flow."""
    baseline = await _baseline(aclient, hops)
    with hops() as count:
        response = await aclient.get(f"/async-perm/{setup.pk}/")
    assert response.status_code == 200
    assert count.value - baseline == FLOW_AND_RENDER + 1
