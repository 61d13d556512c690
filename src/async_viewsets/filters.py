"""Async filter backends: ``afilter_queryset(request, queryset, view)``, awaited by the views.

A view's ``filter_backends`` may mix both kinds (see
:meth:`~async_viewsets._generic.GenericViewCore.filter_queryset`):

* a backend with ``async def afilter_queryset`` is awaited on the event loop, for filters that
  must await something before they can narrow the queryset (an async permission service, a
  cache, a remote lookup);
* any other backend (DRF's ``SearchFilter`` and ``OrderingFilter``, django-filter's
  ``DjangoFilterBackend``) is called with its sync ``filter_queryset`` in the request's worker
  thread, in the same hop as the rest of the request. That thread may query the database, which
  a django-filter ``FilterSet`` does when it validates a ``ModelChoiceFilter``.

``AsyncBaseFilterBackend`` is the base class for the first kind. Its sync ``filter_queryset``
runs the coroutine with ``async_to_sync``, so the backend also works on DRF's sync views.
Building a queryset is lazy: an async backend should return a QuerySet, not evaluate it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from asgiref.sync import async_to_sync
from rest_framework.filters import BaseFilterBackend

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.request import Request
    from rest_framework.views import APIView

__all__ = ["AsyncBaseFilterBackend", "AsyncFilterBackend"]

_Q = TypeVar("_Q", bound="QuerySet[Any, Any]")


@runtime_checkable
class AsyncFilterBackend(Protocol):
    """What the views await: any object with this coroutine method is an async backend."""

    async def afilter_queryset(self, request: Request, queryset: _Q, view: APIView) -> _Q:
        """Return ``queryset`` narrowed for this request (without evaluating it)."""
        ...


class AsyncBaseFilterBackend(BaseFilterBackend):
    """Base class for an async filter backend; implement :meth:`afilter_queryset`."""

    async def afilter_queryset(self, request: Request, queryset: _Q, view: APIView) -> _Q:
        """Return ``queryset`` narrowed for this request (without evaluating it)."""
        raise NotImplementedError(f"{type(self).__name__} must define afilter_queryset()")

    def filter_queryset(self, request: Request, queryset: _Q, view: APIView) -> _Q:
        """Sync entry point for sync callers (DRF's views): runs :meth:`afilter_queryset`."""
        return async_to_sync(self.afilter_queryset)(request, queryset, view)
