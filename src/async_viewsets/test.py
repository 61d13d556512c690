"""Test tools for async DRF views: an async ``APIClient``, a request factory, and two guards.

``AsyncAPIClient`` is Django's ``AsyncClient`` with DRF's ``APIClient`` ergonomics::

    client = AsyncAPIClient()
    client.force_authenticate(user)                 # or client.credentials(HTTP_AUTHORIZATION=...)
    response = await client.post("/books/", {"title": "Dune"}, format="json")
    assert response.status_code == 201 and response.data["title"] == "Dune"

Bodies are encoded as DRF's test client encodes them (``format=`` picks a renderer from
``TEST_REQUEST_RENDERER_CLASSES``, default ``TEST_REQUEST_DEFAULT_FORMAT``). Extra keyword
arguments and ``credentials()`` take DRF's WSGI-style names (``HTTP_AUTHORIZATION``,
``HTTP_X_FORWARDED_FOR``, ``REMOTE_ADDR``) and become ASGI headers and scope entries.
``await client.alogin(...)`` logs in (Django's ``login()`` is sync and would touch the ORM on
the event loop). ``AsyncAPIRequestFactory`` builds the same requests without sending them.

Two guards keep views fast:

* ``assert_max_hops(n)``: fails when the block makes more than ``n`` thread hops
  (``sync_to_async`` calls, which include Django's async ORM calls). A request to an async
  viewset with sync DRF components costs two (the view's flow and rendering); each awaited
  async component adds one.
* ``assert_no_orm_on_event_loop()``: fails when the block touches the database from the
  event loop's thread, even when the code catches Django's ``SynchronousOnlyOperation`` or runs
  with ``DJANGO_ALLOW_ASYNC_UNSAFE`` set.

Both are context managers; :mod:`async_viewsets.pytest_plugin` offers them as fixtures.
"""

from __future__ import annotations

import os
import threading
import traceback
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from asgiref.sync import SyncToAsync
from django.core.exceptions import SynchronousOnlyOperation
from django.test.client import AsyncClient, AsyncClientHandler, AsyncRequestFactory
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory, force_authenticate

if TYPE_CHECKING:
    from collections.abc import Generator, Mapping

    from django.core.handlers.asgi import ASGIRequest
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase
    from rest_framework.response import Response

__all__ = [
    "AsyncAPIClient",
    "AsyncAPIRequestFactory",
    "HopCounter",
    "assert_max_hops",
    "assert_no_orm_on_event_loop",
    "count_hops",
]


# --- requests ----------------------------------------------------------------------------------


def _asgi_headers(extra: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Split WSGI-style keyword arguments into HTTP headers and ASGI scope entries."""
    headers: dict[str, str] = {}
    scope: dict[str, Any] = {}
    for key, value in extra.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").title()] = str(value)
        elif key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
            headers[key.replace("_", "-").title()] = str(value)
        elif key == "REMOTE_ADDR":
            scope["client"] = [str(value), 0]
        else:
            headers[key] = str(value)  # Django's AsyncClient convention: already a header name
    return headers, scope


class _APIRequests(AsyncRequestFactory):
    """DRF's request encoding and WSGI-style names on Django's async request factory."""

    def __init__(self, enforce_csrf_checks: bool = False, **defaults: Any) -> None:
        self.enforce_csrf_checks = enforce_csrf_checks
        self.renderer_classes = {
            renderer.format: renderer for renderer in api_settings.TEST_REQUEST_RENDERER_CLASSES
        }
        self.default_format = api_settings.TEST_REQUEST_DEFAULT_FORMAT
        self._credentials: dict[str, Any] = {}
        self._next_scope: dict[str, Any] = {}
        super().__init__(**defaults)

    def _encode_body(
        self, data: Any, format: str | None, content_type: str | None
    ) -> tuple[bytes, str | None]:
        # DRF's own encoder (renderer by format, or raw bytes for an explicit content type).
        encode: Any = APIRequestFactory._encode_data  # type: ignore[attr-defined]
        return encode(self, data, format, content_type)  # type: ignore[no-any-return]

    def generic(  # type: ignore[override]
        self,
        method: str,
        path: str,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        wsgi_headers, scope = _asgi_headers({**self._credentials, **extra})
        all_headers = {**wsgi_headers, **(headers or {})}
        if content_type is not None and not data:
            # As DRF's factory: the content type is sent even without a body.
            all_headers.setdefault("Content-Type", str(content_type))
        self._next_scope = scope
        return super().generic(
            method,
            path,
            data,
            content_type or "application/octet-stream",
            secure,
            headers=all_headers,
            query_params=query_params,
        )

    def request(self, **request: Any) -> Any:
        scope, self._next_scope = self._next_scope, {}
        return super().request(**request, **scope)

    def _send(
        self,
        method: str,
        path: str,
        data: Any,
        format: str | None,
        content_type: str | None,
        extra: dict[str, Any],
    ) -> Any:
        body, content_type = self._encode_body(data, format, content_type)
        return self.generic(method, path, body, content_type, **extra)


class AsyncAPIRequestFactory(_APIRequests):
    """DRF's ``APIRequestFactory`` for ASGI requests (``ASGIRequest`` objects).

    Requests skip CSRF checks unless ``enforce_csrf_checks=True``, as DRF's factory.
    """

    def request(self, **request: Any) -> ASGIRequest:
        built: ASGIRequest = super().request(**request)
        built._dont_enforce_csrf_checks = not self.enforce_csrf_checks  # type: ignore[attr-defined]
        return built

    def post(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> ASGIRequest:
        return self._send("POST", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    def put(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> ASGIRequest:
        return self._send("PUT", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    def patch(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> ASGIRequest:
        return self._send("PATCH", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    def delete(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> ASGIRequest:
        return self._send("DELETE", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    def options(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> ASGIRequest:
        return self._send("OPTIONS", path, data, format, content_type, extra)  # type: ignore[no-any-return]


class _ForceAuthHandler(AsyncClientHandler):
    """Django's async test handler, marking requests with the forced user/token as DRF's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.force_user: Any = None
        self.force_token: Any = None
        super().__init__(*args, **kwargs)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        force_authenticate(request, self.force_user, self.force_token)
        return await super().get_response_async(request)


# django-stubs parametrize the factory base of AsyncRequestFactory (by the request) and of
# AsyncClient (by the response) differently; at runtime AsyncClient subclasses
# AsyncRequestFactory, and this class overrides every request method for both.
class AsyncAPIClient(_APIRequests, AsyncClient):  # pyright: ignore[reportGeneralTypeIssues, reportIncompatibleMethodOverride]
    """DRF's ``APIClient`` on Django's ``AsyncClient``; see the module docstring.

    Every request method is a coroutine; responses are DRF's ``Response`` (``.data``) or
    Django's response, with ``.json()``.
    """

    handler: _ForceAuthHandler

    def __init__(self, enforce_csrf_checks: bool = False, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=enforce_csrf_checks, **defaults)
        # Narrower than AsyncClient's ``handler`` on purpose (pyright: mutable, so invariant).
        self.handler = _ForceAuthHandler(enforce_csrf_checks)  # pyright: ignore[reportIncompatibleVariableOverride]

    def credentials(self, **kwargs: Any) -> None:
        """Send these WSGI-style headers with every request (replaces earlier credentials)."""
        self._credentials = kwargs

    def force_authenticate(self, user: Any = None, token: Any = None) -> None:
        """Authenticate every request as ``user``/``token``; ``force_authenticate()`` stops."""
        self.handler.force_user = user
        self.handler.force_token = token
        if user is None and token is None:
            self.cookies.clear()  # as DRF: also end a session login

    def logout(self) -> None:
        self._credentials = {}
        self.force_authenticate()
        super().logout()

    async def alogout(self) -> None:
        self._credentials = {}
        self.force_authenticate()
        await super().alogout()

    async def get(  # type: ignore[override]
        self, path: str, data: Any = None, follow: bool = False, **extra: Any
    ) -> Response:
        return await super().get(path, data=data, follow=follow, **extra)  # type: ignore[return-value]

    async def head(  # type: ignore[override]
        self, path: str, data: Any = None, follow: bool = False, **extra: Any
    ) -> Response:
        return await super().head(path, data=data, follow=follow, **extra)  # type: ignore[return-value]

    async def post(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Response:
        return await self._send("POST", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    async def put(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Response:
        return await self._send("PUT", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    async def patch(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Response:
        return await self._send("PATCH", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    async def delete(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Response:
        return await self._send("DELETE", path, data, format, content_type, extra)  # type: ignore[no-any-return]

    async def options(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        format: str | None = None,
        content_type: str | None = None,
        **extra: Any,
    ) -> Response:
        return await self._send("OPTIONS", path, data, format, content_type, extra)  # type: ignore[no-any-return]


# --- thread hops -------------------------------------------------------------------------------


class HopCounter:
    """The number of thread hops (``sync_to_async`` calls) made while its block ran."""

    def __init__(self) -> None:
        self.value = 0

    def __repr__(self) -> str:
        return f"<HopCounter {self.value}>"


_active: list[HopCounter] = []
_lock = threading.Lock()
_replaced: list[Any] = []  # the SyncToAsync.__call__ in place before counting started


async def _counting_call(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
    for counter in list(_active):
        counter.value += 1
    return await _replaced[0](self, *args, **kwargs)


@contextmanager
def count_hops() -> Generator[HopCounter, None, None]:
    """``with count_hops() as hops: ...``; then ``hops.value`` is the block's hop count.

    Counting wraps ``SyncToAsync.__call__`` while a block is open (and chains to whatever was
    there, so other counters keep counting).
    """
    counter = HopCounter()
    with _lock:
        if not _active:
            # The method of the unspecialised generic class: pyright reports its types unknown.
            _replaced[:] = [SyncToAsync.__call__]  # pyright: ignore[reportUnknownMemberType]
            SyncToAsync.__call__ = _counting_call  # type: ignore[method-assign]
        _active.append(counter)
    try:
        yield counter
    finally:
        with _lock:
            _active.remove(counter)
            if not _active:
                SyncToAsync.__call__ = _replaced.pop()  # type: ignore[method-assign]


@contextmanager
def assert_max_hops(limit: int) -> Generator[HopCounter, None, None]:
    """Fail (``AssertionError``) when the block makes more than ``limit`` thread hops."""
    with count_hops() as counter:
        yield counter
    if counter.value > limit:
        raise AssertionError(
            f"{counter.value} thread hops (sync_to_async calls), more than the {limit} allowed"
        )


# --- the ORM on the event loop -----------------------------------------------------------------

_ALLOW_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@contextmanager
def assert_no_orm_on_event_loop() -> Generator[list[str], None, None]:
    """Fail when the block touches the database from a thread that runs an event loop.

    Django raises ``SynchronousOnlyOperation`` there; this guard records every such error as it
    is created, so an error that the code under test catches still fails the block, and it
    lifts ``DJANGO_ALLOW_ASYNC_UNSAFE`` for the block so that the check is not disabled. Yields
    the list of recorded reports (message and stack).
    """
    reports: list[str] = []
    original_init = SynchronousOnlyOperation.__init__
    allow_unsafe = os.environ.pop(_ALLOW_UNSAFE, None)

    def recording_init(self: SynchronousOnlyOperation, *args: Any) -> None:
        stack = "".join(traceback.format_stack(limit=12)[:-1])
        reports.append(f"{args[0] if args else ''}\n{stack}")
        original_init(self, *args)

    SynchronousOnlyOperation.__init__ = recording_init  # type: ignore[method-assign,assignment]
    try:
        yield reports
    finally:
        SynchronousOnlyOperation.__init__ = original_init  # type: ignore[method-assign]
        if allow_unsafe is not None:
            os.environ[_ALLOW_UNSAFE] = allow_unsafe
    if reports:
        raise AssertionError(
            f"the ORM was used from the event loop {len(reports)} time(s); first:\n{reports[0]}"
        )
