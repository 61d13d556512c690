"""No ``SynchronousOnlyOperation`` on any standard DRF path that touches the database.

Each view below uses a serializer, permission, authenticator or throttle that runs queries.
Django raises ``SynchronousOnlyOperation`` whenever the ORM runs on the event loop's thread, so
a 2xx/4xx answer here proves the query ran in the worker thread."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db.models import QuerySet
from django.test import AsyncClient
from rest_framework.authentication import BasicAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission, DjangoModelPermissions, IsAuthenticated
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import BaseThrottle

from async_viewsets import ActionConfig, AsyncModelViewSet
from tests.testapp.models import Author, Book, Review, Tag
from tests.testapp.serializers import (
    AuthorSerializer,
    BookDepthSerializer,
    BookDetailSerializer,
    BookSerializer,
    ReviewSerializer,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class Books(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {
        "retrieve": ActionConfig(response_serializer_class=BookDetailSerializer),
    }


class SelectRelatedBooks(Books):
    queryset = Book.objects.select_related("author").prefetch_related("tags")


class DepthBooks(AsyncModelViewSet[Book, BookDepthSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookDepthSerializer


class Authors(AsyncModelViewSet[Author, AuthorSerializer]):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer


class OwnsAReview(BasePermission):
    """A sync permission that queries."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return Review.objects.filter(owner_id=request.user.pk).exists()


class QueryingThrottle(BaseThrottle):
    """A sync throttle that queries."""

    def allow_request(self, request: Request, view: Any) -> bool:
        return Book.objects.count() < 100


class Reviews(AsyncModelViewSet[Review, ReviewSerializer]):
    serializer_class = ReviewSerializer
    authentication_classes = [TokenAuthentication, BasicAuthentication]
    permission_classes = [IsAuthenticated, DjangoModelPermissions]
    throttle_classes = [QueryingThrottle]
    action_configs = {"list": ActionConfig(permission_classes=[IsAuthenticated & OwnsAReview])}

    def get_queryset(self) -> QuerySet[Review]:
        return Review.objects.filter(owner_id=self.request.user.pk)


router = SimpleRouter()
router.register("books", Books, basename="books")
router.register("sr-books", SelectRelatedBooks, basename="sr-books")
router.register("depth", DepthBooks, basename="depth")
router.register("authors", Authors, basename="authors")
router.register("reviews", Reviews, basename="reviews")
urlpatterns = router.urls


@pytest.fixture
def book(db: None) -> Book:
    author = Author.objects.create(name="Mary")
    book = Book.objects.create(title="Frankenstein", author=author)
    book.tags.add(Tag.objects.create(name="gothic"), Tag.objects.create(name="sf"))
    return book


@pytest.mark.parametrize("prefix", ["books", "sr-books"])
async def test_related_fields_method_fields_and_nesting(
    aclient: AsyncClient, book: Book, prefix: str
) -> None:
    """FK and M2M primary keys, source='author.name', a querying SerializerMethodField, nested
    serializers, with and without select_related/prefetch_related."""
    listed = await aclient.get(f"/{prefix}/")
    assert listed.status_code == 200
    assert listed.json()[0]["author_name"] == "Mary"
    assert sorted(listed.json()[0]["tags"]) == sorted(await _tag_ids(book))
    assert listed.json()[0]["review_count"] == 0
    detail = await aclient.get(f"/{prefix}/{book.pk}/")
    assert detail.json()["author"] == {"id": book.author_id, "name": "Mary"}
    assert sorted(t["name"] for t in detail.json()["tags"]) == ["gothic", "sf"]


async def _tag_ids(book: Book) -> list[int]:
    return [pk async for pk in book.tags.values_list("pk", flat=True)]


async def test_depth(aclient: AsyncClient, book: Book) -> None:
    """Meta.depth = 1 expands relations in the worker thread."""
    response = await aclient.get(f"/depth/{book.pk}/")
    assert response.json()["author"] == {"id": book.author_id, "name": "Mary"}
    assert {t["name"] for t in response.json()["tags"]} == {"gothic", "sf"}


async def test_writes_validate_related_and_unique_fields(aclient: AsyncClient, book: Book) -> None:
    """PrimaryKeyRelatedField lookups, M2M writes, UniqueValidator and UniqueTogetherValidator
    all query during validation and save."""
    tags = await _tag_ids(book)
    created = await aclient.post(
        "/books/",
        {"title": "Mathilda", "author": book.author_id, "tags": tags},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert sorted(created.json()["tags"]) == sorted(tags)
    bad_fk = await aclient.post(
        "/books/", {"title": "X", "author": 999999}, content_type="application/json"
    )
    assert bad_fk.status_code == 400
    assert bad_fk.json() == {"author": ['Invalid pk "999999" - object does not exist.']}
    duplicate = await aclient.post(
        "/books/",
        {"title": "Frankenstein", "author": book.author_id},
        content_type="application/json",
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "non_field_errors": ["The fields author, title must make a unique set."]
    }
    unique_name = await aclient.post("/authors/", {"name": "Mary"}, content_type="application/json")
    assert unique_name.status_code == 400
    assert unique_name.json() == {"name": ["author with this name already exists."]}


async def test_db_touching_auth_permissions_and_throttles(aclient: AsyncClient, book: Book) -> None:
    """Token and Basic authentication, DjangoModelPermissions, a querying permission inside
    an & composition, a querying throttle, CurrentUserDefault."""
    user = await User.objects.acreate_user("writer", password="pw")
    token = await Token.objects.acreate(user=user)
    auth = {"authorization": f"Token {token.key}"}
    assert (await aclient.get("/reviews/", headers=auth)).status_code == 403  # owns no review
    denied = await aclient.post(
        "/reviews/", {"book": book.pk, "rating": 5}, content_type="application/json", headers=auth
    )
    assert denied.status_code == 403  # lacks the add_review model permission
    await user.user_permissions.aadd(
        await Permission.objects.aget(codename="add_review", content_type__app_label="testapp")
    )
    created = await aclient.post(
        "/reviews/", {"book": book.pk, "rating": 5}, content_type="application/json", headers=auth
    )
    assert created.status_code == 201, created.content
    assert created.json()["book_title"] == "Frankenstein"
    review = await Review.objects.aget(pk=created.json()["id"])
    assert review.owner_id == user.pk
    basic = base64.b64encode(b"writer:pw").decode()
    listed = await aclient.get("/reviews/", headers={"authorization": f"Basic {basic}"})
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [review.pk]
    wrong = base64.b64encode(b"writer:nope").decode()
    unauthorized = await aclient.get("/reviews/", headers={"authorization": f"Basic {wrong}"})
    assert unauthorized.status_code == 401
    assert unauthorized["WWW-Authenticate"] == "Token"
