"""Flows that run DRF policy components, sync or async, with DRF's exact semantics.

A component is async when it defines the ``a``-prefixed coroutine method
(``aauthenticate``, ``ahas_permission``, ``ahas_object_permission``, ``aallow_request``,
``afilter_queryset``, ``apaginate_queryset``, ``aget_paginated_response``); that coroutine is
awaited on the event loop. Otherwise its sync method is called inside the current flow, that is
in the request's worker thread, sharing the hop with the steps around it. A component whose
sync and async methods do the same work (this package's own async paginators, throttles and
authenticators) sets ``prefer_sync_in_worker = True``: inside a flow its sync method runs, and its
coroutine serves callers that are on the event loop.

DRF's permission composition (``A & B``, ``A | B``, ``~A``) is evaluated here operand by
operand, so compositions may mix sync and async permissions and keep DRF's short-circuit rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asgiref.sync import iscoroutinefunction
from rest_framework import exceptions
from rest_framework.permissions import AND, NOT, OR

if TYPE_CHECKING:
    from django.db.models import Model
    from rest_framework.request import Request

    from async_viewsets._flow import Flow

__all__ = [
    "async_method",
    "authenticate_flow",
    "has_object_permission_flow",
    "has_permission_flow",
    "throttle_flow",
]


def async_method(component: object, name: str) -> Any:
    """The component's coroutine method ``name``, or ``None`` when the flow should call the
    sync method instead: when there is no such coroutine, or when the component declares
    ``prefer_sync_in_worker = True`` (its sync method does the same work, and the flow is
    already in the worker thread, so awaiting would only add hops)."""
    if getattr(component, "prefer_sync_in_worker", False):
        return None
    method = getattr(component, name, None)
    if method is None:
        return None
    # asgiref's iscoroutinefunction is inspect's on Python 3.12+; pyright types it as asgiref's
    # 3.11 fallback, asyncio's, which typeshed marks deprecated since 3.14.
    return method if iscoroutinefunction(method) else None  # pyright: ignore[reportDeprecated]


def authenticate_flow(request: Request) -> Flow[None]:
    """DRF's ``Request._authenticate``, awaiting ``aauthenticate`` where a class has it."""
    user_auth_tuple: tuple[Any, Any] | None  # DRF's authenticate() contract: (user, auth)
    for authenticator in request.authenticators:  # type: ignore[union-attr]
        try:
            aauthenticate = async_method(authenticator, "aauthenticate")
            if aauthenticate is not None:
                user_auth_tuple = yield aauthenticate(request)
            else:
                user_auth_tuple = authenticator.authenticate(request)
        except exceptions.APIException:
            request._not_authenticated()  # type: ignore[attr-defined]
            raise
        if user_auth_tuple is not None:
            request._authenticator = authenticator  # type: ignore[attr-defined]
            # As DRF: a test's ForcedAuthentication may carry a token without a user (None),
            # which the stubs' Request.user setter does not admit.
            request.user, request.auth = user_auth_tuple  # type: ignore[assignment]
            return
    request._not_authenticated()  # type: ignore[attr-defined]


def has_permission_flow(permission: Any, request: Request, view: Any) -> Flow[bool]:
    """``permission.has_permission(request, view)`` for sync, async and composed permissions."""
    if isinstance(permission, AND):
        return (yield from has_permission_flow(permission.op1, request, view)) and (  # type: ignore[attr-defined]
            yield from has_permission_flow(permission.op2, request, view)  # type: ignore[attr-defined]
        )
    if isinstance(permission, OR):
        return (yield from has_permission_flow(permission.op1, request, view)) or (  # type: ignore[attr-defined]
            yield from has_permission_flow(permission.op2, request, view)  # type: ignore[attr-defined]
        )
    if isinstance(permission, NOT):
        return not (yield from has_permission_flow(permission.op1, request, view))  # type: ignore[attr-defined]
    ahas_permission = async_method(permission, "ahas_permission")
    if ahas_permission is not None:
        return bool((yield ahas_permission(request, view)))
    return bool(permission.has_permission(request, view))


def has_object_permission_flow(
    permission: Any, request: Request, view: Any, obj: Model | Any
) -> Flow[bool]:
    """``permission.has_object_permission(...)`` with DRF's composition rules."""
    if isinstance(permission, AND):
        return (yield from has_object_permission_flow(permission.op1, request, view, obj)) and (  # type: ignore[attr-defined]
            yield from has_object_permission_flow(permission.op2, request, view, obj)  # type: ignore[attr-defined]
        )
    if isinstance(permission, OR):
        # DRF: an operand grants object access only if it also grants view access.
        for operand in (permission.op1, permission.op2):  # type: ignore[attr-defined]
            if (yield from has_permission_flow(operand, request, view)) and (
                yield from has_object_permission_flow(operand, request, view, obj)
            ):
                return True
        return False
    if isinstance(permission, NOT):
        return not (yield from has_object_permission_flow(permission.op1, request, view, obj))  # type: ignore[attr-defined]
    ahas_object_permission = async_method(permission, "ahas_object_permission")
    if ahas_object_permission is not None:
        return bool((yield ahas_object_permission(request, view, obj)))
    return bool(permission.has_object_permission(request, view, obj))


def throttle_flow(throttle: Any, request: Request, view: Any) -> Flow[bool]:
    """``throttle.allow_request(request, view)``, awaiting ``aallow_request`` when present."""
    aallow_request = async_method(throttle, "aallow_request")
    if aallow_request is not None:
        return bool((yield aallow_request(request, view)))
    return bool(throttle.allow_request(request, view))
