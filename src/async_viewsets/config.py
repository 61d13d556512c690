"""``ActionConfig``: per-action overrides for a viewset, in one typed, frozen value.

DRF spreads per-action behaviour over ``get_serializer_class()``, ``get_permissions()`` and
friends, each overridden with an ``if self.action == ...`` ladder. ``ActionConfig`` says the same
declaratively::

    class BookViewSet(AsyncModelViewSet[Book, BookSerializer]):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        action_configs = {
            "list": ActionConfig(serializer_class=BookListSerializer),
            "destroy": ActionConfig(permission_classes=[IsAdminUser]),
            "mine": ActionConfig(
                queryset=lambda view: Book.objects.filter(owner=view.request.user)
            ),
        }

Every field defaults to ``None``, which means "not overridden": the view falls through to its
class attribute and ``get_*()`` method, and from there to DRF's settings defaults. The type
parameter is the viewset's model; a ``queryset`` or serializer of another model is a type
error (and an error of the mypy plugin for viewsets declared without type arguments).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rest_framework.pagination import BasePagination
    from rest_framework.parsers import BaseParser
    from rest_framework.renderers import BaseRenderer
    from rest_framework.serializers import BaseSerializer
    from rest_framework.throttling import BaseThrottle

    from async_viewsets.types import PermissionClass

__all__ = ["ActionConfig"]

_M = TypeVar("_M", bound=Model)  # invariant on purpose: ActionConfig[Model] must not fit anywhere


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionConfig(Generic[_M]):
    """Overrides for one action of a viewset; ``None`` fields fall through to the class."""

    serializer_class: type[BaseSerializer[_M]] | None = None
    """Serializer for input and output, as ``get_serializer_class()`` returns it."""

    request_serializer_class: type[BaseSerializer[Any]] | None = None
    """Serializer that validates the request body (defaults to ``serializer_class``)."""

    response_serializer_class: type[BaseSerializer[_M]] | None = None
    """Serializer that renders the response (defaults to ``serializer_class``)."""

    permission_classes: Sequence[PermissionClass] | None = None
    throttle_classes: Sequence[type[BaseThrottle]] | None = None
    parser_classes: Sequence[type[BaseParser]] | None = None
    renderer_classes: Sequence[type[BaseRenderer]] | None = None
    pagination_class: type[BasePagination] | None = None

    queryset: QuerySet[_M] | Callable[[Any], QuerySet[_M]] | None = None
    """A QuerySet (re-evaluated per request with ``.all()``) or a ``(view) -> QuerySet``."""

    def __post_init__(self) -> None:
        """Reject values that cannot work, at import time rather than on the first request."""
        for name in _CLASS_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, type):
                raise TypeError(
                    f"ActionConfig.{name} must be a class, got {value!r}; "
                    f"pass the class itself, not an instance."
                )
        for name in _SEQUENCE_FIELDS:
            value = getattr(self, name)
            if value is not None and isinstance(value, (str, bytes, type)):
                raise TypeError(
                    f"ActionConfig.{name} must be a list or tuple of classes, got {value!r}; "
                    f"write {name}=[{getattr(value, '__name__', value)}]."
                )
        queryset = self.queryset
        if queryset is not None and not isinstance(queryset, QuerySet) and not callable(queryset):
            hint = ".all()" if hasattr(queryset, "get_queryset") else ""  # type: ignore[unreachable]
            raise TypeError(
                f"ActionConfig.queryset must be a QuerySet or a callable taking the view, "
                f"got {queryset!r}{'; write Model.objects.all()' if hint else ''}."
            )


def _frozen_setattr(self: ActionConfig[Any], name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: ActionConfig[Any], name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


# Python 3.11's frozen+slots dataclass refers to the class before slots were added, so setting an
# attribute that is not a field raises TypeError instead of FrozenInstanceError; typing's
# ``ActionConfig[Book](...)`` sets ``__orig_class__`` and expects an AttributeError. Same
# behaviour on every version: every assignment is a FrozenInstanceError (an AttributeError).
ActionConfig.__setattr__ = _frozen_setattr  # type: ignore[assignment, method-assign]
ActionConfig.__delattr__ = _frozen_delattr  # type: ignore[assignment, method-assign]

_CLASS_FIELDS = (
    "serializer_class",
    "request_serializer_class",
    "response_serializer_class",
    "pagination_class",
)
_SEQUENCE_FIELDS = ("permission_classes", "throttle_classes", "parser_classes", "renderer_classes")
