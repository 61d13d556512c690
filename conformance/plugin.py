"""pytest plugin that runs DRF's own test modules against this package's views.

Loaded by :mod:`conformance.run` with ``-p conformance.plugin --noconftest`` in a directory that
holds DRF's unpacked ``tests/`` package. It replaces DRF's ``tests/conftest.py`` (which needs
packages we do not install) with:

* Django settings for DRF's test apps (SQLite in memory, or ``DATABASE_URL`` for PostgreSQL);
* the two fixtures DRF's tests use (``reset_sequences``, ``unaccent_extension``);
* the substitution of DRF's view classes by ours (:mod:`conformance.substitution`), installed
  before any DRF test module is imported;
* the exclusions of ``conformance/exclusions.txt``: each excluded test still runs, as a strict
  ``xfail``, so an exclusion that no longer fails is reported as stale instead of hiding a pass;
  with ``--conformance-atomic-writes=off`` the views run without their write transaction and
  the exclusions whose reason starts with ``atomic_writes:`` lapse (those tests must pass);
* a JSON report of every test's outcome, for the runner's per-module table.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

EXCLUSIONS_FILE = Path(__file__).with_name("exclusions.txt")
ATOMIC_WRITES = "atomic_writes:"
"""Prefix of exclusion reasons that differ from DRF only by the transaction around writes."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance")
    group.addoption(
        "--conformance-variant", default="async", choices=("async", "sync", "serializers", "none")
    )
    group.addoption("--conformance-report", default=None, help="write outcomes as JSON here")
    group.addoption(
        "--conformance-atomic-writes",
        default="on",
        choices=("on", "off"),
        help="off: views run with atomic_writes = False, and 'atomic_writes:' exclusions lapse",
    )


def _database(url: str | None) -> dict[str, Any]:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise pytest.UsageError(f"unsupported DATABASE_URL {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/") or "postgres",
        "USER": parsed.username or "postgres",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 5432),
    }


def _configure_django() -> None:
    import django
    from django.conf import settings

    default = _database(os.environ.get("DATABASE_URL"))
    apps = [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.sites",
        "django.contrib.staticfiles",
        "rest_framework",
        "rest_framework.authtoken",
        "tests.authentication",
        "tests.generic_relations",
        "tests.importable",
        "tests",
    ]
    extra: dict[str, Any] = {}
    if default["ENGINE"].endswith("postgresql"):
        apps.append("django.contrib.postgres")
    if importlib.util.find_spec("guardian") is not None:
        # DRF's object-permission tests run only with django-guardian installed.
        apps.append("guardian")
        extra["ANONYMOUS_USER_ID"] = -1
        extra["AUTHENTICATION_BACKENDS"] = [
            "django.contrib.auth.backends.ModelBackend",
            "guardian.backends.ObjectPermissionBackend",
        ]
    settings.configure(
        DEBUG_PROPAGATE_EXCEPTIONS=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        DATABASES={"default": default, "secondary": dict(default)},
        SITE_ID=1,
        SECRET_KEY="conformance-run-only",
        USE_I18N=True,
        STATIC_URL="/static/",
        ROOT_URLCONF="tests.urls",
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {"debug": True},
            }
        ],
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        INSTALLED_APPS=apps,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        **extra,
    )
    django.setup()


def read_exclusions(variant: str, path: Path = EXCLUSIONS_FILE) -> dict[str, str]:
    """``node id -> reason`` for ``variant`` (lines ``<variant> <node id> # <reason>``).

    A node id of the form ``class:<dotted name>`` names a view class of DRF's tests that is
    exempt from this package's ``as_view()`` check of routed actions (see
    :func:`_exempt_from_routed_actions_check`).
    """
    exclusions: dict[str, str] = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        target, sep, reason = line.partition(" # ")
        applies_to, _, node_id = target.strip().partition(" ")
        if not sep or not reason.strip() or applies_to not in {"async", "sync", "all"}:
            raise pytest.UsageError(
                f"{path}:{number}: expected '<async|sync|all> <node id> # <one-line reason>'"
            )
        if applies_to in {variant, "all"}:
            exclusions[node_id.strip()] = reason.strip()
    return exclusions


class _Recorder:
    """Collects one outcome per test (the worst of its setup, call and teardown phases)."""

    def __init__(self, variant: str, exclusions: dict[str, str]) -> None:
        self.variant = variant
        self.exclusions = exclusions
        self.outcomes: dict[str, dict[str, Any]] = {}
        self.substituted: dict[str, dict[str, str]] = {}
        self.collected: set[str] = set()
        self.exempt_classes: list[str] = []

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.collected.add(item.nodeid)
            reason = self.exclusions.get(item.nodeid)
            if reason is not None:
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True, run=True))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.outcomes.setdefault(report.nodeid, {"outcome": "passed"})
        excluded = report.nodeid in self.exclusions
        if report.skipped and hasattr(report, "wasxfail"):
            entry["outcome"] = "excluded"
            entry["reason"] = self.exclusions.get(report.nodeid, report.wasxfail)
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            entry["reason"] = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        elif report.failed:
            entry["outcome"] = "stale-exclusion" if excluded and report.when == "call" else "failed"
            entry["detail"] = report.longreprtext[-2000:]

    def report(self) -> dict[str, Any]:
        missing = sorted(set(self.exclusions) - self.collected)
        return {
            "variant": self.variant,
            "substituted": self.substituted,
            "tests": self.outcomes,
            "unknown_exclusions": missing,
            "view_classes": _view_classes_census(),
            "serializer_classes": dict(_SERIALIZER_CLASSES),
            "exempt_classes": self.exempt_classes,
        }


_SERIALIZER_CLASSES: dict[str, int] = {"model": 0, "fast": 0}
"""Model serializer classes that DRF's tests created, and how many have the fast paths:
evidence that the ``serializers`` variant's substitution took effect. (Most are defined inside
test functions, so they are counted as they are created, not found afterwards.)"""


def _count_serializer_classes() -> None:
    from rest_framework import serializers

    from async_viewsets.serializers import CachedFieldsMixin

    metaclass = serializers.SerializerMetaclass
    original = metaclass.__new__
    drf_model_serializer = serializers.ModelSerializer  # before any substitution

    def counting_new(mcs: type, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        cls = original(mcs, name, bases, attrs)
        if str(attrs.get("__module__", "")).startswith("tests") and issubclass(
            cls, drf_model_serializer
        ):
            _SERIALIZER_CLASSES["model"] += 1
            _SERIALIZER_CLASSES["fast"] += issubclass(cls, CachedFieldsMixin)
        return cls

    metaclass.__new__ = counting_new  # type: ignore[method-assign, assignment]


def _view_classes_census() -> dict[str, int]:
    """How many view classes DRF's test modules define, and how many are built on ours.

    Evidence that the substitution took effect: a class counts as ours when it derives from
    this package's ``PolicyMixin`` (every view class of the package does), and as async when
    it derives from ``AsyncAPIView``.
    """
    import sys

    from django.views import View

    from async_viewsets._policies import PolicyMixin
    from async_viewsets.views import AsyncAPIView

    seen: set[type] = set()
    for name, module in list(sys.modules.items()):
        if not (name == "tests" or name.startswith("tests.")) or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name and issubclass(value, View):
                seen.add(value)
    return {
        "defined": len(seen),
        "ours": sum(issubclass(cls, PolicyMixin) for cls in seen),
        "async": sum(issubclass(cls, AsyncAPIView) for cls in seen),
    }


def pytest_configure(config: pytest.Config) -> None:
    from conformance.substitution import install

    config.addinivalue_line("markers", "requires_postgres: needs the PostgreSQL backend")
    _configure_django()
    variant = config.getoption("--conformance-variant")
    exclusions = read_exclusions(variant) if variant != "none" else {}
    if config.getoption("--conformance-atomic-writes") == "off":
        from async_viewsets._generic import GenericViewCore

        GenericViewCore.atomic_writes = False
        exclusions = {k: v for k, v in exclusions.items() if not v.startswith(ATOMIC_WRITES)}
    exempt = {key.removeprefix("class:") for key in exclusions if key.startswith("class:")}
    exclusions = {k: v for k, v in exclusions.items() if not k.startswith("class:")}
    if exempt:
        _exempt_from_routed_actions_check(exempt)
    recorder = _Recorder(variant, exclusions)
    recorder.exempt_classes = sorted(exempt)
    _count_serializer_classes()
    if variant != "none":
        recorder.substituted = install(variant)
    config.pluginmanager.register(recorder, "conformance-recorder")
    config.stash[_RECORDER] = recorder


_RECORDER = pytest.StashKey[_Recorder]()


def _exempt_from_routed_actions_check(exempt: set[str]) -> None:
    """Skip ``check_routed_actions`` for the named classes only (every other class is checked).

    This package's ``as_view()`` refuses, at URL-configuration time, a routed model action
    without a queryset or serializer; DRF only fails on a request. A DRF test class that is
    routed but never served (so never configured) would stop its whole module from importing.
    """
    from async_viewsets import action_configs, viewsets

    original = action_configs.check_routed_actions

    def check_routed_actions(cls: type, *args: Any, **kwargs: Any) -> None:
        if f"{cls.__module__}.{cls.__qualname__}" not in exempt:
            original(cls, *args, **kwargs)

    for module in (action_configs, viewsets):
        if getattr(module, "check_routed_actions", None) is not original:
            raise pytest.UsageError(f"{module.__name__}.check_routed_actions moved; update me")
        module.check_routed_actions = check_routed_actions  # type: ignore[attr-defined]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="DRF marks it requires_postgres; this run uses SQLite")
    for item in items:
        if "requires_postgres" in item.keywords:
            item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("--conformance-report")
    recorder = session.config.stash.get(_RECORDER, None)
    if path and recorder is not None:
        Path(path).write_text(json.dumps(recorder.report(), indent=1, sort_keys=True))


@pytest.fixture
def reset_sequences(db: None) -> None:
    """Restart PostgreSQL sequences so hard-coded primary keys in DRF's tests hold."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    models = [model for model in apps.get_models() if model._meta.db_table in tables]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.fixture
def unaccent_extension(db: None) -> Iterator[None]:
    """The ``unaccent`` PostgreSQL extension, for DRF's accent-insensitive search test."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION IF EXISTS unaccent")
