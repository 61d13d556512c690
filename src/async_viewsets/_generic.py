"""The one implementation of DRF's generic-view and model-mixin logic, written as flows.

``GenericViewCore`` holds, for every generic hook, three entry points around one flow:

* ``get_object()``: DRF's sync name and signature (used by sync code and by ``super()``);
* ``aget_object()``: the async twin, for async code;
* ``get_object_flow()``: what the actions use, so the lookup shares the request's thread hop.

The same holds for ``filter_queryset``, ``paginate_queryset``, ``get_paginated_response``,
``perform_create``, ``perform_update`` and ``perform_destroy``. Overrides of either twin are
honoured (see :mod:`async_viewsets._hooks`). The model mixins' actions are flows too
(``list_flow``, ``create_flow``...); the async mixins await them with
:func:`~async_viewsets._flow.run_flow`, the sync twins drive them with
:func:`~async_viewsets._flow.drive_sync`.

Writes are atomic: validation, ``perform_create``/``perform_update``/``perform_destroy`` (sync
or async) and the response's serialization run inside one ``transaction.atomic`` block on the
model's write database, so an exception anywhere leaves no row behind. Set
``atomic_writes = False`` on a view to opt out.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import Model, QuerySet
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from typing_extensions import TypeVar as TypeVarWithDefault

from async_viewsets._components import async_method
from async_viewsets._flow import Flow, drive_sync, run_flow
from async_viewsets._hooks import call_handler, call_hook
from async_viewsets._policies import PolicyMixin
from async_viewsets.action_configs import ActionConfigMixin
from async_viewsets.views import AsyncAPIView

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from contextlib import AbstractContextManager

    from rest_framework.request import Request

__all__ = ["AsyncGenericAPIView", "GenericViewCore"]

_M = TypeVar("_M", bound=Model)
_S = TypeVarWithDefault("_S", bound=BaseSerializer[Any], default=BaseSerializer[_M])
_Row = TypeVar("_Row")  # a QuerySet's row type (``values()`` rows), as in drf-stubs

if TYPE_CHECKING:
    # ``_filter_queryset_flow`` specialised to the caller's row type (a safe cast): passed as is
    # to call_hook(), whose ``flow`` is ``Callable[..., Flow[_T]]``, pyright leaves the
    # method's own ``_Row`` unsolved.
    _FilterFlow: TypeAlias = Callable[[QuerySet[_M, _Row]], Flow[QuerySet[_M, _Row]]]


class GenericViewCore(ActionConfigMixin[_M], PolicyMixin, Generic[_M, _S]):
    """Generic-view hooks and model-mixin flows shared by the async views and the sync twins."""

    serializer_class: type[_S] | None  # pyright: ignore[reportIncompatibleVariableOverride]

    atomic_writes: bool = True
    """Run create, update and destroy inside ``transaction.atomic`` (see the module docstring)."""

    # --- object lookup -----------------------------------------------------------------------

    def get_object(self) -> _M:
        """DRF's ``get_object`` (honours async overrides of ``afilter_queryset`` etc.)."""
        return drive_sync(call_hook(self, "get_object", self._get_object_flow, _entry="sync"))

    async def aget_object(self) -> _M:
        """The object for this request: filtered lookup, 404, then object permissions."""
        return await run_flow(call_hook(self, "get_object", self._get_object_flow, _entry="async"))

    def get_object_flow(self) -> Flow[_M]:
        return call_hook(self, "get_object", self._get_object_flow)

    def _get_object_flow(self) -> Flow[_M]:
        queryset = yield from self.filter_queryset_flow(self.get_queryset())
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        assert lookup_url_kwarg in self.kwargs, (
            f"Expected view {self.__class__.__name__} to be called with a URL keyword argument "
            f'named "{lookup_url_kwarg}". Fix your URL conf, or set the `.lookup_field` '
            f"attribute on the view correctly."
        )
        filter_kwargs = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
        # DRF's get_object_or_404: a malformed lookup value (bad UUID, "abc" for an int) is 404.
        obj: _M = get_object_or_404(queryset, **filter_kwargs)
        yield from call_hook(
            self,
            "check_object_permissions",
            self._check_object_permissions_flow,
            self.request,
            obj,
        )
        return obj

    # --- filtering ---------------------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet[_M, _Row]) -> QuerySet[_M, _Row]:
        """Apply ``filter_backends``; backends with ``afilter_queryset`` are awaited."""
        flow = cast("_FilterFlow[_M, _Row]", self._filter_queryset_flow)
        return drive_sync(call_hook(self, "filter_queryset", flow, queryset, _entry="sync"))

    async def afilter_queryset(self, queryset: QuerySet[_M, _Row]) -> QuerySet[_M, _Row]:
        """Async twin of :meth:`filter_queryset`."""
        flow = cast("_FilterFlow[_M, _Row]", self._filter_queryset_flow)
        return await run_flow(call_hook(self, "filter_queryset", flow, queryset, _entry="async"))

    def filter_queryset_flow(self, queryset: QuerySet[_M, _Row]) -> Flow[QuerySet[_M, _Row]]:
        flow = cast("_FilterFlow[_M, _Row]", self._filter_queryset_flow)
        return call_hook(self, "filter_queryset", flow, queryset)

    def _filter_queryset_flow(self, queryset: QuerySet[_M, _Row]) -> Flow[QuerySet[_M, _Row]]:
        for backend_class in list(self.filter_backends):
            backend = backend_class()
            afilter_queryset = async_method(backend, "afilter_queryset")
            if afilter_queryset is not None:
                queryset = yield afilter_queryset(self.request, queryset, self)
            else:
                queryset = backend.filter_queryset(self.request, queryset, self)  # type: ignore[assignment,arg-type]
        return queryset

    # --- pagination --------------------------------------------------------------------------

    def paginate_queryset(self, queryset: Iterable[Any]) -> list[Any] | None:
        """One page of ``queryset``, or ``None`` when the action has no paginator."""
        return drive_sync(
            call_hook(
                self, "paginate_queryset", self._paginate_queryset_flow, queryset, _entry="sync"
            )
        )

    async def apaginate_queryset(self, queryset: Iterable[Any]) -> list[Any] | None:
        """Async twin of :meth:`paginate_queryset`."""
        return await run_flow(
            call_hook(
                self, "paginate_queryset", self._paginate_queryset_flow, queryset, _entry="async"
            )
        )

    def paginate_queryset_flow(self, queryset: Iterable[Any]) -> Flow[list[Any] | None]:
        return call_hook(self, "paginate_queryset", self._paginate_queryset_flow, queryset)

    def _paginate_queryset_flow(self, queryset: Iterable[Any]) -> Flow[list[Any] | None]:
        paginator = self.paginator
        if paginator is None:
            return None
        apaginate_queryset = async_method(paginator, "apaginate_queryset")
        if apaginate_queryset is not None:
            return (yield apaginate_queryset(queryset, self.request, view=self))  # type: ignore[no-any-return]
        return paginator.paginate_queryset(queryset, self.request, view=self)  # type: ignore[arg-type]

    def get_paginated_response(self, data: Any) -> Response:
        """The paginator's response for ``data`` (one serialized page)."""
        return drive_sync(
            call_hook(
                self,
                "get_paginated_response",
                self._get_paginated_response_flow,
                data,
                _entry="sync",
            )
        )

    async def aget_paginated_response(self, data: Any) -> Response:
        """Async twin of :meth:`get_paginated_response`."""
        return await run_flow(
            call_hook(
                self,
                "get_paginated_response",
                self._get_paginated_response_flow,
                data,
                _entry="async",
            )
        )

    def get_paginated_response_flow(self, data: Any) -> Flow[Response]:
        return call_hook(self, "get_paginated_response", self._get_paginated_response_flow, data)

    def _get_paginated_response_flow(self, data: Any) -> Flow[Response]:
        paginator = self.paginator
        assert paginator is not None
        aget_paginated_response = async_method(paginator, "aget_paginated_response")
        if aget_paginated_response is not None:
            return (yield aget_paginated_response(data))  # type: ignore[no-any-return]
        return paginator.get_paginated_response(data)

    # --- writes ------------------------------------------------------------------------------

    def get_write_database(self) -> str:
        """The database alias whose transaction wraps writes (the router's choice for the model)."""
        model = getattr(self.queryset, "model", None)  # type: ignore[arg-type]  # Manager.__get__
        if model is None:
            config = self.get_action_config()
            model = getattr(getattr(config, "queryset", None), "model", None)
        if model is None:
            meta = getattr(self.get_request_serializer_class(), "Meta", None)
            model = getattr(meta, "model", None)
        return router.db_for_write(model) if model is not None else DEFAULT_DB_ALIAS

    def write_transaction(self) -> AbstractContextManager[Any]:
        """The context manager that makes one write atomic (``transaction.atomic``)."""
        if not self.atomic_writes:
            return nullcontext()
        return transaction.atomic(using=self.get_write_database())

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        """Save a new instance (DRF's hook); override this or :meth:`aperform_create`."""
        drive_sync(call_hook(self, "perform_create", self._save_flow, serializer, _entry="sync"))

    async def aperform_create(self, serializer: BaseSerializer[Any]) -> None:
        """Async twin of :meth:`perform_create`; runs inside the write's transaction."""
        await run_flow(
            call_hook(self, "perform_create", self._save_flow, serializer, _entry="async")
        )

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        """Save an updated instance (DRF's hook); override this or :meth:`aperform_update`."""
        drive_sync(call_hook(self, "perform_update", self._save_flow, serializer, _entry="sync"))

    async def aperform_update(self, serializer: BaseSerializer[Any]) -> None:
        """Async twin of :meth:`perform_update`; runs inside the write's transaction."""
        await run_flow(
            call_hook(self, "perform_update", self._save_flow, serializer, _entry="async")
        )

    def perform_destroy(self, instance: _M) -> None:
        """Delete ``instance`` (DRF's hook); override this or :meth:`aperform_destroy`."""
        drive_sync(call_hook(self, "perform_destroy", self._delete_flow, instance, _entry="sync"))

    async def aperform_destroy(self, instance: _M) -> None:
        """Async twin of :meth:`perform_destroy`; runs inside the write's transaction."""
        await run_flow(
            call_hook(self, "perform_destroy", self._delete_flow, instance, _entry="async")
        )

    def _save_flow(self, serializer: BaseSerializer[Any]) -> Flow[None]:
        serializer.save()
        return
        yield  # type: ignore[unreachable]  # pragma: no cover - makes this a generator

    def _delete_flow(self, instance: _M) -> Flow[None]:
        instance.delete()
        return
        yield  # type: ignore[unreachable]  # pragma: no cover - makes this a generator

    def get_success_headers(self, data: Any) -> dict[str, str]:
        """DRF's ``Location`` header from the ``url`` field of the created representation."""
        from rest_framework.settings import api_settings

        try:
            return {"Location": str(data[api_settings.URL_FIELD_NAME])}
        except (TypeError, KeyError):
            return {}

    def _response_data(self, serializer: BaseSerializer[Any]) -> Any:
        """The representation of a saved instance, by the response serializer."""
        if not self._has_split_serializers("response_serializer_class") and not (
            self._has_split_serializers("request_serializer_class")
        ):
            return serializer.data
        return self.get_response_serializer(serializer.instance).data

    # --- the model mixins' actions, as flows -------------------------------------------------

    def list_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        queryset = yield from self.filter_queryset_flow(self.get_queryset())
        page = yield from self.paginate_queryset_flow(queryset)
        if page is not None:
            serializer = self.get_response_serializer(page, many=True)
            return (yield from self.get_paginated_response_flow(serializer.data))
        serializer = self.get_response_serializer(queryset, many=True)
        return Response(serializer.data)

    def retrieve_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        instance = yield from self.get_object_flow()
        return Response(self.get_response_serializer(instance).data)

    def create_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        with self.write_transaction():
            serializer = self.get_request_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            yield from call_hook(self, "perform_create", self._save_flow, serializer)
            data = self._response_data(serializer)
        headers = self.get_success_headers(data)
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def update_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        partial = kwargs.pop("partial", False)
        with self.write_transaction():
            instance = yield from self.get_object_flow()
            serializer = self.get_request_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            yield from call_hook(self, "perform_update", self._save_flow, serializer)
            if getattr(instance, "_prefetched_objects_cache", None):
                # As DRF: a prefetch cache on the instance is stale after the update.
                instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
            data = self._response_data(serializer)
        return Response(data)

    def partial_update_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        kwargs["partial"] = True
        # As DRF, partial_update goes through self.update, so an overridden update applies.
        return (yield from call_handler(self, self.update, request, *args, **kwargs))  # type: ignore[attr-defined,no-any-return]

    def destroy_flow(self, request: Request, *args: Any, **kwargs: Any) -> Flow[Response]:
        with self.write_transaction():
            instance = yield from self.get_object_flow()
            yield from call_hook(self, "perform_destroy", self._delete_flow, instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AsyncGenericAPIView(GenericViewCore[_M, _S], AsyncAPIView):
    """DRF's ``GenericAPIView`` with an async dispatch and async hook twins.

    Public as ``async_viewsets.generics.AsyncGenericAPIView``.
    """


AsyncGenericAPIView.__module__ = "async_viewsets.generics"
