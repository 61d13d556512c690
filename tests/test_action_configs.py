"""Every ``ActionConfig`` field takes effect for its action and only for it, and bad
configurations fail when the class is defined."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.test import AsyncClient
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from async_viewsets import ActionConfig, AsyncModelViewSet, AsyncReadOnlyModelViewSet, action
from tests.testapp.models import Author, Book
from tests.testapp.serializers import (
    BookCreateSerializer,
    BookDetailSerializer,
    BookListSerializer,
    BookSerializer,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class PlainTextRenderer(JSONRenderer):
    media_type = "text/plain"
    format = "txt"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return f"TEXT:{data}".encode()


class BurstThrottle(AnonRateThrottle):
    rate = "2/min"
    scope = "burst"


class Pages(PageNumberPagination):
    page_size = 2


def published_only(view: Any) -> QuerySet[Book]:
    return Book.objects.filter(published=True)


class ConfiguredBooks(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    pagination_class = None
    action_configs = {
        "list": ActionConfig(
            serializer_class=BookListSerializer,
            pagination_class=Pages,
            queryset=published_only,
        ),
        "retrieve": ActionConfig(
            response_serializer_class=BookDetailSerializer,
            renderer_classes=[JSONRenderer, PlainTextRenderer],
        ),
        "create": ActionConfig(
            request_serializer_class=BookCreateSerializer,
            response_serializer_class=BookDetailSerializer,
            parser_classes=[FormParser],
        ),
        "destroy": ActionConfig(permission_classes=[IsAdminUser]),
        "update": ActionConfig(throttle_classes=[BurstThrottle]),
        "drafts": ActionConfig(
            queryset=Book.objects.filter(published=False),
            serializer_class=BookListSerializer,
            permission_classes=[IsAuthenticated],
        ),
    }

    @action(detail=False)
    async def drafts(self, request: Request) -> Response:
        queryset = self.get_queryset()
        serializer = self.get_serializer([b async for b in queryset], many=True)
        return Response(serializer.data)


class DefaultsBooks(AsyncReadOnlyModelViewSet[Book, BookSerializer]):
    """No pagination_class of its own: DEFAULT_PAGINATION_CLASS applies."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {"retrieve": ActionConfig(serializer_class=BookListSerializer)}


router = DefaultRouter()
router.register("books", ConfiguredBooks)
router.register("defaults", DefaultsBooks, basename="defaults")
urlpatterns = router.urls


@pytest.fixture
def books(db: None) -> list[Book]:
    author = Author.objects.create(name="Octavia")
    return [
        Book.objects.create(title=f"Book {i}", author=author, published=i != 3) for i in range(1, 6)
    ]


async def test_list_serializer_pagination_and_callable_queryset(
    aclient: AsyncClient, books: list[Book]
) -> None:
    """list: its own serializer, paginator and callable queryset (drafts are hidden)."""
    response = await aclient.get("/books/")
    body = response.json()
    assert body["count"] == 4
    assert body["results"] == [
        {"id": books[0].pk, "title": "Book 1"},
        {"id": books[1].pk, "title": "Book 2"},
    ]
    assert body["next"].endswith("/books/?page=2")


async def test_retrieve_response_serializer_and_renderers(
    aclient: AsyncClient, books: list[Book]
) -> None:
    """retrieve: the response serializer renders, and a per-action renderer is negotiable."""
    response = await aclient.get(f"/books/{books[2].pk}/")
    assert response.json() == {
        "id": books[2].pk,
        "title": "Book 3",
        "author": {"id": books[2].author_id, "name": "Octavia"},
        "tags": [],
        "published": False,
    }
    text = await aclient.get(f"/books/{books[0].pk}/", headers={"accept": "text/plain"})
    assert text.status_code == 200
    assert text.content.startswith(b"TEXT:")
    not_acceptable = await aclient.get("/books/", headers={"accept": "text/plain"})
    assert not_acceptable.status_code == 406


async def test_create_request_and_response_serializers_and_parsers(
    aclient: AsyncClient, books: list[Book]
) -> None:
    """create: the request serializer validates (author by name), the response serializer
    answers, and only the per-action parser (form data) is accepted."""
    form = "application/x-www-form-urlencoded"
    response = await aclient.post("/books/", "title=Kindred&author=Octavia", content_type=form)
    assert response.status_code == 201, response.content
    created = await Book.objects.aget(title="Kindred")
    assert response.json() == {
        "id": created.pk,
        "title": "Kindred",
        "author": {"id": created.author_id, "name": "Octavia"},
        "tags": [],
        "published": True,
    }
    as_json = await aclient.post(
        "/books/", {"title": "Dawn", "author": "Octavia"}, content_type="application/json"
    )
    assert as_json.status_code == 415
    assert as_json.json() == {"detail": 'Unsupported media type "application/json" in request.'}
    invalid = await aclient.post("/books/", "title=X&author=Nobody", content_type=form)
    assert invalid.status_code == 400
    assert invalid.json() == {"author": ["Object with name=Nobody does not exist."]}


async def test_destroy_permissions(
    aclient: AsyncClient, books: list[Book], admin: User, user: User
) -> None:
    """destroy: only admins; other actions keep the class's AllowAny."""
    assert (await aclient.delete(f"/books/{books[0].pk}/")).status_code == 403
    await aclient.aforce_login(user)
    denied = await aclient.delete(f"/books/{books[0].pk}/")
    assert denied.status_code == 403
    assert denied.json() == {"detail": "You do not have permission to perform this action."}
    await aclient.aforce_login(admin)
    assert (await aclient.delete(f"/books/{books[0].pk}/")).status_code == 204


async def test_update_throttle(aclient: AsyncClient, books: list[Book]) -> None:
    """update: its own throttle; the third PUT in a minute gets 429 with Retry-After."""
    from django.core.cache import cache

    await cache.aclear()
    url = f"/books/{books[0].pk}/"
    body = {"title": "T", "author": books[0].author_id}
    for _ in range(2):
        assert (await aclient.put(url, body, content_type="application/json")).status_code == 200
    throttled = await aclient.put(url, body, content_type="application/json")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert (await aclient.get(url)).status_code == 200  # retrieve is not throttled


async def test_custom_action_static_queryset_and_permissions(
    aclient: AsyncClient, books: list[Book], user: User
) -> None:
    """A static QuerySet in a config is re-evaluated per request (a new draft shows up)."""
    assert (await aclient.get("/books/drafts/")).status_code == 403
    await aclient.aforce_login(user)
    first = await aclient.get("/books/drafts/")
    assert first.json() == [{"id": books[2].pk, "title": "Book 3"}]
    extra = await Book.objects.acreate(title="Draft 2", author=books[0].author, published=False)
    second = await aclient.get("/books/drafts/")
    assert second.json() == [
        {"id": books[2].pk, "title": "Book 3"},
        {"id": extra.pk, "title": "Draft 2"},
    ]


def test_default_pagination_class_setting_applies() -> None:
    """With no pagination_class on the view, DEFAULT_PAGINATION_CLASS and PAGE_SIZE apply.

    DRF reads these settings when it is imported, so the check runs in a fresh interpreter
    with settings that configure them (tests/default_pagination.py)."""
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "tests.default_pagination"],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["count"] == 5
    assert [item["title"] for item in body["results"]] == ["B0", "B1"]
    assert body["next"] == "http://testserver/defaults/?page=2"


async def test_config_applies_to_its_action_only(aclient: AsyncClient, books: list[Book]) -> None:
    """retrieve's serializer_class does not leak into list, and the options metadata of the
    create action describes the create request serializer."""
    item = (await aclient.get(f"/defaults/{books[0].pk}/")).json()
    assert item == {"id": books[0].pk, "title": "Book 1"}
    listed = (await aclient.get("/defaults/")).json()
    assert "author_name" in listed[0]
    options = (await aclient.options("/books/")).json()
    assert set(options["actions"]["POST"]) == {"title", "author"}


def test_unknown_key_fails_at_class_definition() -> None:
    """A typo in a key names the class, the key, the closest action and the known actions."""
    with pytest.raises(ImproperlyConfigured) as error:

        class Typo(AsyncModelViewSet[Book, BookSerializer]):
            queryset = Book.objects.all()
            action_configs = {"lsit": ActionConfig(serializer_class=BookListSerializer)}

    message = str(error.value)
    assert "Typo.action_configs has the key 'lsit'" in message
    assert "Did you mean 'list'?" in message
    assert "create, destroy, list, partial_update, retrieve, update" in message


def test_read_only_viewset_has_no_write_actions() -> None:
    """'create' is not an action of a read-only viewset."""
    with pytest.raises(ImproperlyConfigured, match="key 'create', which is not an action"):

        class ReadOnly(AsyncReadOnlyModelViewSet[Book, BookSerializer]):
            action_configs = {"create": ActionConfig()}


def test_undecorated_method_gets_its_own_message() -> None:
    """A key naming a method without @action says to decorate it."""
    with pytest.raises(ImproperlyConfigured, match=r"is a method but not an action: decorate it"):

        class Undecorated(AsyncModelViewSet[Book, BookSerializer]):
            action_configs = {"archive": ActionConfig()}

            async def archive(self, request: Request) -> Response:
                return Response()


def test_inherited_actions_are_valid_keys() -> None:
    """A subclass may configure an @action it inherits."""

    class Child(ConfiguredBooks):
        action_configs = {"drafts": ActionConfig(permission_classes=[])}

    assert Child.action_configs["drafts"].permission_classes == []


def test_values_must_be_action_configs() -> None:
    """A dict in place of an ActionConfig is rejected with the fix."""
    with pytest.raises(
        ImproperlyConfigured, match=r"must be an ActionConfig.*write 'list': ActionConfig"
    ):

        class Wrong(AsyncModelViewSet[Book, BookSerializer]):
            action_configs = {"list": {"serializer_class": BookListSerializer}}  # type: ignore[dict-item]


def test_action_config_is_frozen_keyword_only_and_slotted() -> None:
    """ActionConfig is an immutable keyword-only value with exactly the documented fields."""
    from dataclasses import FrozenInstanceError, fields

    config: ActionConfig[Book] = ActionConfig(serializer_class=BookSerializer)
    with pytest.raises(FrozenInstanceError):
        config.serializer_class = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        ActionConfig(BookSerializer)  # type: ignore[call-arg]
    assert not hasattr(config, "__dict__")
    assert [f.name for f in fields(ActionConfig)] == [
        "serializer_class",
        "request_serializer_class",
        "response_serializer_class",
        "permission_classes",
        "throttle_classes",
        "parser_classes",
        "renderer_classes",
        "pagination_class",
        "queryset",
    ]
    # Subscripted at runtime, as pyright users write it (Python 3.11 needs a fix for this).
    typed = ActionConfig[Book](serializer_class=BookSerializer)
    assert typed == config
    with pytest.raises(FrozenInstanceError):
        del typed.serializer_class  # pyright: ignore[reportAttributeAccessIssue] -- the point


def test_action_config_rejects_unusable_values() -> None:
    """Instances instead of classes, a bare class instead of a list, a Manager: TypeError."""
    with pytest.raises(TypeError, match="must be a class"):
        ActionConfig(serializer_class=BookSerializer())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"write permission_classes=\[IsAdminUser\]"):
        ActionConfig(permission_classes=IsAdminUser)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"write Model.objects.all\(\)"):
        ActionConfig(queryset=Book.objects)  # type: ignore[arg-type]


def test_json_parser_default_still_applies_elsewhere() -> None:
    """Parsers of other actions are the class's (DRF's defaults)."""
    view = ConfiguredBooks()
    view.action = "update"
    assert any(isinstance(p, JSONParser) for p in view.get_parsers())
    view.action = "create"
    assert [type(p) for p in view.get_parsers()] == [FormParser]
