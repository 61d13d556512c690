"""pyright cases: files under ``pyright/`` whose lines carry ``# E: rule[, rule]`` markers.

pyright (the PyPI package) checks the whole directory once, in strict mode; each case file
must produce exactly the marked errors, and the support package ``pyr_app`` none. The only
filtered diagnostic is djangorestframework-stubs' known ``class Meta`` override report, which
every ModelSerializer subclass gets under pyright.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from typecheck_tests.pyright_support import run_pyright

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).parent / "pyright"
CASES = sorted(ROOT.glob("case_*.py"))
MARKER = re.compile(r"#\s*E:\s*(?P<rules>[\w, ]+)$")


@pytest.fixture(scope="module")
def diagnostics() -> dict[str, set[tuple[int, str]]]:
    found: dict[str, set[tuple[int, str]]] = {}
    for diagnostic in run_pyright(ROOT).errors:
        name = str(Path(diagnostic["file"]).relative_to(ROOT))
        line = diagnostic["range"]["start"]["line"] + 1
        found.setdefault(name, set()).add((line, diagnostic.get("rule", "")))
    return found


def _expected(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            for rule in match["rules"].split(","):
                yield number, rule.strip()


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_case(case: Path, diagnostics: dict[str, set[tuple[int, str]]]) -> None:
    assert diagnostics.get(case.name, set()) == set(_expected(case))


def test_support_package_is_clean(diagnostics: dict[str, set[tuple[int, str]]]) -> None:
    support = {name: errors for name, errors in diagnostics.items() if not name.startswith("case_")}
    assert support == {}


def test_there_are_cases() -> None:
    assert len(CASES) >= 2
