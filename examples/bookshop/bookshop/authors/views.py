"""``AuthorViewSet``: CRUD on authors, an admin-only ``destroy`` and an async ``stats`` action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Avg, Count
from rest_framework.permissions import IsAdminUser, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from async_viewsets import ActionConfig, AsyncModelViewSet, action
from bookshop.api import AUTHENTICATION_CLASSES, BookshopPagination
from bookshop.authors.models import Author
from bookshop.authors.serializers import AuthorSerializer, AuthorStatsSerializer
from bookshop.openapi import extend_schema
from bookshop.reviews.models import Review

if TYPE_CHECKING:
    from rest_framework.request import Request


class AuthorViewSet(AsyncModelViewSet[Author, AuthorSerializer]):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = BookshopPagination
    action_configs = {
        "destroy": ActionConfig[Author](permission_classes=[IsAdminUser]),
    }

    @extend_schema(responses=AuthorStatsSerializer)
    @action(detail=True)
    async def stats(self, request: Request, pk: str | None = None) -> Response:
        """How many books and reviews the author has, and the average rating.

        Everything here is async: the lookup (``aget_object``, with its 404) and two
        aggregate queries through Django's async ORM. ``AuthorStatsSerializer`` renders the
        answer and documents it in the OpenAPI schema.
        """
        author = await self.aget_object()
        books = await author.books.acount()
        ratings = await Review.objects.filter(book__author=author).aaggregate(
            reviews=Count("id"), average=Avg("rating")
        )
        average = ratings["average"]
        stats = {
            "author": author.name,
            "books": books,
            "reviews": ratings["reviews"],
            "average_rating": round(average, 2) if average is not None else None,
        }
        # drf-stubs types Serializer.data as a bare ReturnDict (pyright: partially unknown).
        return Response(AuthorStatsSerializer(stats).data)  # pyright: ignore[reportUnknownMemberType]
