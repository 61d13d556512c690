"""Books: each has one author and was added to the catalogue by a user."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bookshop.authors.models import Author


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, related_name="books", on_delete=models.CASCADE)
    isbn = models.CharField("catalogue number", max_length=13, unique=True)
    year = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="books_added",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "title"], name="one_title_per_author")
        ]

    def __str__(self) -> str:
        return self.title
