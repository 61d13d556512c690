"""``BookViewSet``: per-action serializers, an admin-only ``destroy`` and an async action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Avg, Count
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.permissions import IsAdminUser, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from async_viewsets import ActionConfig, AsyncModelViewSet, action
from bookshop.api import AUTHENTICATION_CLASSES, BookshopPagination
from bookshop.books.models import Book
from bookshop.books.serializers import (
    BookListSerializer,
    BookSerializer,
    BookWriteSerializer,
    TopRatedBookSerializer,
)
from bookshop.openapi import extend_schema

if TYPE_CHECKING:
    from rest_framework.request import Request


class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
    """Books. Lists are light, details are full, writes take their own input shape."""

    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = BookshopPagination
    filter_backends = [SearchFilter, OrderingFilter]
    search_fields = ["title", "author__name"]
    ordering_fields = ["title", "year"]
    action_configs = {
        "list": ActionConfig[Book](
            response_serializer_class=BookListSerializer,
            queryset=Book.objects.select_related("author"),
        ),
        "create": ActionConfig[Book](
            request_serializer_class=BookWriteSerializer,
            response_serializer_class=BookSerializer,
        ),
        "update": ActionConfig[Book](request_serializer_class=BookWriteSerializer),
        "partial_update": ActionConfig[Book](request_serializer_class=BookWriteSerializer),
        "destroy": ActionConfig[Book](permission_classes=[IsAdminUser]),
    }

    @extend_schema(responses=TopRatedBookSerializer(many=True))
    @action(detail=False, url_path="top-rated", pagination_class=None, filter_backends=[])
    async def top_rated(self, request: Request) -> Response:
        """The five best-rated books with at least one review, by Django's async ORM.

        A plain list (neither paginated nor filtered) of ``TopRatedBookSerializer`` rows, which
        also documents it in the OpenAPI schema.
        """
        rows = (
            Book.objects.annotate(
                average_rating=Avg("reviews__rating"), review_count=Count("reviews")
            )
            .filter(review_count__gt=0)
            .order_by("-average_rating", "title")
            .values("id", "title", "average_rating", "review_count")[:5]
        )
        rendered = TopRatedBookSerializer([row async for row in rows], many=True)
        # drf-stubs types ListSerializer.data as a bare ReturnList (pyright: partially unknown).
        return Response(rendered.data)  # pyright: ignore[reportUnknownMemberType]
