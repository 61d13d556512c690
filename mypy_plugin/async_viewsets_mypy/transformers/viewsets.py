"""Checks of a view or viewset class definition (semantic analysis, base-class hook).

* ``action_configs`` keys name actions of the class (``viewset-action-key``), and a key that
  names a method without ``@action`` gets ``viewset-undecorated-action``;
* ``AsyncModelViewSet[User, ArticleSerializer]`` and a class-level ``serializer_class`` agree
  with the viewset's model (``viewset-serializer-model``);
* the class's exact ``@action`` list goes into ``TypeInfo.metadata`` for subclasses;
* dmypy dependencies on everything the checks read from other classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mypy.nodes import Expression, IndexExpr, RefExpr, TypeInfo
from mypy.server.trigger import make_wildcard_trigger
from mypy.traverser import all_name_and_member_expressions
from mypy.types import Instance

from async_viewsets_mypy import errorcodes
from async_viewsets_mypy.lib import fullnames, helpers

if TYPE_CHECKING:
    from mypy.plugin import ClassDefContext, SemanticAnalyzerPluginInterface
    from mypy.types import ProperType


def check_view_class(ctx: ClassDefContext) -> None:
    info = ctx.cls.info
    if not _is_first_view_base(ctx):
        return  # the hook runs once per base expression; do the work once
    helpers.expand_leaked_defaults(info)
    if helpers.is_incomplete(info) and not ctx.api.final_iteration:
        ctx.api.defer()
        return
    helpers.metadata(info)["actions"] = helpers.decorated_actions(ctx.cls, resolved=True)
    args = helpers.core_type_args(info)
    _add_dependencies(ctx.api, info, args)
    _check_action_config_keys(ctx)
    _check_serializers(ctx, args)


def _base_info(expr: Expression) -> TypeInfo | None:
    if isinstance(expr, IndexExpr):
        expr = expr.base
    if isinstance(expr, RefExpr) and isinstance(expr.node, TypeInfo):
        return expr.node
    return None


def _is_first_view_base(ctx: ClassDefContext) -> bool:
    for expr in ctx.cls.base_type_exprs:
        base = _base_info(expr)
        if base is not None and base.has_base(fullnames.ACTION_POLICY_MIXIN):
            return expr is ctx.reason
    return False


# --- action_configs keys ---------------------------------------------------------------------


def _check_action_config_keys(ctx: ClassDefContext) -> None:
    stmt = helpers.assigned_value(ctx.cls, "action_configs")
    if stmt is None:
        return
    info = ctx.cls.info
    actions = helpers.all_actions(info)
    for key, key_expr, _ in helpers.action_config_entries(stmt):
        if key is None or key_expr is None or key in actions:
            continue
        if helpers.user_method_owner(info, key) is not None:
            errorcodes.error_undecorated_action(ctx.api, key_expr, key, info.name)
        else:
            errorcodes.error_action_key(ctx.api, key_expr, key, info.name, actions)


# --- serializers of the viewset ---------------------------------------------------------------


def _check_serializers(ctx: ClassDefContext, args: tuple[ProperType, ProperType] | None) -> None:
    info = ctx.cls.info
    model = helpers.viewset_model_from_args(info, args)
    if model is None or model.info is None:
        return
    if model.parametrized and isinstance(ctx.reason, IndexExpr):
        serializer = model.serializer_arg
        if serializer is not None and not helpers.is_library_class(serializer.type):
            got = helpers.serializer_model(serializer)
            if got is not None and not helpers.models_related(got, model.info):
                errorcodes.error_serializer_model(
                    ctx.api,
                    ctx.reason,
                    "serializer type argument",
                    serializer.type.name,
                    got.name,
                    info.name,
                    model.info.name,
                )
    stmt = helpers.assigned_value(ctx.cls, "serializer_class")
    if stmt is None:
        return
    serializer = helpers.serializer_class_from_expression(stmt.rvalue)
    if serializer is None:
        return
    if model.parametrized and helpers.is_serializer_type_arg_concrete(serializer):
        return  # mypy itself checks it against the declared ``type[_S]``
    got = helpers.serializer_model(serializer)
    if got is not None and not helpers.models_related(got, model.info):
        errorcodes.error_serializer_model(
            ctx.api,
            stmt.rvalue,
            "serializer_class",
            serializer.type.name,
            got.name,
            info.name,
            model.info.name,
        )


# --- dmypy -----------------------------------------------------------------------------------


def _add_dependencies(
    api: SemanticAnalyzerPluginInterface,
    info: TypeInfo,
    args: tuple[ProperType, ProperType] | None,
) -> None:
    """Fine-grained dependencies on every class whose changes can change our verdicts.

    Checker hooks cannot declare dependencies, so the serializers that ``ActionConfig(...)``
    calls mention are found here, syntactically.
    """
    seen: set[str] = set()  # user classes depended on, and library classes skipped

    def depend(klass: TypeInfo) -> bool:
        """Depend on a user class (and its ``Meta``); whether it is a user class seen first."""
        if klass.fullname in seen:
            return False
        seen.add(klass.fullname)
        if helpers.is_library_class(klass):
            return False
        api.add_plugin_dependency(make_wildcard_trigger(klass.fullname))
        meta = klass.names.get("Meta")
        if meta is not None and isinstance(meta.node, TypeInfo):
            depend(meta.node)
        return True

    for base in info.mro[1:]:
        depend(base)
    if args is not None:
        for arg in args:
            if isinstance(arg, Instance):
                depend(arg.type)
    for name in ("serializer_class", "queryset", "action_configs"):
        stmt = helpers.assigned_value(info.defn, name)
        if stmt is not None:
            for ref in _class_refs(stmt.rvalue):
                # A library class has library bases only; a class seen before had its bases
                # walked then (or was one of ``info``'s, which are all walked above).
                if depend(ref):
                    for base in ref.mro[1:]:
                        depend(base)


def _class_refs(expr: Expression) -> list[TypeInfo]:
    """Classes named anywhere in ``expr`` (``ActionConfig(serializer_class=X)``, ``X.objects``)."""
    names, members = all_name_and_member_expressions(expr)
    found = []
    for ref in [*names, *members]:
        if isinstance(ref.node, TypeInfo) and ref.node.fullname != fullnames.ACTION_CONFIG:
            found.append(ref.node)
    return found
