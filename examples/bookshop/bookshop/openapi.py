"""OpenAPI annotations that work with or without drf-spectacular.

drf-spectacular is optional for the bookshop (see ``settings.SPECTACULAR``). :func:`extend_schema`
is drf-spectacular's decorator when it is installed, and leaves the view unchanged otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


def _unchanged(function: _F) -> _F:
    return function


def extend_schema(**kwargs: Any) -> Callable[[_F], _F]:
    """``drf_spectacular.utils.extend_schema(**kwargs)``, or a no-op without drf-spectacular."""
    if find_spec("drf_spectacular") is None:
        return _unchanged
    # drf-spectacular's annotations name DRF's serializers without type arguments, which pyright
    # reports as partially unknown.
    from drf_spectacular.utils import (
        extend_schema as spectacular_extend_schema,  # pyright: ignore[reportUnknownVariableType]
    )

    return spectacular_extend_schema(**kwargs)
