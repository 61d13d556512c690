"""Parsers that answer a too deeply nested body with DRF's 400, not a 500.

Python's ``json`` (and other recursive parsers) raise ``RecursionError`` on a body such as
``[[[[...]]]]`` nested a hundred thousand deep. DRF lets that escape as a 500; the views of this
package wrap each parser so that it becomes DRF's ``ParseError``, like any malformed body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.exceptions import ParseError

if TYPE_CHECKING:
    from rest_framework.parsers import BaseParser

__all__ = ["nesting_guarded"]


def nesting_guarded(parser: BaseParser) -> BaseParser:
    """``parser`` whose ``RecursionError`` (a body nested too deeply, e.g. ``[[[...]]]`` for
    Python's ``json``) is DRF's ``ParseError`` (400) instead of an uncaught error (500)."""
    parse = parser.parse

    def guarded(stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("Parse error - the request body is nested too deeply.") from exc

    parser.parse = guarded  # type: ignore[method-assign]
    return parser
