"""Security: object permissions under per-action overrides, CSRF in the async pipeline, and
anonymous access to every route of the example project."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import AsyncClient
from django.urls import URLPattern
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import ActionConfig, AsyncModelViewSet, action
from async_viewsets.authentication import AsyncSessionAuthentication
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class IsOwner(BasePermission):
    """Object-level only: the book's owner (``has_permission`` allows everyone)."""

    def has_object_permission(self, request: Any, view: Any, obj: Book) -> bool:
        return bool(obj.owner_id == request.user.pk)


class AsyncIsOwner(BasePermission):
    """The same rule as an async permission (``ahas_object_permission``)."""

    async def ahas_object_permission(self, request: Any, view: Any, obj: Book) -> bool:
        return bool(obj.owner_id == request.user.pk)


def _viewset(owner_permission: type[BasePermission]) -> type[AsyncModelViewSet[Book, Any]]:
    detail: ActionConfig[Book] = ActionConfig(
        permission_classes=[IsAuthenticated, owner_permission]
    )

    class Books(AsyncModelViewSet[Book, BookSerializer]):
        """Open by default; every detail action narrows permissions through ActionConfig."""

        queryset = Book.objects.all()
        serializer_class = BookSerializer
        permission_classes: Any = []
        action_configs = {
            "retrieve": detail,
            "update": detail,
            "partial_update": detail,
            "destroy": detail,
            "publish": detail,
            "lookup": detail,
        }

        @action(detail=True, methods=["post"])
        async def publish(self, request: Any, pk: str) -> Response:
            book = await self.aget_object()
            return Response({"published": book.pk})

        @action(detail=True, methods=["get"])
        async def lookup(self, request: Any, pk: str) -> Response:
            # An override of the hook that calls the library's lookup.
            book = await self.aget_object()
            return Response({"id": book.pk})

        async def aget_object(self) -> Book:
            return await super().aget_object()

    return Books


router = SimpleRouter()
router.register("sync-perm", _viewset(IsOwner), basename="sync-perm")
router.register("async-perm", _viewset(AsyncIsOwner), basename="async-perm")


class CsrfBooks(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    authentication_classes: Any = [SessionAuthentication]
    permission_classes: Any = []


class AsyncCsrfBooks(CsrfBooks):
    authentication_classes: Any = [AsyncSessionAuthentication]


router.register("csrf-sync", CsrfBooks, basename="csrf-sync")
router.register("csrf-async", AsyncCsrfBooks, basename="csrf-async")
urlpatterns = router.urls


@pytest.fixture
def owned_book(user: User) -> Book:
    author = Author.objects.create(name="Owner's author")
    return Book.objects.create(title="Mine", author=author, owner=user)


_DETAIL_REQUESTS = [
    ("get", "{prefix}/{pk}/", None),
    ("put", "{prefix}/{pk}/", "full"),
    ("patch", "{prefix}/{pk}/", {"title": "changed"}),
    ("post", "{prefix}/{pk}/publish/", {}),
    ("get", "{prefix}/{pk}/lookup/", None),
    ("delete", "{prefix}/{pk}/", None),
]


@pytest.mark.parametrize("prefix", ["/sync-perm", "/async-perm"])
async def test_action_config_permissions_keep_object_checks(
    aclient: AsyncClient, owned_book: Book, prefix: str
) -> None:
    """``ActionConfig(permission_classes=[IsAuthenticated, IsOwner])`` on every detail action,
    with a sync or an async (``ahas_object_permission``) owner check: another user gets 403
    from each detail route (retrieve, update, partial_update, destroy, and two ``@action``\\ s
    that call an overridden ``aget_object``); nothing changes; the owner gets through."""
    other = await User.objects.acreate_user("mallory", password="pw")
    full = {"title": "changed", "author": owned_book.author_id, "tags": []}
    await aclient.aforce_login(other)
    for method, template, body in _DETAIL_REQUESTS:
        url = template.format(prefix=prefix, pk=owned_book.pk)
        data = full if body == "full" else body
        response = await getattr(aclient, method)(url, data, content_type="application/json")
        assert response.status_code == 403, (method, url, response.content)
    book = await Book.objects.aget(pk=owned_book.pk)
    assert book.title == "Mine"
    owner = await User.objects.aget(pk=owned_book.owner_id or 0)
    await aclient.aforce_login(owner)
    for method, template, body in _DETAIL_REQUESTS:
        url = template.format(prefix=prefix, pk=owned_book.pk)
        data = full if body == "full" else body
        response = await getattr(aclient, method)(url, data, content_type="application/json")
        assert response.status_code in {200, 204}, (method, url, response.content)


_TOKEN = "A" * 32  # a well-formed CSRF secret


@pytest.mark.parametrize("prefix", ["/csrf-sync", "/csrf-async"])
async def test_session_auth_enforces_csrf_on_unsafe_methods(user: User, prefix: str) -> None:
    """With DRF's ``SessionAuthentication`` or ``AsyncSessionAuthentication`` on an async
    viewset, as DRF: a logged-in session's POST without a CSRF token is refused (403
    ``CSRF Failed``) and writes nothing; with the token it is accepted; GET needs no token;
    an anonymous POST is not CSRF-checked (no session user)."""
    author = await Author.objects.acreate(name="csrf")
    body = {"title": "t", "author": author.pk, "tags": []}
    client = AsyncClient(enforce_csrf_checks=True)
    await client.aforce_login(user)
    refused = await client.post(f"{prefix}/", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert not await Book.objects.aexists()
    assert (await client.get(f"{prefix}/")).status_code == 200
    client.cookies["csrftoken"] = _TOKEN
    accepted = await client.post(
        f"{prefix}/", body, content_type="application/json", headers={"X-CSRFToken": _TOKEN}
    )
    assert accepted.status_code == 201, accepted.content
    anonymous = AsyncClient(enforce_csrf_checks=True)
    body["title"] = "anon"
    anonymous_post = await anonymous.post(f"{prefix}/", body, content_type="application/json")
    assert anonymous_post.status_code == 201


def _example_routes() -> list[tuple[str, str, str]]:
    """``(method, path, action)`` for every routed action of the example's API."""
    from bookshop.urls import router as example_router

    routes = []
    for pattern in example_router.urls:
        assert isinstance(pattern, URLPattern)
        regex = pattern.pattern.regex.pattern
        actions = getattr(pattern.callback, "actions", None)
        if actions is None or "format" in regex:
            continue
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex).lstrip("^").rstrip("$")
        for method, name in actions.items():
            routes.append((method, f"/api/{path}", name))
    return routes


@pytest.mark.urls("bookshop.urls")
async def test_example_routes_refuse_anonymous_writes(aclient: AsyncClient) -> None:
    """Every route of the example API, requested anonymously: each write (POST, PUT, PATCH,
    DELETE) gets 401 or 403 and each read gets through (200, or 404 for a missing object),
    except ``reviews/mine`` which needs a user."""
    routes = await _async(_example_routes)
    assert len(routes) >= 15
    for method, path, name in routes:
        response = await getattr(aclient, method)(path, {}, content_type="application/json")
        if method.upper() in SAFE_METHODS and name != "mine":
            assert response.status_code in {200, 404}, (method, path, response.status_code)
        else:
            assert response.status_code in {401, 403}, (method, path, response.status_code)


async def _async(func: Any) -> Any:
    from asgiref.sync import sync_to_async

    return await sync_to_async(func)()
