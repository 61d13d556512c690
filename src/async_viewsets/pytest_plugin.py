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
your own. It is not registered automatically: importing the package imports DRF, which reads
Django's settings, and pytest loads auto-registered plugins before pytest-django configures them.
The fixtures import :mod:`async_viewsets.test` only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from async_viewsets.test import AsyncAPIClient, AsyncAPIRequestFactory, HopCounter

__all__ = ["async_api_client", "async_api_request_factory", "max_hops", "no_orm_on_event_loop"]


@pytest.fixture
def async_api_client() -> AsyncAPIClient:
    """A fresh :class:`~async_viewsets.test.AsyncAPIClient`."""
    from async_viewsets.test import AsyncAPIClient

    return AsyncAPIClient()


@pytest.fixture
def async_api_request_factory() -> AsyncAPIRequestFactory:
    """A fresh :class:`~async_viewsets.test.AsyncAPIRequestFactory`."""
    from async_viewsets.test import AsyncAPIRequestFactory

    return AsyncAPIRequestFactory()


@pytest.fixture
def max_hops() -> Callable[[int], AbstractContextManager[HopCounter]]:
    """:func:`~async_viewsets.test.assert_max_hops`."""
    from async_viewsets.test import assert_max_hops

    return assert_max_hops


@pytest.fixture
def no_orm_on_event_loop() -> Iterator[list[Any]]:
    """Fail the test if it touched the ORM from the event loop (even if the error was caught)."""
    from async_viewsets.test import assert_no_orm_on_event_loop

    with assert_no_orm_on_event_loop() as reports:
        yield reports
