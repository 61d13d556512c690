"""Serializers of :mod:`bookshop.authors`."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from bookshop.authors.models import Author


class AuthorSerializer(serializers.HyperlinkedModelSerializer[Author]):
    class Meta:
        model = Author
        fields = ["url", "id", "name", "bio"]


class AuthorStatsSerializer(serializers.Serializer[dict[str, Any]]):
    """The answer of ``GET /api/authors/{id}/stats/`` (rendered from a dict)."""

    author = serializers.CharField()
    books = serializers.IntegerField()
    reviews = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
