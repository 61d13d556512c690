"""Hook pairs: a sync DRF hook (``get_object``) and its async twin (``aget_object``).

Users may override either. The library's one implementation of a hook is a *flow* (see
:mod:`async_viewsets._flow`); :func:`call_hook` decides, per view class, what runs:

* a user's ``aX`` override is awaited (it wins over a sync override of ``X``);
* otherwise a user's sync ``X`` override is called (in the worker thread);
* otherwise the library's flow runs inline, sharing the current thread hop.

The default ``X`` and ``aX`` call back into the same flow, so a ``super()`` call from either
override reaches the library's logic without recursing into the other override.

A method counts as overridden when the class resolves it to a function defined outside DRF and
this package, so third-party mixins count as overrides too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from asgiref.sync import iscoroutinefunction

if TYPE_CHECKING:
    from async_viewsets._flow import Flow

__all__ = [
    "HOOKS",
    "call_handler",
    "call_hook",
    "flow_action",
    "is_library_function",
]

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])

_FLOW_ATTR = "_async_viewsets_flow"

HOOKS: tuple[str, ...] = (
    "initial",
    "perform_authentication",
    "check_permissions",
    "check_object_permissions",
    "check_throttles",
    "get_object",
    "filter_queryset",
    "paginate_queryset",
    "get_paginated_response",
    "perform_create",
    "perform_update",
    "perform_destroy",
)
"""Sync hook names that have an ``a``-prefixed async twin."""

_LIBRARY_MODULES = ("rest_framework.", "async_viewsets.")
_CACHE_ATTR = "_async_viewsets_overridden_hooks"


def is_library_function(func: object) -> bool:
    """Whether ``func`` (a function or method) is defined by DRF or this package."""
    func = getattr(func, "__func__", func)
    module = getattr(func, "__module__", None) or ""
    return module.startswith(_LIBRARY_MODULES)


def _overridden(cls: type) -> frozenset[str]:
    cached = cls.__dict__.get(_CACHE_ATTR)
    if cached is None:
        names = [name for hook in HOOKS for name in (hook, "a" + hook)]
        cached = frozenset(
            name
            for name in names
            if hasattr(cls, name) and not is_library_function(getattr(cls, name))
        )
        setattr(cls, _CACHE_ATTR, cached)
    return cached


def call_hook(
    view: object,
    name: str,
    flow: Callable[..., Flow[_T]],
    *args: Any,
    _entry: Literal["flow", "sync", "async"] = "flow",
    **kwargs: Any,
) -> Flow[_T]:
    """Run hook ``name`` of ``view`` as a flow, honouring sync and async overrides.

    ``_entry`` says who asks: ``"flow"`` for the library's own call sites, ``"sync"`` for the
    default ``X`` and ``"async"`` for the default ``aX`` (so that a ``super()`` call from an
    override runs the library's flow instead of the other override).
    """
    overridden = _overridden(type(view))
    async_name = "a" + name
    sync_over = name in overridden
    async_over = async_name in overridden
    if async_over and (_entry == "flow" or (_entry == "sync" and not sync_over)):
        return (yield getattr(view, async_name)(*args, **kwargs))  # type: ignore[no-any-return]
    if sync_over and (_entry == "flow" or (_entry == "async" and not async_over)):
        return getattr(view, name)(*args, **kwargs)  # type: ignore[no-any-return]
    return (yield from flow(*args, **kwargs))


def flow_action(flow_name: str) -> Callable[[_F], _F]:
    """Mark a library action method as backed by the view's flow method ``flow_name``.

    The dispatch runs that flow inline (sharing the current hop) instead of awaiting the
    method; a subclass that overrides the action loses the mark, so its override is called.
    """

    def mark(func: _F) -> _F:
        setattr(func, _FLOW_ATTR, flow_name)
        return func

    return mark


def call_handler(view: object, handler: Any, *args: Any, **kwargs: Any) -> Flow[Any]:
    """Call a request handler from a flow: a library action's flow inline, a coroutine
    function awaited on the loop, a plain function directly (in the worker thread)."""
    flow_name = getattr(handler, _FLOW_ATTR, None)
    if flow_name is not None:
        flow: Flow[Any] = getattr(view, flow_name)(*args, **kwargs)
        return (yield from flow)
    # asgiref's iscoroutinefunction is inspect's on Python 3.12+; pyright types it as asgiref's
    # 3.11 fallback, asyncio's, which typeshed marks deprecated since 3.14.
    if iscoroutinefunction(handler):  # pyright: ignore[reportDeprecated]
        return (yield handler(*args, **kwargs))
    return handler(*args, **kwargs)
