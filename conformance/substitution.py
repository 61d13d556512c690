"""The substitution layer: DRF's view classes replaced by this package's, before DRF's tests import.

DRF's test modules take their base classes from DRF's modules at import time
(``from rest_framework import generics`` then ``class V(generics.ListCreateAPIView)``, or
``from rest_framework.viewsets import GenericViewSet``). :func:`install` rebinds those module
attributes to this package's classes, so every view a DRF test defines is built on ours, while
DRF's own internals (already imported) keep their original bases.

The one adaptation: an async view function returns a coroutine, and DRF's tests call views
directly from sync code (``response = view(request)``). In the conformance process only,
``AsyncAPIView.as_view`` and ``AsyncViewSetMixin.as_view`` return their view function wrapped in
a plain function that drives the coroutine with ``async_to_sync`` and returns the response:
what Django's WSGI handler, and so DRF's test client, does with any async view. The
thread-sensitive worker hops then land back on the test's thread, inside the test's
transaction, as with Django's own async test client.

Two variants exist: ``async`` (DRF's views, generic views, mixins and viewsets become the
``Async*`` classes, and its session/basic/token authenticators, rate throttles and paginators
become this package's async ones) and ``sync`` (DRF's viewsets and model mixins become this
package's sync twins, which run the same flows with ``drive_sync``).
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from asgiref.sync import async_to_sync

__all__ = ["VARIANTS", "adapt_view_function", "install", "substitutions"]

_ASYNC: Mapping[str, Mapping[str, str]] = {
    "rest_framework.views": {"APIView": "async_viewsets.views:AsyncAPIView"},
    "rest_framework.generics": {
        "GenericAPIView": "async_viewsets.generics:AsyncGenericAPIView",
        "CreateAPIView": "async_viewsets.generics:AsyncCreateAPIView",
        "ListAPIView": "async_viewsets.generics:AsyncListAPIView",
        "RetrieveAPIView": "async_viewsets.generics:AsyncRetrieveAPIView",
        "DestroyAPIView": "async_viewsets.generics:AsyncDestroyAPIView",
        "UpdateAPIView": "async_viewsets.generics:AsyncUpdateAPIView",
        "ListCreateAPIView": "async_viewsets.generics:AsyncListCreateAPIView",
        "RetrieveUpdateAPIView": "async_viewsets.generics:AsyncRetrieveUpdateAPIView",
        "RetrieveDestroyAPIView": "async_viewsets.generics:AsyncRetrieveDestroyAPIView",
        "RetrieveUpdateDestroyAPIView": "async_viewsets.generics:AsyncRetrieveUpdateDestroyAPIView",
    },
    "rest_framework.mixins": {
        "ListModelMixin": "async_viewsets.mixins:AsyncListModelMixin",
        "RetrieveModelMixin": "async_viewsets.mixins:AsyncRetrieveModelMixin",
        "CreateModelMixin": "async_viewsets.mixins:AsyncCreateModelMixin",
        "UpdateModelMixin": "async_viewsets.mixins:AsyncUpdateModelMixin",
        "DestroyModelMixin": "async_viewsets.mixins:AsyncDestroyModelMixin",
    },
    "rest_framework.viewsets": {
        "ViewSetMixin": "async_viewsets.viewsets:AsyncViewSetMixin",
        "ViewSet": "async_viewsets.viewsets:AsyncViewSet",
        "GenericViewSet": "async_viewsets.viewsets:AsyncGenericViewSet",
        "ReadOnlyModelViewSet": "async_viewsets.viewsets:AsyncReadOnlyModelViewSet",
        "ModelViewSet": "async_viewsets.viewsets:AsyncModelViewSet",
    },
}

_ASYNC_COMPONENTS: Mapping[str, Mapping[str, str]] = {
    "rest_framework.authentication": {
        "SessionAuthentication": "async_viewsets.authentication:AsyncSessionAuthentication",
        "BasicAuthentication": "async_viewsets.authentication:AsyncBasicAuthentication",
        "TokenAuthentication": "async_viewsets.authentication:AsyncTokenAuthentication",
    },
    "rest_framework.throttling": {
        "SimpleRateThrottle": "async_viewsets.throttling:AsyncSimpleRateThrottle",
        "AnonRateThrottle": "async_viewsets.throttling:AsyncAnonRateThrottle",
        "UserRateThrottle": "async_viewsets.throttling:AsyncUserRateThrottle",
        "ScopedRateThrottle": "async_viewsets.throttling:AsyncScopedRateThrottle",
    },
    "rest_framework.pagination": {
        "PageNumberPagination": "async_viewsets.pagination:AsyncPageNumberPagination",
        "LimitOffsetPagination": "async_viewsets.pagination:AsyncLimitOffsetPagination",
        "CursorPagination": "async_viewsets.pagination:AsyncCursorPagination",
    },
}
"""This package's async authenticators, throttles and paginators (``async`` variant).

Settings that name DRF's classes by dotted path (``DEFAULT_AUTHENTICATION_CLASSES``...) resolve
to the substituted attribute too, since DRF imports them lazily by module attribute.
"""

_SYNC: Mapping[str, Mapping[str, str]] = {
    "rest_framework.mixins": {
        "ListModelMixin": "async_viewsets.mixins:ListModelMixin",
        "RetrieveModelMixin": "async_viewsets.mixins:RetrieveModelMixin",
        "CreateModelMixin": "async_viewsets.mixins:CreateModelMixin",
        "UpdateModelMixin": "async_viewsets.mixins:UpdateModelMixin",
        "DestroyModelMixin": "async_viewsets.mixins:DestroyModelMixin",
    },
    "rest_framework.viewsets": {
        "ViewSet": "async_viewsets.viewsets:ViewSet",
        "GenericViewSet": "async_viewsets.viewsets:GenericViewSet",
        "ReadOnlyModelViewSet": "async_viewsets.viewsets:ReadOnlyModelViewSet",
        "ModelViewSet": "async_viewsets.viewsets:ModelViewSet",
    },
}

_SERIALIZERS: Mapping[str, Mapping[str, str]] = {
    "rest_framework.serializers": {
        "ModelSerializer": "async_viewsets.serializers:FastModelSerializer",
        "HyperlinkedModelSerializer": "async_viewsets.serializers:FastHyperlinkedModelSerializer",
    },
}
"""``serializers`` variant: every model serializer of DRF's tests is a ``FastModelSerializer``
or ``FastHyperlinkedModelSerializer`` (fields built once per class; ``many=True`` pages by
``OnePassListSerializer``)."""

VARIANTS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "async": _ASYNC,
    "sync": _SYNC,
    "serializers": _SERIALIZERS,
}
"""Per variant: DRF module -> attribute -> ``module:Class`` of this package that replaces it."""


def _load(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def substitutions(variant: str) -> dict[str, dict[str, str]]:
    """The full replacement table of ``variant``."""
    table = {module: dict(names) for module, names in VARIANTS[variant].items()}
    if variant == "async":
        table.update({module: dict(names) for module, names in _ASYNC_COMPONENTS.items()})
    return table


def adapt_view_function(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an async view function so that calling it returns the response, as a sync view does.

    The wrapper is a plain function that drives the view's coroutine with ``async_to_sync``:
    what Django's WSGI handler (and so DRF's test client) does with any async view. Attributes
    DRF sets on the view function (``cls``, ``initkwargs``, ``actions``, ``csrf_exempt``) are
    kept. A view whose ``dispatch`` a test overrides with a sync method returns a response
    directly; that is passed through.
    """

    @functools.wraps(view)
    def adapted(*args: Any, **kwargs: Any) -> Any:
        result = view(*args, **kwargs)
        if inspect.isawaitable(result):
            return async_to_sync(_await)(result)
        return result

    # functools.wraps copied the coroutine-function marks; the wrapper is a plain function.
    for mark in ("_is_coroutine", "_is_coroutine_marker"):
        adapted.__dict__.pop(mark, None)
    adapted._conformance_adapted = True  # type: ignore[attr-defined]
    return adapted


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _adapt_as_view(cls: type) -> None:
    """Make ``cls.as_view()`` return adapted view functions (see :func:`adapt_view_function`)."""
    own = cls.__dict__.get("as_view")
    if getattr(own, "_conformance_adapted", False):
        return

    def as_view(klass: type, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        if isinstance(own, classmethod):
            view = own.__func__(klass, *args, **kwargs)
        else:
            view = getattr(super(cls, klass), "as_view")(*args, **kwargs)  # noqa: B009
        return adapt_view_function(view)

    adapted: classmethod[Any, Any, Any] = classmethod(as_view)
    adapted._conformance_adapted = True  # type: ignore[attr-defined]
    cls.as_view = adapted  # type: ignore[attr-defined]


_AS_VIEW_OWNERS = ("async_viewsets.views:AsyncAPIView", "async_viewsets.viewsets:AsyncViewSetMixin")


def install(variant: str) -> dict[str, dict[str, str]]:
    """Rebind DRF's module attributes to this package's classes; returns what was replaced."""
    table = substitutions(variant)
    for module_name, names in table.items():
        module = importlib.import_module(module_name)
        for attr, target in names.items():
            setattr(module, attr, _load(target))
    if variant == "async":
        for target in _AS_VIEW_OWNERS:
            _adapt_as_view(_load(target))
    return table
