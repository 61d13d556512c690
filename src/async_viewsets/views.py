"""``AsyncAPIView``: DRF's ``APIView`` with an async ``dispatch``.

The request lifecycle is DRF's, step for step: wrap the request, negotiate content, determine
the version, authenticate, check permissions and throttles, call the handler, handle
exceptions through the configured ``EXCEPTION_HANDLER``, finalize the response. It is written
once, as a flow (:mod:`async_viewsets._flow`): sync components run in one worker-thread hop,
async ones (``aauthenticate``, ``ahas_permission``, ``aallow_request``, ``async def`` handlers)
are awaited on the event loop.

Every DRF hook keeps working: override ``initial``, ``check_permissions``, ``check_throttles``
or ``perform_authentication`` (sync) or their ``a``-prefixed twins (async), and the view calls
yours (:mod:`async_viewsets._policies`). Handlers may be ``async def`` or plain ``def``; a plain
handler runs in the worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from async_viewsets._flow import Flow, run_flow
from async_viewsets._hooks import call_handler, call_hook
from async_viewsets._policies import PolicyMixin
from async_viewsets._rendering import render_in_worker

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase
    from rest_framework.request import Request

__all__ = ["AsyncAPIView"]


class AsyncAPIView(PolicyMixin):
    """An ``APIView`` whose ``dispatch`` is a coroutine; see the module docstring."""

    view_is_async: ClassVar[bool] = True  # type: ignore[misc]

    render_in_worker: ClassVar[bool] = True
    """Render the response at the end of the flow, saving Django's render hop, when that is
    equivalent (ASGI, no ``process_template_response`` middleware; see ``_rendering``)."""

    # --- dispatch ---------------------------------------------------------------------------

    async def dispatch(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """Run DRF's request lifecycle; see :meth:`dispatch_flow`."""
        return await run_flow(self.dispatch_flow(request, *args, **kwargs))

    def dispatch_flow(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Flow[HttpResponseBase]:
        """DRF's ``APIView.dispatch`` as a flow."""
        self.args = args
        self.kwargs = kwargs
        drf_request = self.initialize_request(request, *args, **kwargs)
        self.request = drf_request
        self.headers = self.default_response_headers
        try:
            yield from call_hook(self, "initial", self._initial_flow, drf_request, *args, **kwargs)
            method = drf_request.method.lower()  # type: ignore[union-attr]
            if method in self.http_method_names:
                handler = getattr(self, method, self.http_method_not_allowed)
            else:
                handler = self.http_method_not_allowed
            response = yield from self.handler_flow(handler, drf_request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(drf_request, response, *args, **kwargs)  # type: ignore[arg-type]
        if self.render_in_worker:
            render_in_worker(request, self.response)
        return self.response

    def handler_flow(
        self, handler: Any, request: Request, *args: Any, **kwargs: Any
    ) -> Flow[HttpResponseBase]:
        """Call ``handler`` (see :func:`async_viewsets._hooks.call_handler`)."""
        return (yield from call_handler(self, handler, request, *args, **kwargs))  # type: ignore[no-any-return]
