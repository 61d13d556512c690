"""Sync/async twins of one algorithm: a generator of I/O requests, and two drivers.

The paginators, throttles and authenticators of this package each offer a sync method (what
DRF calls, and what a flow runs in its worker thread) and an async twin (for callers on the
event loop). Their logic is written once, as a generator that ``yield``\\ s an :class:`IO`
wherever it needs the outside world (count rows, fetch a slice, touch the cache)::

    def _window(self, queryset):
        total = yield count(queryset)
        rows = yield fetch(queryset[:10])
        return total, rows

An :class:`IO` carries both ways of doing its work; :func:`run` performs the sync one and
:func:`arun` awaits the async one, sending the result (or throwing the exception) back into
the generator. This is the "one generator, two drivers" pattern (httpx's auth flows), and it
is different from :mod:`async_viewsets._flow`, whose generators yield awaitables for the view's
hooks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

from asgiref.sync import sync_to_async
from django.db.models import QuerySet

from async_viewsets._flow import drive

__all__ = ["IO", "Twin", "arun", "count", "fetch", "in_thread", "run", "value"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class IO(Generic[_T]):
    """One unit of I/O, as a sync call and an async call that do the same work."""

    call: Callable[[], _T]
    acall: Callable[[], Awaitable[_T]]


Twin: TypeAlias = Generator[IO[Any], Any, _T]
"""A generator that yields :class:`IO` requests and returns ``_T``."""


def run(twin: Twin[_T]) -> _T:
    """Drive ``twin`` synchronously (in the caller's thread)."""
    return drive(twin, lambda io: io.call())


async def arun(twin: Twin[_T]) -> _T:
    """Drive ``twin`` on the event loop, awaiting each request's async call."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            io = twin.send(value) if error is None else twin.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        try:
            value, error = await io.acall(), None
        except Exception as exc:
            value, error = None, exc


def in_thread(func: Callable[[], _T]) -> IO[_T]:
    """An :class:`IO` whose async call runs ``func`` in a worker thread (for sync-only APIs)."""
    return IO(func, sync_to_async(func, thread_sensitive=True))


def value(result: _T) -> IO[_T]:
    """An :class:`IO` that needs no I/O: both calls return ``result``."""

    async def aresult() -> _T:
        return result

    return IO(lambda: result, aresult)


def count(rows: Iterable[Any]) -> IO[int]:
    """The number of rows: ``COUNT(*)`` for a QuerySet (``count()``/``acount()``), else ``len``.

    As DRF's ``LimitOffsetPagination.get_count``: another object with a ``count()`` method that
    takes no arguments is asked for it (in a worker thread on the loop, as it may query).
    """
    if isinstance(rows, QuerySet):
        # pyright narrows ``rows`` to ``QuerySet[Unknown, ...]``: isinstance() knows no model.
        queryset: QuerySet[Any, Any] = rows  # pyright: ignore[reportUnknownVariableType]
        return IO(queryset.count, queryset.acount)
    if isinstance(rows, (list, tuple)):
        return value(len(rows))
    return in_thread(lambda: _count_rows(rows))


def _count_rows(rows: Any) -> int:
    try:
        return int(rows.count())
    except (AttributeError, TypeError):
        return len(rows)


def fetch(rows: Iterable[_T]) -> IO[list[_T]]:
    """Evaluate ``rows`` into a list: one query for a QuerySet (``async for`` on the loop)."""
    if isinstance(rows, QuerySet):
        # pyright narrows ``rows`` to ``QuerySet[Unknown, ...]``: isinstance() knows no model.
        queryset: QuerySet[Any, Any] = rows  # pyright: ignore[reportUnknownVariableType]

        async def afetch() -> list[Any]:
            return [row async for row in queryset]

        return IO(lambda: list(queryset), afetch)
    if isinstance(rows, (list, tuple)):
        return value(list(rows))
    return in_thread(lambda: list(rows))
