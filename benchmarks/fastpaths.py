"""Opt-in fast paths for ``AsyncModelViewSet``, measured as the ``ours_fast`` contender.

Prototypes, kept here until they move into the library; each keeps DRF's observable behaviour
under the condition stated in its docstring.

* :class:`RenderInFlowMixin` (view): renders the DRF ``Response`` at the end of the request's
  flow, in the same worker thread, so Django's handler does not pay a second thread hop to call
  ``response.render()``. Only for ASGI requests, and only when no middleware defines
  ``process_template_response`` (those must see the response before it renders).
* :class:`FastModelSerializerMixin` (serializer): builds a ``ModelSerializer``'s fields from the
  model once per class and deep-copies them per instance (as DRF already does for declared
  fields), and serializes a page in one pass over the readable fields instead of re-walking the
  field mapping for every row. Condition: the serializer's fields do not depend on the request
  or context (no ``get_fields`` override that reads ``self.context``).
* ``atomic_writes = False``: DRF's own (non-atomic) write behaviour; saves the transaction's
  ``BEGIN``/``COMMIT`` round trips.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from types import MethodType
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db.models.manager import BaseManager
from django.template.response import SimpleTemplateResponse
from django.utils.module_loading import import_string
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from async_viewsets.views import AsyncAPIView

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

    from async_viewsets._flow import Flow


@functools.lru_cache(maxsize=8)
def _template_response_middleware(middleware: tuple[str, ...]) -> bool:
    return any(hasattr(import_string(path), "process_template_response") for path in middleware)


async def render(self: SimpleTemplateResponse) -> SimpleTemplateResponse:
    """The already-rendered response's ``render``, as a coroutine: Django awaits it on the
    loop instead of hopping to a thread (``BaseHandler._get_response_async``)."""
    return self


class RenderInFlowMixin(AsyncAPIView):
    """Render the response in the flow's worker thread; see the module docstring."""

    def dispatch_flow(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Flow[HttpResponseBase]:
        response = yield from super().dispatch_flow(request, *args, **kwargs)
        if (
            isinstance(response, SimpleTemplateResponse)
            and isinstance(request, ASGIRequest)
            and not _template_response_middleware(tuple(settings.MIDDLEWARE))
        ):
            response.render()
            response.render = MethodType(render, response)  # type: ignore[method-assign]
        return response


class OnePassListSerializer(serializers.ListSerializer[Any]):
    """Serializes a page with the child's readable fields looked up once, not once per row.

    Per field and row it does exactly what ``Serializer.to_representation`` does; it is used
    only when the child does not override ``to_representation``.
    """

    def to_representation(self, data: Any) -> list[Any]:
        child = self.child
        assert child is not None
        if type(child).to_representation is not serializers.Serializer.to_representation:
            return super().to_representation(data)
        iterable = data.all() if isinstance(data, BaseManager) else data
        fields = [f for f in child.fields.values() if not f.write_only]  # type: ignore[attr-defined]
        rows = []
        for instance in iterable:
            row: dict[str, Any] = {}
            for field in fields:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                row[field.field_name] = (
                    None if check is None else field.to_representation(attribute)
                )
            rows.append(row)
        return rows


class FastModelSerializerMixin(serializers.ModelSerializer[Any]):
    """Field prototypes built once per class. For one-pass pages set
    ``Meta.list_serializer_class = OnePassListSerializer`` (DRF's own extension point)."""

    _field_prototypes: ClassVar[Mapping[str, Any] | None] = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._field_prototypes = prototypes
        return copy.deepcopy(dict(prototypes))


class FastPathsMixin(RenderInFlowMixin):
    """Every fast path of this module on a viewset (plus DRF's non-atomic writes)."""

    atomic_writes = False
