"""Model mixins: DRF's ``list``/``retrieve``/``create``/``update``/``partial_update``/``destroy``.

The async mixins define ``async def`` actions under DRF's names, so routers, ``self.action``,
per-action permissions and schema generators see the usual actions. The sync mixins are their
twins for the sync viewsets. Both run the same flows from
:class:`~async_viewsets._generic.GenericViewCore`; override points are DRF's
(``perform_create``, ``get_serializer_class``...) or their async twins (``aperform_create``,
``aget_object``...).

A mixin's action is marked with the flow it runs, so an async view's dispatch runs that flow
inline, in the same thread hop as authentication and permission checks. Overriding an action
drops the mark; the override is then called like any handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model
from rest_framework.serializers import BaseSerializer
from typing_extensions import TypeVar as TypeVarWithDefault

from async_viewsets._flow import drive_sync, run_flow
from async_viewsets._generic import AsyncGenericAPIView, GenericViewCore
from async_viewsets._hooks import flow_action

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.response import Response

__all__ = [
    "AsyncCreateModelMixin",
    "AsyncDestroyModelMixin",
    "AsyncListModelMixin",
    "AsyncRetrieveModelMixin",
    "AsyncUpdateModelMixin",
    "CreateModelMixin",
    "DestroyModelMixin",
    "ListModelMixin",
    "RetrieveModelMixin",
    "UpdateModelMixin",
]

_M = TypeVar("_M", bound=Model)
_S = TypeVarWithDefault("_S", bound=BaseSerializer[Any], default=BaseSerializer[_M])


class AsyncListModelMixin(AsyncGenericAPIView[_M, _S]):
    """``list``: filter, paginate and serialize the queryset."""

    @flow_action("list_flow")
    async def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.list_flow(request, *args, **kwargs))


class AsyncRetrieveModelMixin(AsyncGenericAPIView[_M, _S]):
    """``retrieve``: look up one object and serialize it."""

    @flow_action("retrieve_flow")
    async def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.retrieve_flow(request, *args, **kwargs))


class AsyncCreateModelMixin(AsyncGenericAPIView[_M, _S]):
    """``create``: validate, ``aperform_create``/``perform_create``, answer 201, atomically."""

    @flow_action("create_flow")
    async def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.create_flow(request, *args, **kwargs))


class AsyncUpdateModelMixin(AsyncGenericAPIView[_M, _S]):
    """``update`` and ``partial_update``: look up, validate, save, atomically."""

    @flow_action("update_flow")
    async def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.update_flow(request, *args, **kwargs))

    @flow_action("partial_update_flow")
    async def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.partial_update_flow(request, *args, **kwargs))


class AsyncDestroyModelMixin(AsyncGenericAPIView[_M, _S]):
    """``destroy``: look up and delete, atomically; answers 204."""

    @flow_action("destroy_flow")
    async def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return await run_flow(self.destroy_flow(request, *args, **kwargs))


class ListModelMixin(GenericViewCore[_M, _S]):
    """Sync twin of :class:`AsyncListModelMixin`."""

    @flow_action("list_flow")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return drive_sync(self.list_flow(request, *args, **kwargs))


class RetrieveModelMixin(GenericViewCore[_M, _S]):
    """Sync twin of :class:`AsyncRetrieveModelMixin`."""

    @flow_action("retrieve_flow")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return drive_sync(self.retrieve_flow(request, *args, **kwargs))


class CreateModelMixin(GenericViewCore[_M, _S]):
    """Sync twin of :class:`AsyncCreateModelMixin`."""

    @flow_action("create_flow")
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return drive_sync(self.create_flow(request, *args, **kwargs))


class UpdateModelMixin(GenericViewCore[_M, _S]):
    """Sync twin of :class:`AsyncUpdateModelMixin`."""

    @flow_action("update_flow")
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return drive_sync(self.update_flow(request, *args, **kwargs))

    @flow_action("partial_update_flow")
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return drive_sync(self.partial_update_flow(request, *args, **kwargs))


class DestroyModelMixin(GenericViewCore[_M, _S]):
    """Sync twin of :class:`AsyncDestroyModelMixin`."""

    @flow_action("destroy_flow")
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return drive_sync(self.destroy_flow(request, *args, **kwargs))
