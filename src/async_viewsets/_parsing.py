"""Parsers that answer a too deeply nested body with DRF's 400, not a 500.

Python's ``json`` (and other recursive parsers) raise ``RecursionError`` on a body such as
``[[[[...]]]]`` nested a hundred thousand deep. DRF lets that escape as a 500; the views of this
package wrap each parser so that it becomes DRF's ``ParseError``, like any malformed body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, cast

from rest_framework.exceptions import ParseError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import IO

    from rest_framework.parsers import BaseParser, DataAndFiles

    _Parse: TypeAlias = Callable[
        [IO[Any], str | None, Mapping[str, Any] | None], Mapping[Any, Any] | DataAndFiles[Any, Any]
    ]

__all__ = ["nesting_guarded"]


def nesting_guarded(parser: BaseParser) -> BaseParser:
    """``parser`` whose ``RecursionError`` (a body nested too deeply, e.g. ``[[[...]]]`` for
    Python's ``json``) is DRF's ``ParseError`` (400) instead of an uncaught error (500)."""
    # drf-stubs' parse() returns a bare ``DataAndFiles``, whose type arguments pyright reports
    # as unknown on the attribute itself; the cast spells them out for the wrapper.
    parse = cast("_Parse", parser.parse)  # pyright: ignore[reportUnknownMemberType]

    def guarded(
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Mapping[Any, Any] | DataAndFiles[Any, Any]:
        try:
            return parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("Parse error - the request body is nested too deeply.") from exc

    parser.parse = guarded  # type: ignore[method-assign]
    return parser
