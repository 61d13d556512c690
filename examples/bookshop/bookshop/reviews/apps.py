"""App config of :mod:`bookshop.reviews` (label ``reviews``)."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "bookshop.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
