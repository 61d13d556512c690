"""Books: each has one author and was added to the catalogue by a user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from bookshop.authors.models import Author

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models.fields.related_descriptors import RelatedManager

    from bookshop.reviews.models import Review


class Book(models.Model):
    # Annotated for pyright, as in bookshop.authors.models.
    title: models.CharField[str, str] = models.CharField(max_length=200)
    author: models.ForeignKey[Author, Author] = models.ForeignKey(
        Author, related_name="books", on_delete=models.CASCADE
    )
    isbn: models.CharField[str, str] = models.CharField(
        "catalogue number", max_length=13, unique=True
    )
    year: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField()
    summary: models.TextField[str, str] = models.TextField(blank=True)
    added_by: models.ForeignKey[User | None, User | None] = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="books_added",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    author_id: int
    reviews: RelatedManager[Review]  # reverse of Review.book (declared for pyright)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "title"], name="one_title_per_author")
        ]

    def __str__(self) -> str:
        return self.title
