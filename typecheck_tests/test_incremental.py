"""The plugin across mypy runs: a shared cache, parallel workers (``-n 2``) and dmypy.

Decorators are not in mypy's cache, so inherited ``@action`` methods must come from the
plugin's ``TypeInfo.metadata``; serializer and base-class changes in other modules must reach
the viewset's verdict through the cache's dependencies (and, for dmypy, through the plugin's
fine-grained dependencies).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

SETTINGS = """\
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "myapp"]
"""

MODELS = """\
from django.db import models

class Author(models.Model):
    name = models.CharField(max_length=100)

class Article(models.Model):
    title = models.CharField(max_length=100)
"""

SERIALIZERS = """\
from rest_framework import serializers
from myapp.models import Article, Author

class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id"]
"""

BASE = """\
from rest_framework.request import Request
from rest_framework.response import Response
from async_viewsets import AsyncModelViewSet, action
from myapp.models import Author

class ArchiveMixin:
    @action(detail=True, methods=["post"])
    async def archive(self, request: Request, pk: str) -> Response:
        return Response()

class BaseAuthorViewSet(AsyncModelViewSet):
    queryset = Author.objects.all()

    @action(detail=False)
    async def recent(self, request: Request) -> Response:
        return Response()
"""

VIEWS = """\
from async_viewsets import ActionConfig
from myapp.base import ArchiveMixin, BaseAuthorViewSet
from myapp.serializers import AuthorSerializer

class AuthorViewSet(ArchiveMixin, BaseAuthorViewSet):
    serializer_class = AuthorSerializer
    action_configs = {
        "archive": ActionConfig(),
        "recent": ActionConfig(),
    }
"""

MYPY_INI = """\
[mypy]
strict = True
disallow_any_generics = False
plugins = mypy_django_plugin.main, mypy_drf_plugin.main, async_viewsets_mypy.main

[mypy.plugins.django-stubs]
django_settings_module = mysettings
"""

UNDECORATED = (
    'myapp/views.py:8: error: "archive" is a method of AuthorViewSet but not an action: '
    "decorate it with @action so that routers route it  [viewset-undecorated-action]"
)
UNKNOWN_RECENT = 'myapp/views.py:9: error: "recent" is not an action of AuthorViewSet'
WRONG_SERIALIZER = (
    'myapp/views.py:6: error: serializer_class AuthorSerializer serializes "Article", but the '
    'model of AuthorViewSet is "Author"  [viewset-serializer-model]'
)


def _write_project(root: Path) -> None:
    (root / "myapp").mkdir()
    files = {
        "mysettings.py": SETTINGS,
        "mypy.ini": MYPY_INI,
        "myapp/__init__.py": "",
        "myapp/models.py": MODELS,
        "myapp/serializers.py": SERIALIZERS,
        "myapp/base.py": BASE,
        "myapp/views.py": VIEWS,
    }
    for name, content in files.items():
        (root / name).write_text(content)


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MYPY", "DJANGO_SETTINGS"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _mypy(root: Path, *args: str) -> list[str]:
    proc = subprocess.run(
        [str(BIN / "mypy"), "--no-error-summary", "--cache-dir", ".cache", *args, "myapp"],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr + proc.stdout
    return [line for line in proc.stdout.splitlines() if ": error:" in line or ": note:" in line]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _write_project(tmp_path)
    return tmp_path


def test_inherited_actions_survive_the_cache_and_removals_reach_the_child(project: Path) -> None:
    assert _mypy(project) == []
    # Only the child changes: the bases come from the cache, without their decorators.
    _edit(project, "myapp/views.py", '"recent": ActionConfig(),', '"recent": ActionConfig(),  # x')
    assert _mypy(project) == []
    # Removing @action in the base module must recheck the child through the cache.
    _edit(project, "myapp/base.py", '    @action(detail=True, methods=["post"])\n', "")
    assert _mypy(project) == [UNDECORATED]
    _edit(project, "myapp/base.py", "    @action(detail=False)\n", "")
    errors = _mypy(project)
    assert len(errors) == 2
    assert errors[0] == UNDECORATED
    assert errors[1].startswith(
        'myapp/views.py:9: error: "recent" is a method of AuthorViewSet but not an action'
    )


def test_serializer_meta_model_change_in_another_module(project: Path) -> None:
    assert _mypy(project) == []
    _edit(project, "myapp/serializers.py", "model = Author", "model = Article")
    assert _mypy(project) == [WRONG_SERIALIZER]
    _edit(project, "myapp/serializers.py", "model = Article", "model = Author")
    assert _mypy(project) == []


def test_parallel_workers_give_the_sequential_output(project: Path) -> None:
    _edit(project, "myapp/base.py", '    @action(detail=True, methods=["post"])\n', "")
    _edit(project, "myapp/serializers.py", "model = Author", "model = Article")
    sequential = _mypy(project)
    assert sequential == [WRONG_SERIALIZER, UNDECORATED]
    shutil.rmtree(project / ".cache")
    assert _mypy(project, "-n", "2") == sequential


def test_dmypy_fine_grained_dependencies(project: Path) -> None:
    def dmypy(*args: str) -> list[str]:
        proc = subprocess.run(
            [str(BIN / "dmypy"), "--status-file", ".dmypy.json", *args],
            cwd=project,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode in (0, 1), proc.stderr + proc.stdout
        return [line for line in proc.stdout.splitlines() if ": error:" in line]

    try:
        assert dmypy("run", "--", "--cache-dir", ".cache", "myapp") == []
        # Both edits change nothing in views.py: only the plugin's dependencies recheck it.
        _edit(project, "myapp/base.py", '    @action(detail=True, methods=["post"])\n', "")
        assert dmypy("recheck") == [UNDECORATED]
        _edit(project, "myapp/serializers.py", "model = Author", "model = Article")
        assert dmypy("recheck") == [WRONG_SERIALIZER, UNDECORATED]
    finally:
        dmypy("stop")
