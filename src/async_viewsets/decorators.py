"""``action``: DRF's ``@action``, typed for ``async def`` handlers too.

At runtime this is DRF's decorator (routers, ``get_extra_actions()`` and schema generators see
the usual attributes). djangorestframework-stubs types it for sync handlers only, so it is
re-declared here with a signature that accepts both kinds and keeps the handler's own type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from rest_framework import decorators as _drf

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

__all__ = ["action"]

_F = TypeVar(
    "_F",
    bound=Callable[..., "Awaitable[HttpResponseBase]"] | Callable[..., "HttpResponseBase"],
)


def action(
    methods: Sequence[str] | None = None,
    detail: bool | None = None,
    url_path: str | None = None,
    url_name: str | None = None,
    **kwargs: Any,
) -> Callable[[_F], _F]:
    """Mark a viewset method, sync or ``async def``, as a routable action (DRF's ``@action``)."""
    decorate = _drf.action(
        methods=methods, detail=detail, url_path=url_path, url_name=url_name, **kwargs  # type: ignore[arg-type]
    )
    return decorate  # type: ignore[return-value]
