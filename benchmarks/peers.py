"""The optional contenders: adrf, drf-restflow and django-ninja, each when it is installed.

Each builder returns URL patterns for ``books/`` and ``books/<pk>/`` (and the I/O variant), or
nothing when its package is missing; :mod:`benchmarks.urls` mounts them under the contender's
name. They serve the same resource as :mod:`benchmarks.contenders`, written the way each
project's documentation shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import path

from benchmarks.bookstore.models import Book
from benchmarks.contenders import (
    FIELDS,
    BookSerializer,
    Page20,
    SleepingAsyncAuth,
    books,
    has,
)

if TYPE_CHECKING:
    from django.urls import URLPattern, URLResolver

    Patterns = list[URLPattern | URLResolver]


def adrf_urls() -> tuple[Patterns, Patterns]:
    if not has("adrf"):
        return [], []
    from adrf import serializers as adrf_serializers
    from adrf import viewsets as adrf_viewsets
    from adrf.routers import SimpleRouter
    from rest_framework import serializers

    class AdrfBookSerializer(adrf_serializers.ModelSerializer):
        author_name = serializers.CharField(source="author.name", read_only=True)

        class Meta:
            model = Book
            fields = FIELDS

    class AdrfBookViewSet(adrf_viewsets.ModelViewSet):
        queryset = books()
        serializer_class = AdrfBookSerializer
        pagination_class = Page20

    class AsyncAuthenticate(SleepingAsyncAuth):
        """adrf awaits ``authenticate`` itself when it is a coroutine function."""

        async def authenticate(self, request: Any) -> tuple[object, None]:  # type: ignore[override]
            return await self.aauthenticate(request)

    class AdrfIOViewSet(AdrfBookViewSet):
        authentication_classes = [AsyncAuthenticate]

    return _routed(SimpleRouter, AdrfBookViewSet), _routed(SimpleRouter, AdrfIOViewSet)


def restflow_urls() -> tuple[Patterns, Patterns]:
    if not has("restflow"):
        return [], []
    from rest_framework.routers import SimpleRouter
    from restflow.views.viewsets import AsyncModelViewSet

    class RestflowBookViewSet(AsyncModelViewSet):
        queryset = books()
        serializer_class = BookSerializer
        pagination_class = Page20

    class RestflowIOViewSet(RestflowBookViewSet):
        authentication_classes = [SleepingAsyncAuth]

    return _routed(SimpleRouter, RestflowBookViewSet), _routed(SimpleRouter, RestflowIOViewSet)


def _routed(router_class: Any, viewset: type) -> Patterns:
    router = router_class()
    router.register("books", viewset, basename=f"{viewset.__name__}-book")
    return list(router.urls)


def ninja_urls() -> tuple[Patterns, Patterns]:
    if not has("ninja"):
        return [], []
    from benchmarks import ninja_api

    return [path("", ninja_api.api.urls)], [path("", ninja_api.io_api.urls)]


__all__ = ["adrf_urls", "ninja_urls", "restflow_urls"]
