"""``AsyncGenericAPIView`` and the nine concrete async generic views.

``AsyncGenericAPIView[Model, Serializer]`` is DRF's ``GenericAPIView`` with an async dispatch
(:class:`~async_viewsets.views.AsyncAPIView`) and async twins of its hooks: ``aget_object``,
``afilter_queryset``, ``apaginate_queryset``, ``aget_paginated_response``. ``get_queryset``
stays sync: it builds a lazy QuerySet and runs no query, so an ``async def get_queryset`` is
rejected when the class is defined.

The concrete views map HTTP methods to the model mixins' actions as DRF's do (``get`` runs
``list`` or ``retrieve``...). Unlike DRF's, they also set ``self.action`` to that action's name,
so ``action_configs`` work on them as on viewsets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.db.models import Model
from rest_framework.serializers import BaseSerializer
from typing_extensions import TypeVar as TypeVarWithDefault

from async_viewsets._flow import Flow, run_flow
from async_viewsets._generic import AsyncGenericAPIView
from async_viewsets._hooks import call_handler, flow_action
from async_viewsets.mixins import (
    AsyncCreateModelMixin,
    AsyncDestroyModelMixin,
    AsyncListModelMixin,
    AsyncRetrieveModelMixin,
    AsyncUpdateModelMixin,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rest_framework.request import Request
    from rest_framework.response import Response

__all__ = [
    "AsyncCreateAPIView",
    "AsyncDestroyAPIView",
    "AsyncGenericAPIView",
    "AsyncListAPIView",
    "AsyncListCreateAPIView",
    "AsyncRetrieveAPIView",
    "AsyncRetrieveDestroyAPIView",
    "AsyncRetrieveUpdateAPIView",
    "AsyncRetrieveUpdateDestroyAPIView",
    "AsyncUpdateAPIView",
]

_M = TypeVar("_M", bound=Model)
_S = TypeVarWithDefault("_S", bound=BaseSerializer[Any], default=BaseSerializer[_M])


class _MethodActions(AsyncGenericAPIView[_M, _S]):
    """HTTP method handlers that run the action ``action_map`` names for the method."""

    action_map: ClassVar[Mapping[str, str]] = {}

    def mapped_action_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        action = self._method_action((request.method or "").lower())
        assert action is not None
        return (yield from call_handler(self, getattr(self, action), request, *args, **kwargs))  # type: ignore[no-any-return]

    @flow_action("mapped_action_flow")
    async def _handle(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.mapped_action_flow(request, *args, **kwargs))


class AsyncCreateAPIView(AsyncCreateModelMixin[_M, _S], _MethodActions[_M, _S]):
    """``POST`` creates an instance."""

    action_map = {"post": "create"}
    post = _MethodActions[_M, _S]._handle


class AsyncListAPIView(AsyncListModelMixin[_M, _S], _MethodActions[_M, _S]):
    """``GET`` lists the queryset."""

    action_map = {"get": "list"}
    get = _MethodActions[_M, _S]._handle


class AsyncRetrieveAPIView(AsyncRetrieveModelMixin[_M, _S], _MethodActions[_M, _S]):
    """``GET`` retrieves one instance."""

    action_map = {"get": "retrieve"}
    get = _MethodActions[_M, _S]._handle


class AsyncDestroyAPIView(AsyncDestroyModelMixin[_M, _S], _MethodActions[_M, _S]):
    """``DELETE`` deletes one instance."""

    action_map = {"delete": "destroy"}
    delete = _MethodActions[_M, _S]._handle


class AsyncUpdateAPIView(AsyncUpdateModelMixin[_M, _S], _MethodActions[_M, _S]):
    """``PUT`` updates and ``PATCH`` partially updates one instance."""

    action_map = {"put": "update", "patch": "partial_update"}
    put = patch = _MethodActions[_M, _S]._handle


class AsyncListCreateAPIView(
    AsyncListModelMixin[_M, _S], AsyncCreateModelMixin[_M, _S], _MethodActions[_M, _S]
):
    """``GET`` lists, ``POST`` creates."""

    action_map = {"get": "list", "post": "create"}
    get = post = _MethodActions[_M, _S]._handle


class AsyncRetrieveUpdateAPIView(
    AsyncRetrieveModelMixin[_M, _S], AsyncUpdateModelMixin[_M, _S], _MethodActions[_M, _S]
):
    """``GET`` retrieves, ``PUT``/``PATCH`` update."""

    action_map = {"get": "retrieve", "put": "update", "patch": "partial_update"}
    get = put = patch = _MethodActions[_M, _S]._handle


class AsyncRetrieveDestroyAPIView(
    AsyncRetrieveModelMixin[_M, _S], AsyncDestroyModelMixin[_M, _S], _MethodActions[_M, _S]
):
    """``GET`` retrieves, ``DELETE`` deletes."""

    action_map = {"get": "retrieve", "delete": "destroy"}
    get = delete = _MethodActions[_M, _S]._handle


class AsyncRetrieveUpdateDestroyAPIView(
    AsyncRetrieveModelMixin[_M, _S],
    AsyncUpdateModelMixin[_M, _S],
    AsyncDestroyModelMixin[_M, _S],
    _MethodActions[_M, _S],
):
    """``GET`` retrieves, ``PUT``/``PATCH`` update, ``DELETE`` deletes."""

    action_map = {
        "get": "retrieve",
        "put": "update",
        "patch": "partial_update",
        "delete": "destroy",
    }
    get = put = patch = delete = _MethodActions[_M, _S]._handle
