"""Full names of the runtime classes and functions the plugin recognises."""

from __future__ import annotations

from typing import Final

METADATA_KEY: Final = "async_viewsets"
"""Key of the plugin's entry in ``TypeInfo.metadata`` (serialized into the mypy cache)."""

ACTION_POLICY_MIXIN: Final = "async_viewsets.action_configs.ActionPolicyMixin"
"""Every class with ``action_configs`` (all views and viewsets of the library, async and sync)."""

GENERIC_VIEW_CORE: Final = "async_viewsets._generic.GenericViewCore"
"""``GenericViewCore[_M, _S]``: the generic base of the generic views and the model viewsets."""

ACTION_CONFIG: Final = "async_viewsets.config.ActionConfig"

ACTION_DECORATORS: Final = frozenset(
    {
        "async_viewsets.decorators.action",
        "async_viewsets.action",
        "rest_framework.decorators.action",
    }
)
"""``@action`` decorators whose methods are routable actions."""

STANDARD_ACTIONS: Final = ("list", "retrieve", "create", "update", "partial_update", "destroy")
"""Mirrors ``async_viewsets.action_configs.STANDARD_ACTIONS`` (checked by a test)."""

ALWAYS_ACTIONS: Final = frozenset({"metadata"})
"""Action names every view has: DRF sets ``self.action = "metadata"`` for OPTIONS."""

LIBRARY_MODULE_PREFIXES: Final = ("async_viewsets.", "rest_framework.", "django.")
"""Classes from these packages are library classes: never user code, never dependencies."""

MODEL: Final = "django.db.models.base.Model"
QUERYSET: Final = "django.db.models.query.QuerySet"
BASE_MANAGER: Final = "django.db.models.manager.BaseManager"
BASE_SERIALIZER: Final = "rest_framework.serializers.BaseSerializer"

ACTION_CONFIG_SERIALIZER_ARGS: Final = ("serializer_class", "response_serializer_class")
"""``ActionConfig`` fields typed as serializers of the viewset's model.

``request_serializer_class`` is deliberately absent: input-only serializers are often not bound
to the model (it is typed ``type[BaseSerializer[Any]]``).
"""
