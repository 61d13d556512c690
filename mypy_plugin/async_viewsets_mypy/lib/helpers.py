"""Reading models, serializers and actions off mypy's nodes and types.

Everything here is a pure function of mypy's data, so it works the same during semantic
analysis and type checking, for classes analysed in this run and for classes loaded from the
cache (whose bodies are gone: those are read through their types and ``TypeInfo.metadata``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mypy.expandtype import expand_type_by_instance
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
from mypy.type_visitor import TypeTranslator
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    ProperType,
    Type,
    TypeAliasType,
    TypeOfAny,
    TypeType,
    TypeVarId,
    TypeVarLikeType,
    TypeVarType,
    UnionType,
    get_proper_type,
    has_type_vars,
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


def map_to_base(instance: Instance, fullname: str) -> Instance | None:
    """``instance`` as an instance of its base class ``fullname`` (None if not a base).

    The result of mypy's ``map_instance_to_supertype``, which maps along the first derivation
    path in base order, as this does; but mypy's function first enumerates every path, and the
    library's viewsets (five mixins over one generic core) have many: this walks one.
    """
    current = instance
    while current.type.fullname != fullname:
        for base in current.type.bases:
            if base.type.fullname == fullname or base.type.has_base(fullname):
                mapped = get_proper_type(expand_type_by_instance(base, current))
                if not isinstance(mapped, Instance):
                    return None
                current = mapped
                break
        else:
            return None
    return current


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
        mapped = map_to_base(proper, generic)
        if mapped is not None:
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
    mapped = map_to_base(serializer, fullnames.BASE_SERIALIZER)
    return model_info(mapped.args[0]) if mapped is not None and mapped.args else None


def is_serializer_type_arg_concrete(serializer: Instance) -> bool:
    """Whether the serializer's type argument is known (not ``Any``), so mypy checks it."""
    mapped = map_to_base(serializer, fullnames.BASE_SERIALIZER)
    return (
        mapped is not None
        and bool(mapped.args)
        and not isinstance(get_proper_type(mapped.args[0]), AnyType)
    )


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


def expand_leaked_defaults(info: TypeInfo) -> None:
    """Expand type-variable defaults that mypy 1.x leaves unexpanded in ``info``'s bases.

    ``_S`` defaults to ``BaseSerializer[_M]``. For ``class V(AsyncModelViewSet)`` mypy 2 makes
    the base ``AsyncModelViewSet[Any, BaseSerializer[Any]]``; mypy 1.19 leaves
    ``BaseSerializer[_M]`` with a ``_M`` that belongs to no class of ``V``'s (its id does not
    match the base's own ``_M``), and then reports ``serializer_class = AuthorSerializer`` as
    an ``[assignment]`` error. This substitutes such foreign type variables by name with the
    base's argument for them, which is what mypy 2 does; it changes nothing on mypy 2.
    """
    own = {tv.id for tv in info.defn.type_vars}
    for index, base in enumerate(info.bases):
        if not base.args or not any(has_type_vars(arg) for arg in base.args):
            continue
        by_name = {
            tv.name: arg
            for tv, arg in zip(base.type.defn.type_vars, base.args, strict=False)
            if not has_type_vars(arg)
        }
        expanded = base.accept(_ForeignTypeVars(own, by_name))
        if isinstance(expanded, Instance) and expanded != base:
            info.bases[index] = expanded


class _ForeignTypeVars(TypeTranslator):
    """Replace type variables that are not ``own`` by the type ``by_name`` gives their name."""

    def __init__(self, own: set[TypeVarId], by_name: dict[str, Type]) -> None:
        super().__init__()
        self.own = own
        self.by_name = by_name

    def visit_type_var(self, t: TypeVarType) -> Type:
        if t.id in self.own:
            return t
        return self.by_name.get(t.name, t)

    def visit_type_alias_type(self, t: TypeAliasType) -> Type:
        return t.copy_modified(args=[arg.accept(self) for arg in t.args])


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
    if not info.has_base(fullnames.GENERIC_VIEW_CORE):
        return None
    self_type = fill_typevars(info)
    if not isinstance(self_type, Instance):
        return None
    mapped = map_to_base(self_type, fullnames.GENERIC_VIEW_CORE)
    if mapped is None or len(mapped.args) < 2:
        return None
    return get_proper_type(mapped.args[0]), get_proper_type(mapped.args[1])


def viewset_model(info: TypeInfo) -> ViewsetModel | None:
    """The model of a generic view or viewset ``info``; None when it is not a generic view.

    ``ViewsetModel.info`` is None when the model is unknown (a generic user base class, or a
    bare viewset without a recognisable ``queryset``).
    """
    return viewset_model_from_args(info, core_type_args(info))


def viewset_model_from_args(
    info: TypeInfo, args: tuple[ProperType, ProperType] | None
) -> ViewsetModel | None:
    """:func:`viewset_model`, given ``core_type_args(info)``."""
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
    """Actions decorated in this class itself: from its body, else from the cache's metadata.

    Library classes are read from the metadata only (recorded for every class by the MRO
    hook): walking their large bodies again for every user viewset would be wasted work.
    """
    if has_body(info) and not is_library_class(info):
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
