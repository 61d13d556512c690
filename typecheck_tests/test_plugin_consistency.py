"""The plugin agrees with the runtime, and every error code is documented."""

from __future__ import annotations

from pathlib import Path

from async_viewsets_mypy import errorcodes
from async_viewsets_mypy.lib import fullnames
from async_viewsets_mypy.main import AsyncViewsetsPlugin, plugin

DOCS = Path(__file__).parents[1] / "docs" / "type-checking.md"
CODES = [
    errorcodes.ACTION_KEY,
    errorcodes.UNDECORATED_ACTION,
    errorcodes.CONFIG_MODEL,
    errorcodes.SERIALIZER_MODEL,
]


def test_standard_actions_match_the_runtime() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"])
        django.setup()
    from async_viewsets.action_configs import STANDARD_ACTIONS

    assert fullnames.STANDARD_ACTIONS == STANDARD_ACTIONS


def test_error_codes_are_distinct_and_documented() -> None:
    docs = DOCS.read_text()
    assert len({code.code for code in CODES}) == len(CODES)
    for code in CODES:
        assert f"`{code.code}`" in docs, code.code


def test_entry_point() -> None:
    assert plugin("2.4.1") is AsyncViewsetsPlugin
