"""Release readiness: build the distributions, check them, and run the example from the wheel.

``python scripts/check_release.py`` (from any directory; ``make test`` runs it) checks, in order:

1. **build**: ``python -m build`` makes the sdist and, from it, the wheel, in a temporary
   directory (the build backend is fetched into an isolated environment, as for a release);
2. **twine**: ``twine check --strict`` passes on both;
3. **wheel contents**: ``async_viewsets/`` with ``py.typed`` and every module of
   ``src/async_viewsets``, and ``async_viewsets_mypy/`` with every module of
   ``mypy_plugin/async_viewsets_mypy``; nothing else but the ``.dist-info`` (no tests, docs,
   examples, bytecode); the license file; the metadata's name, version, ``Requires-Python``,
   license expression, Markdown description, and classifiers that PyPI knows
   (``trove-classifiers``);
4. **sdist contents**: the project files a rebuild needs, and no bytecode or local databases;
5. **version**: it is defined once, in ``src/async_viewsets/__about__.py`` (``pyproject.toml``
   reads it through hatch's dynamic version; no other module assigns a literal
   ``__version__``); the artifacts carry it; ``CHANGELOG.md`` has a section for it or an
   ``Unreleased`` one;
6. **clean install**: a new virtualenv gets the wheel with the ``filter`` and ``spectacular``
   extras (the example project imports django-filter, and serves its schema with
   drf-spectacular) and uvicorn; both packages import from the virtualenv's site-packages with
   the version of ``__about__.py``;
7. **example**: ``examples/bookshop`` is copied to a temporary directory and, with that
   virtualenv's interpreter and a temporary SQLite database (``BOOKSHOP_DB``), runs
   ``manage.py demo --no-serve``, then ``manage.py demo --port <free port>`` (uvicorn on
   127.0.0.1), whose ``/api/books/`` and ``/api/schema/`` must answer. The source tree is on no
   path, so this proves that the wheel alone runs the example.

It needs ``build``, ``twine`` and ``trove-classifiers`` (the ``dev`` extra) and a package index
for the build backend and the wheel's dependencies. Everything is bounded (about a minute when
the index answers quickly; each command has a timeout, three minutes in all). It prints one
line per check and a summary, and exits 1 when a check failed. ``--keep`` keeps the temporary
directory and prints its path.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import email.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import Message

ROOT = Path(__file__).resolve().parent.parent
DIST_NAME = "drf-async-viewsets"
ABOUT = Path("src/async_viewsets/__about__.py")
PACKAGES = {
    "async_viewsets": ROOT / "src" / "async_viewsets",
    "async_viewsets_mypy": ROOT / "mypy_plugin" / "async_viewsets_mypy",
}
EXAMPLE = ROOT / "examples" / "bookshop"
FORBIDDEN_PARTS = {
    "tests",
    "docs",
    "examples",
    "benchmarks",
    "conformance",
    "typecheck_tests",
    "stubs",
    "__pycache__",
}
SDIST_REQUIRED = [
    "pyproject.toml",
    "PKG-INFO",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    str(ABOUT),
    "src/async_viewsets/py.typed",
    "mypy_plugin/async_viewsets_mypy/main.py",
]
RELEASE = re.compile(r"\d+\.\d+")
"""A release version at the start of a string ("0+unknown", a placeholder, is not one)."""
BUDGET = 180.0
"""Seconds for the whole run; each command gets what is left of it (or less)."""


class CheckFailed(Exception):
    """A check's failure; the message says what was expected and what was found."""


class Run:
    """The checks' results and the run's deadline."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.results: list[tuple[str, bool, float, str]] = []

    def left(self, cap: float) -> float:
        """Seconds a command may take: ``cap``, or what is left of the budget if less."""
        remaining = BUDGET - (time.monotonic() - self.started)
        if remaining <= 1:
            raise CheckFailed(f"the {BUDGET:.0f} s budget is spent")
        return min(cap, remaining)

    def check(self, name: str, func: Any, *args: Any) -> Any:
        """Run one check, record and print its outcome; return its result (None on failure)."""
        print(f"--- {name}", flush=True)
        start = time.monotonic()
        try:
            result, detail = func(self, *args)
        except CheckFailed as exc:
            self.record(name, False, time.monotonic() - start, str(exc))
            return None
        except Exception as exc:  # a bug or an unforeseen answer: still a failed check
            self.record(name, False, time.monotonic() - start, f"{type(exc).__name__}: {exc}")
            return None
        self.record(name, True, time.monotonic() - start, detail)
        return result

    def record(self, name: str, ok: bool, seconds: float, detail: str) -> None:
        self.results.append((name, ok, seconds, detail))
        mark = "ok  " if ok else "FAIL"
        print(f"{mark} {name} ({seconds:.1f} s){': ' + detail if detail else ''}", flush=True)

    def failed(self) -> list[str]:
        return [name for name, ok, _, _ in self.results if not ok]


def command(
    run: Run,
    argv: list[str],
    *,
    cap: float,
    cwd: Path,
    env: dict[str, str] | None = None,
    label: str | None = None,
) -> str:
    """Run ``argv``; return its output, or fail with the output's tail."""
    label = label or " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv[:5]))
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=run.left(cap),
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"{label}: timed out after {exc.timeout:.0f} s") from None
    except OSError as exc:
        raise CheckFailed(f"{argv[0]}: {exc}") from None
    if done.returncode != 0:
        tail = "\n".join(done.stdout.strip().splitlines()[-25:])
        raise CheckFailed(f"{label}: exited {done.returncode}:\n{tail}")
    return done.stdout


def about_version() -> str:
    tree = ast.parse((ROOT / ABOUT).read_text())
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(target, "id", None) for target in node.targets] == ["__version__"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise CheckFailed(f'{ABOUT} has no literal __version__ = "..."')


def package_files(directory: Path) -> set[str]:
    """The files a package directory contributes to the wheel (no bytecode)."""
    return {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


# --- the checks: each returns (result, detail) or raises CheckFailed ---------------------------


def build(run: Run, out: Path) -> tuple[tuple[Path, Path], str]:
    argv = [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)]
    command(run, argv, cap=120, cwd=out)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        found = ", ".join(path.name for path in out.iterdir()) or "nothing"
        raise CheckFailed(f"expected one wheel and one sdist, found {found}")
    return (wheels[0], sdists[0]), f"{wheels[0].name}, {sdists[0].name}"


def twine(run: Run, artifacts: tuple[Path, Path]) -> tuple[None, str]:
    argv = [sys.executable, "-m", "twine", "check", "--strict", *map(str, artifacts)]
    command(run, argv, cap=60, cwd=artifacts[0].parent)
    return None, "PASSED for both"


def wheel_contents(run: Run, wheel: Path, version: str) -> tuple[None, str]:
    problems: list[str] = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"{DIST_NAME.replace('-', '_')}-{version}.dist-info"
        metadata = (
            archive.read(f"{dist_info}/METADATA").decode()
            if f"{dist_info}/METADATA" in names
            else ""
        )
    if not metadata:
        problems.append(f"no {dist_info}/METADATA")
    for package, source in PACKAGES.items():
        expected = {f"{package}/{name}" for name in package_files(source)}
        shipped = {name for name in names if name.startswith(f"{package}/")}
        if missing := sorted(expected - shipped):
            problems.append(f"{package}: missing {', '.join(missing)}")
        if stray := sorted(shipped - expected):
            problems.append(f"{package}: files not in the source tree: {', '.join(stray)}")
    if "async_viewsets/py.typed" not in names:
        problems.append("no async_viewsets/py.typed")
    tops = {name.split("/", 1)[0] for name in names}
    if extra := sorted(tops - {*PACKAGES, dist_info}):
        problems.append(f"unexpected top-level entries: {', '.join(extra)}")
    if bad := sorted(
        name
        for name in names
        if FORBIDDEN_PARTS & set(name.split("/")[:-1]) or name.endswith((".pyc", ".pyo"))
    ):
        problems.append(f"tests, docs, examples or bytecode: {', '.join(bad[:10])}")
    if f"{dist_info}/licenses/LICENSE" not in names:
        problems.append(f"no {dist_info}/licenses/LICENSE")
    if metadata:
        problems += metadata_problems(email.parser.Parser().parsestr(metadata), version)
    if problems:
        raise CheckFailed("\n  ".join(["the wheel:", *problems]))
    modules = sum(1 for name in names if name.endswith(".py"))
    return None, f"{modules} modules in {', '.join(sorted(PACKAGES))}, py.typed, LICENSE"


def metadata_problems(meta: Message, version: str) -> list[str]:
    problems: list[str] = []
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {
        "Name": DIST_NAME,
        "Version": version,
        "Requires-Python": project["requires-python"],
        "License-Expression": project["license"],
        "Description-Content-Type": "text/markdown",
    }
    for field, value in wanted.items():
        if meta.get(field) != value:
            problems.append(f"METADATA {field}: {meta.get(field)!r}, expected {value!r}")
    if not meta.get("Summary"):
        problems.append("METADATA has no Summary")
    if len(meta.get_payload() or "") < 200:
        problems.append("METADATA has no long description (README.md)")
    try:
        from trove_classifiers import classifiers as known
    except ImportError:
        problems.append("trove-classifiers is not installed (the dev extra): cannot check them")
    else:
        classifiers = meta.get_all("Classifier") or []
        if not classifiers:
            problems.append("METADATA has no classifiers")
        if unknown := [c for c in classifiers if c not in known]:
            problems.append(f"classifiers PyPI would reject: {unknown}")
    return problems


def sdist_contents(run: Run, sdist: Path, version: str) -> tuple[None, str]:
    prefix = f"{DIST_NAME.replace('-', '_')}-{version}/"
    with tarfile.open(sdist) as archive:
        names = {member.name for member in archive.getmembers() if member.isfile()}
    problems: list[str] = []
    if outside := sorted(name for name in names if not name.startswith(prefix)):
        problems.append(f"entries outside {prefix}: {', '.join(outside[:5])}")
    inside = {name.removeprefix(prefix) for name in names}
    if missing := [name for name in SDIST_REQUIRED if name not in inside]:
        problems.append(f"missing {', '.join(missing)}")
    if bad := sorted(
        name
        for name in inside
        if "__pycache__" in name.split("/")
        or name.endswith((".pyc", ".sqlite3"))
        or name.split("/")[0] in {".venv", "site", "dist", "build", ".git"}
    ):
        problems.append(f"bytecode, databases or build output: {', '.join(bad[:10])}")
    if problems:
        raise CheckFailed("\n  ".join(["the sdist:", *problems]))
    return None, f"{len(inside)} files"


def version_in_one_place(
    run: Run, version: str, artifacts: tuple[Path, Path] | None
) -> tuple[None, str]:
    problems: list[str] = []
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project, hatch = pyproject["project"], pyproject.get("tool", {}).get("hatch", {})
    if "version" in project or "version" not in project.get("dynamic", []):
        problems.append('pyproject.toml: [project] must list "version" in dynamic, not set it')
    if hatch.get("version", {}).get("path") != ABOUT.as_posix():
        problems.append(f"pyproject.toml: [tool.hatch.version] path must be {ABOUT.as_posix()}")
    for source in PACKAGES.values():
        for path in sorted(source.rglob("*.py")):
            if path == ROOT / ABOUT or "__pycache__" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Assign)
                    and any(getattr(target, "id", None) == "__version__" for target in node.targets)
                    and isinstance(node.value, ast.Constant)
                    and RELEASE.match(str(node.value.value))
                ):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    problems.append(f"{where} sets a version of its own ({node.value.value!r})")
    if artifacts is not None:
        stem = DIST_NAME.replace("-", "_")
        expected = (f"{stem}-{version}-py3-none-any.whl", f"{stem}-{version}.tar.gz")
        if tuple(path.name for path in artifacts) != expected:
            problems.append(f"artifacts {[p.name for p in artifacts]}, expected {list(expected)}")
    changelog = (ROOT / "CHANGELOG.md").read_text()
    sections = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    if version in sections:
        section = version
    elif "Unreleased" in sections:
        section = "Unreleased"
    else:
        problems.append(f"CHANGELOG.md has neither a [{version}] nor an [Unreleased] section")
        section = ""
    if problems:
        raise CheckFailed("\n  ".join(["the version:", *problems]))
    return None, f"{version} in {ABOUT} only; CHANGELOG.md section [{section}]"


def clean_env(extra: dict[str, str] | None = None, venv: Path | None = None) -> dict[str, str]:
    """This process's environment without anything that would put the source tree in reach."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "PYTHONPATH",
            "PYTHONHOME",
            "VIRTUAL_ENV",
            "DJANGO_SETTINGS_MODULE",
            "PYTHONSTARTUP",
        }
    }
    env.update(PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return env


IMPORT_PROBE = """
import importlib.metadata, json, sysconfig
from pathlib import Path

import django
from django.conf import settings

settings.configure()
django.setup()
import async_viewsets, async_viewsets_mypy

site = Path(sysconfig.get_paths()["purelib"]).resolve()
print(json.dumps({
    "site": str(site),
    "async_viewsets": str(Path(async_viewsets.__file__).resolve()),
    "async_viewsets_mypy": str(Path(async_viewsets_mypy.__file__).resolve()),
    "py.typed": (site / "async_viewsets" / "py.typed").is_file(),
    "stack": "Django %s, DRF %s" % (
        django.get_version(), importlib.metadata.version("djangorestframework")
    ),
    "versions": sorted({
        async_viewsets.__version__,
        async_viewsets_mypy.__version__,
        importlib.metadata.version("drf-async-viewsets"),
    }),
}))
"""
"""Run by the clean virtualenv's interpreter: where the packages import from, their versions."""


def clean_install(run: Run, wheel: Path, venv: Path, version: str) -> tuple[Path, str]:
    command(run, [sys.executable, "-m", "venv", str(venv)], cap=60, cwd=venv.parent)
    python = venv / "bin" / "python"
    argv = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        f"{wheel}[filter,spectacular]",
        "uvicorn",
    ]
    command(run, argv, cap=120, cwd=venv.parent, env=clean_env(venv=venv))
    probe = [str(python), "-c", IMPORT_PROBE]
    env = clean_env(venv=venv)
    output = command(run, probe, cap=30, cwd=venv.parent, env=env, label="import probe")
    found = json.loads(output.strip().splitlines()[-1])
    problems: list[str] = []
    for name in PACKAGES:
        origin = found.get(name)
        if origin is None or not origin.startswith(found["site"] + os.sep):
            problems.append(f"{name} imports from {origin}, not from {found['site']}")
    if not found["py.typed"]:
        problems.append("no async_viewsets/py.typed in site-packages")
    if found["versions"] != [version]:
        problems.append(f"installed versions {found['versions']}, expected {version}")
    if problems:
        raise CheckFailed("\n  ".join(["the clean install:", *problems]))
    return python, f"{wheel.name}[filter,spectacular] + uvicorn ({found['stack']}) into {venv}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, timeout: float) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            raise CheckFailed(f"GET {url}: {response.status}")
        return json.loads(response.read())


def example(run: Run, python: Path, work: Path) -> tuple[None, str]:
    shop = work / "bookshop"
    shutil.copytree(
        EXAMPLE, shop, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3*")
    )
    env = clean_env({"BOOKSHOP_DB": str(work / "bookshop.sqlite3")}, venv=python.parent.parent)
    output = command(
        run, [str(python), "manage.py", "demo", "--no-serve"], cap=90, cwd=shop, env=env
    )
    if "Database migrated." not in output or "Demo data ready" not in output:
        raise CheckFailed(f"manage.py demo --no-serve printed:\n{output[-2000:]}")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = work / "demo-serve.log"
    with log_path.open("w+") as log:
        process = subprocess.Popen(
            [str(python), "manage.py", "demo", "--port", str(port)],
            cwd=shop,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            books = wait_for(run, process, f"{base}/api/books/", log)
            schema = get_json(f"{base}/api/schema/?format=json", timeout=run.left(30))
        finally:
            stop(process)
    if not (isinstance(books, dict) and books.get("count", 0) > 0 and books.get("results")):
        raise CheckFailed(f"/api/books/ answered {str(books)[:300]}")
    if "/api/books/" not in schema.get("paths", {}):
        raise CheckFailed("/api/schema/ does not describe /api/books/")
    return None, (
        f"demo seeded a SQLite DB; uvicorn on {base} answered /api/books/ "
        f"({books['count']} books) and /api/schema/ ({len(schema['paths'])} paths)"
    )


def wait_for(run: Run, process: subprocess.Popen[bytes], url: str, log: IO[str]) -> Any:
    """``url``'s JSON once the server answers; fail if it exits, errs or stays silent."""
    deadline = time.monotonic() + run.left(60)
    while True:
        try:
            return get_json(url, timeout=5)
        except urllib.error.HTTPError as exc:
            raise CheckFailed(f"GET {url}: {exc.code}\n{tail(log)}") from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                state = "exited" if process.poll() is not None else "did not answer in time"
                raise CheckFailed(f"manage.py demo {state} ({exc}):\n{tail(log)}") from None
            time.sleep(0.25)


def tail(log: IO[str]) -> str:
    log.seek(0)
    return "\n".join(log.read().strip().splitlines()[-25:])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextlib.contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="check-release-"))
    try:
        yield path
    finally:
        if keep:
            print(f"kept {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    options = parser.parse_args(argv)
    run = Run()
    try:
        version = about_version()
    except CheckFailed as exc:
        print(f"FAIL {exc}")
        return 1
    print(f"release check of {DIST_NAME} {version} (Python {sys.version.split()[0]})", flush=True)
    with workspace(options.keep) as work:
        dist = work / "dist"
        dist.mkdir()
        artifacts = run.check("build: python -m build (sdist, then the wheel from it)", build, dist)
        if artifacts is None:
            run.check("version in one place, changelog", version_in_one_place, version, None)
        else:
            wheel, sdist = artifacts
            run.check("twine check --strict", twine, artifacts)
            run.check("wheel contents and metadata", wheel_contents, wheel, version)
            run.check("sdist contents", sdist_contents, sdist, version)
            run.check("version in one place, changelog", version_in_one_place, version, artifacts)
            python = run.check(
                "clean virtualenv: install the wheel", clean_install, wheel, work / "venv", version
            )
            if python is not None:
                run.check("example from the wheel: manage.py demo, served", example, python, work)
            else:
                print("  (no clean install: the example did not run)")
    total = time.monotonic() - run.started
    failed = run.failed()
    print(f"\nrelease check: {len(run.results) - len(failed)} of {len(run.results)} checks passed")
    for name in failed:
        print(f"  failed: {name}")
    if artifacts is None:
        print("  (the build failed: the checks of the artifacts did not run)")
    print(f"({total:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
