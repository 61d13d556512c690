"""Entry point of the mypy plugin: ``plugins = [..., "async_viewsets_mypy.main"]``.

Dispatch only; the checks live in :mod:`async_viewsets_mypy.transformers`, imported on the
first hook that needs them (a run that finds every module in the cache needs none). List this
plugin after ``mypy_django_plugin.main`` and ``mypy_drf_plugin.main``: for each hook mypy uses
the first plugin that claims it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from mypy.nodes import TypeInfo
from mypy.plugin import ClassDefContext, FunctionContext, Plugin, ReportConfigContext

# errorcodes is imported with the plugin, not lazily: mypy checks the codes named in
# `disable_error_code` / `enable_error_code` against the registered ones when it loads plugins.
from async_viewsets_mypy import __version__, errorcodes  # noqa: F401
from async_viewsets_mypy.lib import fullnames

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy.types import Type

# Base classes from these modules are never views of this library: no lookup for them.
_NEVER_VIEW_PREFIXES = (
    "builtins.",
    "typing.",
    "typing_extensions.",
    "abc.",
    "collections.",
    "enum.",
    "django.",
    "rest_framework.",
)


class AsyncViewsetsPlugin(Plugin):
    """Checks ``action_configs`` and model/serializer agreement of drf-async-viewsets views."""

    def _view_class(self, fullname: str) -> bool:
        if fullname.startswith(_NEVER_VIEW_PREFIXES):
            return False
        sym = self.lookup_fully_qualified(fullname)
        return (
            sym is not None
            and isinstance(sym.node, TypeInfo)
            and sym.node.has_base(fullnames.ACTION_POLICY_MIXIN)
        )

    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        return _view_class_hook() if self._view_class(fullname) else None

    def get_customize_class_mro_hook(
        self, fullname: str
    ) -> Callable[[ClassDefContext], None] | None:
        return _mro_hook()

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return _action_config_hook() if fullname == fullnames.ACTION_CONFIG else None

    def report_config_data(self, ctx: ReportConfigContext) -> dict[str, Any]:
        return {"async_viewsets_mypy": __version__}


# The transformers, imported once, on first use.


@cache
def _view_class_hook() -> Callable[[ClassDefContext], None]:
    from async_viewsets_mypy.transformers.viewsets import check_view_class

    return check_view_class


@cache
def _mro_hook() -> Callable[[ClassDefContext], None]:
    from async_viewsets_mypy.transformers.actions import record_class_actions

    return record_class_actions


@cache
def _action_config_hook() -> Callable[[FunctionContext], Type]:
    from async_viewsets_mypy.transformers.action_config import check_action_config_call

    return check_action_config_call


def plugin(version: str) -> type[AsyncViewsetsPlugin]:
    """mypy's entry point; the plugin supports mypy 1.19 and 2.x."""
    return AsyncViewsetsPlugin
