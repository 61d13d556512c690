"""Resolution of ``action_configs`` (see :class:`~async_viewsets.config.ActionConfig`).

``ActionConfigMixin`` sits in front of DRF's ``GenericAPIView`` in every view class of this
package, async and sync, and answers DRF's ``get_*()`` questions for the current action:

=====================  =========================================================================
``get_queryset``       ``config.queryset`` (``.all()`` or called with the view), else DRF's
``get_serializer_class``  ``config.serializer_class``, else DRF's (``serializer_class``)
``get_request_serializer_class``   ``config.request_serializer_class``, class attribute, then
                       ``get_serializer_class()``
``get_response_serializer_class``  the same with ``response_serializer_class``
``get_permissions``, ``get_throttles``, ``get_parsers``, ``get_renderers``  config, else class
``paginator``          ``config.pagination_class``, else ``pagination_class`` (which defaults to
                       ``DEFAULT_PAGINATION_CLASS``)
=====================  =========================================================================

DRF builds a request's parsers before it sets ``self.action``, so per-action parsers would be
ignored; ``initialize_request`` here resolves the action first. For an OPTIONS request
(``self.action == "metadata"``) the config of the action that the probed method maps to is
used, so DRF's ``SimpleMetadata`` describes the request serializer that action really uses.

The keys of ``action_configs`` are checked when the class is defined: a key that names no
action of the class raises ``ImproperlyConfigured`` naming the class, the key, the actions the
class has and the closest match.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from rest_framework.decorators import MethodMapper
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from async_viewsets._parsing import nesting_guarded
from async_viewsets.config import ActionConfig
from async_viewsets.schemas import ActionAwareSchema

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest
    from rest_framework.pagination import BasePagination
    from rest_framework.parsers import BaseParser
    from rest_framework.permissions import BasePermission
    from rest_framework.renderers import BaseRenderer
    from rest_framework.request import Request
    from rest_framework.serializers import BaseSerializer
    from rest_framework.throttling import BaseThrottle

__all__ = [
    "STANDARD_ACTIONS",
    "ActionConfigMixin",
    "ActionPolicyMixin",
    "check_routed_actions",
    "declared_actions",
]

_M = TypeVar("_M", bound=Model)

STANDARD_ACTIONS: tuple[str, ...] = (
    "list",
    "retrieve",
    "create",
    "update",
    "partial_update",
    "destroy",
)
"""The actions DRF's model mixins provide, by their ``self.action`` names."""

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def declared_actions(cls: type) -> frozenset[str]:
    """Every ``self.action`` value a request to ``cls`` can carry.

    The standard actions the class defines, each ``@action`` method (also extra HTTP methods
    added with ``@x.mapping.delete``), and ``"metadata"`` (DRF's name for OPTIONS).
    """
    names = {name for name in STANDARD_ACTIONS if callable(getattr(cls, name, None))}
    names.add("metadata")
    for attr in dir(cls):
        mapping = getattr(getattr(cls, attr, None), "mapping", None)
        if isinstance(mapping, MethodMapper):
            names.add(attr)
            # drf-stubs declares MethodMapper a bare ``dict``; it maps HTTP methods to actions.
            names.update(cast("Mapping[str, str]", mapping).values())
    return frozenset(names)


def _check_action_configs(cls: type) -> None:
    configs = cls.__dict__.get("action_configs")
    if configs is None:
        return
    qualname = f"{cls.__module__}.{cls.__qualname__}"
    if not isinstance(configs, Mapping):
        raise ImproperlyConfigured(
            f"{qualname}.action_configs must be a dict of action name to ActionConfig, "
            f"got {type(configs).__name__}."
        )
    actions = declared_actions(cls)
    # Anything may be found in a class attribute: keys and values are checked below.
    for key, config in cast("Mapping[object, object]", configs).items():
        if not isinstance(config, ActionConfig):
            raise ImproperlyConfigured(
                f"{qualname}.action_configs[{key!r}] must be an ActionConfig, got {config!r}; "
                f"write {key!r}: ActionConfig(...)."
            )
        if key in actions:
            continue
        known = ", ".join(sorted(actions - {"metadata"})) or "none"
        close = difflib.get_close_matches(str(key), sorted(actions), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        undecorated = ""
        if callable(getattr(cls, str(key), None)):
            undecorated = (
                f" {cls.__name__}.{key} is a method but not an action: decorate it with "
                f"@action so that routers route it."
            )
        raise ImproperlyConfigured(
            f"{qualname}.action_configs has the key {key!r}, which is not an action of "
            f"{cls.__name__}.{hint}{undecorated} Actions of this class: {known}."
        )


def _check_get_queryset(cls: type) -> None:
    from asgiref.sync import iscoroutinefunction

    get_queryset = cls.__dict__.get("get_queryset")
    if get_queryset is None:
        return
    # asgiref's iscoroutinefunction is inspect's on Python 3.12+; pyright types it as asgiref's
    # 3.11 fallback, asyncio's, which typeshed marks deprecated since 3.14.
    if iscoroutinefunction(get_queryset):  # pyright: ignore[reportDeprecated]
        raise ImproperlyConfigured(
            f"{cls.__module__}.{cls.__qualname__}.get_queryset must not be async: it builds a "
            f"lazy QuerySet and runs no query, so write it with `def`. Async work belongs in "
            f"aget_object(), afilter_queryset() or the action itself."
        )


_NEEDS_QUERYSET = frozenset({"list", "retrieve", "update", "partial_update", "destroy"})
_NEEDS_SERIALIZER = frozenset({"list", "retrieve", "create", "update", "partial_update"})


def check_routed_actions(
    cls: type, actions: Iterable[str], initkwargs: Mapping[str, Any] = _EMPTY
) -> None:
    """Fail at ``as_view()`` when a routed model action has no queryset or serializer.

    DRF finds out on the first request (an ``AssertionError``, so a 500); this names the class,
    the action and the fix before the server starts. ``initkwargs`` are ``as_view()``'s
    (``ListAPIView.as_view(queryset=..., serializer_class=...)`` configures the view too).
    """
    from async_viewsets._hooks import is_library_function

    configs: Mapping[str, ActionConfig[Any]] = getattr(cls, "action_configs", _EMPTY)
    qualname = f"{cls.__module__}.{cls.__qualname__}"
    custom_lookup = any(
        not is_library_function(getattr(cls, hook, None)) for hook in ("get_object", "aget_object")
    )
    for name in sorted(set(actions)):
        handler = getattr(cls, name, None)
        if getattr(handler, "_async_viewsets_flow", None) is None:
            continue  # a hand-written action decides for itself what it needs
        config = configs.get(name)
        if name in _NEEDS_QUERYSET and not (
            getattr(cls, "queryset", None) is not None
            or initkwargs.get("queryset") is not None
            or not is_library_function(getattr(cls, "get_queryset", None))
            or getattr(config, "queryset", None) is not None
            or (name != "list" and custom_lookup)  # an overridden get_object finds the object
        ):
            raise ImproperlyConfigured(
                f"{qualname} routes {name!r} but has no queryset: set `queryset = "
                f"Model.objects.all()`, override get_queryset(), or give "
                f"action_configs[{name!r}] a queryset."
            )
        if name in _NEEDS_SERIALIZER and not (
            getattr(cls, "serializer_class", None) is not None
            or initkwargs.get("serializer_class") is not None
            or not is_library_function(getattr(cls, "get_serializer_class", None))
            or not is_library_function(getattr(cls, "get_serializer", None))
            or getattr(config, "serializer_class", None) is not None
            or (
                (
                    getattr(config, "response_serializer_class", None)
                    or getattr(cls, "response_serializer_class", None)
                )
                and (
                    name not in {"create", "update", "partial_update"}
                    or getattr(config, "request_serializer_class", None)
                    or getattr(cls, "request_serializer_class", None)
                )
            )
        ):
            raise ImproperlyConfigured(
                f"{qualname} routes {name!r} but has no serializer: set `serializer_class`, "
                f"override get_serializer_class(), or give action_configs[{name!r}] a "
                f"serializer_class."
            )


class ActionPolicyMixin(APIView):
    """The action-config fields that any view has: permissions, throttles, parsers, renderers."""

    action_configs: Mapping[str, ActionConfig[Any]] = _EMPTY
    """Per-action overrides, keyed by action name (``self.action``)."""

    schema = ActionAwareSchema()
    """``DEFAULT_SCHEMA_CLASS``, describing each action as configured (:mod:`.schemas`)."""

    action: str  # as ViewSetMixin (drf-stubs); set by initialize_request when routed by action

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _check_get_queryset(cls)
        _check_action_configs(cls)

    # --- the current action and its config ---------------------------------------------------

    def _method_action(self, method: str | None) -> str | None:
        action_map: Mapping[str, str] | None = getattr(self, "action_map", None)
        if method is None or action_map is None:
            return None
        if method == "head" and "head" not in action_map:
            method = "get"
        return action_map.get(method)

    def get_action_config(self) -> ActionConfig[Any] | None:
        """The ``ActionConfig`` of the current action, or ``None``."""
        action: str | None = getattr(self, "action", None)
        if action == "metadata":
            request = getattr(self, "request", None)
            method = getattr(request, "method", None)
            action = self._method_action(method.lower() if method else None) or action
        if action is None:
            return None
        return self.action_configs.get(action)

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        """Set ``self.action`` before DRF builds the parsers, so per-action parsers apply."""
        if getattr(self, "action_map", None) is not None:
            method = (request.method or "").lower()
            self.action = "metadata" if method == "options" else self._method_action(method)  # type: ignore[assignment]
        return super().initialize_request(request, *args, **kwargs)

    def _configured_classes(self, name: str) -> Sequence[Any]:
        config = self.get_action_config()
        classes = getattr(config, name) if config is not None else None
        return getattr(self, name) if classes is None else classes  # type: ignore[no-any-return]

    def get_permissions(self) -> list[BasePermission]:
        return [permission() for permission in self._configured_classes("permission_classes")]

    def get_throttles(self) -> list[BaseThrottle]:
        return [throttle() for throttle in self._configured_classes("throttle_classes")]

    def get_parsers(self) -> list[BaseParser]:
        return [nesting_guarded(parser()) for parser in self._configured_classes("parser_classes")]

    def get_renderers(self) -> list[BaseRenderer]:
        return [renderer() for renderer in self._configured_classes("renderer_classes")]


class ActionConfigMixin(ActionPolicyMixin, GenericAPIView[_M], Generic[_M]):
    """Per-action configuration for DRF's generic views; see the module docstring."""

    action_configs: Mapping[str, ActionConfig[_M]] = _EMPTY
    """Per-action overrides, keyed by action name (``self.action``)."""

    request_serializer_class: type[BaseSerializer[Any]] | None = None
    """Serializer that validates input when it differs from ``serializer_class``."""

    response_serializer_class: type[BaseSerializer[Any]] | None = None
    """Serializer that renders output when it differs from ``serializer_class``."""

    @classmethod
    def as_view(cls, *args: Any, **initkwargs: Any) -> Any:
        """DRF's ``as_view`` for generic views, after checking the routed actions' needs."""
        from async_viewsets._hooks import is_library_function

        action_map: Mapping[str, str] = getattr(cls, "action_map", None) or {}
        # A method whose handler the class overrides does not run the mapped action.
        served = [a for m, a in action_map.items() if is_library_function(getattr(cls, m, None))]
        check_routed_actions(cls, served, initkwargs)
        return super().as_view(*args, **initkwargs)

    def get_queryset(self) -> QuerySet[_M]:
        config = self.get_action_config()
        queryset: QuerySet[_M] | Callable[[Any], QuerySet[_M]] | None = (
            config.queryset if config is not None else None
        )
        if queryset is None:
            return super().get_queryset()
        if isinstance(queryset, QuerySet):
            # pyright narrows the callable member to a callable QuerySet subclass of unknown
            # model (``QuerySet[Unknown, Unknown]``); the QuerySet member is ``QuerySet[_M]``.
            return queryset.all()  # pyright: ignore[reportUnknownVariableType]
        return queryset(self)

    def get_serializer_class(self) -> type[BaseSerializer[_M]]:
        config = self.get_action_config()
        if getattr(self, "action", None) == "metadata":
            # OPTIONS describes input: the probed action's request serializer, in the order
            # get_request_serializer_class() uses, before any plain serializer_class.
            request_class = getattr(config, "request_serializer_class", None)
            request_class = request_class or self.request_serializer_class
            if request_class is not None:
                return request_class
        if config is not None and config.serializer_class is not None:
            return config.serializer_class
        return super().get_serializer_class()

    def get_request_serializer_class(self) -> type[BaseSerializer[Any]]:
        """The serializer that validates the request body for the current action."""
        config = self.get_action_config()
        if config is not None and config.request_serializer_class is not None:
            return config.request_serializer_class
        if self.request_serializer_class is not None:
            return self.request_serializer_class
        return self.get_serializer_class()

    def get_response_serializer_class(self) -> type[BaseSerializer[Any]]:
        """The serializer that renders the response for the current action."""
        config = self.get_action_config()
        if config is not None and config.response_serializer_class is not None:
            return config.response_serializer_class
        if self.response_serializer_class is not None:
            return self.response_serializer_class
        return self.get_serializer_class()

    def _has_split_serializers(self, attr: str) -> bool:
        config = self.get_action_config()
        return getattr(config, attr, None) is not None or getattr(self, attr) is not None

    def get_request_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]:
        """An instance of the request serializer (``get_serializer()`` when there is none)."""
        if not self._has_split_serializers("request_serializer_class"):
            return self.get_serializer(*args, **kwargs)
        kwargs.setdefault("context", self.get_serializer_context())
        return self.get_request_serializer_class()(*args, **kwargs)

    def get_response_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]:
        """An instance of the response serializer (``get_serializer()`` when there is none)."""
        if not self._has_split_serializers("response_serializer_class"):
            return self.get_serializer(*args, **kwargs)
        kwargs.setdefault("context", self.get_serializer_context())
        return self.get_response_serializer_class()(*args, **kwargs)

    def get_pagination_class(self) -> type[BasePagination] | None:
        """``config.pagination_class``, else the class's ``pagination_class``."""
        config = self.get_action_config()
        if config is not None and config.pagination_class is not None:
            return config.pagination_class
        return self.pagination_class

    @property
    def paginator(self) -> BasePagination | None:
        """The paginator instance for the current action, or ``None``."""
        if not hasattr(self, "_paginator"):
            pagination_class = self.get_pagination_class()
            self._paginator = pagination_class() if pagination_class is not None else None
        return self._paginator
