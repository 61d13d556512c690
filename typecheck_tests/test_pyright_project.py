"""pyright on the project itself: the package, the example project and the runtime tests.

The configuration is the repository's ``pyrightconfig.json`` (strict for ``src/`` and the
example, standard for ``tests/``; the file says why). Zero errors are allowed, apart from
djangorestframework-stubs' ``class Meta`` report (see ``pyright_support.is_known_noise``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from typecheck_tests.pyright_support import Report, describe, run_pyright

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("src", "examples/bookshop/bookshop", "tests")


@pytest.fixture(scope="module")
def report() -> Report:
    return run_pyright(ROOT)


def _config() -> dict[str, Any]:
    # pyright's configuration is JSON with comments: drop the whole-line ones.
    text = (ROOT / "pyrightconfig.json").read_text()
    loaded: dict[str, Any] = json.loads(re.sub(r"(?m)^\s*//.*$", "", text))
    return loaded


def test_project_has_no_pyright_errors(report: Report) -> None:
    errors = sorted(describe(diagnostic, ROOT) for diagnostic in report.errors)
    assert errors == [], f"{len(errors)} pyright error(s):\n" + "\n".join(errors)


def test_configuration_covers_the_checked_paths(report: Report) -> None:
    config = _config()
    assert tuple(config["include"]) == CHECKED
    assert config["strict"] == ["src", "examples/bookshop/bookshop"]
    # Every module of the three trees (migrations aside) was analysed, not just a few.
    expected = sum(
        1
        for top in CHECKED
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )
    assert report.files_analyzed >= expected
