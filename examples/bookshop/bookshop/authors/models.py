"""Authors of the bookshop's books."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from bookshop.books.models import Book


class Author(models.Model):
    # The annotations are for pyright: django-stubs leaves a field's value types to its mypy
    # plugin, so pyright (which has no plugins) needs them spelled out. mypy needs none of them.
    name: models.CharField[str, str] = models.CharField(max_length=120, unique=True)
    bio: models.TextField[str, str] = models.TextField(blank=True)

    books: RelatedManager[Book]  # reverse of Book.author (declared for pyright)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
