"""App config of :mod:`bookshop.books` (label ``books``)."""

from __future__ import annotations

from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "bookshop.books"
    label = "books"
    default_auto_field = "django.db.models.BigAutoField"
