"""Results: one JSON file, one markdown table and one PNG plot per run, in ``benchmarks/results``.

Ratios are always against contenders measured in the same run. In the CPU table, ``÷ DRF sync``
and ``÷ floor`` are medians of per-round paired ratios (a contender's round divided by DRF
sync's or the raw async view's same round) with a 95 % percentile-bootstrap interval, computed
by :mod:`benchmarks.stats` when the run ends and stored in the JSON next to the per-round samples
they come from. Results from before paired ratios (no ``ratio_to_*`` keys) are shown as ratios
of medians, without an interval. The load tables give server CPU per served request as the
median over rounds and its range.
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


_DASH = "\u2013"  # en dash, for ranges
_VERDICTS = {"below": "lower", "above": "higher", "inconclusive": "≈"}


def _ratio_cell(summary: dict[str, Any], contender: str, ref: str, per: dict[str, Any]) -> str:
    """``0.93 [0.90-0.96]`` (with an en dash); for results stored without intervals, a plain
    ratio of medians."""
    if ref not in per:
        return "-"
    if contender == ref:
        return "ref"
    ratio = summary.get(f"ratio_to_{ref}")
    if ratio is None:
        return f"{summary['cpu_us_median'] / per[ref]['cpu_us_median']:.2f}"
    return f"{ratio['median']:.2f} [{ratio['low']:.2f}{_DASH}{ratio['high']:.2f}]"


def _cpu_table(cpu: dict[str, Any], config: dict[str, Any]) -> list[str]:
    rounds = f"{config['rounds']} interleaved rounds" if "rounds" in config else "rounds"
    batch = f" of {config['batch']} requests" if "batch" in config else ""
    confidence = config.get("ratio_ci", {}).get("confidence", 0.95)
    lines = [
        f"## CPU time per request (in-process ASGI, {rounds}{batch})",
        "",
        "| operation | contender | CPU µs | ÷ DRF sync [CI] | ÷ floor [CI] | vs DRF |",
        "|---|---|---:|---:|---:|:---:|",
    ]
    for op, per in cpu.items():
        for n, (c, summary) in enumerate(per.items()):
            ratio = summary.get("ratio_to_drf")
            vs_drf = _VERDICTS[ratio["verdict"]] if ratio and c != "drf" else ""
            cells = [
                op if n == 0 else "",
                c,
                _fmt(summary["cpu_us_median"]),
                _ratio_cell(summary, c, "drf", per),
                _ratio_cell(summary, c, "floor", per),
                vs_drf,
            ]
            lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "CPU µs: median over rounds. ÷ DRF sync, ÷ floor: median of the per-round paired ratios "
        f"(this contender's round over the reference's same round) and its {confidence:.0%} "
        "bootstrap confidence interval. vs DRF: lower or higher when the interval excludes 1, "
        "≈ when it includes 1 (no difference resolved).",
        "",
    ]
    return lines


def _instructions_table(block: dict[str, Any]) -> list[str]:
    if "skipped" in block:
        return ["## Instructions per request (callgrind)", "", f"Skipped: {block['skipped']}.", ""]
    per_request: dict[str, dict[str, float]] = block["per_request"]
    contenders = list(next(iter(per_request.values())))
    lines = [
        f"## Instructions per request (callgrind, {block['config']['count']} requests each)",
        "",
        "| operation | " + " | ".join(contenders) + " |",
        "|---|" + "---:|" * len(contenders),
    ]
    for op, per in per_request.items():
        cells = []
        for c in contenders:
            cell = f"{per[c] / 1e6:.2f} M"
            if c != "drf" and "drf" in per:
                cell += f" · {per[c] / per['drf']:.3f}xD"
            if c != "floor" and "floor" in per:
                cell += f" · {per[c] / per['floor']:.2f}xF"
            cells.append(cell)
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Millions of instructions per request, all threads, counted by valgrind's callgrind "
        "(deterministic: the machine's load does not change them); xD: relative to DRF sync, "
        "xF: relative to the floor.",
        "",
    ]
    return lines


def _server_cpu(summary: dict[str, Any]) -> str:
    """``7,239 (6,900-7,600)`` (en dash); the median alone for results stored without the range."""
    median = _fmt(summary["server_cpu_us_per_request"])
    if summary.get("server_cpu_us_min") is None:
        return median
    low, high = _fmt(summary["server_cpu_us_min"]), _fmt(summary["server_cpu_us_max"])
    return f"{median} ({low}{_DASH}{high})"


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
    if "elapsed_seconds" in result:
        phases = ", ".join(f"{k} {v:g} s" for k, v in result.get("phase_seconds", {}).items())
        lines += [
            f"Elapsed: {result['elapsed_seconds']:g} s" + (f" ({phases})" if phases else ""),
            "",
        ]
    cpu = result.get("cpu")
    if cpu:
        lines += _cpu_table(cpu, result.get("config", {}))
    if result.get("instructions"):
        lines += _instructions_table(result["instructions"])
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
            "| contender | req/s | p50 ms | p99 ms | server CPU µs/req (range) | served / counted "
            "| unanswered | peak threads | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for c, s in block["results"].items():
            lines.append(
                f"| {c} | {_fmt(s['rps'])} | {_fmt(s['p50_ms'], 1)} | {_fmt(s['p99_ms'], 1)} | "
                f"{_server_cpu(s)} | {_fmt(s.get('served'))} / {_fmt(s['requests'])} | "
                f"{_fmt(s.get('unanswered'))} | {s['peak_server_threads']} | {s['errors']} |"
            )
        lines += [
            "",
            "Server CPU: CPU time between the idle points around a phase divided by the "
            f"requests the server answered (median over rounds, min{_DASH}max in parentheses). "
            "Served: answered by the server; counted: completed before the load generator "
            "stopped; unanswered: reached Django, but the client had gone first.",
            "",
        ]
    return "\n".join(lines)


_RATIO_CLIP = 2.0


def _plot_cpu_ratios(ax: Any, cpu: dict[str, Any]) -> None:
    """CPU per request relative to DRF sync, by operation: the paired median with its interval
    as an error bar (ratios of medians for results stored without intervals). Bars above
    ``_RATIO_CLIP`` are cut there and labelled with their value, so that one slow contender
    does not flatten the others."""
    contenders = list(next(iter(cpu.values())))
    ops = list(cpu)
    width = 0.8 / len(contenders)
    for i, c in enumerate(contenders):
        xs = [k + i * width for k in range(len(ops))]
        medians, lows, highs = [], [], []
        for op in ops:
            summary = cpu[op][c]
            ratio = summary.get("ratio_to_drf")
            if ratio is None:
                value = summary["cpu_us_median"] / cpu[op]["drf"]["cpu_us_median"]
                ratio = {"median": value, "low": value, "high": value}
            medians.append(ratio["median"])
            lows.append(ratio["low"])
            highs.append(ratio["high"])
        shown = [min(m, _RATIO_CLIP) for m in medians]
        below, above = [], []
        for s_, m, lo, hi in zip(shown, medians, lows, highs, strict=True):
            clipped = m > _RATIO_CLIP  # no error bar on a cut bar
            below.append(0.0 if clipped else max(0.0, s_ - lo))
            above.append(0.0 if clipped else max(0.0, hi - s_))
        errors = [below, above]
        ax.bar(xs, shown, width, yerr=errors, capsize=2, label=c)
        for x, m in zip(xs, medians, strict=True):
            if m > _RATIO_CLIP:
                ax.text(x, _RATIO_CLIP, f"{m:.1f}", ha="center", va="bottom", fontsize=7)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_ylim(0, _RATIO_CLIP * 1.3)  # headroom for the legend
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(ops))], ops, rotation=15)
    ax.set_ylabel("CPU per request ÷ DRF sync (paired median, 95 % CI)")
    ax.set_title("CPU per request relative to DRF sync, in-process ASGI")
    ax.legend(fontsize=7, ncols=4, loc="upper center")


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
        _plot_cpu_ratios(ax, cpu)
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
