"""The callgrind phase of the benchmarks: reading a dump's totals, and the table built from it.

(The phase itself runs under valgrind in ``make bench``, not in the test suite.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import instructions, report

DUMP = """\
# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 4242
cmd:  python -m benchmarks.instructions --child /tmp/x
part: 3

desc: I1 cache:
desc: Timerange: Basic block 100 - 200
desc: Trigger: Client Request: list:drf

positions: line
events: Ir
summary: 123456789

fl=(1) ???
fn=(1) 0x000000000040053d
0 17
totals: 123456789
"""


def test_totals_are_read_from_a_dump(tmp_path: Path) -> None:
    dump = tmp_path / "callgrind.out.4242.3"
    dump.write_text(DUMP)
    assert instructions._totals(dump) == 123456789
    dump.write_text("events: Ir\n")
    with pytest.raises(RuntimeError, match="no totals"):
        instructions._totals(dump)


def test_table_gives_millions_and_ratios_to_drf_and_floor() -> None:
    block = {
        "config": {"count": 20},
        "per_request": {
            "list": {"drf": 11_000_000.0, "floor": 7_000_000.0, "ours": 9_900_000.0},
        },
    }
    lines = report._instructions_table(block)
    assert lines[0] == "## Instructions per request (callgrind, 20 requests each)"
    assert lines[2] == "| operation | drf | floor | ours |"
    assert lines[4] == (
        "| list | 11.00 M · 1.57xF | 7.00 M · 0.636xD | 9.90 M · 0.900xD · 1.41xF |"
    )
    skipped = report._instructions_table({"skipped": "valgrind is not installed"})
    assert skipped[2] == "Skipped: valgrind is not installed."
