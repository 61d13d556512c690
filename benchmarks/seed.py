"""Create the benchmark database and seed it: 50 authors, 1,000 books."""

from __future__ import annotations

import datetime

SEED_AUTHORS = 50
SEED_BOOKS = 1000


def create_and_seed() -> tuple[list[int], list[int]]:
    """Create the tables in ``BENCH_DB_PATH`` and insert the rows; returns (book, author) ids."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.bookstore.models import Author, Book

    call_command("migrate", run_syncdb=True, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
    Book.objects.all().delete()
    Author.objects.all().delete()
    authors = Author.objects.bulk_create(
        Author(name=f"Author {i:02d}") for i in range(SEED_AUTHORS)
    )
    start = datetime.date(1990, 1, 1)
    books = Book.objects.bulk_create(
        Book(
            title=f"Book {i:04d}",
            pages=100 + i % 400,
            published=start + datetime.timedelta(days=i * 7),
            author=authors[i % SEED_AUTHORS],
        )
        for i in range(SEED_BOOKS)
    )
    return [b.pk for b in books], [a.pk for a in authors]
