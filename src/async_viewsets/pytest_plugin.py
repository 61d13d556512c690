"""pytest fixtures for testing async DRF views (see :mod:`async_viewsets.test`).

Enable it in a ``conftest.py`` with ``pytest_plugins = ["async_viewsets.pytest_plugin"]``:

* ``async_api_client``: an :class:`~async_viewsets.test.AsyncAPIClient`;
* ``async_api_request_factory``: an :class:`~async_viewsets.test.AsyncAPIRequestFactory`;
* ``max_hops``: :func:`~async_viewsets.test.assert_max_hops`, as
  ``with max_hops(2): await client.get(...)``;
* ``no_orm_on_event_loop``: runs the whole test inside
  :func:`~async_viewsets.test.assert_no_orm_on_event_loop`; use it on a module with
  ``pytestmark = pytest.mark.usefixtures("no_orm_on_event_loop")``.

The plugin does not run ``async def`` tests itself; use pytest-asyncio, anyio, or a runner of
your own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from async_viewsets.test import (
    AsyncAPIClient,
    AsyncAPIRequestFactory,
    HopCounter,
    assert_max_hops,
    assert_no_orm_on_event_loop,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

__all__ = ["async_api_client", "async_api_request_factory", "max_hops", "no_orm_on_event_loop"]


@pytest.fixture
def async_api_client() -> AsyncAPIClient:
    """A fresh :class:`~async_viewsets.test.AsyncAPIClient`."""
    return AsyncAPIClient()


@pytest.fixture
def async_api_request_factory() -> AsyncAPIRequestFactory:
    """A fresh :class:`~async_viewsets.test.AsyncAPIRequestFactory`."""
    return AsyncAPIRequestFactory()


@pytest.fixture
def max_hops() -> Callable[[int], AbstractContextManager[HopCounter]]:
    """:func:`~async_viewsets.test.assert_max_hops`."""
    return assert_max_hops


@pytest.fixture
def no_orm_on_event_loop() -> Iterator[list[Any]]:
    """Fail the test if it touched the ORM from the event loop (even if the error was caught)."""
    with assert_no_orm_on_event_loop() as reports:
        yield reports
