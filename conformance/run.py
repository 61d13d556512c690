"""Run DRF's own test modules against this package's views and print a per-module report.

Usage (from the repository root)::

    python -m conformance                      # all variants, each with its default modules
    python -m conformance --variant async      # DRF's classes replaced by the Async* classes
    python -m conformance --variant serializers  # ModelSerializer replaced by FastModelSerializer
    python -m conformance --modules test_generics.py --keep

Steps: find the installed DRF version; ``pip download --no-binary :all: --no-deps`` its sdist
(or reuse one from ``--cache-dir``); unpack only its ``tests/`` package into a temporary
directory (DRF's code is never copied into this repository); run pytest there with
:mod:`conformance.plugin`, once per variant; print passed / failed / excluded / skipped per
module. The exit status is non-zero when a test failed, when an exclusion no longer fails
(stale) or when an exclusion names a test that does not exist.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_MODULES = (
    "test_generics.py",
    "test_viewsets.py",
    "test_routers.py",
    "test_pagination.py",
    "test_permissions.py",
    "test_throttling.py",
    "authentication/test_authentication.py",
    "test_filters.py",
    "test_atomic_requests.py",
    "test_views.py",
    "test_decorators.py",
    "test_metadata.py",
    "test_request.py",
    "test_response.py",
    "test_prefetch_related.py",
    "test_versioning.py",
    "test_negotiation.py",
)
"""DRF test modules that exercise views, viewsets, generics, mixins and policies."""

SERIALIZER_MODULES = (
    "test_model_serializer.py",
    "test_serializer.py",
    "test_serializer_lists.py",
    "test_serializer_nested.py",
    "test_serializer_bulk_update.py",
    "test_relations_pk.py",
    "test_relations_slug.py",
    "test_relations_hyperlink.py",
    "test_validators.py",
    "test_one_to_one_with_inheritance.py",
    "test_multitable_inheritance.py",
    "test_prefetch_related.py",
    "test_lazy_hyperlinks.py",
    "test_write_only_fields.py",
    "test_validation.py",
    "test_bound_fields.py",
    "generic_relations/test_generic_relations.py",
)
"""DRF test modules that exercise ``ModelSerializer`` (the ``serializers`` variant)."""

VARIANT_SETS = {
    "all": ("async", "sync", "serializers"),
    "both": ("async", "sync"),
}
"""``--variant`` values that name several variants."""


def default_modules(variant: str) -> list[str]:
    return list(SERIALIZER_MODULES if variant == "serializers" else DEFAULT_MODULES)


OUTCOMES = ("passed", "failed", "excluded", "skipped", "stale-exclusion")


def fetch_sdist(drf_version: str, cache_dir: Path | None) -> Path:
    """The sdist of ``djangorestframework==drf_version``, downloaded with pip unless cached."""
    name = f"djangorestframework-{drf_version}.tar.gz"
    target = cache_dir or Path(tempfile.mkdtemp(prefix="drf-sdist-"))
    target.mkdir(parents=True, exist_ok=True)
    if not (target / name).exists():
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
            "--no-deps", "--dest", str(target), f"djangorestframework=={drf_version}",
        ]  # fmt: skip
        subprocess.run(command, check=True)
    return target / name


def unpack_tests(sdist: Path, workdir: Path) -> Path:
    """Extract the sdist's ``tests/`` package (nothing else) into ``workdir``."""
    with tarfile.open(sdist) as archive:
        members = []
        for member in archive.getmembers():
            _, _, inner = member.name.partition("/")
            if inner.startswith("tests/") and (member.isfile() or member.isdir()):
                member.name = inner
                members.append(member)
        if hasattr(tarfile, "data_filter"):
            archive.extractall(workdir, members=members, filter="data")
        else:  # pragma: no cover - Python without extraction filters
            archive.extractall(workdir, members=members)
    (workdir / "pytest.ini").write_text("[pytest]\n")  # anchors rootdir; options come from argv
    return workdir


def run_variant(
    workdir: Path, variant: str, modules: list[str], extra: list[str], tag: str = ""
) -> tuple[dict[str, Any], float]:
    """Run pytest on ``modules`` for ``variant``; return the plugin's report and seconds taken."""
    report_path = workdir / f"report-{variant}{tag}.json"
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(workdir), str(REPO_ROOT)])
    command = [
        sys.executable, "-m", "pytest", "-p", "conformance.plugin", "--noconftest",
        "--no-migrations", "-p", "no:cacheprovider", "-q", "--tb=short", "-rfE",
        f"--rootdir={workdir}", "-c", str(workdir / "pytest.ini"),
        f"--conformance-variant={variant}", f"--conformance-report={report_path}",
        *extra, *[f"tests/{module}" for module in modules],
    ]  # fmt: skip
    started = time.monotonic()
    completed = subprocess.run(command, cwd=workdir, env=env, check=False)
    elapsed = time.monotonic() - started
    if not report_path.exists():
        raise SystemExit(f"conformance: pytest wrote no report for variant {variant!r}")
    report: dict[str, Any] = json.loads(report_path.read_text())
    report["returncode"] = completed.returncode
    return report, elapsed


def summarize(report: dict[str, Any]) -> dict[str, Counter[str]]:
    """Outcome counts per test module."""
    per_module: dict[str, Counter[str]] = {}
    for node_id, entry in report["tests"].items():
        module = node_id.split("::", 1)[0].removeprefix("tests/")
        per_module.setdefault(module, Counter())[entry["outcome"]] += 1
    return per_module


def format_table(variant: str, per_module: dict[str, Counter[str]], seconds: float) -> str:
    """A plain-text table of ``per_module`` with a total row."""
    header = f"{'module (' + variant + ')':<42}" + "".join(f"{o:>17}" for o in OUTCOMES)
    lines = [header, "-" * len(header)]
    total: Counter[str] = Counter()
    for module in sorted(per_module):
        counts = per_module[module]
        total.update(counts)
        lines.append(f"{module:<42}" + "".join(f"{counts[o]:>17}" for o in OUTCOMES))
    lines.append("-" * len(header))
    lines.append(f"{'total':<42}" + "".join(f"{total[o]:>17}" for o in OUTCOMES))
    lines.append(f"({seconds:.1f} s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument(
        "--variant",
        choices=("async", "sync", "serializers", "both", "all", "none"),
        default="all",
        help="all: async, sync and serializers; both: async and sync",
    )
    parser.add_argument("--modules", nargs="+", default=None, help="default: per variant")
    parser.add_argument("--cache-dir", type=Path, default=None, help="keep the sdist here")
    parser.add_argument("--keep", action="store_true", help="keep the unpacked tests")
    parser.add_argument("--json", type=Path, default=None, help="write the summary as JSON")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)

    drf_version = version("djangorestframework")
    sdist = fetch_sdist(drf_version, args.cache_dir)
    workdir = Path(tempfile.mkdtemp(prefix="drf-conformance-"))
    variants = list(VARIANT_SETS.get(args.variant, (args.variant,)))
    status = 0
    summary: dict[str, Any] = {"drf_version": drf_version, "variants": {}}
    try:
        unpack_tests(sdist, workdir)
        for variant in variants:
            modules = args.modules or default_modules(variant)
            report, seconds = run_variant(workdir, variant, modules, args.pytest_args)
            per_module = summarize(report)
            print(f"\nDRF {drf_version} conformance, variant {variant!r}")
            print(format_table(variant, per_module, seconds))
            census = report["view_classes"]
            print(
                f"module-level view classes in DRF's tests: {census['defined']}, built on this "
                f"package: {census['ours']} (async: {census['async']}); exempt from the as_view() "
                f"check of routed actions: {len(report['exempt_classes'])}"
            )
            classes = report["serializer_classes"]
            print(
                f"model serializer classes created by DRF's tests: {classes['model']}, "
                f"with the fast paths: {classes['fast']}"
            )
            summary["variants"][variant] = {
                "seconds": round(seconds, 1),
                "view_classes": report["view_classes"],
                "serializer_classes": report["serializer_classes"],
                "exempt_classes": report["exempt_classes"],
                "modules": {module: dict(counts) for module, counts in per_module.items()},
                "failed": sorted(n for n, e in report["tests"].items() if e["outcome"] == "failed"),
                "stale_exclusions": sorted(
                    n for n, e in report["tests"].items() if e["outcome"] == "stale-exclusion"
                ),
            }
            atomic_ids = sorted(
                n for n, e in report["tests"].items()
                if e["outcome"] == "excluded" and e.get("reason", "").startswith("atomic_writes:")
            )  # fmt: skip
            if atomic_ids:
                # The same tests with atomic_writes = False: they must pass.
                rerun, _ = run_variant(
                    workdir, variant, [], [*args.pytest_args, "--conformance-atomic-writes=off",
                                           *atomic_ids], tag="-nonatomic",
                )  # fmt: skip
                passed = sorted(n for n, e in rerun["tests"].items() if e["outcome"] == "passed")
                print(
                    f"'atomic_writes:' exclusions re-run with atomic_writes = False: "
                    f"{len(passed)} of {len(atomic_ids)} passed"
                )
                summary["variants"][variant]["atomic_writes_rerun"] = {
                    "ran": len(atomic_ids), "passed": len(passed),
                }  # fmt: skip
                if len(passed) != len(atomic_ids) or rerun["returncode"] != 0:
                    status = 1
            bad = (
                summary["variants"][variant]["failed"]
                or summary["variants"][variant]["stale_exclusions"]
            )
            # Exclusions for modules that were not selected are not "unknown".
            unknown = [
                n for n in report["unknown_exclusions"]
                if n.split("::", 1)[0].removeprefix("tests/") in args.modules
            ]  # fmt: skip
            for node_id in unknown:
                print(f"conformance: exclusion names no collected test: {node_id}")
            if report["returncode"] != 0:
                print(f"conformance: pytest exited with {report['returncode']} ({variant})")
            if bad or unknown or report["returncode"] != 0:
                status = 1
        if args.json:
            args.json.write_text(json.dumps(summary, indent=1, sort_keys=True))
    finally:
        if args.keep:
            print(f"conformance: DRF's tests kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
