"""Shared set-up of the type-checking tests (YAML cases, pyright cases, incremental runs)."""

from __future__ import annotations

import os
import sys

# pytest-mypy-plugins runs the `mypy` found on PATH: make it this interpreter's.
_BIN = os.path.dirname(sys.executable)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
