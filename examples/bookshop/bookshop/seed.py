"""Demo data: three users, four authors, their books and a few reviews.

:func:`seed` is idempotent: it looks every row up by its natural key (username, author name,
catalogue number, reader and book) and creates only what is missing, so ``manage.py demo`` can
run any number of times. Passwords are set when a user is created and printed by the demo;
they are for a local demo only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.authtoken.models import Token

from bookshop.authors.models import Author
from bookshop.books.models import Book
from bookshop.reviews.models import Review

USERS: tuple[tuple[str, str, bool], ...] = (
    ("alice", "alice-demo-password", False),
    ("bob", "bob-demo-password", False),
    ("admin", "admin-demo-password", True),
)
"""(username, password, is staff and superuser)."""

AUTHORS: dict[str, str] = {
    "Ursula K. Le Guin": "American author of speculative fiction.",
    "Terry Pratchett": "English author of the Discworld novels.",
    "Octavia E. Butler": "American science-fiction author.",
    "Italo Calvino": "Italian writer and journalist.",
}

BOOKS: tuple[tuple[str, str, str, int], ...] = (
    # (catalogue number, title, author, year) - catalogue numbers are made up for the demo.
    ("9990000000011", "A Wizard of Earthsea", "Ursula K. Le Guin", 1968),
    ("9990000000028", "The Left Hand of Darkness", "Ursula K. Le Guin", 1969),
    ("9990000000035", "The Dispossessed", "Ursula K. Le Guin", 1974),
    ("9990000000042", "Guards! Guards!", "Terry Pratchett", 1989),
    ("9990000000059", "Small Gods", "Terry Pratchett", 1992),
    ("9990000000066", "Kindred", "Octavia E. Butler", 1979),
    ("9990000000073", "Parable of the Sower", "Octavia E. Butler", 1993),
    ("9990000000080", "Invisible Cities", "Italo Calvino", 1972),
)

REVIEWS: tuple[tuple[str, str, int, str], ...] = (
    # (reader, catalogue number, rating, text)
    ("alice", "9990000000011", 5, "A school for wizards, done right."),
    ("alice", "9990000000066", 5, "Unsettling and unforgettable."),
    ("alice", "9990000000080", 4, "Every city is the same city."),
    ("bob", "9990000000011", 4, "Short and deep."),
    ("bob", "9990000000042", 5, "The Watch at its best."),
    ("bob", "9990000000035", 3, "Slow start, big ideas."),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    token: str
    is_admin: bool


@dataclass(frozen=True)
class SeedReport:
    users: list[DemoUser]
    created: int
    """Rows created by this run (0 when the data was already there)."""


def seed() -> SeedReport:
    """Create whatever demo rows are missing, in one transaction."""
    created = 0
    users: list[DemoUser] = []
    with transaction.atomic():
        by_name: dict[str, User] = {}
        for username, password, is_admin in USERS:
            user, new = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": is_admin, "is_superuser": is_admin},
            )
            if new:
                user.set_password(password)
                user.save(update_fields=["password"])
                created += 1
            token, new_token = Token.objects.get_or_create(user=user)
            created += new_token
            by_name[username] = user
            # drf-stubs' Token.key is a model field whose value type only the mypy plugin infers.
            users.append(DemoUser(username, password, token.key, is_admin))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]

        authors: dict[str, Author] = {}
        for name, bio in AUTHORS.items():
            authors[name], new = Author.objects.get_or_create(name=name, defaults={"bio": bio})
            created += new

        books: dict[str, Book] = {}
        for isbn, title, author, year in BOOKS:
            books[isbn], new = Book.objects.get_or_create(
                isbn=isbn,
                defaults={
                    "title": title,
                    "author": authors[author],
                    "year": year,
                    "added_by": by_name["admin"],
                },
            )
            created += new

        for reader, isbn, rating, body in REVIEWS:
            _, new = Review.objects.get_or_create(
                owner=by_name[reader],
                book=books[isbn],
                defaults={"rating": rating, "body": body},
            )
            created += new
    return SeedReport(users=users, created=created)
