"""Cost of the async_viewsets mypy plugin on a generated 200-viewset project.

Generates, in a temporary directory, 20 models, 40 serializers and 200 viewsets in 10 modules
(each viewset with 4 ``ActionConfig``s: two lambda querysets, one static queryset, one
serializer; an async ``@action``; one in five declared without type arguments), then times
mypy with the django-stubs and drf-stubs plugins alone (baseline) and with this plugin added.

Scenarios, interleaved run by run (the order of the two configurations alternating) so that
machine load hits both alike:

* ``cold``: no cache (includes checking the Django and DRF stubs);
* ``warm``: nothing changed since the last run;
* ``recheck``: every view module edited, so all 200 viewsets are checked again.

Reports medians of wall and CPU time (the mypy child's user+sys), the ratio of the CPU medians
plugin/baseline, and the median of the per-run ratios (each plugin run over the baseline run
next to it), which drifting machine load disturbs less.
Run: ``python benchmarks/mypy_plugin_overhead.py [--runs 5] [--viewsets 200]``. Not part of
the test suite.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
MODELS = 20
MODULES = 10

MYPY_INI = """\
[mypy]
strict = True
disallow_any_generics = False
plugins = {plugins}

[mypy.plugins.django-stubs]
django_settings_module = mysettings
"""


def generate(root: Path, viewsets: int) -> None:
    app = root / "benchapp"
    app.mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (root / "mysettings.py").write_text(
        'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.contenttypes", '
        '"django.contrib.auth", "rest_framework", "benchapp"]\n'
    )
    models = ["from django.db import models\n"]
    for m in range(MODELS):
        models.append(
            f"class Model{m}(models.Model):\n"
            f"    name = models.CharField(max_length=100)\n"
            f"    count = models.IntegerField(default=0)\n"
        )
    (app / "models.py").write_text("\n".join(models))
    sers = ["from rest_framework import serializers", "from benchapp.models import *  # noqa", ""]
    for m in range(MODELS):
        for kind in ("Detail", "List"):
            sers.append(
                f"class Model{m}{kind}Serializer(serializers.ModelSerializer[Model{m}]):\n"
                f"    class Meta:\n"
                f"        model = Model{m}\n"
                f'        fields = ["id", "name"]\n'
            )
    (app / "serializers.py").write_text("\n".join(sers))
    per_module = viewsets // MODULES
    for mod in range(MODULES):
        lines = [
            "from rest_framework.permissions import IsAdminUser",
            "from rest_framework.request import Request",
            "from rest_framework.response import Response",
            "from async_viewsets import ActionConfig, AsyncModelViewSet, action",
            "from benchapp.models import *  # noqa",
            "from benchapp.serializers import *  # noqa",
            "",
        ]
        for i in range(per_module):
            n = mod * per_module + i
            m = n % MODELS
            bare = n % 5 == 0
            base = (
                "AsyncModelViewSet"
                if bare
                else (f"AsyncModelViewSet[Model{m}, Model{m}DetailSerializer]")
            )
            lines.append(
                f"class ViewSet{n}({base}):\n"
                f"    queryset = Model{m}.objects.all()\n"
                f"    serializer_class = Model{m}DetailSerializer\n"
                f"    action_configs = {{\n"
                f'        "list": ActionConfig(\n'
                f"            queryset=lambda view: Model{m}.objects.filter(count__gt=0),\n"
                f"            serializer_class=Model{m}ListSerializer,\n"
                f"        ),\n"
                f'        "retrieve": ActionConfig(queryset=lambda view: Model{m}.objects.all()),\n'
                f'        "destroy": ActionConfig(queryset=Model{m}.objects.filter(count=0),\n'
                f"                                permission_classes=[IsAdminUser]),\n"
                f'        "archive": ActionConfig(serializer_class=Model{m}ListSerializer),\n'
                f"    }}\n\n"
                f'    @action(detail=True, methods=["post"])\n'
                f"    async def archive(self, request: Request, pk: str) -> Response:\n"
                f"        return Response()\n"
            )
        (app / f"views{mod}.py").write_text("\n".join(lines))


def run_mypy(root: Path, config: str) -> tuple[float, float]:
    """One mypy run: (wall seconds, CPU seconds of the child process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYPY")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [
            str(BIN / "mypy"),
            "--config-file",
            config,
            "--cache-dir",
            f".cache-{Path(config).stem}",
            "benchapp",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"mypy failed ({config}):\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def touch_views(root: Path, token: int) -> None:
    for path in sorted((root / "benchapp").glob("views*.py")):
        text = path.read_text().rsplit("\n# edit", 1)[0]
        path.write_text(f"{text}\n# edit {token}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--viewsets", type=int, default=200)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="avs-mypy-bench-"))
    try:
        generate(root, args.viewsets)
        configs = {
            "baseline": "mypy_django_plugin.main, mypy_drf_plugin.main",
            "plugin": "mypy_django_plugin.main, mypy_drf_plugin.main, async_viewsets_mypy.main",
        }
        for name, plugins in configs.items():
            (root / f"{name}.ini").write_text(MYPY_INI.format(plugins=plugins))
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for run in range(args.runs):
            # Interleaved, and alternating which configuration goes first.
            order = list(configs) if run % 2 == 0 else list(reversed(configs))
            for name in order:
                shutil.rmtree(root / f".cache-{name}", ignore_errors=True)
                results.setdefault(("cold", name), []).append(run_mypy(root, f"{name}.ini"))
                results.setdefault(("warm", name), []).append(run_mypy(root, f"{name}.ini"))
            touch_views(root, run)
            for name in order:
                results.setdefault(("recheck", name), []).append(run_mypy(root, f"{name}.ini"))
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)

        print(f"{args.viewsets} viewsets, {args.runs} interleaved runs, medians")
        print(
            f"{'scenario':<10}{'baseline wall/cpu':>20}{'plugin wall/cpu':>20}"
            f"{'cpu ratio':>11}{'paired':>9}"
        )
        for scenario in ("cold", "warm", "recheck"):
            base = results[(scenario, "baseline")]
            plug = results[(scenario, "plugin")]
            bw, bc = statistics.median(w for w, _ in base), statistics.median(c for _, c in base)
            pw, pc = statistics.median(w for w, _ in plug), statistics.median(c for _, c in plug)
            paired = statistics.median(p[1] / b[1] for b, p in zip(base, plug, strict=True))
            print(
                f"{scenario:<10}{bw:>9.2f}s /{bc:>6.2f}s{pw:>11.2f}s /{pc:>6.2f}s"
                f"{pc / bc:>10.3f}{paired:>9.3f}"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
