"""Action configs: every field, the queryset shapes, request and response serializers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bookshop.authors.models import Author
from bookshop.books.models import Book
from bookshop.books.serializers import BookListSerializer, BookSerializer, BookWriteSerializer
from bookshop.reviews.models import Review
from bookshop.reviews.serializers import ReviewSerializer
from django.contrib.auth.models import User
from django.urls import include, path
from rest_framework.routers import DefaultRouter

if TYPE_CHECKING:
    from django.test import AsyncClient

# --8<-- [start:every-field]
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import UserRateThrottle

from async_viewsets import ActionConfig, AsyncModelViewSet


class BurstThrottle(UserRateThrottle):
    rate = "100/min"


class Window(LimitOffsetPagination):
    default_limit = 20


class CatalogueViewSet(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.select_related("author", "added_by")
    serializer_class = BookSerializer
    action_configs = {
        "list": ActionConfig(
            serializer_class=BookListSerializer,  # in and out, as get_serializer_class()
            queryset=Book.objects.select_related("author"),
            pagination_class=Window,
            renderer_classes=[JSONRenderer],
        ),
        "create": ActionConfig(
            request_serializer_class=BookWriteSerializer,  # validates the body
            response_serializer_class=BookSerializer,  # renders the saved book
            permission_classes=[IsAuthenticated],
            throttle_classes=[BurstThrottle],
            parser_classes=[JSONParser],
        ),
        "destroy": ActionConfig(permission_classes=[IsAdminUser]),
    }


# --8<-- [end:every-field]

# --8<-- [start:queryset-shapes]
from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from async_viewsets import action


def reviews_of_the_author(view: ReviewViewSet) -> QuerySet[Review]:
    """A ``def`` works as well as a lambda; it receives the view."""
    return Review.objects.filter(book__author_id=view.kwargs["pk"])


class ReviewViewSet(AsyncModelViewSet[Review, ReviewSerializer]):
    queryset = Review.objects.select_related("book", "owner")
    serializer_class = ReviewSerializer
    action_configs = {
        # 1. A QuerySet: re-evaluated for every request (the view calls .all() on it).
        "list": ActionConfig(queryset=Review.objects.filter(rating__gte=4)),
        # 2. A callable taking the view: built per request, so it may use request.user.
        "mine": ActionConfig(
            queryset=lambda view: Review.objects.filter(owner_id=view.request.user.pk),
            permission_classes=[IsAuthenticated],
        ),
        # 3. A named function, for anything longer than a line.
        "by_author": ActionConfig(queryset=reviews_of_the_author),
    }

    @action(detail=False)
    async def mine(self, request: Request) -> Response:
        return await self.list(request)  # list's logic, on this action's queryset

    @action(detail=True, url_path="by-author")
    async def by_author(self, request: Request, pk: str | None = None) -> Response:
        return await self.list(request)


# --8<-- [end:queryset-shapes]

router = DefaultRouter()
router.register("books", CatalogueViewSet, basename="book")
router.register("reviews", ReviewViewSet, basename="review")
urlpatterns = [path("", include(router.urls))]


async def check(client: AsyncClient) -> None:
    author = await Author.objects.acreate(name="Terry Pratchett")
    book = await Book.objects.acreate(title="Mort", author=author, isbn="1", year=1987)
    alice = await User.objects.acreate_user("alice")
    bob = await User.objects.acreate_user("bob")
    await Review.objects.acreate(book=book, owner=alice, rating=5)
    await Review.objects.acreate(book=book, owner=bob, rating=2)

    listed = (await client.get("/books/")).json()
    assert set(listed) == {"count", "next", "previous", "results"}  # LimitOffsetPagination
    assert list(listed["results"][0]) == ["url", "id", "title", "author", "year"]
    assert listed["count"] == 1
    # Only JSON for list: the browsable API's renderer is not offered.
    assert (await client.get("/books/", headers={"accept": "text/html"})).status_code == 406
    assert (
        await client.get(f"/books/{book.pk}/", headers={"accept": "text/html"})
    ).status_code == 200

    payload = {"title": "Eric", "author": author.pk, "isbn": "2", "year": 1990}
    anonymous = await client.post("/books/", payload, content_type="application/json")
    assert anonymous.status_code == 403
    await client.aforce_login(alice)
    form = await client.post("/books/", payload)  # multipart: refused by parser_classes
    assert form.status_code == 415
    created = await client.post("/books/", payload, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["author"] == {"id": author.pk, "name": "Terry Pratchett"}
    assert (await client.delete(f"/books/{book.pk}/")).status_code == 403

    assert [r["rating"] for r in (await client.get("/reviews/")).json()] == [5]
    mine = (await client.get("/reviews/mine/")).json()
    assert [r["reader"] for r in mine] == ["alice"]
    by_author = (await client.get(f"/reviews/{author.pk}/by-author/")).json()
    assert sorted(r["rating"] for r in by_author) == [2, 5]
