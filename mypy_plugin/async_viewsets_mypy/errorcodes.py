"""The plugin's error codes, one per check, and the helpers that report them.

Every code can be silenced on its own: ``# type: ignore[viewset-action-key]``,
``disable_error_code = ["viewset-undecorated-action"]`` or ``--disable-error-code``.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Final, Protocol

from mypy.errorcodes import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mypy.nodes import Context

__all__ = [
    "ACTION_KEY",
    "CONFIG_MODEL",
    "SERIALIZER_MODEL",
    "UNDECORATED_ACTION",
    "error_action_key",
    "error_config_queryset_model",
    "error_config_serializer_model",
    "error_serializer_model",
    "error_undecorated_action",
]

ACTION_KEY: Final = ErrorCode(
    "viewset-action-key",
    "An action_configs key that is not an action of the viewset",
    "async-viewsets",
)
UNDECORATED_ACTION: Final = ErrorCode(
    "viewset-undecorated-action",
    "An action_configs key that names a method lacking @action",
    "async-viewsets",
)
CONFIG_MODEL: Final = ErrorCode(
    "viewset-config-model",
    "An ActionConfig queryset or serializer of another model than the viewset's",
    "async-viewsets",
)
SERIALIZER_MODEL: Final = ErrorCode(
    "viewset-serializer-model",
    "A viewset's serializer of another model than the viewset's",
    "async-viewsets",
)


class _Reporter(Protocol):
    """``fail()`` as both the semantic analyzer and the checker plugin interfaces have it."""

    def fail(self, msg: str, ctx: Context, /, *, code: ErrorCode | None = None) -> object: ...


def error_action_key(
    api: _Reporter, ctx: Context, key: str, viewset: str, actions: Iterable[str]
) -> None:
    known = sorted(set(actions))
    close = difflib.get_close_matches(key, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    listed = ", ".join(name for name in known if name != "metadata") or "none"
    api.fail(
        f'"{key}" is not an action of {viewset}{hint} (actions: {listed})', ctx, code=ACTION_KEY
    )


def error_undecorated_action(api: _Reporter, ctx: Context, key: str, viewset: str) -> None:
    api.fail(
        f'"{key}" is a method of {viewset} but not an action: decorate it with @action '
        f"so that routers route it",
        ctx,
        code=UNDECORATED_ACTION,
    )


def error_config_queryset_model(
    api: _Reporter, ctx: Context, got: str, viewset: str, model: str
) -> None:
    api.fail(
        f'ActionConfig queryset is a QuerySet of "{got}", but the model of {viewset} is "{model}"',
        ctx,
        code=CONFIG_MODEL,
    )


def error_config_serializer_model(
    api: _Reporter,
    ctx: Context,
    field: str,
    serializer: str,
    got: str,
    viewset: str,
    model: str,
) -> None:
    api.fail(
        f'ActionConfig {field} {serializer} serializes "{got}", but the model of {viewset} '
        f'is "{model}"',
        ctx,
        code=CONFIG_MODEL,
    )


def error_serializer_model(
    api: _Reporter, ctx: Context, where: str, serializer: str, got: str, viewset: str, model: str
) -> None:
    api.fail(
        f'{where} {serializer} serializes "{got}", but the model of {viewset} is "{model}"',
        ctx,
        code=SERIALIZER_MODEL,
    )
