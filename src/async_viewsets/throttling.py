"""Async rate throttles whose counts stay exact under concurrency.

DRF's ``SimpleRateThrottle`` reads a client's request history from the cache, appends to it and
writes it back. Two concurrent requests of one client read the same history, and both pass:
with N allowed per minute, a burst of parallel requests gets more than N through. The throttles
here count with atomic cache operations instead:

* the first request of a client opens a *window*: ``cache.add(key, 0, timeout=duration)``
  (atomic "set if absent") and records the window's start time;
* every request counts itself with ``cache.incr(key)`` (atomic on Redis, memcached and LocMem)
  and is allowed when the count it gets back is at most N.

So exactly N requests of a window pass, however many arrive at once, and the window closes
``duration`` seconds after it opened. This is a fixed window per client rather than DRF's
sliding log: at most N per window, and a client that used its N at the end of one window may
use N more at the start of the next. A refused request gets DRF's 429 response, with
``Retry-After`` set to the seconds until its window closes. Use a cache whose ``incr`` is atomic
(the database and file caches are not).

Rates, scopes, ``THROTTLE_RATES``, ``cache``, ``timer``, ``cache_format`` and
``get_cache_key`` are DRF's. ``AsyncAnonRateThrottle``, ``AsyncUserRateThrottle`` and
``AsyncScopedRateThrottle`` identify clients as DRF's classes do.

``allow_request`` and ``aallow_request`` run one implementation (see
:mod:`async_viewsets._twins`). ``aallow_request`` uses Django's async cache API, except for
``incr``: Django's default ``aincr`` is a ``get`` followed by a ``set`` (not atomic, and it
resets the key's timeout), so unless the cache backend provides its own ``aincr``, the atomic
sync ``incr`` runs in a thread. Inside an async view the sync method runs in the flow's worker
thread (``prefer_sync_in_worker = True``), which costs no extra hop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from asgiref.sync import sync_to_async
from django.core.cache.backends.base import BaseCache
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from async_viewsets._twins import IO, Twin, arun, run

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

__all__ = [
    "AsyncAnonRateThrottle",
    "AsyncScopedRateThrottle",
    "AsyncSimpleRateThrottle",
    "AsyncUserRateThrottle",
]

_ATTEMPTS = 3


async def _aincr(cache: Any, key: str) -> int:
    """``cache.aincr(key)`` when the backend implements it, else its atomic ``incr`` in a thread."""
    if getattr(cache.aincr, "__func__", None) is BaseCache.aincr:
        return await sync_to_async(cache.incr, thread_sensitive=False)(key)  # type: ignore[no-any-return]
    return await cache.aincr(key)  # type: ignore[no-any-return]


class AsyncSimpleRateThrottle(SimpleRateThrottle):
    """DRF's ``SimpleRateThrottle`` with atomic counting and ``aallow_request``.

    Subclasses implement ``get_cache_key(request, view)`` as for DRF.
    """

    prefer_sync_in_worker: ClassVar[bool] = True

    hits: int | None = None
    """The count this request got in its window (``None`` when it was not counted)."""

    window_started: float | None = None
    """When the refused request's window opened (``timer()`` seconds), if known."""

    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: APIView) -> bool:
        """Count this request; ``False`` when its client is over the rate."""
        return run(self.allow_request_twin(request, view))

    async def aallow_request(self, request: Request, view: APIView) -> bool:
        """Async twin of :meth:`allow_request`."""
        return await arun(self.allow_request_twin(request, view))

    def allow_request_twin(self, request: Request, view: APIView) -> Twin[bool]:
        """The throttle's logic, yielding its cache operations."""
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.hits = yield from self._count()
        if self.hits is None or self.hits <= self.num_requests:
            return self.throttle_success()
        started_key = self._started_key()
        self.window_started = yield IO(
            lambda: self.cache.get(started_key), lambda: self.cache.aget(started_key)
        )
        return self.throttle_failure()

    def _count_key(self) -> str:
        return f"{self.key}:hits"

    def _started_key(self) -> str:
        return f"{self.key}:started"

    def _count(self) -> Twin[int | None]:
        """Count this request in its client's window, opening the window if there is none.

        ``None`` when the cache keeps no counts (its ``incr`` keeps failing, as ``DummyCache``).
        """
        cache, key, duration = self.cache, self._count_key(), self.duration
        for _ in range(_ATTEMPTS):
            try:
                hits: int = yield IO(lambda: cache.incr(key), lambda: _aincr(cache, key))
            except ValueError:  # no window yet, or it closed since: open one
                opened = yield IO(
                    lambda: cache.add(key, 0, duration), lambda: cache.aadd(key, 0, duration)
                )
                if opened:
                    yield self._record_start()
                continue
            if hits == 1:
                # The window's first request. Also repairs the rare key that Redis recreated
                # without a timeout when it expired between incr's existence check and INCR.
                yield IO(lambda: cache.touch(key, duration), lambda: cache.atouch(key, duration))
            return hits
        return None

    def _record_start(self) -> IO[None]:
        cache, key, now, duration = self.cache, self._started_key(), self.now, self.duration
        return IO(lambda: cache.set(key, now, duration), lambda: cache.aset(key, now, duration))

    def throttle_success(self) -> bool:
        return True

    def throttle_failure(self) -> bool:
        return False

    def wait(self) -> float | None:
        """Seconds until the refused request's window closes (``Retry-After``)."""
        if self.window_started is None:
            return float(self.duration)
        # Another request may have opened the window after this one read the clock.
        remaining = self.duration - max(self.now - self.window_started, 0.0)
        return max(float(remaining), 0.0)


class AsyncAnonRateThrottle(AsyncSimpleRateThrottle, AnonRateThrottle):
    """DRF's ``AnonRateThrottle``: anonymous clients by IP, scope ``"anon"``."""


class AsyncUserRateThrottle(AsyncSimpleRateThrottle, UserRateThrottle):
    """DRF's ``UserRateThrottle``: users by id, anonymous clients by IP, scope ``"user"``."""


class AsyncScopedRateThrottle(AsyncSimpleRateThrottle, ScopedRateThrottle):
    """DRF's ``ScopedRateThrottle``: the rate of the view's ``throttle_scope``."""

    def allow_request_twin(self, request: Request, view: APIView) -> Twin[bool]:
        # As DRF: the scope, and so the rate, is known only once the view calls.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)  # type: ignore[assignment]
        return (yield from super().allow_request_twin(request, view))
