"""Reviews: owned by the user who wrote them, one per user and book."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bookshop.books.models import Book

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import User


class Review(models.Model):
    # Annotated for pyright, as in bookshop.authors.models.
    book: models.ForeignKey[Book, Book] = models.ForeignKey(
        Book, related_name="reviews", on_delete=models.CASCADE
    )
    owner: models.ForeignKey[User, User] = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="reviews", on_delete=models.CASCADE
    )
    rating: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    body: models.TextField[str, str] = models.TextField(blank=True)
    created: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)

    owner_id: int

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["book", "owner"], name="one_review_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.owner} on {self.book}: {self.rating}/5"
