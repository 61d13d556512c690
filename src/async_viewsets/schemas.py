"""Schema generation that sees each action's request serializer, response serializer and paginator.

Schema generators ask a view for ``get_serializer()`` and ``pagination_class``; both answer for
the view as a whole, so a schema would describe an action with a ``request_serializer_class``,
a ``response_serializer_class`` or its own ``ActionConfig.pagination_class`` wrongly.

The views of this package carry an :class:`ActionAwareSchema` as their ``schema`` (the
attribute DRF's ``APIView`` fills with ``DEFAULT_SCHEMA_CLASS``). It builds the configured
``DEFAULT_SCHEMA_CLASS`` with an adapter mixed in, so nothing needs patching:

* drf-spectacular's ``AutoSchema`` (or a subclass): the mixin of
  :mod:`async_viewsets.contrib.spectacular`;
* DRF's ``rest_framework.schemas.openapi.AutoSchema`` (or a subclass): :class:`DRFSchemaMixin`;
* any other inspector is used as it is.

A view that sets its own ``schema = SomeAutoSchema()`` opts out; mix the adapter into that
class to keep the per-action description. ``@extend_schema`` keeps working: drf-spectacular
derives its schema classes from the view's, so they contain the adapter.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rest_framework.schemas import DefaultSchema
from rest_framework.settings import api_settings

if TYPE_CHECKING:
    from rest_framework.pagination import BasePagination
    from rest_framework.schemas.inspectors import ViewInspector

__all__ = ["ActionAwareSchema", "DRFSchemaMixin", "action_schema_class", "pagination_class_of"]

_ADAPTED: dict[type[Any], type[Any]] = {}


def pagination_class_of(view: Any) -> type[BasePagination] | None:
    """The pagination class in effect for the view's current action."""
    get_pagination_class = getattr(view, "get_pagination_class", None)
    if get_pagination_class is not None:
        return get_pagination_class()  # type: ignore[no-any-return]
    return getattr(view, "pagination_class", None)


class DRFSchemaMixin:
    """Per-action serializers and paginator for DRF's own ``openapi.AutoSchema``."""

    view: Any

    def get_request_serializer(self, path: str, method: str) -> Any:
        get_request_serializer = getattr(self.view, "get_request_serializer", None)
        if get_request_serializer is None:
            return super().get_request_serializer(path, method)  # type: ignore[misc]
        return get_request_serializer()

    def get_response_serializer(self, path: str, method: str) -> Any:
        get_response_serializer = getattr(self.view, "get_response_serializer", None)
        if get_response_serializer is None:
            return super().get_response_serializer(path, method)  # type: ignore[misc]
        return get_response_serializer()

    def get_paginator(self) -> BasePagination | None:
        pagination_class = pagination_class_of(self.view)
        return pagination_class() if pagination_class is not None else None


def _adapter_for(base: type[Any]) -> type[Any] | None:
    spectacular = sys.modules.get("drf_spectacular.openapi")
    if spectacular is not None and issubclass(base, spectacular.AutoSchema):
        from async_viewsets.contrib.spectacular import ActionAwareSchemaMixin

        return ActionAwareSchemaMixin
    drf_openapi = sys.modules.get("rest_framework.schemas.openapi")
    if drf_openapi is not None and issubclass(base, drf_openapi.AutoSchema):
        return DRFSchemaMixin
    return None


def action_schema_class(base: type[ViewInspector]) -> type[ViewInspector]:
    """``base`` with the matching adapter mixed in (``base`` itself when it has it or none fits)."""
    adapted = _ADAPTED.get(base)
    if adapted is None:
        adapter = _adapter_for(base)
        if adapter is None or issubclass(base, adapter):
            adapted = base
        else:
            adapted = type(base.__name__, (adapter, base), {"__module__": base.__module__})
        _ADAPTED[base] = adapted
    return adapted


class ActionAwareSchema(DefaultSchema):
    """``DEFAULT_SCHEMA_CLASS``, adapted to per-action configuration; see the module docstring."""

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is not None and instance in self.instance_schemas:
            return self.instance_schemas[instance]  # set on the view by a schema generator
        configured: type[ViewInspector] = api_settings.DEFAULT_SCHEMA_CLASS  # type: ignore[assignment]
        inspector = action_schema_class(configured)()
        inspector.view = instance
        return inspector
