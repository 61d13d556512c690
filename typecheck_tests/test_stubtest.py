"""mypy's stubtest on the inline-typed package: the types mypy reads agree with the runtime.

There are no ``.pyi`` files; stubtest treats the sources as the stubs, so what it checks is
everything that can make the two differ: ``TYPE_CHECKING``-only declarations, decorator types,
descriptors and aliases. The intended differences are in ``stubtest_allowlist.txt``, each with
its reason (and, on Python 3.13+, ``stubtest_allowlist_py313.txt``); an entry that matches
nothing any more fails the run too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mypy.version import __version__ as mypy_version

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = Path(__file__).resolve().parent / "stubtest_allowlist.txt"
# Attributes that Python 3.13 adds at runtime and mypy (python_version 3.11) does not know.
ALLOWLIST_PY313 = Path(__file__).resolve().parent / "stubtest_allowlist_py313.txt"


@pytest.mark.skipif(
    int(mypy_version.split(".")[0]) < 2,
    reason="mypy 1.x's stubtest also checks the names a module imports (hundreds of reports "
    "for inline-typed sources); the allowlist is written for mypy 2",
)
def test_stubtest_agrees_with_the_runtime() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy.stubtest",
            "async_viewsets",
            "--mypy-config-file",
            "pyproject.toml",
            "--allowlist",
            str(ALLOWLIST),
            *(["--allowlist", str(ALLOWLIST_PY313)] if sys.version_info >= (3, 13) else []),
        ],
        cwd=ROOT,
        # Importing the package's modules needs configured Django settings.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
