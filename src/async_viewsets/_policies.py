"""DRF's policy hooks (authentication, permissions, throttles, ``initial``) as flows.

``PolicyMixin`` gives every view of this package, async or sync, one implementation of these
steps (see :mod:`async_viewsets._flow` and :mod:`async_viewsets._hooks`):

* the sync DRF names (``initial``, ``check_permissions``, ``check_object_permissions``,
  ``check_throttles``, ``perform_authentication``) keep their signatures and honour async
  components (``aauthenticate``, ``ahas_permission``, ``aallow_request``) instead of skipping them;
* the ``a``-prefixed twins are public coroutines for async code;
* the ``_*_flow`` generators are what the async dispatch runs, so consecutive sync components
  share one thread hop.

Messages, codes, 401/403 selection and ``Retry-After`` are DRF's: denial goes through the view's
own ``permission_denied`` and ``throttled``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.views import APIView

from async_viewsets._components import (
    authenticate_flow,
    has_object_permission_flow,
    has_permission_flow,
    throttle_flow,
)
from async_viewsets._flow import Flow, drive_sync, run_flow
from async_viewsets._hooks import call_hook

if TYPE_CHECKING:
    from rest_framework.request import Request

__all__ = ["PolicyMixin"]


class PolicyMixin(APIView):
    """Authentication, permission and throttle checks that accept sync and async components."""

    # --- initial -----------------------------------------------------------------------------

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """DRF's ``initial`` (sync entry point; async components are still honoured)."""
        drive_sync(
            call_hook(self, "initial", self._initial_flow, request, *args, **kwargs, _entry="sync")
        )

    async def ainitial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Async twin of :meth:`initial`."""
        await run_flow(
            call_hook(self, "initial", self._initial_flow, request, *args, **kwargs, _entry="async")
        )

    def _initial_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[None]:
        self.format_kwarg = self.get_format_suffix(**kwargs)
        neg = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = neg
        version, scheme = self.determine_version(request, *args, **kwargs)
        request.version, request.versioning_scheme = version, scheme
        yield from call_hook(
            self, "perform_authentication", self._perform_authentication_flow, request
        )
        yield from call_hook(self, "check_permissions", self._check_permissions_flow, request)
        yield from call_hook(self, "check_throttles", self._check_throttles_flow, request)

    # --- authentication ----------------------------------------------------------------------

    def perform_authentication(self, request: Request) -> None:
        """Authenticate now (DRF would do it lazily on first ``request.user``)."""
        drive_sync(
            call_hook(
                self,
                "perform_authentication",
                self._perform_authentication_flow,
                request,
                _entry="sync",
            )
        )

    async def aperform_authentication(self, request: Request) -> None:
        """Async twin of :meth:`perform_authentication`; awaits ``aauthenticate`` hooks."""
        await run_flow(
            call_hook(
                self,
                "perform_authentication",
                self._perform_authentication_flow,
                request,
                _entry="async",
            )
        )

    def _perform_authentication_flow(self, request: Request) -> Flow[None]:
        if not hasattr(request, "_user"):
            yield from authenticate_flow(request)

    # --- permissions -------------------------------------------------------------------------

    def check_permissions(self, request: Request) -> None:
        """DRF's ``check_permissions``; async permissions are awaited, not skipped."""
        drive_sync(
            call_hook(
                self, "check_permissions", self._check_permissions_flow, request, _entry="sync"
            )
        )

    async def acheck_permissions(self, request: Request) -> None:
        """Raise DRF's ``NotAuthenticated``/``PermissionDenied`` unless every permission allows."""
        await run_flow(
            call_hook(
                self, "check_permissions", self._check_permissions_flow, request, _entry="async"
            )
        )

    def _check_permissions_flow(self, request: Request) -> Flow[None]:
        for permission in self.get_permissions():
            if not (yield from has_permission_flow(permission, request, self)):
                self.permission_denied(
                    request,
                    message=getattr(permission, "message", None),
                    code=getattr(permission, "code", None),
                )

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        """DRF's ``check_object_permissions``; async permissions are awaited, not skipped."""
        drive_sync(
            call_hook(
                self,
                "check_object_permissions",
                self._check_object_permissions_flow,
                request,
                obj,
                _entry="sync",
            )
        )

    async def acheck_object_permissions(self, request: Request, obj: Any) -> None:
        """Async twin of :meth:`check_object_permissions`."""
        await run_flow(
            call_hook(
                self,
                "check_object_permissions",
                self._check_object_permissions_flow,
                request,
                obj,
                _entry="async",
            )
        )

    def _check_object_permissions_flow(self, request: Request, obj: Any) -> Flow[None]:
        for permission in self.get_permissions():
            if not (yield from has_object_permission_flow(permission, request, self, obj)):
                self.permission_denied(
                    request,
                    message=getattr(permission, "message", None),
                    code=getattr(permission, "code", None),
                )

    # --- throttling --------------------------------------------------------------------------

    def check_throttles(self, request: Request) -> None:
        """DRF's ``check_throttles``; async throttles are awaited, not skipped."""
        drive_sync(
            call_hook(self, "check_throttles", self._check_throttles_flow, request, _entry="sync")
        )

    async def acheck_throttles(self, request: Request) -> None:
        """Raise DRF's ``Throttled`` (429 with ``Retry-After``) when a throttle refuses."""
        await run_flow(
            call_hook(self, "check_throttles", self._check_throttles_flow, request, _entry="async")
        )

    def _check_throttles_flow(self, request: Request) -> Flow[None]:
        durations: list[float | None] = []
        for throttle in self.get_throttles():
            if not (yield from throttle_flow(throttle, request, self)):
                durations.append(throttle.wait())
        if durations:
            # As DRF: a None wait (rate changed since the history was written) is ignored.
            self.throttled(request, max((d for d in durations if d is not None), default=None))  # type: ignore[arg-type]
