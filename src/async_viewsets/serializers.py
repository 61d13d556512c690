"""Opt-in serializer fast paths that keep DRF's output byte for byte.

A DRF ``ModelSerializer`` spends a large part of a small request *building itself*: on every
instantiation ``get_fields()`` walks the model's fields and runs ``build_field()`` for each
(field-kwarg introspection, choices, validators). For a 20-row page that is about a third of
the serializer's time. And a ``ListSerializer`` re-walks ``self.fields`` for every row.

* :class:`CachedFieldsMixin` builds a serializer class's fields **once per class** and gives
  each instance deep copies of them. DRF itself already does this for *declared* fields
  (``copy.deepcopy(self._declared_fields)``); the mixin extends it to the fields that
  ``ModelSerializer`` derives from the model. Condition: the fields must not depend on the
  instance or its context, i.e. the class has no ``get_fields()`` / ``get_field_names()`` /
  ``build_*field()`` override that reads ``self.context``, ``self.instance`` or the request.
  (Changing fields *after* construction, as "dynamic fields" serializers do in ``__init__``
  by popping from ``self.fields``, is fine: each instance owns its copies.)
* :class:`OnePassListSerializer` serializes a page with the child's readable fields looked up
  once instead of once per row. Per row and field it does what ``Serializer.to_representation``
  does; a child that overrides ``to_representation`` or ``_readable_fields`` is served by DRF's
  own loop.
* :class:`FastModelSerializer` is ``ModelSerializer`` with both: ``many=True`` makes an
  :class:`OnePassListSerializer` unless ``Meta.list_serializer_class`` names another class.

Measured in ``benchmarks/`` (the ``ours_fast`` contender) and pinned to DRF's output by
``tests/test_serializers.py``, which compares every representation against a plain DRF
serializer of the same declaration.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import Model
from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rest_framework.fields import Field

__all__ = ["CachedFieldsMixin", "FastModelSerializer", "OnePassListSerializer"]

_M = TypeVar("_M", bound=Model)

_FIELDS_CACHE = "_async_viewsets_fields"


class CachedFieldsMixin(serializers.BaseSerializer[Any]):
    """Build the class's fields once (its first instantiation), deep-copy them per instance.

    Put it before the serializer class it speeds up: ``class S(CachedFieldsMixin, MySerializer)``.
    The cache belongs to the exact class (a subclass builds its own); read the module
    docstring for the condition under which this is equivalent to DRF.
    """

    def get_fields(self) -> dict[str, Field[Any, Any, Any, Any]]:
        cls = type(self)
        cached: dict[str, Field[Any, Any, Any, Any]] | None = cls.__dict__.get(_FIELDS_CACHE)
        templates = cached
        if templates is None:
            # Two threads may both build on a cold class; they build the same thing.
            built: Any = super().get_fields()  # type: ignore[misc]
            templates = cast("dict[str, Field[Any, Any, Any, Any]]", built)
            setattr(cls, _FIELDS_CACHE, templates)
        return copy.deepcopy(templates)


def _serializes_per_row_like_drf(child: object) -> bool:
    """Whether ``child`` serializes a row with DRF's own ``Serializer.to_representation``."""
    drf: Any = serializers.Serializer
    cls: Any = type(child)
    return (
        isinstance(child, drf)
        and cls.to_representation is drf.to_representation
        and cls._readable_fields is getattr(drf, "_readable_fields")  # noqa: B009 - not in drf-stubs
    )


def _is_manager(data: object) -> bool:
    return isinstance(data, BaseManager)


class OnePassListSerializer(serializers.ListSerializer[Any]):
    """``ListSerializer`` that looks the child's readable fields up once per page."""

    def to_representation(self, data: Any) -> list[Any]:
        child: Any = getattr(self, "child", None)  # drf-stubs types it partly unknown
        if child is None or not _serializes_per_row_like_drf(child):
            return super().to_representation(data)
        rows: Iterable[Any] = data.all() if _is_manager(data) else data
        fields: list[tuple[Any, str]] = [
            (f, f.field_name) for f in child.fields.values() if not f.write_only
        ]
        page: list[Any] = []
        for instance in rows:
            row: dict[str, Any] = {}
            for field, name in fields:
                try:
                    attribute: Any = field.get_attribute(instance)
                except SkipField:
                    continue
                check: Any = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                row[name] = None if check is None else field.to_representation(attribute)
            page.append(row)
        return page


class FastModelSerializer(CachedFieldsMixin, serializers.ModelSerializer[_M]):
    """``ModelSerializer`` with :class:`CachedFieldsMixin`, and :class:`OnePassListSerializer`
    for ``many=True``.

    A subclass whose ``Meta`` names no ``list_serializer_class`` gets a ``Meta`` that derives
    from the one it declares and adds ``list_serializer_class = OnePassListSerializer``; the
    declared class itself is left as it is (it may be shared with other serializers).
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            derived = type(
                "Meta",
                (meta,),
                {
                    "__module__": meta.__module__,
                    "__qualname__": meta.__qualname__,
                    "__doc__": meta.__doc__,
                    "list_serializer_class": OnePassListSerializer,
                },
            )
            setattr(cls, "Meta", derived)  # noqa: B010 - drf-stubs types Meta as its own class
