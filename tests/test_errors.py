"""Bad client input gets DRF's 4xx answers, never a 500."""

from __future__ import annotations

import uuid

import pytest
from django.test import AsyncClient
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncModelViewSet
from tests.testapp.models import Author, Book, Gadget
from tests.testapp.serializers import BookSerializer, GadgetSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class Books(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class Gadgets(AsyncModelViewSet[Gadget, GadgetSerializer]):
    queryset = Gadget.objects.all()
    serializer_class = GadgetSerializer
    lookup_value_regex = "[^/]+"


router = SimpleRouter()
router.register("books", Books, basename="books")
router.register("gadgets", Gadgets, basename="gadgets")
urlpatterns = router.urls


@pytest.fixture
def client() -> AsyncClient:
    return AsyncClient(raise_request_exception=False)


async def test_missing_and_malformed_lookups_are_404(client: AsyncClient, db: None) -> None:
    """An unknown pk, a malformed UUID and a non-numeric pk all answer DRF's 404."""
    assert (await client.get("/books/12345/")).status_code == 404
    for url in ("/gadgets/not-a-uuid/", f"/gadgets/{uuid.uuid4()}/", "/books/abc/"):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"] in {"Not found.", "No Gadget matches the given query."}
        deleted = await client.delete(url)
        assert deleted.status_code == 404, url


async def test_validation_errors_are_400(client: AsyncClient, db: None) -> None:
    """Missing fields, wrong types and malformed JSON are DRF's 400s."""
    missing = await client.post("/books/", {}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json() == {
        "title": ["This field is required."],
        "author": ["This field is required."],
    }
    malformed = await client.post("/books/", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("JSON parse error")
    wrong_type = await client.post(
        "/books/", {"title": ["a"], "author": "x"}, content_type="application/json"
    )
    assert wrong_type.status_code == 400
    assert set(wrong_type.json()) == {"title", "author"}


async def test_method_and_media_type_errors(client: AsyncClient, db: None) -> None:
    """405 for a method the route lacks, 415 for a body the parsers refuse."""
    author = await Author.objects.acreate(name="Z")
    book = await Book.objects.acreate(title="Q", author=author)
    not_allowed = await client.post(f"/books/{book.pk}/")
    assert not_allowed.status_code == 405
    assert not_allowed.json() == {"detail": 'Method "POST" not allowed.'}
    unsupported = await client.post("/books/", "<xml/>", content_type="application/xml")
    assert unsupported.status_code == 415
