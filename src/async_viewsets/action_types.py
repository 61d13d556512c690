"""Types for action handlers and ``action_configs``: what the type checkers see.

* :class:`ActionMethod` is what ``@action`` returns to a type checker: the method, callable and
  bindable as before, plus DRF's attributes (``detail``, ``url_path``, ``mapping``...). Its
  ``mapping`` accepts ``async def`` handlers (``@archive.mapping.delete``), which
  djangorestframework-stubs' ``MethodMapper`` does not.
* :class:`ModelViewSetActionConfigs` and :class:`ReadOnlyModelViewSetActionConfigs` are opt-in
  TypedDicts of the standard action names of a viewset kind, and
  :func:`model_viewset_configs` / :func:`read_only_model_viewset_configs` build an
  ``action_configs`` mapping from them with keyword arguments, so that pyright and pylance
  complete and check the keys (mypy users get the same from the plugin)::

      class UserViewSet(AsyncModelViewSet[User, UserSerializer]):
          action_configs = model_viewset_configs(
              list=ActionConfig(serializer_class=UserListSerializer),
              destroy=ActionConfig(permission_classes=[IsAdminUser]),
          )

  Limits: only the standard names exist as keywords, so custom ``@action`` keys go in a dict
  merged with the result (``{**model_viewset_configs(...), "archive": ActionConfig(...)}``,
  where the type checkers no longer check the literal key). Annotating
  ``action_configs: ModelViewSetActionConfigs[User]`` directly does not work: both checkers
  reject a TypedDict where the base class declares a ``Mapping``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Generic,
    Protocol,
    Self,
    TypedDict,
    TypeVar,
    overload,
)

from django.db.models import Model
from typing_extensions import ParamSpec, Unpack

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

    from async_viewsets.config import ActionConfig

__all__ = [
    "ActionDecorator",
    "ActionMapping",
    "ActionMethod",
    "ModelViewSetActionConfigs",
    "ReadOnlyModelViewSetActionConfigs",
    "model_viewset_configs",
    "read_only_model_viewset_configs",
]

_M = TypeVar("_M", bound=Model)
_P = ParamSpec("_P")
_R_co = TypeVar("_R_co", covariant=True)
_View_contra = TypeVar("_View_contra", contravariant=True)
_V = TypeVar("_V")
_R = TypeVar("_R", bound="Awaitable[HttpResponseBase] | HttpResponseBase")
_H = TypeVar(
    "_H",
    bound=Callable[..., "Awaitable[HttpResponseBase]"] | Callable[..., "HttpResponseBase"],
)


class ActionMapping(Protocol):
    """``action.mapping``: route more HTTP methods of the action's URL to other handlers."""

    def get(self, func: _H, /) -> _H: ...
    def post(self, func: _H, /) -> _H: ...
    def put(self, func: _H, /) -> _H: ...
    def patch(self, func: _H, /) -> _H: ...
    def delete(self, func: _H, /) -> _H: ...
    def head(self, func: _H, /) -> _H: ...
    def options(self, func: _H, /) -> _H: ...
    def trace(self, func: _H, /) -> _H: ...


class ActionDecorator(Protocol):
    """What ``action(...)`` returns: a decorator for sync or ``async def`` handler methods."""

    def __call__(self, func: Callable[Concatenate[_V, _P], _R], /) -> ActionMethod[_V, _P, _R]: ...


class ActionMethod(Protocol[_View_contra, _P, _R_co]):
    """A method decorated with ``@action``: the handler plus DRF's routing attributes."""

    detail: bool
    url_path: str
    url_name: str
    kwargs: Mapping[str, Any]
    mapping: ActionMapping
    __name__: str

    def __call__(self, view: _View_contra, /, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...

    @overload
    def __get__(self, instance: None, owner: type[Any], /) -> Self: ...
    @overload
    def __get__(
        self, instance: object, owner: type[Any] | None = None, /
    ) -> Callable[_P, _R_co]: ...


class ReadOnlyModelViewSetActionConfigs(TypedDict, Generic[_M], total=False):
    """The action names of a read-only model viewset (``list``, ``retrieve``, ``metadata``)."""

    list: ActionConfig[_M]
    retrieve: ActionConfig[_M]
    metadata: ActionConfig[_M]


class ModelViewSetActionConfigs(ReadOnlyModelViewSetActionConfigs[_M], total=False):
    """The action names of a model viewset: the read-only ones plus the write actions."""

    create: ActionConfig[_M]
    update: ActionConfig[_M]
    partial_update: ActionConfig[_M]
    destroy: ActionConfig[_M]


def model_viewset_configs(
    **configs: Unpack[ModelViewSetActionConfigs[_M]],
) -> Mapping[str, ActionConfig[_M]]:
    """``action_configs`` for a model viewset, keyed by keyword (checked and completed)."""
    return dict(configs)  # type: ignore[arg-type]  # a TypedDict's values are `object` to mypy


def read_only_model_viewset_configs(
    **configs: Unpack[ReadOnlyModelViewSetActionConfigs[_M]],
) -> Mapping[str, ActionConfig[_M]]:
    """``action_configs`` for a read-only model viewset, keyed by keyword."""
    return dict(configs)  # type: ignore[arg-type]
