"""App config of :mod:`bookshop.authors` (label ``authors``)."""

from __future__ import annotations

from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "bookshop.authors"
    label = "authors"
    default_auto_field = "django.db.models.BigAutoField"
