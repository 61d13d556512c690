"""The flow driver: where each part runs, and what happens when the request is cancelled."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import warnings
from typing import Any

import pytest

from async_viewsets._flow import Flow, drive_sync, run_flow


async def _value(value: Any) -> Any:
    await asyncio.sleep(0)
    return value


async def test_sync_parts_run_in_one_worker_thread_and_awaitables_on_the_loop() -> None:
    """All sync parts share one thread (not the loop's); yielded awaitables run on the loop."""
    loop_thread = threading.get_ident()
    seen: list[int] = []

    def flow() -> Flow[int]:
        seen.append(threading.get_ident())
        first: int = yield _value(1)
        seen.append(threading.get_ident())
        second: int = yield _value(2)
        seen.append(threading.get_ident())
        return first + second

    assert await run_flow(flow()) == 3
    assert len(set(seen)) == 1
    assert seen[0] != loop_thread


async def test_exceptions_from_awaitables_are_thrown_into_the_flow() -> None:
    """An exception of an awaited step reaches the flow, which may handle it."""

    async def fail() -> None:
        raise ValueError("from the loop")

    def flow() -> Flow[str]:
        try:
            yield fail()
        except ValueError as exc:
            return f"handled {exc}"
        return "not reached"

    assert await run_flow(flow()) == "handled from the loop"


def test_drive_sync_awaits_steps_from_sync_code() -> None:
    """The sync driver runs the same flow from plain sync code."""

    def flow() -> Flow[int]:
        value: int = yield _value(40)
        return value + 2

    assert drive_sync(flow()) == 42


async def test_cancelling_during_a_hop_unwinds_the_flow_in_its_thread() -> None:
    """A request cancelled (client gone) while its flow runs: the flow is closed in the worker
    thread once the hop ends, its ``finally`` runs there, and the step it had yielded is closed
    instead of being left un-awaited."""
    events: list[str] = []
    started = threading.Event()
    thread_ids: set[int] = set()

    def flow() -> Flow[None]:
        thread_ids.add(threading.get_ident())
        try:
            started.set()
            time.sleep(0.2)  # a slow query, say
            yield _value("never awaited")
            events.append("resumed")
        finally:
            thread_ids.add(threading.get_ident())
            events.append("closed")

    task = asyncio.ensure_future(run_flow(flow()))
    await asyncio.to_thread(started.wait)  # the flow is inside its hop now
    task.cancel()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(asyncio.CancelledError):
            await task
        gc.collect()
    assert events == ["closed"]
    assert len(thread_ids) == 1
    assert not [w for w in caught if "never awaited" in str(w.message)]
