"""Serializers of :mod:`bookshop.authors`."""

from __future__ import annotations

from rest_framework import serializers

from bookshop.authors.models import Author


class AuthorSerializer(serializers.HyperlinkedModelSerializer[Author]):
    class Meta:
        model = Author
        fields = ["url", "id", "name", "bio"]
