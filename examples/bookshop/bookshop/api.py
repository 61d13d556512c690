"""What the bookshop's viewsets share: authentication, paginators and an owner permission.

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
from rest_framework.permissions import SAFE_METHODS, BasePermission

from async_viewsets.pagination import AsyncPageNumberPagination, FastPageNumberPagination

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

AUTHENTICATION_CLASSES: list[type[BaseAuthentication]] = [
    SessionAuthentication,
    BasicAuthentication,
    TokenAuthentication,
]
"""Browser sessions, ``curl -u user:password`` and ``Authorization: Token ...``."""


class BookshopPagination(AsyncPageNumberPagination):
    """``?page=2``, and ``?page_size=`` up to 50; five items per page by default.

    DRF's page-number style and response (``count``, ``next``, ``previous``, ``results``);
    inside the viewsets it runs in the request's one worker-thread hop, like any DRF paginator.
    """

    page_size = 5
    page_size_query_param = "page_size"
    max_page_size = 50


class UncountedPagination(FastPageNumberPagination):
    """The same parameters without ``COUNT(*)``: ``{next, previous, results}``.

    It fetches one row more than a page to know whether a next page exists. The reviews'
    ``mine`` action uses it through ``ActionConfig.pagination_class``.
    """

    page_size = 5
    page_size_query_param = "page_size"
    max_page_size = 50


class IsOwnerOrReadOnly(BasePermission):
    """Anyone may read; only the object's ``owner`` (or staff) may change or delete it."""

    message = "Only the owner of this object may change it."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # pyright types request.user as AbstractBaseUser | AnonymousUser (only django-stubs' mypy
        # plugin resolves AUTH_USER_MODEL, here Django's User, which has is_staff).
        return bool(request.user.is_staff or obj.owner_id == request.user.pk)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
