"""OpenAPI schemas describe each action as it runs: request serializer for the body, response
serializer for the responses, the action's own paginator, its permissions. With stock
drf-spectacular settings (``DEFAULT_SCHEMA_CLASS = "drf_spectacular.openapi.AutoSchema"``) and
with DRF's own ``openapi.AutoSchema``; nothing is patched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import ActionConfig, AsyncModelViewSet, AsyncReadOnlyModelViewSet
from async_viewsets.pagination import (
    AsyncCursorPagination,
    AsyncPageNumberPagination,
    FastPageNumberPagination,
)
from tests.testapp.models import Book
from tests.testapp.serializers import BookCreateSerializer, BookListSerializer, BookSerializer

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings as SettingsWrapper

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class Pages(AsyncPageNumberPagination):
    page_size = 10


class FastPages(FastPageNumberPagination):
    page_size = 10
    page_size_query_param = "size"


class Cursor(AsyncCursorPagination):
    ordering = "id"


class Books(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    pagination_class = Pages
    permission_classes = [IsAuthenticated]
    action_configs = {
        "list": ActionConfig(
            response_serializer_class=BookListSerializer, pagination_class=FastPages
        ),
        "create": ActionConfig(request_serializer_class=BookCreateSerializer),
        "update": ActionConfig(
            request_serializer_class=BookCreateSerializer,
            response_serializer_class=BookListSerializer,
        ),
        "destroy": ActionConfig(permission_classes=[AllowAny]),
    }


class Catalogue(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
    """Same list serializer as ``Books.list``, with the view's own paginator."""

    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    pagination_class = Pages


class Feed(AsyncReadOnlyModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    pagination_class = Cursor


class Unadapted(Books):
    """Opts out with an explicit, plain drf-spectacular schema: the control group."""

    schema = AutoSchema()


router = SimpleRouter()
router.register("books", Books, basename="books")
router.register("catalogue", Catalogue, basename="catalogue")
router.register("feed", Feed, basename="feed")
router.register("unadapted", Unadapted, basename="unadapted")
urlpatterns = router.urls


@pytest.fixture
def spectacular(settings: SettingsWrapper) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    }


def _schema(urlconf: str | None = None, patterns: Any = None) -> dict[str, Any]:
    generator = SchemaGenerator(urlconf=urlconf or __name__, patterns=patterns)  # type: ignore[no-untyped-call]
    return generator.get_schema(request=None, public=True)  # type: ignore[no-any-return,no-untyped-call]


def _ref(content: dict[str, Any]) -> str:
    return str(content["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[1]


def _params(operation: dict[str, Any]) -> set[str]:
    return {param["name"] for param in operation.get("parameters", [])}


def test_request_and_response_serializers_per_action(spectacular: None) -> None:
    """create's body is its request serializer and its 201 the serializer; update's body and
    200 are its request and response serializers."""
    paths = _schema()["paths"]
    create = paths["/books/"]["post"]
    assert _ref(create["requestBody"]) == "BookCreate"
    assert _ref(create["responses"]["201"]) == "Book"
    update = paths["/books/{id}/"]["put"]
    assert _ref(update["requestBody"]) == "BookCreate"
    assert _ref(update["responses"]["200"]) == "BookList"
    assert _ref(paths["/books/{id}/"]["get"]["responses"]["200"]) == "Book"


def test_extend_schema_keeps_the_adapter(spectacular: None) -> None:
    """``@extend_schema`` on an action (and on the class) derives from the view's schema class,
    so the decorated operation still gets the action's request serializer."""

    @extend_schema(tags=["shelf"])
    class Decorated(Books):
        @extend_schema(summary="Create a book by its author's name")
        async def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            return await super().create(request, *args, **kwargs)

    router = SimpleRouter()
    router.register("decorated", Decorated, basename="decorated")
    create = _schema(patterns=router.urls)["paths"]["/decorated/"]["post"]
    assert create["summary"] == "Create a book by its author's name"
    assert create["tags"] == ["shelf"]
    assert _ref(create["requestBody"]) == "BookCreate"


def test_without_the_adapter_the_schema_is_wrong(spectacular: None) -> None:
    """Control: a plain drf-spectacular schema on the same view describes the view-wide
    serializer for the body, which is what the adapter fixes."""
    create = _schema()["paths"]["/unadapted/"]["post"]
    assert _ref(create["requestBody"]) == "Book"


def test_paginator_per_action(spectacular: None) -> None:
    """list uses its ActionConfig paginator: FastPageNumberPagination's parameters and
    ``{next, previous, results}`` shape (no count), in a component named after it, which does
    not collide with another view's page-number component of the same serializer."""
    schema = _schema()
    components = schema["components"]["schemas"]
    listed = schema["paths"]["/books/"]["get"]
    assert _params(listed) == {"page", "size"}
    fast = _ref(listed["responses"]["200"])
    assert fast == "FastPagesPaginatedBookListList"
    assert components[fast]["required"] == ["results"]
    assert set(components[fast]["properties"]) == {"next", "previous", "results"}
    assert components[fast]["properties"]["results"]["items"]["$ref"].endswith("/BookList")

    catalogue = schema["paths"]["/catalogue/"]["get"]
    assert _params(catalogue) == {"page"}
    paged = _ref(catalogue["responses"]["200"])
    assert paged == "PaginatedBookListList"
    assert set(components[paged]["properties"]) == {"count", "next", "previous", "results"}

    feed = schema["paths"]["/feed/"]["get"]
    assert _params(feed) == {"cursor"}
    assert "count" not in components[_ref(feed["responses"]["200"])]["properties"]


def test_permissions_per_action(spectacular: None) -> None:
    """Security follows each action's permissions, as drf-spectacular reads them for DRF's
    views: ``destroy`` allows anonymous access (``{}``), the other actions do not."""
    paths = _schema()["paths"]
    assert {} in paths["/books/{id}/"]["delete"]["security"]
    for method in ("get", "put", "patch"):
        assert {} not in paths["/books/{id}/"][method]["security"]
    assert {} not in paths["/books/"]["post"]["security"]


def test_example_project_schema(spectacular: None) -> None:
    """The bookshop example: list bodies are paginated light books, create and update take
    the write serializer and answer the full book, only staff may destroy."""
    from bookshop import urls

    # drf-spectacular's own schema views were decorated when bookshop.urls was first imported,
    # under the suite's DEFAULT_SCHEMA_CLASS (DRF's); they are not the subject here.
    patterns = [p for p in urls.urlpatterns if getattr(p, "name", None) not in {"schema", "docs"}]
    schema = _schema(patterns=patterns)
    paths = schema["paths"]
    listed = paths["/api/books/"]["get"]
    page = _ref(listed["responses"]["200"])
    assert page == "PaginatedBookListList"
    assert {"page", "page_size", "search", "ordering"} <= _params(listed)
    results = schema["components"]["schemas"][page]["properties"]["results"]
    assert results["items"]["$ref"].endswith("/BookList")
    create = paths["/api/books/"]["post"]
    assert _ref(create["requestBody"]) == "BookWrite"
    assert _ref(create["responses"]["201"]) == "Book"
    update = paths["/api/books/{id}/"]["put"]
    assert (_ref(update["requestBody"]), _ref(update["responses"]["200"])) == ("BookWrite", "Book")
    assert {} not in paths["/api/books/{id}/"]["delete"].get("security", [])


def test_drf_openapi_schema(settings: SettingsWrapper) -> None:
    """DRF's own ``openapi.AutoSchema`` gets the same per-action description."""
    from rest_framework.schemas.openapi import SchemaGenerator as DRFSchemaGenerator

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.openapi.AutoSchema",
    }
    router = SimpleRouter()
    router.register("books", Books, basename="books")
    schema = DRFSchemaGenerator(patterns=router.urls).get_schema(public=True)
    assert "paths" in schema  # a NotRequired key of drf-stubs' schema TypedDict
    paths = schema["paths"]
    create = paths["/books/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/BookCreate")
    listed = paths["/books/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(listed["properties"]) == {"next", "previous", "results"}
