"""Record the ``@action`` methods of every class, so that subclasses see them through the cache.

Decorator expressions are not serialized in mypy's cache, so a base class loaded from the cache
has no decorator information. This transformer runs for every class (through the MRO hook,
before the class body is analysed) and stores the names of its action methods in
``TypeInfo.metadata``, which is serialized. Plain mixins (``class ArchiveMixin:``) are covered
too, which the base-class hook would miss. Viewsets overwrite the record with the exact,
resolved list once their body is analysed (:mod:`.viewsets`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mypy.nodes import CallExpr, Decorator, Expression, MemberExpr, NameExpr, OverloadedFuncDef

from async_viewsets_mypy.lib import fullnames, helpers

if TYPE_CHECKING:
    from mypy.plugin import ClassDefContext


def record_class_actions(ctx: ClassDefContext) -> None:
    names = []
    for stmt in ctx.cls.defs.body:
        decorator = stmt.impl if isinstance(stmt, OverloadedFuncDef) else stmt
        if isinstance(decorator, Decorator) and any(
            _looks_like_action(ctx, expr) for expr in decorator.original_decorators
        ):
            names.append(decorator.name)
    if names:
        helpers.metadata(ctx.cls.info)["actions"] = sorted(set(names))
    elif fullnames.METADATA_KEY in ctx.cls.info.metadata:
        helpers.metadata(ctx.cls.info).pop("actions", None)


# Decorators spelled like these are never ``action`` (they are the bulk of the decorators in the
# stubs of Django and DRF, which this hook also sees): no import lookup for them.
_OTHER_DECORATORS = frozenset(
    {
        "overload",
        "override",
        "property",
        "cached_property",
        "setter",
        "getter",
        "deleter",
        "classmethod",
        "staticmethod",
        "abstractmethod",
        "final",
        "deprecated",
        "type_check_only",
    }
)


def _looks_like_action(ctx: ClassDefContext, expr: Expression) -> bool:
    """The decorator before semantic analysis: resolve its name through the imports."""
    callee = expr.callee if isinstance(expr, CallExpr) else expr
    if (
        isinstance(callee, MemberExpr)
        and isinstance(callee.expr, MemberExpr)
        and callee.expr.name == "mapping"
    ):
        return True  # @archive.mapping.delete
    if isinstance(callee, (NameExpr, MemberExpr)) and callee.name in _OTHER_DECORATORS:
        return False
    dotted = _dotted_name(callee)
    if dotted is None:
        return False
    sym = ctx.api.lookup_qualified(dotted, ctx.cls, suppress_errors=True)
    if sym is not None and sym.node is not None and sym.fullname:
        return sym.fullname in fullnames.ACTION_DECORATORS
    return dotted.rsplit(".", 1)[-1] == "action"


def _dotted_name(expr: Expression) -> str | None:
    if isinstance(expr, NameExpr):
        return expr.name
    if isinstance(expr, MemberExpr):
        prefix = _dotted_name(expr.expr)
        return f"{prefix}.{expr.name}" if prefix is not None else None
    return None
