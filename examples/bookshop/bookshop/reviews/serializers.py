"""Serializers of :mod:`bookshop.reviews`."""

from __future__ import annotations

from rest_framework import serializers

from bookshop.reviews.models import Review


class ReviewSerializer(serializers.ModelSerializer[Review]):
    """A review; the owner is the requesting user, and one review per reader and book."""

    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    reader = serializers.CharField(source="owner.username", read_only=True)
    book_title = serializers.CharField(source="book.title", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "book", "book_title", "owner", "reader", "rating", "body", "created"]
