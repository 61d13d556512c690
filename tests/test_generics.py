"""The nine concrete async generic views map HTTP methods to actions as DRF's do, set
``self.action`` so that ``action_configs`` apply, and answer 405 for the rest."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import AsyncClient
from django.urls import path
from rest_framework.permissions import IsAdminUser

from async_viewsets import (
    ActionConfig,
    AsyncCreateAPIView,
    AsyncDestroyAPIView,
    AsyncGenericAPIView,
    AsyncListAPIView,
    AsyncListCreateAPIView,
    AsyncRetrieveAPIView,
    AsyncRetrieveDestroyAPIView,
    AsyncRetrieveUpdateAPIView,
    AsyncRetrieveUpdateDestroyAPIView,
    AsyncUpdateAPIView,
)
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookListSerializer, BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

VIEWS: dict[str, tuple[type[AsyncGenericAPIView[Any, Any]], set[str]]] = {
    "create": (AsyncCreateAPIView, {"POST"}),
    "list": (AsyncListAPIView, {"GET"}),
    "retrieve": (AsyncRetrieveAPIView, {"GET"}),
    "destroy": (AsyncDestroyAPIView, {"DELETE"}),
    "update": (AsyncUpdateAPIView, {"PUT", "PATCH"}),
    "list-create": (AsyncListCreateAPIView, {"GET", "POST"}),
    "retrieve-update": (AsyncRetrieveUpdateAPIView, {"GET", "PUT", "PATCH"}),
    "retrieve-destroy": (AsyncRetrieveDestroyAPIView, {"GET", "DELETE"}),
    "rud": (AsyncRetrieveUpdateDestroyAPIView, {"GET", "PUT", "PATCH", "DELETE"}),
}


def _concrete(base: type[AsyncGenericAPIView[Any, Any]]) -> Any:
    return type(
        f"Book{base.__name__}",
        (base,),
        {
            "queryset": Book.objects.all(),
            "serializer_class": BookSerializer,
            "__module__": __name__,
        },
    )


urlpatterns = [
    path(
        f"{name}/{'<int:pk>/' if 'list' not in name and name != 'create' else ''}",
        _concrete(view).as_view(),
    )
    for name, (view, _) in VIEWS.items()
]


class ConfiguredListCreate(AsyncListCreateAPIView[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    action_configs = {
        "list": ActionConfig(serializer_class=BookListSerializer),
        "create": ActionConfig(permission_classes=[IsAdminUser]),
    }


urlpatterns.append(path("configured/", ConfiguredListCreate.as_view()))


@pytest.fixture
def book(db: None) -> Book:
    return Book.objects.create(title="Roadside Picnic", author=Author.objects.create(name="S"))


@pytest.mark.parametrize("name", list(VIEWS))
async def test_allowed_methods_and_actions(aclient: AsyncClient, book: Book, name: str) -> None:
    """Each view answers its methods with the mapped action and 405 for the others."""
    _, methods = VIEWS[name]
    url = f"/{name}/" if "list" in name or name == "create" else f"/{name}/{book.pk}/"
    body = {"title": "Hard to Be a God", "author": book.author_id}
    expected = {"GET": 200, "POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        if method == "DELETE" and "DELETE" in methods:
            continue  # checked last, it removes the book
        response = await getattr(aclient, method.lower())(
            url, body, content_type="application/json"
        )
        wanted = expected[method] if method in methods else 405
        assert response.status_code == wanted, (name, method, response.content)
    if "DELETE" in methods:
        assert (await aclient.delete(url)).status_code == 204
        assert not await Book.objects.filter(pk=book.pk).aexists()
    options = await aclient.options(url)
    assert set(options["Allow"].split(", ")) == methods | {"OPTIONS"} | (
        {"HEAD"} if "GET" in methods else set()
    )


async def test_action_configs_on_a_concrete_view(aclient: AsyncClient, book: Book) -> None:
    """self.action is 'list' for GET and 'create' for POST, so their configs apply."""
    assert (await aclient.get("/configured/")).json() == [{"id": book.pk, "title": book.title}]
    response = await aclient.post(
        "/configured/", {"title": "N", "author": book.author_id}, content_type="application/json"
    )
    assert response.status_code == 403
