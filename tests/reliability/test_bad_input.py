"""Bad input: malformed, mistyped, huge and deeply nested bodies get a 4xx, never a 500.

Each case is sent to ``create``, ``update`` and ``partial_update`` of an async viewset and of
its sync twin, and must leave the table as it was.
"""

from __future__ import annotations

import json

import pytest
from django.test import AsyncClient
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncModelViewSet, ModelViewSet
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class AsyncBooks(AsyncModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class SyncBooks(ModelViewSet[Book, BookSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


router = SimpleRouter()
router.register("async", AsyncBooks, basename="async")
router.register("sync", SyncBooks, basename="sync")
urlpatterns = router.urls

_DEPTH = 100_000

CASES: dict[str, tuple[bytes | str, str, set[int]]] = {
    "malformed JSON": ('{"title": ', "application/json", {400}),
    "invalid UTF-8": (b'\xff\xfe{"title": "x"}', "application/json", {400}),
    "NaN": ('{"title": NaN}', "application/json", {400}),
    "a JSON list, not an object": ("[1, 2, 3]", "application/json", {400}),
    "wrong type for a field": ('{"title": {"a": 1}, "author": "x"}', "application/json", {400}),
    "text/plain": ("hello", "text/plain", {415}),
    "XML": ("<book/>", "application/xml", {415}),
    "multipart without boundary": ("--x\r\nnope", "multipart/form-data", {400}),
    "deeply nested array": ("[" * _DEPTH + "]" * _DEPTH, "application/json", {400}),
    "deeply nested object": ('{"a":' * _DEPTH + "1" + "}" * _DEPTH, "application/json", {400}),
    "huge string (5 MB)": (
        json.dumps({"title": "x" * 5_000_000, "author": 1}),
        "application/json",
        {400, 413},
    ),
    "100 000 related ids": (
        json.dumps({"title": "t", "author": 1, "tags": list(range(100_000))}),
        "application/json",
        {400, 413},
    ),
}


@pytest.mark.parametrize("prefix", ["/async", "/sync"])
@pytest.mark.parametrize("case", sorted(CASES))
async def test_bad_bodies_get_4xx(aclient: AsyncClient, prefix: str, case: str) -> None:
    """``case`` sent as the body of create (POST), update (PUT) and partial_update (PATCH)
    gets the expected 4xx (deeply nested JSON included, which Python's parser cannot
    decode: a 400 parse error, not a ``RecursionError`` 500), and no row changes."""
    body, content_type, statuses = CASES[case]
    author = await Author.objects.acreate(name="bad input")
    book = await Book.objects.acreate(title="before", author=author)
    for method, url in (
        ("post", f"{prefix}/"),
        ("put", f"{prefix}/{book.pk}/"),
        ("patch", f"{prefix}/{book.pk}/"),
    ):
        response = await getattr(aclient, method)(url, body, content_type=content_type)
        assert response.status_code in statuses, (method, response.content[:200])
    assert [b.title async for b in Book.objects.all()] == ["before"]


async def test_nested_too_deep_is_a_parse_error(aclient: AsyncClient) -> None:
    """The body nested too deeply gets DRF's parse-error shape: ``{"detail": ...}``."""
    response = await aclient.post(
        "/async/", "[" * _DEPTH + "]" * _DEPTH, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Parse error - the request body is nested too deeply."}
