"""Render a DRF ``Response`` in the request's worker thread instead of in a hop of its own.

Django renders a template response (DRF's ``Response`` is one) after the view returns: it
applies the ``process_template_response`` middleware, then calls ``response.render()``, in a
``sync_to_async`` hop of its own unless ``render`` is a coroutine function. When no middleware
has ``process_template_response``, nothing happens between the view's return and that call, so
rendering at the end of the view's flow (already in the worker thread) is the same work at the
same point, one hop cheaper. The rendered response then gets an async ``render`` that returns
it, which Django awaits without a hop.

This is done only for ASGI requests (under WSGI Django calls ``render()`` synchronously) and
only when the settings' middleware has no ``process_template_response``; set
``render_in_worker = False`` on a view to keep Django's own rendering step.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.template.response import SimpleTemplateResponse
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

__all__ = ["render_in_worker"]


@lru_cache(maxsize=8)
def _has_template_response_middleware(middleware: tuple[str, ...]) -> bool:
    return any(hasattr(import_string(path), "process_template_response") for path in middleware)


class _AlreadyRendered:
    """An async ``render`` for a rendered response: returns it (picklable, unlike a method)."""

    def __init__(self, response: SimpleTemplateResponse) -> None:
        self.response = response
        markcoroutinefunction(self)  # Django awaits it instead of hopping to call it

    def __getstate__(self) -> SimpleTemplateResponse:
        return self.response  # the coroutine marker is not picklable; __setstate__ re-marks

    def __setstate__(self, state: SimpleTemplateResponse) -> None:
        self.__init__(state)  # type: ignore[misc]

    async def __call__(self) -> SimpleTemplateResponse:
        return self.response


def render_in_worker(request: HttpRequest, response: HttpResponseBase) -> None:
    """Render ``response`` now when that is equivalent to Django rendering it later."""
    if (
        isinstance(response, SimpleTemplateResponse)
        and not response.is_rendered
        and isinstance(request, ASGIRequest)
        and not _has_template_response_middleware(tuple(settings.MIDDLEWARE))
    ):
        response.render()
        response.render = _AlreadyRendered(response)  # type: ignore[method-assign, assignment]
