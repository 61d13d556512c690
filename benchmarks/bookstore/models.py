"""``Author`` and ``Book``; tables are created with ``migrate --run-syncdb`` (no migrations)."""

from __future__ import annotations

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)

    objects: models.Manager[Author] = models.Manager()

    class Meta:
        app_label = "bookstore"


class Book(models.Model):
    title = models.CharField(max_length=200)
    pages = models.PositiveIntegerField()
    published = models.DateField()
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    objects: models.Manager[Book] = models.Manager()

    class Meta:
        app_label = "bookstore"
        ordering = ["id"]
