"""Type aliases shared by the package (kept here so that no module imports a private stub name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from rest_framework.permissions import BasePermission, OperandHolder, SingleOperandHolder

__all__ = ["PermissionClass"]

PermissionClass: TypeAlias = "type[BasePermission] | OperandHolder | SingleOperandHolder"
"""What DRF accepts in ``permission_classes``: a class or a ``&``/``|``/``~`` composition."""
