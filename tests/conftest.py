"""Test-suite plumbing.

* ``async def`` tests run through ``async_to_sync``, as Django's own ``TestCase`` runs them: the
  event loop gets its own thread and thread-sensitive ``sync_to_async`` work (the views' worker
  hops, Django's async ORM) runs back on the test's thread, inside the test's transaction. So
  the ordinary ``db`` fixture rolls every test back, and a test that touches the ORM on the
  event loop fails with Django's ``SynchronousOnlyOperation``.
* ``hops`` counts ``sync_to_async`` calls (thread hops) made inside a block.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from asgiref.sync import SyncToAsync, async_to_sync
from django.contrib.auth.models import User
from django.test import AsyncClient


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    async_to_sync(pyfuncitem.obj)(**kwargs)
    return True


class HopCount:
    """The number of ``sync_to_async`` calls made while a ``count()`` block ran."""

    def __init__(self) -> None:
        self.value = 0


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Callable[[], Any]:
    """``with hops() as n: ...`` then ``n.value`` is the number of thread hops in the block."""
    original = SyncToAsync.__call__
    active: list[HopCount] = []

    async def counting_call(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        for count in active:
            count.value += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counting_call)

    @contextmanager
    def count() -> Iterator[HopCount]:
        counter = HopCount()
        active.append(counter)
        try:
            yield counter
        finally:
            active.remove(counter)

    return count


@pytest.fixture
def aclient() -> AsyncClient:
    return AsyncClient()


@pytest.fixture
def user(db: None) -> User:
    return User.objects.create_user("alice", password="pw")


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.create_superuser("root", password="pw")
