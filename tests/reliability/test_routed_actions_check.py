"""Regression tests for the ``as_view()`` check of routed actions, found by DRF's own tests.

The check refuses, at URL-configuration time, a routed model action that has no queryset or no
serializer. DRF's test suite showed three configurations that DRF serves and the check wrongly
refused; each is served here, and the check still refuses a view that really lacks both.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import AsyncClient
from django.urls import path
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from async_viewsets import AsyncListAPIView, AsyncRetrieveUpdateDestroyAPIView
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookListSerializer, BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class OwnLookup(AsyncRetrieveUpdateDestroyAPIView[Book, BookSerializer]):
    """No queryset: ``get_object`` is overridden and finds the object itself."""

    serializer_class = BookSerializer

    def get_object(self) -> Book:
        return get_object_or_404(Book.objects.all(), pk=self.kwargs["pk"])


class OwnGet(AsyncListAPIView[Book, BookSerializer]):
    """Neither queryset nor serializer: the ``get`` handler is the class's own."""

    async def get(self, request: Any) -> Response:
        return Response({"own": True})


urlpatterns = [
    path(
        "configured/",
        AsyncListAPIView.as_view(queryset=Book.objects.all(), serializer_class=BookListSerializer),
    ),
    path("own-lookup/<int:pk>/", OwnLookup.as_view()),
    path("own-get/", OwnGet.as_view()),
]


async def test_views_configured_another_way_are_served(aclient: AsyncClient) -> None:
    """``as_view(queryset=..., serializer_class=...)``, an overridden ``get_object`` and an
    overridden handler each configure a view completely: as_view() accepts them (they are in
    this module's URLconf) and they answer requests."""
    author = await Author.objects.acreate(name="a")
    book = await Book.objects.acreate(title="t", author=author)
    listed = await aclient.get("/configured/")
    assert listed.json() == [{"id": book.pk, "title": "t"}]
    detail = await aclient.patch(
        f"/own-lookup/{book.pk}/", {"title": "u"}, content_type="application/json"
    )
    assert detail.status_code == 200, detail.content
    assert (await Book.objects.aget()).title == "u"
    assert (await aclient.get("/own-get/")).json() == {"own": True}


def test_a_view_without_queryset_is_still_refused() -> None:
    """The check still refuses a list view with a serializer but no queryset anywhere."""

    class NoQueryset(AsyncListAPIView[Book, BookSerializer]):
        serializer_class = BookSerializer

    with pytest.raises(ImproperlyConfigured, match="no queryset"):
        NoQueryset.as_view()
