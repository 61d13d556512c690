"""``action``: DRF's ``@action``, typed for ``async def`` handlers too.

At runtime this is DRF's decorator (routers, ``get_extra_actions()`` and schema generators see
the usual attributes). djangorestframework-stubs types it for sync handlers only, so it is
re-declared here with a signature that accepts both kinds and keeps the handler's own type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import decorators as _drf

if TYPE_CHECKING:
    from collections.abc import Sequence

    from async_viewsets.action_types import ActionDecorator

__all__ = ["action"]


def action(
    methods: Sequence[str] | None = None,
    detail: bool | None = None,
    url_path: str | None = None,
    url_name: str | None = None,
    **kwargs: Any,
) -> ActionDecorator:
    """Mark a viewset method, sync or ``async def``, as a routable action (DRF's ``@action``)."""
    drf_action: Any = _drf.action  # typed for sync handlers only in djangorestframework-stubs
    return drf_action(  # type: ignore[no-any-return]
        methods=methods, detail=detail, url_path=url_path, url_name=url_name, **kwargs
    )
