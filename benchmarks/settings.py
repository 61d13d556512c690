"""Django settings of the benchmark project.

The database is a SQLite file whose path comes from ``BENCH_DB_PATH`` (set by
:mod:`benchmarks.run` to a file in a temporary directory). No middleware: its cost would be the
same for every contender and would only dilute the ratios. DRF is configured the same way for
every DRF-based contender: JSON only, no authentication, ``AllowAny``.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

SECRET_KEY = "benchmarks-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
ROOT_URLCONF = "benchmarks.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "benchmarks.bookstore",
]

MIDDLEWARE: list[str] = []

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BENCH_DB_PATH")
        or os.path.join(tempfile.gettempdir(), "drf-async-viewsets-bench.sqlite3"),
    }
}

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}

LOGGING_CONFIG = None
