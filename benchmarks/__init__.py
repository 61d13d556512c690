"""Benchmarks: drf-async-viewsets against DRF, a raw async Django view and the async peers.

Run everything with one command from the repository root::

    python -m benchmarks          # full run: benchmarks/results/<date>-<label>.{json,md,png}
    python -m benchmarks --quick  # a smoke run (few rounds, short load phases)

The package is a self-contained Django project (``benchmarks.settings``, the ``bookstore`` app)
on a seeded SQLite file in a temporary directory. Every contender serves the same resource: a
``Book`` with a foreign key to ``Author``, serialized with the author's name (a related field)
and paginated 20 to a page. See ``docs/performance.md`` for the method and the latest results.

Modules: :mod:`benchmarks.contenders` (the views), :mod:`benchmarks.harness` (in-process ASGI
driver, CPU time, thread hops and queries), :mod:`benchmarks.load` (uvicorn + load generator),
:mod:`benchmarks.report` (JSON, markdown, plot) and :mod:`benchmarks.run` (the command).
Nothing here asserts on time: results are ratios measured side by side in one run.
"""
