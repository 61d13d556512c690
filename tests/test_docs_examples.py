"""Every code example in the documentation runs, and says what it shows.

The rules this module enforces, for ``docs/**/*.md`` and ``README.md``:

* Examples live in ``docs/examples/*.py`` and are included into pages with pymdownx.snippets
  sections (``--8<-- "docs/examples/file.py:section"``, markers ``# --8<-- [start:section]`` and
  ``# --8<-- [end:section]`` in the file). Each such file defines ``async def check(client)``
  (optionally ``check(client, hops)``) that exercises the code through real URLs and asserts
  what the page claims; if it defines ``urlpatterns``, requests are routed by them.
* Every include must name an existing file and section, and every example file must be
  included by some page.
* A ```` ```python ```` block written inline in a page is executed as a module of its own. A
  block that is meant to fail is preceded by ``<!-- docs-test: raises ExceptionName -->``, and
  must raise exactly that. A block that shows what a type checker reports is preceded by
  ``<!-- docs-test: mypy typecheck_tests/<file>.yml -->`` and is not run: one case of that file,
  which the type-checking suite runs, must contain every line of the block (stripped, and
  compared with the case's lines without their ``# E:`` / ``# N:`` expectations) and expect every
  error the block shows. The block shows an error as a comment line ``# error: <message>``,
  possibly continued on the comment lines right after it; the message, whitespace aside, must
  be one of the case's ``# E:`` messages. A line that is only ``...`` stands for omitted code and
  is not compared.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from django.test import AsyncClient

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings as SettingsWrapper

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.py"))
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]

INCLUDE = re.compile(r'^\s*-{2}8<-{2}\s+"(?P<target>[^"]+)"\s*$')
MARKER = re.compile(r"^<!--\s*docs-test:\s*(?P<kind>raises|mypy)\s+(?P<arg>\S+)\s*-->$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
EXPECTATION = re.compile(r"^(?P<severity>[ENW])R?:(?:\d+:)? (?P<message>.*)$")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    body: str
    marker: tuple[str, str] | None

    @property
    def label(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def fenced_blocks(page: Path) -> Iterator[Block]:
    lines = page.read_text().splitlines()
    index = 0
    previous = ""
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match is None:
            if lines[index].strip():
                previous = lines[index].strip()
            index += 1
            continue
        start, fence, indent = index, match["fence"], match["indent"]
        body: list[str] = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index][len(indent) :] if lines[index].startswith(indent) else "")
            index += 1
        found = MARKER.match(previous)
        marker = (found["kind"], found["arg"]) if found else None
        yield Block(page, start + 1, match["lang"], "\n".join(body), marker)
        previous = ""
        index += 1


def includes(page: Path) -> Iterator[str]:
    for line in page.read_text().splitlines():
        match = INCLUDE.match(line)
        if match:
            yield match["target"]


def inline_python() -> list[Block]:
    return [
        block
        for page in PAGES
        for block in fenced_blocks(page)
        if block.lang in {"python", "py"}
        and not all(INCLUDE.match(line) for line in block.body.splitlines() if line.strip())
    ]


def load_example(path: Path) -> ModuleType:
    name = f"docs_examples.{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class MypyCase:
    name: str
    lines: frozenset[str]
    errors: frozenset[str]


def normalise(message: str) -> str:
    return " ".join(message.split())


def mypy_cases(path: Path) -> list[MypyCase]:
    """The cases of a pytest-mypy-plugins YAML file, read as text.

    Each case's lines are stripped and cut before their first expectation comment (which
    pytest-mypy-plugins finds after a ``" # "``); its errors are its ``# E:`` messages.
    """
    cases = []
    for chunk in re.split(r"^- case:", path.read_text(), flags=re.MULTILINE)[1:]:
        name, *text = chunk.splitlines()
        lines, errors = set(), set()
        for line in text:
            parts = line.split(" # ")
            expectations = [
                (index, match)
                for index, part in enumerate(parts[1:], start=1)
                if (match := EXPECTATION.match(part.strip()))
            ]
            end = expectations[0][0] if expectations else len(parts)
            lines.add(" # ".join(parts[:end]).strip())
            errors |= {normalise(m["message"]) for _, m in expectations if m["severity"] == "E"}
        cases.append(MypyCase(name.strip(), frozenset(lines), frozenset(errors)))
    return cases


def shown_mypy_output(body: str) -> tuple[set[str], set[str]]:
    """The code lines of a ``mypy`` block, and the messages of its ``# error:`` comments."""
    code: set[str] = set()
    errors: list[str] = []
    continues = False
    for line in (raw.strip() for raw in body.splitlines()):
        if line.startswith("# error:"):
            errors.append(line.removeprefix("# error:"))
            continues = True
        elif continues and line.startswith("#"):
            errors[-1] += " " + line.removeprefix("#")
        else:
            continues = False
            if line and line != "...":
                code.add(line)
    return code, {normalise(error) for error in errors}


# --- docs/examples/*.py --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
async def test_example_file_runs_and_checks_its_claims(
    path: Path, settings: SettingsWrapper, hops: Callable[[], Any]
) -> None:
    module = load_example(path)
    check = getattr(module, "check", None)
    assert inspect.iscoroutinefunction(check), f"{path.name} must define async def check(...)"
    if hasattr(module, "urlpatterns"):
        settings.ROOT_URLCONF = module.__name__
    arguments: dict[str, Any] = {"client": AsyncClient()}
    if "hops" in inspect.signature(check).parameters:
        arguments["hops"] = hops
    await check(**arguments)


def test_there_are_examples() -> None:
    assert {path.stem for path in EXAMPLES} >= {"quickstart", "viewsets", "action_configs"}


def test_every_include_resolves() -> None:
    problems = []
    for page in PAGES:
        for target in includes(page):
            file, _, section = target.partition(":")
            path = ROOT / file
            if not path.is_file():
                problems.append(f"{page.relative_to(ROOT)}: {file} does not exist")
                continue
            text = path.read_text()
            for marker in (f"--8<-- [start:{section}]", f"--8<-- [end:{section}]"):
                if section and marker not in text:
                    problems.append(f"{page.relative_to(ROOT)}: {file} has no {marker!r}")
    assert problems == []


def test_every_example_file_is_shown_somewhere() -> None:
    shown = {target.partition(":")[0] for page in PAGES for target in includes(page)}
    orphans = [
        str(path.relative_to(ROOT)) for path in EXAMPLES if str(path.relative_to(ROOT)) not in shown
    ]
    assert orphans == []


def test_every_section_of_an_example_file_is_shown() -> None:
    shown = {target for page in PAGES for target in includes(page)}
    unshown = []
    for path in EXAMPLES:
        for section in re.findall(r"--8<-- \[start:([\w-]+)\]", path.read_text()):
            if f"{path.relative_to(ROOT)}:{section}" not in shown:
                unshown.append(f"{path.relative_to(ROOT)}:{section}")
    assert unshown == []


# --- python blocks written inline in pages -------------------------------------------------------

INLINE = inline_python()


@pytest.mark.django_db
@pytest.mark.parametrize("block", INLINE, ids=[block.label for block in INLINE])
def test_inline_python_block_runs(block: Block) -> None:
    if block.marker is not None and block.marker[0] == "mypy":
        case_file = ROOT / block.marker[1]
        assert case_file.is_file(), f"{block.label}: {block.marker[1]} does not exist"
        code, errors = shown_mypy_output(block.body)
        assert code, f"{block.label}: the block shows no code"
        missing = min(
            (
                (sorted(code - case.lines) + sorted(errors - case.errors), case.name)
                for case in mypy_cases(case_file)
            ),
            key=lambda found: len(found[0]),
            default=(["(the file has no cases)"], ""),
        )
        assert missing[0] == [], f"{block.label}: closest case {missing[1]!r} lacks these"
        return
    raises = block.marker[1] if block.marker is not None else None
    name = "docs_blocks." + re.sub(r"\W", "_", block.label)
    module = ModuleType(name)
    sys.modules[name] = module
    compiled = compile(textwrap.dedent(block.body), block.label, "exec")
    try:
        if raises is None:
            exec(compiled, module.__dict__)
            return
        with pytest.raises(Exception) as raised:
            exec(compiled, module.__dict__)
        assert type(raised.value).__name__ == raises, raised.value
    finally:
        del sys.modules[name]


def test_the_readme_example_is_checked() -> None:
    assert any(block.page.name == "README.md" for block in INLINE)
