"""The example project (examples/bookshop) through its real URLs, and its ``demo`` command.

The bookshop's apps are installed by ``tests/settings.py``; these tests route requests through
``bookshop.urls`` (DRF's ``DefaultRouter``) with the demo data that ``manage.py demo`` seeds.
The last tests run ``manage.py demo`` itself in a subprocess, on a temporary SQLite file.
"""

from __future__ import annotations

import base64
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from bookshop.books.models import Book
from bookshop.reviews.models import Review
from bookshop.seed import BOOKS, REVIEWS, USERS, SeedReport, seed

if TYPE_CHECKING:
    from django.test import AsyncClient
    from pytest_django.fixtures import Settings as SettingsWrapper

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bookshop.urls")]

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "examples" / "bookshop"
PASSWORDS = {username: password for username, password, _ in USERS}


@pytest.fixture
def shop(settings: SettingsWrapper) -> SeedReport:
    """The demo data, seeded by the demo's own ``seed()`` (with a fast hasher for the test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return seed()


def basic(username: str) -> dict[str, str]:
    """``Authorization: Basic`` for a demo user, as ``curl -u user:password`` sends it."""
    raw = f"{username}:{PASSWORDS[username]}".encode()
    return {"authorization": "Basic " + base64.b64encode(raw).decode()}


def token(shop: SeedReport, username: str) -> dict[str, str]:
    key = next(user.token for user in shop.users if user.username == username)
    return {"authorization": f"Token {key}"}


async def book_id(isbn: str) -> int:
    return (await Book.objects.aget(isbn=isbn)).pk


# --- books: per-action serializers ------------------------------------------------------------


async def test_book_list_is_paginated_with_the_list_serializer(
    aclient: AsyncClient, shop: SeedReport
) -> None:
    response = await aclient.get("/api/books/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(BOOKS)
    assert len(body["results"]) == 5  # BookshopPagination.page_size
    assert body["next"] == "http://testserver/api/books/?page=2"
    first = body["results"][0]
    assert list(first) == ["url", "id", "title", "author", "year"]
    assert first["title"] == "A Wizard of Earthsea"
    assert first["author"] == "Ursula K. Le Guin"

    second = (await aclient.get("/api/books/?page=2")).json()
    assert len(second["results"]) == len(BOOKS) - 5
    assert (await aclient.get("/api/books/?page=9")).status_code == 404


async def test_book_search_and_ordering(aclient: AsyncClient, shop: SeedReport) -> None:
    response = await aclient.get("/api/books/?search=le+guin&ordering=-year")
    titles = [book["title"] for book in response.json()["results"]]
    assert titles == ["The Dispossessed", "The Left Hand of Darkness", "A Wizard of Earthsea"]


async def test_book_retrieve_uses_the_detail_serializer(
    aclient: AsyncClient, shop: SeedReport
) -> None:
    pk = await book_id("9990000000011")
    response = await aclient.get(f"/api/books/{pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "url": f"http://testserver/api/books/{pk}/",
        "id": pk,
        "title": "A Wizard of Earthsea",
        "isbn": "9990000000011",
        "year": 1968,
        "summary": "",
        "author": {"id": response.json()["author"]["id"], "name": "Ursula K. Le Guin"},
        "added_by": "admin",
        "rating": {"count": 2, "average": 4.5},
    }
    assert (await aclient.get("/api/books/999999/")).status_code == 404
    assert (await aclient.get("/api/books/not-a-number/")).status_code == 404


async def test_book_create_validates_with_the_write_serializer_and_answers_in_full(
    aclient: AsyncClient, shop: SeedReport
) -> None:
    author = (await Book.objects.select_related("author").aget(isbn="9990000000042")).author
    payload = {"title": "Mort", "author": author.pk, "isbn": "9990000000097", "year": 1987}
    response = await aclient.post(
        "/api/books/", payload, content_type="application/json", headers=basic("alice")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    created = await Book.objects.select_related("added_by").aget(isbn="9990000000097")
    # Input was BookWriteSerializer's shape; the answer is BookSerializer's.
    assert body["author"] == {"id": author.pk, "name": "Terry Pratchett"}
    assert body["added_by"] == "alice"
    assert body["rating"] == {"count": 0, "average": None}
    assert (
        response.headers["Location"] == body["url"] == f"http://testserver/api/books/{created.pk}/"
    )
    assert created.added_by is not None and created.added_by.username == "alice"


async def test_book_create_errors(aclient: AsyncClient, shop: SeedReport) -> None:
    missing = await aclient.post(
        "/api/books/", {"title": "Nameless"}, content_type="application/json", headers=basic("bob")
    )
    assert missing.status_code == 400
    assert set(missing.json()) == {"author", "isbn", "year"}

    author = (await Book.objects.select_related("author").aget(isbn="9990000000042")).author
    duplicate = await aclient.post(
        "/api/books/",
        {"title": "Small Gods", "author": author.pk, "isbn": "9990000000103", "year": 1992},
        content_type="application/json",
        headers=basic("bob"),
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "non_field_errors": ["The fields author, title must make a unique set."]
    }

    anonymous = await aclient.post("/api/books/", {}, content_type="application/json")
    assert anonymous.status_code == 403
    assert await Book.objects.acount() == len(BOOKS)


async def test_book_update_keeps_who_added_it(aclient: AsyncClient, shop: SeedReport) -> None:
    pk = await book_id("9990000000080")
    response = await aclient.patch(
        f"/api/books/{pk}/",
        {"summary": "Marco Polo describes cities to Kublai Khan."},
        content_type="application/json",
        headers=basic("bob"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Marco Polo describes cities to Kublai Khan."
    assert response.json()["added_by"] == "admin"  # CreateOnlyDefault: not the updater


async def test_book_destroy_is_admin_only(aclient: AsyncClient, shop: SeedReport) -> None:
    pk = await book_id("9990000000059")
    refused = await aclient.delete(f"/api/books/{pk}/", headers=basic("bob"))
    assert refused.status_code == 403
    assert await Book.objects.filter(pk=pk).aexists()

    deleted = await aclient.delete(f"/api/books/{pk}/", headers=basic("admin"))
    assert deleted.status_code == 204
    assert not await Book.objects.filter(pk=pk).aexists()


async def test_book_top_rated_action(aclient: AsyncClient, shop: SeedReport) -> None:
    response = await aclient.get("/api/books/top-rated/")
    assert response.status_code == 200
    rows = response.json()
    assert [row["title"] for row in rows] == [
        "Guards! Guards!",
        "Kindred",
        "A Wizard of Earthsea",
        "Invisible Cities",
        "The Dispossessed",
    ]
    assert rows[2]["average_rating"] == 4.5
    assert rows[2]["review_count"] == 2


# --- authors ------------------------------------------------------------------------------------


async def test_author_stats_action(aclient: AsyncClient, shop: SeedReport) -> None:
    author = (await Book.objects.select_related("author").aget(isbn="9990000000011")).author
    response = await aclient.get(f"/api/authors/{author.pk}/stats/")
    assert response.status_code == 200
    assert response.json() == {
        "author": "Ursula K. Le Guin",
        "books": 3,
        "reviews": 3,
        "average_rating": 4.0,
    }
    assert (await aclient.get("/api/authors/999999/stats/")).status_code == 404


async def test_author_destroy_is_admin_only(aclient: AsyncClient, shop: SeedReport) -> None:
    author = (await Book.objects.select_related("author").aget(isbn="9990000000080")).author
    assert (
        await aclient.delete(f"/api/authors/{author.pk}/", headers=basic("alice"))
    ).status_code == 403
    assert (
        await aclient.delete(f"/api/authors/{author.pk}/", headers=basic("admin"))
    ).status_code == 204
    assert not await Book.objects.filter(isbn="9990000000080").aexists()  # cascaded


# --- reviews: owned by users ---------------------------------------------------------------------


async def test_review_create_sets_the_owner_and_refuses_a_second_review(
    aclient: AsyncClient, shop: SeedReport
) -> None:
    pk = await book_id("9990000000028")
    payload = {"book": pk, "rating": 5, "body": "Wonderful"}
    created = await aclient.post(
        "/api/reviews/", payload, content_type="application/json", headers=token(shop, "alice")
    )
    assert created.status_code == 201, created.content
    assert created.json()["reader"] == "alice"
    assert created.json()["book_title"] == "The Left Hand of Darkness"
    assert "owner" not in created.json()  # a HiddenField: set from request.user, never shown

    again = await aclient.post(
        "/api/reviews/", payload, content_type="application/json", headers=token(shop, "alice")
    )
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["The fields book, owner must make a unique set."]}

    invalid = await aclient.post(
        "/api/reviews/",
        {"book": pk, "rating": 9},
        content_type="application/json",
        headers=token(shop, "bob"),
    )
    assert invalid.status_code == 400
    assert list(invalid.json()) == ["rating"]


async def test_only_the_owner_changes_a_review(aclient: AsyncClient, shop: SeedReport) -> None:
    review = await Review.objects.aget(owner__username="alice", book__isbn="9990000000080")
    url = f"/api/reviews/{review.pk}/"
    stranger = await aclient.patch(
        url, {"rating": 1}, content_type="application/json", headers=basic("bob")
    )
    assert stranger.status_code == 403
    assert stranger.json() == {"detail": "Only the owner of this object may change it."}

    owner = await aclient.patch(
        url, {"rating": 3}, content_type="application/json", headers=basic("alice")
    )
    assert owner.status_code == 200
    assert owner.json()["rating"] == 3
    assert (await aclient.delete(url, headers=basic("bob"))).status_code == 403
    assert (await aclient.delete(url, headers=basic("alice"))).status_code == 204


async def test_mine_is_scoped_to_the_requesting_user(
    aclient: AsyncClient, shop: SeedReport
) -> None:
    for reader in ("alice", "bob"):
        response = await aclient.get("/api/reviews/mine/", headers=basic(reader))
        assert response.status_code == 200
        body = response.json()
        expected = sum(1 for owner, *_ in REVIEWS if owner == reader)
        assert list(body) == ["next", "previous", "results"]  # UncountedPagination: no count
        assert len(body["results"]) == expected
        assert body["next"] is None
        assert {review["reader"] for review in body["results"]} == {reader}

    admin = await aclient.get("/api/reviews/mine/", headers=basic("admin"))
    assert admin.json() == {"next": None, "previous": None, "results": []}

    anonymous = await aclient.get("/api/reviews/mine/")
    assert anonymous.status_code == 403  # ActionConfig(permission_classes=[IsAuthenticated])


async def test_mine_pages_without_counting(aclient: AsyncClient, shop: SeedReport) -> None:
    """``mine`` pages with ``FastPageNumberPagination`` (``ActionConfig.pagination_class``)
    while ``list`` keeps the viewset's counting paginator."""
    alice = sum(1 for owner, *_ in REVIEWS if owner == "alice")
    assert alice == 3
    first = (await aclient.get("/api/reviews/mine/?page_size=2", headers=basic("alice"))).json()
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/reviews/mine/?page=2&page_size=2"
    second = (await aclient.get(first["next"], headers=basic("alice"))).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/reviews/mine/?page_size=2"
    seen = {review["id"] for review in first["results"] + second["results"]}
    assert len(seen) == alice
    beyond = await aclient.get("/api/reviews/mine/?page=3&page_size=2", headers=basic("alice"))
    assert beyond.status_code == 404

    listed = (await aclient.get("/api/reviews/?page_size=2")).json()
    assert listed["count"] == len(REVIEWS)


async def test_reviews_filter_by_rating_and_book(aclient: AsyncClient, shop: SeedReport) -> None:
    fives = (await aclient.get("/api/reviews/?rating=5")).json()
    assert fives["count"] == sum(1 for *_, rating, _ in REVIEWS if rating == 5)
    pk = await book_id("9990000000011")
    on_book = (await aclient.get(f"/api/reviews/?book={pk}")).json()
    assert {review["reader"] for review in on_book["results"]} == {"alice", "bob"}
    unknown = await aclient.get("/api/reviews/?book=999999")
    assert unknown.status_code == 400  # django-filter's ModelChoiceFilter validates the id


# --- the rest of the URLconf -------------------------------------------------------------------


async def test_api_root_and_token_endpoint(aclient: AsyncClient, shop: SeedReport) -> None:
    root = await aclient.get("/api/")
    assert root.json() == {
        "authors": "http://testserver/api/authors/",
        "books": "http://testserver/api/books/",
        "reviews": "http://testserver/api/reviews/",
    }
    issued = await aclient.post("/api/token/", {"username": "bob", "password": PASSWORDS["bob"]})
    assert issued.json() == {"token": token(shop, "bob")["authorization"].removeprefix("Token ")}


# --- manage.py demo ----------------------------------------------------------------------------


def run_demo(db: Path, *args: str, **popen: Any) -> Any:
    env = {**os.environ, "BOOKSHOP_DB": str(db), "DJANGO_SETTINGS_MODULE": "bookshop.settings"}
    argv = [sys.executable, "manage.py", "demo", *args]
    if popen:
        return subprocess.Popen(argv, cwd=EXAMPLE_DIR, env=env, **popen)
    return subprocess.run(
        argv, cwd=EXAMPLE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in (
                "auth_user",
                "authtoken_token",
                "authors_author",
                "books_book",
                "reviews_review",
            )
        }


def test_demo_migrates_and_seeds_idempotently(tmp_path: Path) -> None:
    db = tmp_path / "bookshop.sqlite3"
    first = run_demo(db, "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "Database migrated." in first.stdout
    expected = {
        "auth_user": 3,
        "authtoken_token": 3,
        "authors_author": 4,
        "books_book": len(BOOKS),
        "reviews_review": len(REVIEWS),
    }
    assert table_counts(db) == expected
    assert f"Demo data ready ({sum(expected.values())} rows created" in first.stdout
    for username, password, _ in USERS:
        assert f"{username:<6} {password}" in first.stdout
    assert (
        "curl -u alice:alice-demo-password http://127.0.0.1:8000/api/reviews/mine/" in first.stdout
    )
    assert "-H 'Authorization: Token " in first.stdout
    assert "http://127.0.0.1:8000/api/schema/" in first.stdout

    second = run_demo(db, "--no-serve")
    assert second.returncode == 0, second.stderr
    assert "Demo data ready (0 rows created" in second.stdout
    assert table_counts(db) == expected
    # The printed tokens are the stored ones, and stay the same across runs.
    tokens_line = [line for line in first.stdout.splitlines() if line.startswith("  alice ")]
    assert tokens_line == [
        line for line in second.stdout.splitlines() if line.startswith("  alice ")
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_the_api_under_uvicorn(tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "demo.log").open("w+")
    process = run_demo(
        tmp_path / "bookshop.sqlite3", "--port", str(port), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        response: httpx.Response | None = None
        while response is None:
            try:
                response = httpx.get(f"{base}/api/books/", timeout=5)
            except httpx.TransportError:
                assert process.poll() is None, "the demo exited before serving"
                assert time.monotonic() < deadline, "the demo did not start serving in 60 s"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["count"] == len(BOOKS)
        mine = httpx.get(
            f"{base}/api/reviews/mine/", auth=("bob", PASSWORDS["bob"]), timeout=5
        ).json()
        assert {review["reader"] for review in mine["results"]} == {"bob"}
        css = httpx.get(f"{base}/static/rest_framework/css/bootstrap.min.css", timeout=5)
        assert css.status_code == 200  # DEBUG serves the browsable API's static files
        schema = httpx.get(f"{base}/api/schema/?format=json", timeout=30)
        assert schema.status_code == 200
        assert {
            "/api/books/",
            "/api/books/{id}/",
            "/api/books/top-rated/",
            "/api/authors/{id}/stats/",
            "/api/reviews/mine/",
        } <= set(schema.json()["paths"])
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.seek(0)
        output = log.read()
        log.close()
    assert f"Uvicorn running on http://127.0.0.1:{port}" in output
