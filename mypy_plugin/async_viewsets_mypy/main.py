"""Entry point of the mypy plugin: ``plugins = [..., "async_viewsets_mypy.main"]``.

Dispatch only; the checks live in :mod:`async_viewsets_mypy.transformers`. List this plugin
after ``mypy_django_plugin.main`` and ``mypy_drf_plugin.main``: for each hook mypy uses the
first plugin that claims it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mypy.nodes import TypeInfo
from mypy.plugin import ClassDefContext, FunctionContext, Plugin, ReportConfigContext

from async_viewsets_mypy import __version__
from async_viewsets_mypy.lib import fullnames
from async_viewsets_mypy.transformers.action_config import check_action_config_call
from async_viewsets_mypy.transformers.actions import record_class_actions
from async_viewsets_mypy.transformers.viewsets import check_view_class

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy.types import Type


class AsyncViewsetsPlugin(Plugin):
    """Checks ``action_configs`` and model/serializer agreement of drf-async-viewsets views."""

    def _view_class(self, fullname: str) -> bool:
        sym = self.lookup_fully_qualified(fullname)
        return (
            sym is not None
            and isinstance(sym.node, TypeInfo)
            and sym.node.has_base(fullnames.ACTION_POLICY_MIXIN)
        )

    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        if self._view_class(fullname):
            return check_view_class
        return None

    def get_customize_class_mro_hook(
        self, fullname: str
    ) -> Callable[[ClassDefContext], None] | None:
        return record_class_actions

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        if fullname == fullnames.ACTION_CONFIG:
            return check_action_config_call
        return None

    def report_config_data(self, ctx: ReportConfigContext) -> dict[str, Any]:
        return {"async_viewsets_mypy": __version__}


def plugin(version: str) -> type[AsyncViewsetsPlugin]:
    """mypy's entry point; the plugin supports mypy 1.19 and 2.x."""
    return AsyncViewsetsPlugin
