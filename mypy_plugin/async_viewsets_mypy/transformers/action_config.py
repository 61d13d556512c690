"""Checks of ``ActionConfig(...)`` calls in a view class body (type checking, function hook).

For a viewset declared with type arguments, mypy's own inference checks querysets and
serializers that carry their model in their type; this adds the ``Meta.model`` check for
serializers declared without one (``class S(ModelSerializer)``). For a bare viewset
(``class V(AsyncModelViewSet)`` with ``queryset = User.objects.all()``), where the type
parameter is ``Any``, it checks the ``queryset`` (a QuerySet or a callable returning one) and
the serializers against the model of ``queryset``. Both report ``viewset-config-model``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mypy.checker import TypeChecker

from async_viewsets_mypy import errorcodes
from async_viewsets_mypy.lib import fullnames, helpers

if TYPE_CHECKING:
    from mypy.plugin import FunctionContext
    from mypy.types import Type

_CHECKED_FIELDS = frozenset({"queryset", *fullnames.ACTION_CONFIG_SERIALIZER_ARGS})


def check_action_config_call(ctx: FunctionContext) -> Type:
    # The arguments this checks (ActionConfig's fields are keyword-only); most configs have
    # none (permissions, throttles, parsers...), and then there is nothing to look up.
    checked = [
        (field, actuals[0], types[0])
        for field, actuals, types in zip(ctx.callee_arg_names, ctx.args, ctx.arg_types, strict=True)
        if actuals and field in _CHECKED_FIELDS
    ]
    if not checked:
        return ctx.default_return_type
    api = ctx.api
    viewset = api.scope.active_class() if isinstance(api, TypeChecker) else None
    if viewset is None:
        return ctx.default_return_type  # module level or inside a method: nothing to compare
    model = helpers.viewset_model(viewset)
    if model is None or model.info is None:
        return ctx.default_return_type
    for field, expr, typ in checked:
        if field == "queryset":
            if model.parametrized:
                continue  # the declared ActionConfig[Model] is the type context: mypy checks it
            got = helpers.queryset_or_factory_model(typ)
            if got is not None and not helpers.models_related(got, model.info):
                errorcodes.error_config_queryset_model(
                    api, expr, got.name, viewset.name, model.info.name
                )
        else:  # a serializer field
            serializer = helpers.class_of(typ)
            if serializer is None:
                continue
            if model.parametrized and helpers.is_serializer_type_arg_concrete(serializer):
                continue  # mypy checks ``type[BaseSerializer[Model]]`` itself
            got = helpers.serializer_model(serializer)
            if got is not None and not helpers.models_related(got, model.info):
                errorcodes.error_config_serializer_model(
                    api, expr, field, serializer.type.name, got.name, viewset.name, model.info.name
                )
    return ctx.default_return_type
