"""drf-spectacular integration: each action's request body, response and paginator.

Install the ``spectacular`` extra and configure drf-spectacular as usual
(``DEFAULT_SCHEMA_CLASS = "drf_spectacular.openapi.AutoSchema"``). The views of this package
then describe each action as it really runs (see :mod:`async_viewsets.schemas`, which mixes
:class:`ActionAwareSchemaMixin` into the configured schema class); nothing needs patching:

* the request body is the action's request serializer
  (``ActionConfig.request_serializer_class``, ``request_serializer_class``, then the serializer);
* responses use its response serializer (``response_serializer_class`` likewise);
* the paginator is the one in effect for the action (``ActionConfig.pagination_class``, else
  the view's), with its own query parameters and response shape; ``FastPageNumberPagination``
  is described as ``{next, previous, results}`` with ``page`` (and ``page_size``, when enabled);
* security requirements follow the action's permission classes, as drf-spectacular does for
  DRF's views.

When an action's paginator differs from the view's ``pagination_class``, its paginated
component is named after the paginator class (its name without ``Pagination``) so that it cannot
collide with the view's own paginated component of the same serializer
(``FastPagesPaginatedBookListList`` for a ``FastPages`` paginator).

``AutoSchema`` here is drf-spectacular's with the mixin, for projects that name a schema class
explicitly (``DEFAULT_SCHEMA_CLASS`` or a view's ``schema``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.drainage import error
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import (
    build_serializer_context,  # pyright: ignore[reportUnknownVariableType] -- `view` is unannotated
)

from async_viewsets.schemas import pagination_class_of

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["ActionAwareSchemaMixin", "AutoSchema"]


if TYPE_CHECKING:
    # What the mixin is mixed into, so that ``self.view`` and the ``super()`` calls are typed.
    _SchemaBase = SpectacularAutoSchema
else:
    _SchemaBase = object


class ActionAwareSchemaMixin(_SchemaBase):
    """Mixin for drf-spectacular's ``AutoSchema``; see the module docstring.

    A plain mixin at runtime (its base ``_SchemaBase`` is ``object``); type checkers see it as
    a subclass of drf-spectacular's ``AutoSchema``, the class it is combined with.
    """

    def _action_serializer(self, factory: Callable[..., Any]) -> Any:
        try:
            return factory(context=build_serializer_context(self.view))
        except Exception as exc:
            error(
                f"exception raised while getting the serializer of {type(self.view).__name__} "
                f"for its action {getattr(self.view, 'action', None)!r}: {exc}"
            )
            return None

    def get_request_serializer(self) -> Any:
        factory = getattr(self.view, "get_request_serializer", None)
        if factory is None:
            # drf-spectacular types serializers as a bare ``Serializer`` (unknown model).
            return super().get_request_serializer()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return self._action_serializer(factory)

    def get_response_serializers(self) -> Any:
        factory = getattr(self.view, "get_response_serializer", None)
        if factory is None:
            return super().get_response_serializers()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return self._action_serializer(factory)

    def _get_paginator(self) -> Any:
        pagination_class = pagination_class_of(self.view)
        return pagination_class() if pagination_class is not None else None

    def get_paginated_name(self, serializer_name: str) -> str:
        name: str = super().get_paginated_name(serializer_name)
        pagination_class = pagination_class_of(self.view)
        if pagination_class is None or pagination_class is getattr(
            self.view, "pagination_class", None
        ):
            return name
        style = pagination_class.__name__.removesuffix("Pagination")
        return f"{style}{name}"


class AutoSchema(ActionAwareSchemaMixin, SpectacularAutoSchema):
    """drf-spectacular's ``AutoSchema`` that describes each action as it runs."""
