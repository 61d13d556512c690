"""Running pyright (the PyPI package, next to this interpreter) and reading its JSON report.

Shared by the pyright case runner (``test_pyright.py``) and the project check
(``test_pyright_project.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYRIGHT = Path(sys.executable).parent / "pyright"


@dataclass(frozen=True)
class Report:
    files_analyzed: int
    errors: list[dict[str, Any]]
    """Error diagnostics (pyright's JSON), without the known noise (:func:`is_known_noise`)."""


def is_known_noise(diagnostic: dict[str, Any]) -> bool:
    """djangorestframework-stubs' ``class Meta`` report, which pyright gives every
    ``ModelSerializer`` subclass: the stubs declare ``ModelSerializer.Meta`` as a class, and a
    subclass's own ``Meta`` (the way DRF is used) is not a subclass of it, so pyright reports
    ``reportIncompatibleVariableOverride``. It is a stubs problem that every pyright user of
    DRF sees, not one of this package; the rule stays on for everything else."""
    return diagnostic.get("rule") == "reportIncompatibleVariableOverride" and str(
        diagnostic.get("message", "")
    ).startswith('"Meta" overrides symbol of same name in class "ModelSerializer"')


def run_pyright(project: Path) -> Report:
    """Check ``project`` (a directory with a ``pyrightconfig.json``) with this environment's
    packages; return its errors, known noise removed."""
    proc = subprocess.run(
        [str(PYRIGHT), "--outputjson", "--pythonpath", sys.executable, "-p", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=project,
    )
    # 0: no errors, 1: errors found; anything else is a failure to run (bad config...).
    assert proc.returncode in (0, 1), proc.stderr + proc.stdout
    report = json.loads(proc.stdout)
    errors = [
        diagnostic
        for diagnostic in report["generalDiagnostics"]
        if diagnostic["severity"] == "error" and not is_known_noise(diagnostic)
    ]
    return Report(files_analyzed=int(report["summary"]["filesAnalyzed"]), errors=errors)


def describe(diagnostic: dict[str, Any], root: Path) -> str:
    """``path:line: rule: message`` of a diagnostic, the path relative to ``root``."""
    path = Path(diagnostic["file"])
    if path.is_relative_to(root):
        path = path.relative_to(root)
    line = diagnostic["range"]["start"]["line"] + 1
    message = str(diagnostic["message"]).splitlines()[0]
    return f"{path}:{line}: {diagnostic.get('rule', '')}: {message}"
