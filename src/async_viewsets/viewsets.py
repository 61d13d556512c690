"""Viewsets: async ones for ASGI, and sync twins, all with ``action_configs``.

A viewset binds HTTP methods to actions when it is routed (DRF's ``ViewSetMixin.as_view``), so
stock ``SimpleRouter``/``DefaultRouter`` work unchanged and ``self.action`` holds DRF's action
name (``list``, ``retrieve``, ``create``, ``update``, ``partial_update``, ``destroy``, or an
``@action`` method's name)::

    router = DefaultRouter()
    router.register("books", BookViewSet)

``AsyncViewSetMixin.as_view`` returns a coroutine view function. Actions may be ``async def``
(awaited on the event loop) or plain ``def`` (run in the worker thread).

The sync twins ``ViewSet``, ``GenericViewSet``, ``ReadOnlyModelViewSet`` and ``ModelViewSet``
are DRF's classes plus ``action_configs`` (and atomic writes), for WSGI projects or for parts of
an ASGI project that stay sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from asgiref.sync import markcoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from rest_framework.serializers import BaseSerializer
from rest_framework.viewsets import ViewSetMixin
from typing_extensions import TypeVar as TypeVarWithDefault

from async_viewsets._generic import AsyncGenericAPIView, GenericViewCore
from async_viewsets._policies import PolicyMixin
from async_viewsets.action_configs import ActionPolicyMixin, check_routed_actions
from async_viewsets.mixins import (
    AsyncCreateModelMixin,
    AsyncDestroyModelMixin,
    AsyncListModelMixin,
    AsyncRetrieveModelMixin,
    AsyncUpdateModelMixin,
    CreateModelMixin,
    DestroyModelMixin,
    ListModelMixin,
    RetrieveModelMixin,
    UpdateModelMixin,
)
from async_viewsets.views import AsyncAPIView

if TYPE_CHECKING:
    from rest_framework.views import AsView, GenericView

__all__ = [
    "AsyncGenericViewSet",
    "AsyncModelViewSet",
    "AsyncReadOnlyModelViewSet",
    "AsyncViewSet",
    "AsyncViewSetMixin",
    "GenericViewSet",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "ViewSet",
]

_M = TypeVar("_M", bound=Model)
_S = TypeVarWithDefault("_S", bound=BaseSerializer[Any], default=BaseSerializer[_M])


def _check_routed_actions(
    cls: type, actions: dict[str, str] | None, initkwargs: dict[str, Any]
) -> None:
    check_routed_actions(cls, (actions or {}).values(), initkwargs)
    for method, name in (actions or {}).items():
        if not callable(getattr(cls, name, None)):
            raise ImproperlyConfigured(
                f"{cls.__module__}.{cls.__qualname__}.as_view() maps {method.upper()} to "
                f"{name!r}, but the class has no such action; define `{name}` or fix the mapping."
            )


class AsyncViewSetMixin(ViewSetMixin):
    """``ViewSetMixin`` whose ``as_view()`` returns an async view function."""

    @classmethod
    def as_view(  # type: ignore[override]
        cls, actions: dict[str, str] | None = None, **initkwargs: Any
    ) -> AsView[GenericView]:
        """Bind ``actions`` (HTTP method to action name) and return a coroutine view."""
        _check_routed_actions(cls, actions, initkwargs)
        view = super().as_view(actions, **initkwargs)  # type: ignore[arg-type]
        return markcoroutinefunction(view)


class _CheckedViewSetMixin(ViewSetMixin):
    """DRF's ``ViewSetMixin`` whose ``as_view()`` checks the routed actions first (sync twins)."""

    @classmethod
    def as_view(  # type: ignore[override]
        cls, actions: dict[str, str] | None = None, **initkwargs: Any
    ) -> AsView[GenericView]:
        _check_routed_actions(cls, actions, initkwargs)
        return super().as_view(actions, **initkwargs)  # type: ignore[arg-type]


# pyright compares ActionPolicyMixin's inherited APIView.dispatch/view_is_async with
# AsyncAPIView's, but the MRO puts AsyncAPIView before APIView: its async dispatch wins.
class AsyncViewSet(AsyncViewSetMixin, ActionPolicyMixin, AsyncAPIView):  # pyright: ignore[reportIncompatibleMethodOverride, reportIncompatibleVariableOverride]
    """A viewset without model behaviour; write your own ``async def`` actions."""


class AsyncGenericViewSet(AsyncViewSetMixin, AsyncGenericAPIView[_M, _S]):
    """``AsyncGenericAPIView`` as a viewset; add actions or model mixins."""


class AsyncReadOnlyModelViewSet(
    AsyncRetrieveModelMixin[_M, _S], AsyncListModelMixin[_M, _S], AsyncGenericViewSet[_M, _S]
):
    """``list`` and ``retrieve``, async."""


class AsyncModelViewSet(
    AsyncCreateModelMixin[_M, _S],
    AsyncRetrieveModelMixin[_M, _S],
    AsyncUpdateModelMixin[_M, _S],
    AsyncDestroyModelMixin[_M, _S],
    AsyncListModelMixin[_M, _S],
    AsyncGenericViewSet[_M, _S],
):
    """``list``, ``retrieve``, ``create``, ``update``, ``partial_update``, ``destroy``, async."""


class ViewSet(_CheckedViewSetMixin, ActionPolicyMixin, PolicyMixin):
    """DRF's ``ViewSet`` with ``action_configs``."""


class GenericViewSet(_CheckedViewSetMixin, GenericViewCore[_M, _S]):
    """DRF's ``GenericViewSet`` with ``action_configs``."""


class ReadOnlyModelViewSet(
    RetrieveModelMixin[_M, _S], ListModelMixin[_M, _S], GenericViewSet[_M, _S]
):
    """DRF's ``ReadOnlyModelViewSet`` with ``action_configs``."""


class ModelViewSet(
    CreateModelMixin[_M, _S],
    RetrieveModelMixin[_M, _S],
    UpdateModelMixin[_M, _S],
    DestroyModelMixin[_M, _S],
    ListModelMixin[_M, _S],
    GenericViewSet[_M, _S],
):
    """DRF's ``ModelViewSet`` with ``action_configs`` and atomic writes."""
