"""The whole test command (`make test`): lint, type-check, and every test suite.

Runs, in order, stopping at nothing so that one report shows every failure:

1. ``ruff check`` and ``ruff format --check``;
2. ``mypy --strict`` on the package, the plugin, the tests, the example, the docs' examples,
   the benchmarks and the scripts;
3. the pytest suite on SQLite;
4. the pytest suite again on PostgreSQL (127.0.0.1:5432, user postgres) with the cache on Redis
   (127.0.0.1:6379), each when it answers; CI machines run both;
5. the type-checking suite (``typecheck_tests/``: mypy plugin and pyright cases);
6. DRF's own test suite against this package's classes (``python -m conformance``), on SQLite
   and, when it answers, PostgreSQL;
7. ``mkdocs build --strict`` (the documentation site);
8. the release check (``scripts/check_release.py``: wheel and sdist build, ``twine check``,
   contents, one version, and the example served from the wheel in a clean virtualenv).

``run_tests.py mypy`` runs step 2 alone (``make typecheck``). It ends with one line
``tests: N passed, N failed`` summed over the pytest runs and exits
non-zero if any step failed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MYPY_TARGETS = [
    "src",
    "mypy_plugin",
    "tests",
    "examples/bookshop/bookshop",
    "docs/examples",
    "conformance",
    "benchmarks",
    "scripts",
    # typecheck_tests/pyright/ holds deliberate errors; only the suite's own modules:
    "typecheck_tests/hook.py",
    "typecheck_tests/conftest.py",
    "typecheck_tests/test_incremental.py",
    "typecheck_tests/test_pyright.py",
    "typecheck_tests/test_pyright_project.py",
    "typecheck_tests/pyright_support.py",
    "typecheck_tests/test_stubtest.py",
    "typecheck_tests/test_plugin_consistency.py",
]


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def run(title: str, argv: list[str], env: dict[str, str] | None = None) -> int:
    print(f"\n=== {title}: {' '.join(argv)}", flush=True)
    return subprocess.call(argv, cwd=ROOT, env={**os.environ, **(env or {})})


def pytest_run(title: str, args: list[str], env: dict[str, str], totals: list[int]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        code = run(title, [str(BIN / "python"), "-m", "pytest", *args, f"--junitxml={report}"], env)
        if report.exists():
            suite = ET.parse(report).getroot()
            suite = suite if suite.tag == "testsuite" else suite[0]
            ran = int(suite.get("tests", 0)) - int(suite.get("skipped", 0))
            failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            totals[0] += ran - failed
            totals[1] += failed
        elif code != 0:
            totals[1] += 1
    return code


def conformance_run(title: str, env: dict[str, str], totals: list[int]) -> int:
    """``python -m conformance``, adding its per-module counts to ``totals``."""
    with tempfile.TemporaryDirectory() as tmp:
        summary = Path(tmp) / "conformance.json"
        argv = [str(BIN / "python"), "-m", "conformance", "--json", str(summary)]
        code = run(f"DRF conformance ({title})", argv, env)
        if summary.exists():
            for variant in json.loads(summary.read_text())["variants"].values():
                for counts in variant["modules"].values():
                    totals[0] += counts.get("passed", 0)
                    totals[1] += counts.get("failed", 0)
        elif code != 0:
            totals[1] += 1
    return code


def main() -> int:
    if sys.argv[1:] == ["mypy"]:  # `make typecheck`
        return run("mypy --strict", [str(BIN / "mypy"), *MYPY_TARGETS])
    failures: list[str] = []
    totals = [0, 0]
    env = {"PYTHONDONTWRITEBYTECODE": "1"}

    if run("ruff", [str(BIN / "ruff"), "check", "."]) != 0:
        failures.append("ruff check")
    if run("ruff format", [str(BIN / "ruff"), "format", "--check", "."]) != 0:
        failures.append("ruff format")
    if run("mypy --strict", [str(BIN / "mypy"), *MYPY_TARGETS]) != 0:
        failures.append("mypy")

    if pytest_run("pytest (SQLite, LocMem cache)", ["tests", "-q"], env, totals) != 0:
        failures.append("pytest sqlite")

    service_env = dict(env)
    if answers("127.0.0.1", 5432):
        service_env["DATABASE_URL"] = PG_URL
    else:
        print("\nPostgreSQL does not answer on 127.0.0.1:5432: no PostgreSQL run")
    if answers("127.0.0.1", 6379):
        service_env["REDIS_URL"] = REDIS_URL
    else:
        print("\nRedis does not answer on 127.0.0.1:6379: no Redis run")
    services = [k for k in ("DATABASE_URL", "REDIS_URL") if k in service_env]
    if services and pytest_run(
        f"pytest ({', '.join(services)})", ["tests", "-q"], service_env, totals
    ):
        failures.append("pytest services")

    if pytest_run("type-checking suite", ["typecheck_tests", "-q"], env, totals) != 0:
        failures.append("typecheck tests")

    if conformance_run("SQLite", env, totals) != 0:
        failures.append("conformance sqlite")
    if "DATABASE_URL" in service_env and conformance_run("PostgreSQL", service_env, totals) != 0:
        failures.append("conformance postgresql")

    site = tempfile.mkdtemp(prefix="site-")
    if run("mkdocs", [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", site]) != 0:
        failures.append("mkdocs")
    if run("release check", [str(BIN / "python"), "scripts/check_release.py"]) != 0:
        failures.append("release check")

    print(f"\nfailed steps: {', '.join(failures)}" if failures else "\nall steps passed")
    print(f"tests: {totals[0]} passed, {totals[1]} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
