"""Serializers exercising every standard DRF path that touches the ORM."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tests.testapp.models import Author, Book, Gadget, Review, Tag


class AuthorSerializer(serializers.ModelSerializer[Author]):
    class Meta:
        model = Author
        fields = ["id", "name"]


class TagSerializer(serializers.ModelSerializer[Tag]):
    class Meta:
        model = Tag
        fields = ["id", "name"]


class BookSerializer(serializers.ModelSerializer[Book]):
    """FK and M2M by primary key, a dotted source, a method field that queries, validators."""

    author_name = serializers.CharField(source="author.name", read_only=True)
    review_count = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = ["id", "title", "author", "author_name", "tags", "published", "review_count"]

    def get_review_count(self, obj: Book) -> int:
        return obj.reviews.count()


class BookListSerializer(serializers.ModelSerializer[Book]):
    class Meta:
        model = Book
        fields = ["id", "title"]


class BookDetailSerializer(serializers.ModelSerializer[Book]):
    """Nested serializers and ``depth``-style output."""

    author = AuthorSerializer(read_only=True)
    tags = TagSerializer(many=True, read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "author", "tags", "published"]


class BookDepthSerializer(serializers.ModelSerializer[Book]):
    class Meta:
        model = Book
        fields = ["id", "title", "author", "tags"]
        depth = 1


class BookCreateSerializer(serializers.ModelSerializer[Book]):
    """An input-only shape: write the author by name."""

    author = serializers.SlugRelatedField(slug_field="name", queryset=Author.objects.all())

    class Meta:
        model = Book
        fields = ["title", "author"]


class NestedBookWriteSerializer(serializers.ModelSerializer[Book]):
    """Creates the book and its tags in one request (a nested write)."""

    tag_names = serializers.ListField(child=serializers.CharField(), write_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "author", "tag_names"]

    def create(self, validated_data: dict[str, Any]) -> Book:
        names = validated_data.pop("tag_names")
        book = Book.objects.create(**validated_data)
        for name in names:
            if name == "explode":
                raise RuntimeError("nested write failed")
            tag, _ = Tag.objects.get_or_create(name=name)
            book.tags.add(tag)
        return book


class ReviewSerializer(serializers.ModelSerializer[Review]):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    book_title = serializers.CharField(source="book.title", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "book", "book_title", "owner", "rating", "body"]


class GadgetSerializer(serializers.ModelSerializer[Gadget]):
    class Meta:
        model = Gadget
        fields = ["id", "name"]
