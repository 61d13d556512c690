"""Flows: one implementation of a request's steps, run with as few thread hops as possible.

Django's ORM, DRF's serializers and most DRF components are synchronous; the event loop must
never run them. Async hooks (``aauthenticate``, ``ahas_permission``, ``aperform_create`` ...)
must run on the loop. A naive async view pays one ``sync_to_async`` hop for every sync step.

A *flow* is a generator that contains the plain synchronous code of a request (DRF's own
logic) and ``yield``\\ s an awaitable wherever an async hook must run::

    def _retrieve_flow(self):
        instance = yield from self._get_object_flow()     # may yield aget_object() etc.
        return Response(self.get_response_serializer(instance).data)

:func:`run_flow` advances the generator **in a worker thread** (``sync_to_async`` with
``thread_sensitive=True``) until it yields an awaitable, awaits that on the event loop, and
goes back to the thread to resume it. Consecutive sync steps therefore share one hop, a flow
without async hooks costs exactly one hop, and each awaited hook adds one return trip. All
resumptions of a request's flows happen in the same thread (Django's per-request
thread-sensitive executor), so a ``transaction.atomic()`` block may span an awaited hook: the
hook's own ORM calls run on that same thread and connection.

If the awaiting task is cancelled (the client went away), the generator is closed in its
thread, so ``with transaction.atomic()`` blocks roll back on the connection that opened them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any, Final, TypeAlias, TypeVar

from asgiref.sync import async_to_sync, sync_to_async

__all__ = ["Flow", "drive", "drive_sync", "run_flow"]

_T = TypeVar("_T")
_Y = TypeVar("_Y")

Flow: TypeAlias = Generator[Awaitable[Any], Any, _T]
"""A generator that yields awaitables and returns ``_T``; see the module docstring."""

_DONE: Final = object()


def _advance(
    flow: Flow[Any], value: Any, error: BaseException | None, yielded: list[Any]
) -> tuple[object, Any]:
    """Run ``flow`` in the current (worker) thread up to its next awaitable or its end.

    The awaitable is also put in ``yielded``, so that a driver whose hop was cancelled can
    still close it (a coroutine object that is never awaited nor closed warns)."""
    try:
        step = flow.send(value) if error is None else flow.throw(error)
    except StopIteration as stop:
        return _DONE, stop.value
    yielded.append(step)
    return step, None


def _close(flow: Flow[Any], yielded: list[Any]) -> None:
    """Unwind ``flow`` (its ``finally`` and ``with`` blocks run) and drop unawaited steps."""
    flow.close()
    for step in yielded:
        close = getattr(step, "close", None)
        if close is not None:
            close()


async def run_flow(flow: Flow[_T]) -> _T:
    """Drive ``flow``: sync parts in one worker thread, yielded awaitables on the loop."""
    advance = sync_to_async(_advance, thread_sensitive=True)
    value: Any = None
    error: BaseException | None = None
    yielded: list[Any] = []
    while True:
        try:
            step, result = await advance(flow, value, error, yielded)
        except asyncio.CancelledError:
            # The hop goes on in its thread; the single-thread executor runs _close after it.
            await sync_to_async(_close, thread_sensitive=True)(flow, yielded)
            raise
        if step is _DONE:
            return result  # type: ignore[no-any-return]
        yielded.clear()
        try:
            value, error = await step, None  # type: ignore[misc]
        except asyncio.CancelledError:
            await sync_to_async(_close, thread_sensitive=True)(flow, yielded)
            raise
        except Exception as exc:
            value, error = None, exc


async def _await(step: Awaitable[_T]) -> _T:
    return await step


def drive(generator: Generator[_Y, Any, _T], perform: Callable[[_Y], Any]) -> _T:
    """Run ``generator`` to its end in the current thread, sending back ``perform(step)`` for
    each step it yields (or throwing the exception ``perform`` raised into it).

    The one sync driver of this package's generators: :func:`drive_sync` performs awaitables
    with ``async_to_sync``, :func:`async_viewsets._twins.run` performs I/O requests directly.
    """
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = generator.send(value) if error is None else generator.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        try:
            value, error = perform(step), None
        except Exception as exc:
            value, error = None, exc


def drive_sync(flow: Flow[_T]) -> _T:
    """Drive ``flow`` from sync code (a sync hook of an async view, or a sync caller).

    Yielded awaitables are run with ``async_to_sync``. The async views never take this path for
    their own steps; it exists so that a sync entry point (``get_object()`` called by DRF's
    ``SimpleMetadata``, a user's sync override calling ``super()``) still honours async hooks
    instead of silently skipping them.
    """
    return drive(flow, async_to_sync(_await))
