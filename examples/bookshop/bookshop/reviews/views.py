"""``ReviewViewSet``: reviews owned by users, and ``mine``, scoped to ``request.user``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly

from async_viewsets import ActionConfig, AsyncModelViewSet, action
from bookshop.api import (
    AUTHENTICATION_CLASSES,
    BookshopPagination,
    IsOwnerOrReadOnly,
    UncountedPagination,
)
from bookshop.openapi import extend_schema
from bookshop.reviews.models import Review
from bookshop.reviews.serializers import ReviewSerializer

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.request import Request
    from rest_framework.response import Response


def own_reviews(view: ReviewViewSet) -> QuerySet[Review]:
    """The requesting user's reviews (a callable ``ActionConfig.queryset``)."""
    return Review.objects.filter(owner_id=view.request.user.pk).select_related("book", "owner")


class ReviewViewSet(AsyncModelViewSet[Review, ReviewSerializer]):
    """Anyone reads reviews; signed-in readers write them; only owners change theirs."""

    queryset = Review.objects.select_related("book", "owner")
    serializer_class = ReviewSerializer
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    pagination_class = BookshopPagination
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["book", "rating"]
    action_configs = {
        "mine": ActionConfig(
            queryset=own_reviews,
            permission_classes=[IsAuthenticated],
            pagination_class=UncountedPagination,
        ),
    }

    @extend_schema(responses=ReviewSerializer(many=True))  # a page of reviews, as ``list``
    @action(detail=False)
    async def mine(self, request: Request) -> Response:
        """The signed-in user's reviews: ``list`` itself, run on the ``mine`` queryset and
        paged without counting (``{next, previous, results}``)."""
        return await self.list(request)
