"""Opt-in fast paths for ``AsyncModelViewSet``, measured as the ``ours_fast`` contender.

Prototypes, kept here until they move into the library; each keeps DRF's observable behaviour
under the condition stated in its docstring. (Rendering the ``Response`` in the flow's worker
thread, once prototyped here, is now the library's default: ``AsyncAPIView.render_in_worker``.)

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
from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from async_viewsets.views import AsyncAPIView


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


class FastPathsMixin(AsyncAPIView):
    """The view-level fast path of this module: DRF's non-atomic writes. (The serializer ones
    go on the serializer: :class:`FastModelSerializerMixin`, :class:`OnePassListSerializer`.)"""

    atomic_writes = False
