"""App config of the ``bookshop`` package itself (it has no models, only commands)."""

from __future__ import annotations

from django.apps import AppConfig


class BookshopConfig(AppConfig):
    name = "bookshop"
    verbose_name = "Bookshop example"
