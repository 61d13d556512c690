"""Serializers of :mod:`bookshop.books`: one per shape, chosen per action by the viewset.

* ``BookListSerializer``: the light shape of list pages;
* ``BookSerializer``: the full representation (retrieve, and the answer to create/update);
* ``BookWriteSerializer``: what a client sends to create or update a book;
* ``TopRatedBookSerializer``: a row of the ``top-rated`` action.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count
from rest_framework import serializers

from bookshop.authors.models import Author
from bookshop.books.models import Book


class BookListSerializer(serializers.HyperlinkedModelSerializer[Book]):
    author = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Book
        fields = ["url", "id", "title", "author", "year"]


class _AuthorBriefSerializer(serializers.ModelSerializer[Author]):
    class Meta:
        model = Author
        fields = ["id", "name"]


class BookSerializer(serializers.HyperlinkedModelSerializer[Book]):
    author = _AuthorBriefSerializer(read_only=True)
    added_by = serializers.CharField(source="added_by.username", read_only=True, default=None)
    rating = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = ["url", "id", "title", "isbn", "year", "summary", "author", "added_by", "rating"]

    def get_rating(self, book: Book) -> dict[str, Any]:
        # A query per book: fine for the detail shape, which is why lists use another serializer.
        stats = book.reviews.aggregate(count=Count("id"), average=Avg("rating"))
        average = stats["average"]
        return {"count": stats["count"], "average": round(average, 2) if average else None}


class BookWriteSerializer(serializers.ModelSerializer[Book]):
    """Input of create and update; ``added_by`` is the requesting user, set on create only."""

    added_by = serializers.HiddenField(
        default=serializers.CreateOnlyDefault(serializers.CurrentUserDefault())
    )

    class Meta:
        model = Book
        fields = ["title", "author", "isbn", "year", "summary", "added_by"]


class TopRatedBookSerializer(serializers.Serializer[Any]):
    """A row of ``GET /api/books/top-rated/`` (a ``QuerySet.values()`` dict; ``many=True``)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    average_rating = serializers.FloatField()
    review_count = serializers.IntegerField()
