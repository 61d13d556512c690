"""``manage.py demo``: migrate, seed, print what to try, and serve the API under uvicorn.

``make demo`` runs this from ``examples/bookshop``. Options: ``--no-serve`` stops after
migrating and seeding (the tests use it), ``--host`` and ``--port`` choose where uvicorn
listens (127.0.0.1:8000 by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bookshop.authors.models import Author
from bookshop.books.models import Book
from bookshop.seed import SeedReport, seed

if TYPE_CHECKING:
    from argparse import ArgumentParser


class Command(BaseCommand):
    help = "Migrate the SQLite database, seed demo data and serve the bookshop API."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Migrate and seed, then exit.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database migrated."))
        report = seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({report.created} rows created, the rest already there)."
            )
        )
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.guide(base, report))
        if options["no_serve"]:
            return
        import uvicorn

        uvicorn.run(
            "bookshop.asgi:application",
            host=options["host"],
            port=options["port"],
            lifespan="off",
            log_level="info",
        )

    def guide(self, base: str, report: SeedReport) -> str:
        """The users, URLs and curl commands to try, as printed before serving."""
        users = {user.username: user for user in report.users}
        alice, bob, admin = users["alice"], users["bob"], users["admin"]
        book = Book.objects.order_by("id").first()
        book_id = book.pk if book is not None else 1
        author = Author.objects.order_by("id").first()
        author_id = author.pk if author is not None else 1
        unreviewed = Book.objects.exclude(reviews__owner__username="alice").order_by("id").first()
        new_review_book = unreviewed.pk if unreviewed is not None else book_id
        lines = [
            "",
            "Users (username / password / API token):",
            *(
                f"  {u.username:<6} {u.password:<20} {u.token}{'  (admin)' if u.is_admin else ''}"
                for u in report.users
            ),
            "",
            f"Browse the API:   {base}/api/   (log in at {base}/api-auth/login/)",
            *(
                [f"OpenAPI schema:   {base}/api/schema/   Swagger UI: {base}/api/docs/"]
                if _has_spectacular()
                else []
            ),
            "",
            "Try:",
            f"  curl {base}/api/books/",
            f"  curl '{base}/api/books/?search=le+guin&ordering=-year'",
            f"  curl {base}/api/books/{book_id}/",
            f"  curl {base}/api/books/top-rated/",
            f"  curl {base}/api/authors/{author_id}/stats/",
            f"  curl '{base}/api/reviews/?rating=5'",
            f"  curl -u alice:{alice.password} {base}/api/reviews/mine/",
            f"  curl -H 'Authorization: Token {alice.token}' \\",
            "       -H 'Content-Type: application/json' \\",
            f'       -d \'{{"book": {new_review_book}, "rating": 5, "body": "Wonderful"}}\' \\',
            f"       {base}/api/reviews/",
            f"  curl -X POST -d username=bob -d password={bob.password} {base}/api/token/",
            f"  curl -u bob:{bob.password} -X DELETE {base}/api/books/{book_id}/"
            "      # 403: destroy is admin-only",
            f"  curl -u admin:{admin.password} -X DELETE {base}/api/books/{book_id}/  # 204",
            "",
        ]
        return "\n".join(lines)


def _has_spectacular() -> bool:
    from importlib.util import find_spec

    return find_spec("drf_spectacular") is not None
