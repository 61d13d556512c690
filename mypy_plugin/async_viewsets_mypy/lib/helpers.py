"""Reading models, serializers and actions off mypy's nodes and types.

Everything here is a pure function of mypy's data, so it works the same during semantic
analysis and type checking, for classes analysed in this run and for classes loaded from the
cache (whose bodies are gone: those are read through their types and ``TypeInfo.metadata``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mypy.maptype import map_instance_to_supertype
from mypy.nodes import (
    AssignmentStmt,
    CallExpr,
    ClassDef,
    Decorator,
    DictExpr,
    Expression,
    FuncBase,
    IndexExpr,
    MemberExpr,
    NameExpr,
    OverloadedFuncDef,
    PlaceholderNode,
    RefExpr,
    StrExpr,
    TypeInfo,
    Var,
)
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    ProperType,
    Type,
    TypeOfAny,
    TypeType,
    TypeVarLikeType,
    UnionType,
    get_proper_type,
)
from mypy.typevars import fill_typevars

from async_viewsets_mypy.lib import fullnames

if TYPE_CHECKING:
    from collections.abc import Iterator

# --- the plugin's metadata ------------------------------------------------------------------


def metadata(info: TypeInfo) -> dict[str, Any]:
    """This class's entry in ``TypeInfo.metadata`` (created empty when missing)."""
    return info.metadata.setdefault(fullnames.METADATA_KEY, {})


def read_metadata(info: TypeInfo) -> dict[str, Any]:
    """This class's entry in ``TypeInfo.metadata``, without creating it."""
    entry = info.metadata.get(fullnames.METADATA_KEY)
    return entry if isinstance(entry, dict) else {}


# --- classes ---------------------------------------------------------------------------------


def is_library_class(info: TypeInfo) -> bool:
    return info.module_name.startswith(fullnames.LIBRARY_MODULE_PREFIXES) or info.module_name in {
        "builtins",
        "typing",
        "abc",
    }


def has_body(info: TypeInfo) -> bool:
    """Whether the class body is available (False for classes deserialized from the cache)."""
    return bool(info.defn.defs.body)


def is_incomplete(info: TypeInfo) -> bool:
    """Whether semantic analysis of the class still has unresolved names (it will be deferred)."""
    return any(isinstance(sym.node, PlaceholderNode) for sym in info.names.values())


def find_base(info: TypeInfo, fullname: str) -> TypeInfo | None:
    for base in info.mro:
        if base.fullname == fullname:
            return base
    return None


def class_assignments(defn: ClassDef) -> Iterator[AssignmentStmt]:
    """Assignments to a single name in the class body (``x = ...`` and ``x: T = ...``)."""
    for stmt in defn.defs.body:
        if isinstance(stmt, AssignmentStmt) and len(stmt.lvalues) == 1:
            yield stmt


def assigned_value(defn: ClassDef, name: str) -> AssignmentStmt | None:
    """The last assignment to ``name`` in the class body (the one in effect at runtime)."""
    found = None
    for stmt in class_assignments(defn):
        lvalue = stmt.lvalues[0]
        if isinstance(lvalue, NameExpr) and lvalue.name == name:
            found = stmt
    return found


# --- models ----------------------------------------------------------------------------------


def model_info(typ: Type | None) -> TypeInfo | None:
    """The model class of an instance type ``User`` (None for Any, type variables, non-models)."""
    proper = get_proper_type(typ)
    if isinstance(proper, Instance) and proper.type.has_base(fullnames.MODEL):
        return proper.type
    return None


def models_related(a: TypeInfo, b: TypeInfo) -> bool:
    """Same model, or one inherits the other (proxy and multi-table models are accepted)."""
    return a.has_base(b.fullname) or b.has_base(a.fullname)


def queryset_model(typ: Type | None) -> TypeInfo | None:
    """The model of ``QuerySet[User]``, ``Manager[User]`` or a subclass such as ``UserQuerySet``."""
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance):
        return None
    for generic in (fullnames.QUERYSET, fullnames.BASE_MANAGER):
        base = find_base(proper.type, generic)
        if base is not None:
            mapped = map_instance_to_supertype(proper, base)
            return model_info(mapped.args[0]) if mapped.args else None
    return None


def queryset_or_factory_model(typ: Type | None) -> TypeInfo | None:
    """The model of a QuerySet, or of the QuerySet a callable returns (``lambda view: ...``)."""
    proper = get_proper_type(typ)
    if isinstance(proper, CallableType) and not proper.is_type_obj():
        return queryset_model(proper.ret_type)
    return queryset_model(proper)


def model_from_expression(expr: Expression) -> TypeInfo | None:
    """``User`` in ``User.objects.filter(...).select_related(...)`` (syntactic, fully resolved).

    Works during semantic analysis, when no expression has a type yet.
    """
    while True:
        if isinstance(expr, CallExpr):
            expr = expr.callee
        elif isinstance(expr, RefExpr) and isinstance(expr.node, TypeInfo):
            return expr.node if expr.node.has_base(fullnames.MODEL) else None
        elif isinstance(expr, MemberExpr):
            expr = expr.expr
        else:
            return None


def model_of_class_queryset(info: TypeInfo) -> TypeInfo | None:
    """The model of a user class's own ``queryset = X.objects...`` (or its inferred type)."""
    if has_body(info):
        stmt = assigned_value(info.defn, "queryset")
        if stmt is not None:
            model = model_from_expression(stmt.rvalue)
            if model is not None:
                return model
    sym = info.names.get("queryset")
    if sym is not None and isinstance(sym.node, Var):
        return queryset_model(sym.node.type)
    return None


# --- serializers -----------------------------------------------------------------------------


def class_of(typ: Type | None) -> Instance | None:
    """``ArticleSerializer`` for the type of the expression ``ArticleSerializer`` (a class)."""
    proper = get_proper_type(typ)
    if isinstance(proper, UnionType):
        items = [class_of(item) for item in proper.items if not is_none(item)]
        return items[0] if len(items) == 1 else None
    if isinstance(proper, CallableType) and proper.is_type_obj():
        ret = get_proper_type(proper.ret_type)
        return ret if isinstance(ret, Instance) else None
    if isinstance(proper, TypeType):
        item = get_proper_type(proper.item)
        return item if isinstance(item, Instance) else None
    return None


def is_none(typ: Type) -> bool:
    proper = get_proper_type(typ)
    return isinstance(proper, Instance) and proper.type.fullname == "builtins.NoneType"


def serializer_type_arg_model(serializer: Instance) -> TypeInfo | None:
    """The model a serializer is parametrized with (``ModelSerializer[User]``), if any."""
    base = find_base(serializer.type, fullnames.BASE_SERIALIZER)
    if base is None:
        return None
    mapped = map_instance_to_supertype(serializer, base)
    return model_info(mapped.args[0]) if mapped.args else None


def is_serializer_type_arg_concrete(serializer: Instance) -> bool:
    """Whether the serializer's type argument is known (not ``Any``), so mypy checks it."""
    base = find_base(serializer.type, fullnames.BASE_SERIALIZER)
    if base is None:
        return False
    mapped = map_instance_to_supertype(serializer, base)
    return bool(mapped.args) and not isinstance(get_proper_type(mapped.args[0]), AnyType)


def meta_model(serializer: TypeInfo) -> TypeInfo | None:
    """``Meta.model`` of a user serializer class, by type or (same SCC) by its assignment."""
    for klass in serializer.mro:
        if is_library_class(klass):
            return None
        sym = klass.names.get("Meta")
        if sym is None or not isinstance(sym.node, TypeInfo):
            continue
        return _meta_model(sym.node)
    return None


def _meta_model(meta: TypeInfo) -> TypeInfo | None:
    for klass in meta.mro:
        if is_library_class(klass):
            return None
        sym = klass.names.get("model")
        if sym is None:
            continue
        if isinstance(sym.node, Var) and sym.node.type is not None:
            target = class_of(sym.node.type)
            if target is not None:
                return model_info(target)
        if has_body(klass):
            stmt = assigned_value(klass.defn, "model")
            if stmt is not None and isinstance(stmt.rvalue, RefExpr):
                node = stmt.rvalue.node
                if isinstance(node, TypeInfo) and node.has_base(fullnames.MODEL):
                    return node
        return None
    return None


def serializer_model(serializer: Instance) -> TypeInfo | None:
    """The model a serializer class serializes: its type argument, else ``Meta.model``."""
    return serializer_type_arg_model(serializer) or meta_model(serializer.type)


def serializer_class_from_expression(expr: Expression) -> Instance | None:
    """The serializer class an expression names (semantic analysis: no types yet)."""
    if isinstance(expr, IndexExpr):  # ModelSerializer[User] used directly is rare; skip
        return None
    if isinstance(expr, RefExpr) and isinstance(expr.node, TypeInfo):
        info = expr.node
        if info.has_base(fullnames.BASE_SERIALIZER):
            return fill_typevars_any(info)
    return None


def fill_typevars_any(info: TypeInfo) -> Instance:
    """``info`` as an instance type with ``Any`` for its own type variables."""
    instance = fill_typevars(info)
    assert isinstance(instance, Instance)
    if not instance.args:
        return instance
    return Instance(info, [AnyType(TypeOfAny.from_omitted_generics) for _ in instance.args])


# --- viewsets --------------------------------------------------------------------------------


class ViewsetModel:
    """The model of a viewset: from its type arguments, or (bare viewsets) from ``queryset``."""

    __slots__ = ("info", "parametrized", "serializer_arg")

    def __init__(
        self, info: TypeInfo | None, *, parametrized: bool, serializer_arg: Instance | None
    ) -> None:
        self.info = info
        self.parametrized = parametrized
        self.serializer_arg = serializer_arg


def core_type_args(info: TypeInfo) -> tuple[ProperType, ProperType] | None:
    """``(_M, _S)`` of ``GenericViewCore`` as seen from ``info`` (None if not a generic view)."""
    core = find_base(info, fullnames.GENERIC_VIEW_CORE)
    if core is None:
        return None
    self_type = fill_typevars(info)
    if not isinstance(self_type, Instance):
        return None
    mapped = map_instance_to_supertype(self_type, core)
    if len(mapped.args) < 2:
        return None
    return get_proper_type(mapped.args[0]), get_proper_type(mapped.args[1])


def viewset_model(info: TypeInfo) -> ViewsetModel | None:
    """The model of a generic view or viewset ``info``; None when it is not a generic view.

    ``ViewsetModel.info`` is None when the model is unknown (a generic user base class, or a
    bare viewset without a recognisable ``queryset``).
    """
    args = core_type_args(info)
    if args is None:
        return None
    model_arg, serializer_arg = args
    if isinstance(model_arg, TypeVarLikeType):
        return ViewsetModel(None, parametrized=True, serializer_arg=None)
    if isinstance(model_arg, Instance):
        serializer = serializer_arg if isinstance(serializer_arg, Instance) else None
        return ViewsetModel(model_info(model_arg), parametrized=True, serializer_arg=serializer)
    for klass in info.mro:
        if is_library_class(klass):
            break
        model = model_of_class_queryset(klass)
        if model is not None:
            return ViewsetModel(model, parametrized=False, serializer_arg=None)
    return ViewsetModel(None, parametrized=False, serializer_arg=None)


# --- actions ---------------------------------------------------------------------------------


def _decorator_callee(expr: Expression) -> Expression:
    return expr.callee if isinstance(expr, CallExpr) else expr


def is_action_decorator(expr: Expression, *, resolved: bool) -> bool:
    """``@action(...)`` (DRF's or ours) or ``@other.mapping.delete``.

    ``resolved`` compares full names (after semantic analysis); otherwise the decorator is
    matched by its spelling, which is all that exists before the class body is analysed.
    """
    callee = _decorator_callee(expr)
    if (
        isinstance(callee, MemberExpr)
        and isinstance(callee.expr, MemberExpr)
        and callee.expr.name == "mapping"
    ):
        return True
    if resolved:
        return isinstance(callee, RefExpr) and callee.fullname in fullnames.ACTION_DECORATORS
    return isinstance(callee, (NameExpr, MemberExpr)) and callee.name == "action"


def decorated_actions(defn: ClassDef, *, resolved: bool) -> list[str]:
    """Names of the methods in the class body decorated as actions."""
    names = []
    for stmt in defn.defs.body:
        decorator = stmt
        if isinstance(stmt, OverloadedFuncDef) and isinstance(stmt.impl, Decorator):
            decorator = stmt.impl
        if isinstance(decorator, Decorator) and any(
            is_action_decorator(expr, resolved=resolved) for expr in decorator.original_decorators
        ):
            names.append(decorator.name)
    return sorted(set(names))


def class_actions(info: TypeInfo) -> list[str]:
    """Actions decorated in this class itself: from its body, else from the cache's metadata."""
    if has_body(info) and info.defn.defs.body:
        return decorated_actions(info.defn, resolved=True)
    recorded = read_metadata(info).get("actions")
    if not isinstance(recorded, list):
        return []
    return [name for name in recorded if isinstance(name, str)]


def all_actions(info: TypeInfo) -> set[str]:
    """Every action name of a view class: standard actions it defines, ``@action`` methods
    (inherited ones too) and ``metadata``. Mirrors ``async_viewsets.declared_actions``."""
    names = {name for name in fullnames.STANDARD_ACTIONS if _is_method(info.get(name))}
    names |= fullnames.ALWAYS_ACTIONS
    for klass in info.mro:
        if klass.fullname == "builtins.object" or klass.module_name.startswith(
            ("rest_framework.", "django.")
        ):
            continue
        names.update(class_actions(klass))
    return names


def _is_method(sym: object) -> bool:
    node = getattr(sym, "node", None)
    return isinstance(node, (FuncBase, Decorator))


def user_method_owner(info: TypeInfo, name: str) -> TypeInfo | None:
    """The user class (not the library) in the MRO that defines the method ``name``."""
    for klass in info.mro:
        sym = klass.names.get(name)
        if sym is None:
            continue
        if is_library_class(klass) or not isinstance(sym.node, (FuncBase, Decorator)):
            return None
        return klass
    return None


# --- action_configs --------------------------------------------------------------------------


def action_config_entries(
    stmt: AssignmentStmt,
) -> Iterator[tuple[str | None, Expression | None, Expression]]:
    """``(key, key_expr, value)`` for each entry of ``action_configs = {...}`` or ``dict(...)``.

    Non-literal keys give ``(None, key_expr, value)``; ``**spread`` entries give
    ``(None, None, value)``. Both are not checked.
    """
    rvalue = stmt.rvalue
    if isinstance(rvalue, DictExpr):
        for key, value in rvalue.items:
            if isinstance(key, StrExpr):
                yield key.value, key, value
            else:
                yield None, key, value
    elif (
        isinstance(rvalue, CallExpr)
        and isinstance(rvalue.callee, RefExpr)
        and rvalue.callee.fullname == "builtins.dict"
    ):
        for name, arg in zip(rvalue.arg_names, rvalue.args, strict=True):
            yield name, (arg if name is not None else None), arg
