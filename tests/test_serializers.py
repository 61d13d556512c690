"""``async_viewsets.serializers``: the fast paths give DRF's output, errors and saves exactly.

Every fast serializer here is compared against the plain DRF serializer of the same
declaration, on rows that exercise foreign keys (set and null), many-to-many, nested and
``depth`` serializers, dotted sources, method fields, hyperlinks and write-only fields.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar, cast

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

import async_viewsets.serializers as fast_module
from async_viewsets.serializers import (
    CachedFieldsMixin,
    FastHyperlinkedModelSerializer,
    FastModelSerializer,
    OnePassListSerializer,
)
from tests.testapp.models import Author, Book, Review, Tag
from tests.testapp.serializers import (
    AuthorSerializer,
    BookCreateSerializer,
    BookDepthSerializer,
    BookDetailSerializer,
    BookListSerializer,
    BookSerializer,
    NestedBookWriteSerializer,
    ReviewSerializer,
    TagSerializer,
)

pytestmark = pytest.mark.django_db

DECLARATIONS: list[type[serializers.ModelSerializer[Any]]] = [
    AuthorSerializer,
    TagSerializer,
    BookSerializer,
    BookListSerializer,
    BookDetailSerializer,
    BookDepthSerializer,
    NestedBookWriteSerializer,
    ReviewSerializer,
]


def fast_twin(declared: type[serializers.ModelSerializer[Any]]) -> type[Any]:
    """``declared`` with both fast paths, as a user adds them to an existing serializer."""
    meta = type("Meta", (declared.Meta,), {"list_serializer_class": OnePassListSerializer})
    return type(f"Fast{declared.__name__}", (CachedFieldsMixin, declared), {"Meta": meta})


class HyperlinkedBook(serializers.HyperlinkedModelSerializer[Book]):
    class Meta:
        model = Book
        fields = ["url", "title", "author"]
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "url": {"view_name": "book-detail"},
            "author": {"view_name": "author-detail"},
        }


@pytest.fixture
def library() -> list[Book]:
    owner = User.objects.create_user("reader")
    ada, bob = Author.objects.create(name="Ada"), Author.objects.create(name="Bob")
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    books = [
        Book.objects.create(title="One", author=ada, owner=owner),
        Book.objects.create(title="Two", author=ada, published=False),  # owner is NULL
        Book.objects.create(title="Three", author=bob),
    ]
    books[0].tags.add(red, blue)
    books[2].tags.add(blue)
    Review.objects.create(book=books[0], owner=owner, rating=5, body="great")
    Review.objects.create(book=books[2], owner=owner, rating=2)
    return books


def data(serializer: Any) -> Any:
    """``serializer.data`` (drf-stubs types ``S(rows, many=True)`` as ``S``, not a list)."""
    return serializer.data


def rows_for(declared: type[serializers.ModelSerializer[Any]]) -> list[Any]:
    model: Any = declared.Meta.model
    return list(model.objects.order_by("pk"))


@pytest.mark.parametrize("declared", DECLARATIONS, ids=lambda c: c.__name__)
def test_fast_twins_serialize_pages_and_rows_like_drf(
    declared: type[serializers.ModelSerializer[Any]], library: list[Book]
) -> None:
    fast = fast_twin(declared)
    rows = rows_for(declared)
    assert rows
    page = fast(rows, many=True)
    assert isinstance(page, OnePassListSerializer)
    assert data(page) == data(declared(rows, many=True))
    for row in rows:
        assert data(fast(row)) == data(declared(row))
    # A manager (a nested to-many relation) is served as DRF serves it: through .all().
    manager = cast("Any", declared.Meta.model).objects
    assert data(fast(manager, many=True)) == data(declared(manager, many=True))


def test_fast_model_serializer_matches_a_model_serializer(library: list[Book]) -> None:
    class Fast(FastModelSerializer[Book]):
        author_name = serializers.CharField(source="author.name", read_only=True)
        review_count = serializers.SerializerMethodField()

        class Meta:
            model = Book
            fields = ["id", "title", "author", "author_name", "tags", "published", "review_count"]

        def get_review_count(self, obj: Book) -> int:
            return obj.reviews.count()

    rows = list(Book.objects.order_by("pk"))
    assert isinstance(Fast(rows, many=True), OnePassListSerializer)
    assert data(Fast(rows, many=True)) == data(BookSerializer(rows, many=True))
    assert Fast(rows[1]).data == BookSerializer(rows[1]).data


def test_hyperlinks_use_the_request_of_the_context(library: list[Book]) -> None:
    from django.urls import include, path
    from rest_framework.routers import SimpleRouter

    from async_viewsets import AsyncModelViewSet

    class BookViewSet(AsyncModelViewSet[Book, Any]):
        queryset = Book.objects.all()
        serializer_class = HyperlinkedBook

    class AuthorViewSet(AsyncModelViewSet[Author, Any]):
        queryset = Author.objects.all()
        serializer_class = AuthorSerializer

    router = SimpleRouter()
    router.register("books", BookViewSet, basename="book")
    router.register("authors", AuthorViewSet, basename="author")
    urlconf = type("urls", (), {"urlpatterns": [path("", include(router.urls))]})
    from django.urls import set_urlconf

    set_urlconf(cast("Any", urlconf))
    try:
        request = APIRequestFactory().get("/books/")
        context = {"request": request}
        rows = list(Book.objects.order_by("pk"))
        fast = fast_twin(HyperlinkedBook)
        expected = data(HyperlinkedBook(rows, many=True, context=context))
        assert expected[0]["url"] == f"http://testserver/books/{rows[0].pk}/"
        assert data(fast(rows, many=True, context=context)) == expected

        class Declared(FastHyperlinkedModelSerializer[Book]):
            class Meta:
                model = Book
                fields = ["url", "title", "author"]
                extra_kwargs: ClassVar[dict[str, Any]] = HyperlinkedBook.Meta.extra_kwargs

        assert isinstance(Declared(rows, many=True), OnePassListSerializer)
        assert data(Declared(rows, many=True, context=context)) == expected
        assert data(Declared(rows[2], context=context)) == expected[2]
    finally:
        set_urlconf(None)


PAYLOADS: list[tuple[type[serializers.ModelSerializer[Any]], Any]] = [
    # the (author, title) pair exists: UniqueConstraint's validator
    (BookSerializer, lambda books: {"title": "One", "author": books[0].author_id, "tags": []}),
    (BookSerializer, lambda books: {"title": "", "author": 99999}),
    (BookSerializer, lambda books: {"author": "x", "tags": ["nope"]}),
    (BookCreateSerializer, lambda books: {"title": "New", "author": "Nobody"}),
    (BookCreateSerializer, lambda books: {}),
    (NestedBookWriteSerializer, lambda books: {"title": "T", "author": 1, "tag_names": "x"}),
]


@pytest.mark.parametrize(("declared", "payload"), PAYLOADS)
def test_validation_errors_are_drfs(
    declared: type[serializers.ModelSerializer[Any]], payload: Any, library: list[Book]
) -> None:
    data = payload(library)
    plain, fast = declared(data=data), fast_twin(declared)(data=data)
    assert plain.is_valid() is False
    assert fast.is_valid() is False
    assert fast.errors == plain.errors


def test_saves_are_drfs(library: list[Book]) -> None:
    fast = fast_twin(BookCreateSerializer)(data={"title": "Fresh", "author": "Bob"})
    assert fast.is_valid(), fast.errors
    book = fast.save()
    assert (book.title, book.author.name) == ("Fresh", "Bob")
    update = fast_twin(BookSerializer)(library[1], data={"title": "Renamed"}, partial=True)
    assert update.is_valid(), update.errors
    assert update.save().title == "Renamed"
    library[1].refresh_from_db()
    assert library[1].title == "Renamed"


def test_fields_are_built_once_per_class_and_copied_per_instance(
    library: list[Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = serializers.ModelSerializer.build_field

    def counting(self: Any, field_name: str, *args: Any) -> Any:
        built.append(field_name)
        return original(self, field_name, *args)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counting)
    fast = fast_twin(BookListSerializer)
    first, second = fast(library[0]), fast(library[1])
    assert first.data == {"id": library[0].pk, "title": "One"}
    assert second.data == {"id": library[1].pk, "title": "Two"}
    assert built == ["id", "title"]  # the second instance built nothing
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first
    assert second.fields["title"].parent is second
    BookListSerializer(library[0]).data  # noqa: B018 - plain DRF builds every time
    assert built == ["id", "title", "id", "title"]

    class Sub(fast):  # type: ignore[valid-type, misc]
        pass

    assert Sub(library[0]).data == first.data
    assert built[-2:] == ["id", "title"]  # a subclass builds its own cache


def test_per_instance_changes_do_not_leak(library: list[Book]) -> None:
    """The "dynamic fields" pattern: drop fields in ``__init__``; other instances keep them."""

    class Dynamic(FastModelSerializer[Book]):
        class Meta:
            model = Book
            fields = ["id", "title", "published"]

        def __init__(self, *args: Any, only: tuple[str, ...] = (), **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in set(self.fields) - set(only or self.fields):
                self.fields.pop(name)

    assert Dynamic(library[0], only=("title",)).data == {"title": "One"}
    assert Dynamic(library[0]).data == {"id": library[0].pk, "title": "One", "published": True}
    Dynamic(library[0]).fields["title"].label = "changed"
    assert Dynamic(library[0]).fields["title"].label == "Title"


def test_declared_meta_is_left_alone_and_an_explicit_list_class_wins() -> None:
    class Declared:
        model = Book
        fields = ["id"]

    class Fast(FastModelSerializer[Book]):
        Meta = Declared  # type: ignore[assignment]

    assert not hasattr(Declared, "list_serializer_class")
    assert getattr(Fast.Meta, "list_serializer_class", None) is OnePassListSerializer
    assert (Fast.Meta.model, Fast.Meta.fields) == (Book, ["id"])

    class Pages(serializers.ListSerializer[Any]):
        pass

    class Chosen(FastModelSerializer[Book]):
        class Meta:
            model = Book
            fields = ["id"]
            list_serializer_class = Pages

    assert type(cast("Any", Chosen([], many=True))) is Pages


def test_a_custom_row_representation_gets_drfs_loop(library: list[Book]) -> None:
    class Shouting(FastModelSerializer[Book]):
        class Meta:
            model = Book
            fields = ["title"]

        def to_representation(self, instance: Book) -> dict[str, Any]:
            return {"title": instance.title.upper()}

    rows = list(Book.objects.order_by("pk"))
    assert data(Shouting(rows, many=True)) == [
        {"title": "ONE"},
        {"title": "TWO"},
        {"title": "THREE"},
    ]


class Thing:
    """A plain object with the attribute shapes DRF's ``get_attribute`` treats specially."""

    def __init__(self, name: str | None, extra: dict[str, Any] | None = None) -> None:
        self.name = name
        self.extra = extra or {}

    def shout(self) -> str:
        assert self.name is not None
        return self.name.upper()

    @property
    def gone(self) -> str:
        raise ObjectDoesNotExist


class ThingSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(allow_null=True)
    loud = serializers.CharField(source="shout")
    nested = serializers.CharField(source="extra.key", required=False)
    fallback = serializers.CharField(source="missing", default="dflt")
    gone = serializers.CharField()
    secret = serializers.CharField(write_only=True)


def test_one_pass_follows_drfs_attribute_rules() -> None:
    """Callables are called, a missing optional key is skipped, a default fills a missing
    attribute, ``ObjectDoesNotExist`` reads as None, None skips ``to_representation``,
    write-only fields are left out; dict rows work as DRF's."""

    class Page(OnePassListSerializer):
        pass

    rows: list[Any] = [Thing("ada", {"key": "k"}), Thing("bob"), {"name": None, "shout": "S"}]
    rows[2].update(extra={}, missing="m", gone=None)
    fast = Page(child=ThingSerializer())
    assert fast.to_representation(rows) == data(ThingSerializer(rows, many=True))
    assert fast.to_representation(rows) == [
        {"name": "ada", "loud": "ADA", "nested": "k", "fallback": "dflt", "gone": None},
        {"name": "bob", "loud": "BOB", "fallback": "dflt", "gone": None},
        {"name": None, "loud": "S", "fallback": "m", "gone": None},
    ]


def test_a_cold_class_built_by_many_threads_gives_everyone_the_same_fields() -> None:
    fast = fast_twin(BookListSerializer)
    book = Book(id=7, title="Seven")
    results: list[Any] = []
    barrier = threading.Barrier(4)

    def serialize() -> None:
        barrier.wait()
        results.append(fast(book).data)

    threads = [threading.Thread(target=serialize) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"id": 7, "title": "Seven"}] * 4
    assert fast_module._FIELDS_CACHE in fast.__dict__


def test_model_paths_are_plain_attribute_chains_only() -> None:
    from async_viewsets.serializers import _model_path

    assert _model_path(Book, ("title",)) == ("title",)
    assert _model_path(Book, ("author_id",)) == ("author_id",)
    assert _model_path(Book, ("author", "name")) == ("author", "name")
    assert _model_path(Book, ("owner", "username")) == ("owner", "username")
    assert _model_path(Review, ("book", "author", "name")) == ("book", "author", "name")
    for not_plain in [
        ("author",),  # a related object (DRF's relational fields read it their own way)
        ("tags",),  # many-to-many
        ("reviews",),  # reverse relation
        ("pk",),  # an alias, not a field
        ("author", "books"),
        ("title", "upper"),  # a method of the value
        ("__str__",),
        ("missing",),
    ]:
        assert _model_path(Book, not_plain) is None, not_plain


class PlainOwnerAware(serializers.ModelSerializer[Book]):
    """Model paths, with every way DRF handles a ``None`` on the way (``OwnerAware``: the
    fast twin)."""

    owner_name = serializers.CharField(source="owner.username", allow_null=True)
    owner_default = serializers.CharField(source="owner.username", default="nobody")
    owner_optional = serializers.CharField(source="owner.username", required=False)
    author_name = serializers.CharField(source="author.name")

    class Meta:
        model = Book
        fields = [
            "id", "title", "author_id", "published", "author_name",
            "owner_name", "owner_default", "owner_optional",
        ]  # fmt: skip
        extra_kwargs: ClassVar[dict[str, Any]] = {"author_id": {"read_only": True}}


OwnerAware = fast_twin(PlainOwnerAware)


def test_direct_reads_give_drfs_rows_and_queries(library: list[Book]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page(serializer: type[Any]) -> tuple[Any, list[str]]:
        # Deferred fields and unfetched relations: each read may query, once, as DRF's does.
        rows = list(Book.objects.only("id", "title", "author_id").order_by("pk"))
        with CaptureQueriesContext(connection) as queries:
            result = data(serializer(rows, many=True))
        return result, [q["sql"] for q in queries.captured_queries]

    fast_rows, fast_queries = page(OwnerAware)
    plain_rows, plain_queries = page(PlainOwnerAware)
    assert fast_rows == plain_rows
    assert fast_queries == plain_queries
    assert len(fast_queries) > 3  # the deferred fields and relations really were loaded
    without_owner = fast_rows[1]
    assert without_owner["owner_name"] is None
    assert without_owner["owner_default"] == "nobody"
    assert "owner_optional" not in without_owner
    assert fast_rows[0]["owner_optional"] == "reader"


def test_other_rows_and_callable_values_are_read_by_drf(library: list[Book]) -> None:
    rows: list[Any] = list(Book.objects.select_related("author", "owner").order_by("pk"))
    rows[0].title = lambda: "computed"  # an instance attribute shadows the field's descriptor
    dict_row = {"id": 99, "title": "a dict row", "author_id": 1, "published": True}
    rows.append({**dict_row, "author": {"name": "Someone"}, "owner": None})
    assert data(OwnerAware(rows, many=True)) == data(PlainOwnerAware(rows, many=True))
    assert data(OwnerAware(rows, many=True))[0]["title"] == "computed"
    assert data(OwnerAware(rows, many=True))[-1]["author_name"] == "Someone"
