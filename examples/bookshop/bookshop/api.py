"""What the bookshop's viewsets share: authentication, pagination and an owner permission.

The viewsets name these classes explicitly instead of relying on ``REST_FRAMEWORK`` defaults,
so they behave the same under any settings module (the test suite installs these apps under
its own settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.authentication import (
    BaseAuthentication,
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

AUTHENTICATION_CLASSES: list[type[BaseAuthentication]] = [
    SessionAuthentication,
    BasicAuthentication,
    TokenAuthentication,
]
"""Browser sessions, ``curl -u user:password`` and ``Authorization: Token ...``."""


class BookshopPagination(PageNumberPagination):
    """``?page=2``, and ``?page_size=`` up to 50; five items per page by default."""

    page_size = 5
    page_size_query_param = "page_size"
    max_page_size = 50


class IsOwnerOrReadOnly(BasePermission):
    """Anyone may read; only the object's ``owner`` (or staff) may change or delete it."""

    message = "Only the owner of this object may change it."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user.is_staff or obj.owner_id == request.user.pk)
