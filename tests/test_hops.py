"""Thread-hop budget per request.

A hop is one ``sync_to_async`` call. The baseline is what Django itself makes for an empty
``async def`` view returning a ``JsonResponse`` (request signals, middleware, closing the
response). With sync DRF authentication, permission and throttle classes and a plain
``ModelSerializer``, every action of ``AsyncModelViewSet`` adds exactly one hop: the request's
flow (authentication, permissions, throttles, queries, validation, save, serialization and
rendering together). With a ``process_template_response`` middleware, Django keeps its own
rendering step and hop, so it is two. The documented budget is three; these tests pin the exact
figures so that a regression shows.

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

FLOW = 1


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
async def test_sync_components_cost_one_hop(
    aclient: AsyncClient,
    setup: Book,
    hops: Any,
    name: str,
    method: str,
    url: str,
    body: Any,
    status: int,
) -> None:
    """Each action with sync auth/permission/throttle and a ModelSerializer: baseline + 1."""
    baseline = await _baseline(aclient, hops)
    with hops() as count:
        response = await _request(aclient, setup, "books", method, url, body)
    assert response.status_code == status, response.content
    assert count.value - baseline == FLOW, f"{name}: {count.value} vs {baseline}"


async def test_an_awaited_async_permission_costs_one_round_trip(
    aclient: AsyncClient, setup: Book, hops: Any
) -> None:
    """An async permission is awaited on the loop: one more hop to resume the flow."""
    baseline = await _baseline(aclient, hops)
    with hops() as count:
        response = await aclient.get(f"/async-perm/{setup.pk}/")
    assert response.status_code == 200
    assert count.value - baseline == FLOW + 1


class TemplateResponseMiddleware:
    """A middleware with process_template_response: Django must render after it runs."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response: Any) -> Any:
        response.data = {"rewritten": True}
        return response


async def test_template_response_middleware_keeps_djangos_render_step(
    aclient: AsyncClient, setup: Book, hops: Any, settings: Any
) -> None:
    """With a process_template_response middleware the response is rendered by Django after
    the middleware changed it, as DRF's own views behave: one hop for the (sync) middleware
    method and one for Django's render step."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.TemplateResponseMiddleware"]
    baseline = await _baseline(aclient, hops)
    with hops() as count:
        response = await aclient.get(f"/books/{setup.pk}/")
    assert response.json() == {"rewritten": True}
    assert count.value - baseline == FLOW + 2


def test_wsgi_request_to_an_async_view_is_rendered_by_django(setup: Book) -> None:
    """Under WSGI (Django runs the async view with async_to_sync) the render step is Django's
    sync call, so the view leaves the response unrendered."""
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="alice"))
    response = client.get(f"/books/{setup.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Story"


async def test_rendered_response_still_pickles(setup: Book) -> None:
    """Cache middleware pickles responses; the early-rendered one round-trips and its
    render() is still awaitable, as Django's handler will call it on a cache hit."""
    import pickle

    from django.test import AsyncRequestFactory

    request = AsyncRequestFactory().get(f"/books/{setup.pk}/")
    request.user = await User.objects.aget(username="alice")
    view: Any = Books.as_view({"get": "retrieve"})  # typed as DRF's sync view function
    response = await view(request, pk=str(setup.pk))
    assert response.is_rendered
    clone = pickle.loads(pickle.dumps(response))
    assert clone.content == response.content
    assert (await clone.render()) is clone
