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
* :class:`OnePassListSerializer` serializes a page with the child's readable fields planned
  once instead of looked up once per row, and reads plain model attribute paths with
  ``getattr`` directly. Per row and field it does what ``Serializer.to_representation`` does;
  a child that overrides ``to_representation`` or ``_readable_fields`` is served by DRF's own
  loop.
* :class:`FastModelSerializer` is ``ModelSerializer`` with both: ``many=True`` makes an
  :class:`OnePassListSerializer` unless ``Meta.list_serializer_class`` names another class.
  :class:`FastHyperlinkedModelSerializer` is the same for ``HyperlinkedModelSerializer``.

Measured in ``benchmarks/`` (the ``ours_fast`` contender) and pinned to DRF's output by
``tests/test_serializers.py``, which compares every representation against a plain DRF
serializer of the same declaration.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Model
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.manager import BaseManager
from django.db.models.query_utils import DeferredAttribute
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "CachedFieldsMixin",
    "FastHyperlinkedModelSerializer",
    "FastModelSerializer",
    "OnePassListSerializer",
]

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
        templates: dict[str, Field[Any, Any, Any, Any]] | None = cls.__dict__.get(_FIELDS_CACHE)
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


_PATHS: dict[tuple[type[Model], tuple[str, ...]], tuple[str, ...] | None] = {}


def _model_path(model: type[Model], attrs: tuple[str, ...]) -> tuple[str, ...] | None:
    """:func:`_find_model_path`, remembered per model and source (as many entries as there
    are serializer fields on models)."""
    key = (model, attrs)
    if key not in _PATHS:
        _PATHS[key] = _find_model_path(model, attrs)
    return _PATHS[key]


def _find_model_path(model: type[Model], attrs: tuple[str, ...]) -> tuple[str, ...] | None:
    """``attrs`` when, on an instance of exactly ``model``, each step is a plain model
    attribute: forward foreign keys / one-to-ones, then a concrete field. Else None.

    Reading such a path has no side effect beyond Django's own caching (a deferred field or a
    not-yet-fetched relation loads once and is cached), so it can be read directly and, should
    a step fail, read again by DRF's own ``Field.get_attribute`` with the same outcome.
    """
    current: Any = model
    for position, attr in enumerate(attrs):
        last = position == len(attrs) - 1
        if not (isinstance(current, type) and issubclass(current, Model)):
            return None
        if issubclass(current, Mapping):
            return None
        meta: Any = current._meta
        try:
            field: Any = meta.get_field(attr)
        except FieldDoesNotExist:
            field = next((f for f in meta.concrete_fields if f.attname == attr), None)
            if field is None:
                return None
        descriptor = inspect.getattr_static(current, attr, None)
        if last:
            if not (field.concrete and field.attname == attr):
                return None
            if not isinstance(descriptor, DeferredAttribute):
                return None
        else:
            if not (field.concrete and (field.many_to_one or field.one_to_one)):
                return None
            if not isinstance(descriptor, ForwardManyToOneDescriptor):
                return None
            current = field.related_model
    return attrs


# Read with getattr: drf-stubs types the method partly unknown, which strict pyright reports.
_DRF_GET_ATTRIBUTE: object = getattr(Field, "get_attribute")  # noqa: B009


def _is_model_serializer(child: object) -> bool:
    return isinstance(child, serializers.ModelSerializer)


_Plan = tuple[Any, list[tuple[Any, str, tuple[str, ...] | None]]]


def _plan(child: Any) -> _Plan:
    """``child``'s model (a ``ModelSerializer``'s, else None) and ``(field, name, model path
    or None)`` for each of its readable fields."""
    model = getattr(child.Meta, "model", None) if _is_model_serializer(child) else None
    plan: list[tuple[Any, str, tuple[str, ...] | None]] = []
    for field in child.fields.values():
        if field.write_only:
            continue
        path = None
        if (
            model is not None
            and getattr(field.__class__, "get_attribute", None) is _DRF_GET_ATTRIBUTE
            and field.source_attrs
        ):
            path = _model_path(model, tuple(field.source_attrs))
        plan.append((field, field.field_name, path))
    return model, plan


class _ReadByDRF(Exception):
    """A step of a model path needs DRF's own reading (a callable value)."""


class OnePassListSerializer(serializers.ListSerializer[Any]):
    """``ListSerializer`` that plans the child's readable fields once per page.

    Per row and field it does what ``Serializer.to_representation`` does. A field that reads a
    plain model attribute path (``title``, ``author.name``, ``author_id``: see
    :func:`_model_path`) is read with ``getattr`` directly when the row is an instance of
    exactly the serializer's model; anything else (a ``None`` on the way, a callable, another
    row type, a field with its own ``get_attribute``) goes through DRF's ``get_attribute``.
    """

    def to_representation(self, data: Any) -> list[Any]:
        child: Any = getattr(self, "child", None)  # drf-stubs types it partly unknown
        if child is None or not _serializes_per_row_like_drf(child):
            return super().to_representation(data)
        rows: Iterable[Any] = data.all() if _is_manager(data) else data
        model, plan = _plan(child)
        page: list[Any] = []
        for instance in rows:
            direct = instance.__class__ is model
            row: dict[str, Any] = {}
            for field, name, path in plan:
                try:
                    if direct and path is not None:
                        attribute: Any = instance
                        try:
                            for attr in path:
                                attribute = getattr(attribute, attr)
                                if callable(attribute):
                                    raise _ReadByDRF
                        except ObjectDoesNotExist:  # as DRF's get_attribute: reads as None
                            attribute = None
                        except (AttributeError, _ReadByDRF):
                            attribute = field.get_attribute(instance)
                    else:
                        attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check: Any = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                row[name] = None if check is None else field.to_representation(attribute)
            page.append(row)
        return page


class _OnePassPagesByDefault(CachedFieldsMixin):
    """Give each subclass a ``Meta`` that derives from the one it declares and adds
    ``list_serializer_class = OnePassListSerializer``, unless it names one; the declared class
    itself is left as it is (it may be shared with other serializers)."""

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


class FastModelSerializer(_OnePassPagesByDefault, serializers.ModelSerializer[_M]):
    """``ModelSerializer`` with :class:`CachedFieldsMixin`, and :class:`OnePassListSerializer`
    for ``many=True`` (a subclass's ``Meta`` gets ``list_serializer_class`` unless it names
    one; the class it declares is not modified)."""


class FastHyperlinkedModelSerializer(
    _OnePassPagesByDefault, serializers.HyperlinkedModelSerializer[_M]
):
    """``HyperlinkedModelSerializer`` with the same fast paths as :class:`FastModelSerializer`."""
