"""Serializer fast paths: the same JSON as the plain DRF serializer, built with less work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bookshop.books.models import Book
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncReadOnlyModelViewSet

if TYPE_CHECKING:
    from django.test import AsyncClient


class BookRowSerializer(serializers.ModelSerializer[Book]):
    author = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "author", "year"]


# --8<-- [start:fast-model-serializer]
from async_viewsets.serializers import FastModelSerializer


class FastBookRowSerializer(FastModelSerializer[Book]):  # was: serializers.ModelSerializer
    author = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "author", "year"]


# --8<-- [end:fast-model-serializer]

# --8<-- [start:mixin]
from async_viewsets.serializers import CachedFieldsMixin, OnePassListSerializer


class FasterBookRowSerializer(CachedFieldsMixin, BookRowSerializer):  # an existing class, as is
    class Meta(BookRowSerializer.Meta):
        list_serializer_class = OnePassListSerializer


# --8<-- [end:mixin]


class PlainViewSet(AsyncReadOnlyModelViewSet[Book, BookRowSerializer]):
    queryset = Book.objects.select_related("author").order_by("id")
    serializer_class = BookRowSerializer


class FastViewSet(AsyncReadOnlyModelViewSet[Book, FastBookRowSerializer]):
    queryset = PlainViewSet.queryset
    serializer_class = FastBookRowSerializer


class FasterViewSet(PlainViewSet):
    serializer_class = FasterBookRowSerializer


router = SimpleRouter()
router.register("plain", PlainViewSet, basename="plain")
router.register("fast", FastViewSet, basename="fast")
router.register("faster", FasterViewSet, basename="faster")
urlpatterns = [path("", include(router.urls))]


async def check(client: AsyncClient) -> None:
    from bookshop.authors.models import Author

    author = await Author.objects.acreate(name="Ursula K. Le Guin")
    for year, title in [(1969, "The Left Hand of Darkness"), (1974, "The Dispossessed")]:
        await Book.objects.acreate(title=title, author=author, isbn=str(year), year=year)
    plain = (await client.get("/plain/")).json()
    assert [row["author"] for row in plain] == ["Ursula K. Le Guin"] * 2
    assert (await client.get("/fast/")).json() == plain
    assert (await client.get("/faster/")).json() == plain
    pk = plain[1]["id"]
    assert (await client.get(f"/fast/{pk}/")).json() == plain[1]
    assert (await client.get(f"/faster/{pk}/")).json() == plain[1]
