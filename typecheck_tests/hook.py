"""pytest-mypy-plugins extension hook: a real Django settings module for every YAML case.

A case may set ``installed_apps:`` (default ``[myapp]``) and ``custom_settings:`` (extra lines of
the settings module). The hook writes ``mysettings.py`` next to the case's files, points the
django-stubs plugin at it, and gives each distinct (settings, mypy_config) pair its own mypy
cache directory: django-stubs reports INSTALLED_APPS in ``report_config_data``, so sharing one
cache between variants would make every variant switch re-check Django and DRF's stubs.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from pytest_mypy_plugins.collect import File

BASE_APPS = (
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
)


def django_settings_hook(item: Any) -> None:
    data = item.parsed_test_data
    apps = [*BASE_APPS, *(data.get("installed_apps") or ["myapp"])]
    settings = "\n".join(
        [
            'SECRET_KEY = "typecheck-tests"',
            f"INSTALLED_APPS = {apps!r}",
            'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"',
            data.get("custom_settings") or "",
            "",
        ]
    )
    item.files.append(File(path="mysettings.py", content=settings))
    item.additional_mypy_config = (
        item.additional_mypy_config or ""
    ) + "\n[mypy.plugins.django-stubs]\ndjango_settings_module = mysettings\n"
    variant = hashlib.sha256(
        (settings + "\0" + (item.additional_mypy_config or "")).encode()
    ).hexdigest()[:12]
    item.incremental_cache_dir = os.path.join(item.incremental_cache_dir, variant)
