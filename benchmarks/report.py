"""Results: one JSON file, one markdown table and one PNG plot per run, in ``benchmarks/results``.

Ratios are always against contenders measured in the same run: ``x DRF`` divides a contender's
median CPU time per request by DRF sync's, ``x floor`` by the raw async view's.
"""

from __future__ import annotations

import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "Django", "djangorestframework", "asgiref", "drf-async-viewsets", "adrf", "drf-restflow",
    "django-ninja", "pydantic", "uvicorn", "httpx", "orjson",
)  # fmt: skip


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo") as f:
            memory = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
    }


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def _fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def markdown(result: dict[str, Any]) -> str:
    """The run as markdown tables (CPU, hops/queries, load, I/O)."""
    lines = [f"# Benchmark run {result['date']} ({result['label']})", ""]
    lines += [f"Command: `{result['command']}`", ""]
    m = result["machine"]
    lines += [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['platform']}, "
        f"Python {m['python']}",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items() if v),
        "",
    ]
    cpu = result.get("cpu")
    if cpu:
        contenders = list(next(iter(cpu.values())))
        lines += [
            "## CPU time per request (µs, median over interleaved rounds; ratio to DRF sync, "
            "ratio to the floor)",
            "",
            "| operation | " + " | ".join(contenders) + " |",
            "|---|" + "---:|" * len(contenders),
        ]
        for op, per in cpu.items():
            drf = per.get("drf", {}).get("cpu_us_median")
            floor = per.get("floor", {}).get("cpu_us_median")
            cells = []
            for c in contenders:
                v = per[c]["cpu_us_median"]
                parts = [_fmt(v)]
                if drf:
                    parts.append(f"{v / drf:.2f}xD")
                if floor:
                    parts.append(f"{v / floor:.2f}xF")
                cells.append(" ".join(parts))
            lines.append(f"| {op} | " + " | ".join(cells) + " |")
        lines += ["", "xD: CPU time relative to DRF sync; xF: relative to the raw async floor.", ""]
    census = result.get("census")
    if census:
        contenders = list(next(iter(census.values())))
        lines += [
            "## Thread hops / SQL statements per request",
            "",
            "| operation | " + " | ".join(contenders) + " |",
            "|---|" + "---:|" * len(contenders),
        ]
        for op, per in census.items():
            cells = [f"{per[c]['hops']:g} / {per[c]['queries']:g}" for c in contenders]
            lines.append(f"| {op} | " + " | ".join(cells) + " |")
        lines += [""]
    for key, title in (("load", "Load: list under uvicorn"), ("io", "I/O: slow authentication")):
        block = result.get(key)
        if not block:
            continue
        cfg = block["config"]
        lines += [
            f"## {title} ({cfg['generator']}, {cfg['concurrency']} connections, "
            f"{cfg['duration']} s x {cfg['rounds']} rounds, path `{cfg['path']}`)",
            "",
            "| contender | req/s | p50 ms | p99 ms | server CPU µs/req | peak threads | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for c, s in block["results"].items():
            lines.append(
                f"| {c} | {_fmt(s['rps'])} | {_fmt(s['p50_ms'], 1)} | {_fmt(s['p99_ms'], 1)} | "
                f"{_fmt(s['server_cpu_us_per_request'])} | {s['peak_server_threads']} | "
                f"{s['errors']} |"
            )
        lines += [""]
    return "\n".join(lines)


def plot(result: dict[str, Any], path: Path) -> bool:
    """CPU per request by operation (left) and load/I-O throughput (right); False without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    cpu = result.get("cpu") or {}
    panels = 1 + bool(result.get("load")) + bool(result.get("io"))
    fig, axes = plt.subplots(1, panels, figsize=(6 + 4 * panels, 4.8), squeeze=False)
    ax = axes[0][0]
    if cpu:
        contenders = list(next(iter(cpu.values())))
        ops = list(cpu)
        width = 0.8 / len(contenders)
        for i, c in enumerate(contenders):
            xs = [k + i * width for k in range(len(ops))]
            ys = [cpu[op][c]["cpu_us_median"] / 1000 for op in ops]
            ax.bar(xs, ys, width, label=c)
        ax.set_xticks([k + 0.4 - width / 2 for k in range(len(ops))], ops, rotation=15)
        ax.set_ylabel("CPU ms per request (median)")
        ax.set_title("CPU per request, in-process ASGI")
        ax.legend(fontsize=8)
    for n, key in enumerate(k for k in ("load", "io") if result.get(k)):
        ax = axes[0][n + 1]
        block = result[key]
        names = list(block["results"])
        ax.bar(names, [block["results"][c]["rps"] for c in names], color="tab:gray")
        ax.set_ylabel("requests / s (median)")
        cfg = block["config"]
        ax.set_title(
            f"{'list under uvicorn' if key == 'load' else 'slow auth (50-100 ms)'}, "
            f"{cfg['concurrency']} conns"
        )
        ax.tick_params(axis="x", rotation=30)
    fig.suptitle(f"drf-async-viewsets benchmarks {result['date']} ({result['label']})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write(result: dict[str, Any], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{result['date']}-{result['label']}"
    written = [directory / f"{stem}.json", directory / f"{stem}.md"]
    written[0].write_text(json.dumps(result, indent=2, sort_keys=False) + "\n")
    written[1].write_text(markdown(result) + "\n")
    if plot(result, directory / f"{stem}.png"):
        written.append(directory / f"{stem}.png")
    return written
