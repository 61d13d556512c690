"""Async authenticators: DRF's session, token and basic authentication with ``aauthenticate``.

Each class is DRF's, with the same results, messages and ``WWW-Authenticate`` header, plus a
coroutine ``aauthenticate(request)`` that does its I/O with Django's async APIs:

* ``AsyncSessionAuthentication`` resolves the user with ``request.auser()`` (Django's
  ``AuthenticationMiddleware``) and enforces CSRF exactly as DRF's ``SessionAuthentication``
  (only for an authenticated session; a failure is a 403 ``"CSRF Failed: ..."``);
* ``AsyncTokenAuthentication`` looks the key up in DRF's authtoken model (or ``model``) with
  ``aget()``;
* ``AsyncBasicAuthentication`` checks the credentials with ``django.contrib.auth.aauthenticate``.

Header parsing is DRF's own code (its messages for a malformed header); the credential check is
written once (:mod:`async_viewsets._twins`) and serves ``authenticate_credentials`` and
``aauthenticate_credentials``.

Inside an async view the sync ``authenticate`` runs: the view's flow is already in its worker
thread, where the queries cost no extra hop (``prefer_sync_in_worker = True``; see
:mod:`async_viewsets._components`). ``aauthenticate`` serves callers on the event loop and
subclasses that set ``prefer_sync_in_worker = False``. Either way DRF's ``request.user`` is
resolved once per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth import aauthenticate, authenticate, get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import (
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)

from async_viewsets._twins import IO, Twin, arun, run

if TYPE_CHECKING:
    from rest_framework.request import Request

__all__ = [
    "AsyncBasicAuthentication",
    "AsyncSessionAuthentication",
    "AsyncTokenAuthentication",
]

UserAuth = tuple[Any, Any]
"""What an authenticator returns on success: ``(user, auth)``."""

# The messages below are DRF's, with DRF's msgids, so that its translations apply.
_INVALID_CREDENTIALS = _("Invalid username/password.")
_INACTIVE = _("User inactive or deleted.")
_INVALID_TOKEN = _("Invalid token.")


def _active(user: Any) -> Any:
    if not user.is_active:
        raise exceptions.AuthenticationFailed(_INACTIVE)
    return user


class AsyncSessionAuthentication(SessionAuthentication):
    """DRF's ``SessionAuthentication`` with ``aauthenticate`` (``request.auser()``)."""

    prefer_sync_in_worker: ClassVar[bool] = True

    def authenticate(self, request: Request) -> UserAuth | None:
        return run(self._authenticate_twin(request))

    async def aauthenticate(self, request: Request) -> UserAuth | None:
        """The session's user, or ``None``; raises DRF's 403 when CSRF fails."""
        return await arun(self._authenticate_twin(request))

    def _authenticate_twin(self, request: Request) -> Twin[UserAuth | None]:
        django_request = request._request

        async def auser() -> Any:
            resolve = getattr(django_request, "auser", None)
            return None if resolve is None else await resolve()

        user = yield IO(lambda: getattr(django_request, "user", None), auser)
        if not user or not user.is_active:
            return None  # not logged in: no CSRF check, as DRF
        self.enforce_csrf(request)
        return (user, None)


class _BasicHeader(BasicAuthentication):
    """DRF's Basic header parsing, stopping before the credential check."""

    def authenticate_credentials(  # type: ignore[override]
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[str, str]:
        return (userid, password)


class AsyncBasicAuthentication(BasicAuthentication):
    """DRF's ``BasicAuthentication`` with ``aauthenticate`` (Django's ``aauthenticate``)."""

    prefer_sync_in_worker: ClassVar[bool] = True

    async def aauthenticate(self, request: Request) -> UserAuth | None:
        """The user of valid Basic credentials, ``None`` without a Basic header; else 401."""
        credentials: tuple[str, str] | None = _BasicHeader().authenticate(request)
        if credentials is None:
            return None
        userid, password = credentials
        return await self.aauthenticate_credentials(userid, password, request)

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> UserAuth:
        return run(self._credentials_twin(userid, password, request))

    async def aauthenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> UserAuth:
        """Async twin of ``authenticate_credentials``."""
        return await arun(self._credentials_twin(userid, password, request))

    def _credentials_twin(
        self, userid: str, password: str, request: Request | None
    ) -> Twin[UserAuth]:
        # django-stubs declares USERNAME_FIELD on AbstractUser; pyright, which has no plugin to
        # resolve AUTH_USER_MODEL, sees get_user_model() as type[AbstractBaseUser].
        username_field: str = (
            get_user_model().USERNAME_FIELD  # pyright: ignore[reportArgumentType, reportAssignmentType]
        )
        credentials = {username_field: userid, "password": password}
        user = yield IO(
            lambda: authenticate(request=request, **credentials),
            lambda: aauthenticate(request=request, **credentials),
        )
        if user is None:
            raise exceptions.AuthenticationFailed(_INVALID_CREDENTIALS)
        return (_active(user), None)


class _TokenHeader(TokenAuthentication):
    """DRF's token header parsing, stopping before the key lookup."""

    def authenticate_credentials(self, key: str) -> str:  # type: ignore[override]
        return key


class AsyncTokenAuthentication(TokenAuthentication):
    """DRF's ``TokenAuthentication`` with ``aauthenticate`` (``aget()`` on the token model)."""

    prefer_sync_in_worker: ClassVar[bool] = True

    async def aauthenticate(self, request: Request) -> UserAuth | None:
        """``(user, token)`` for a valid ``Authorization: <keyword> <key>``; else ``None``/401."""
        parser = _TokenHeader()
        parser.keyword = self.keyword
        key: str | None = parser.authenticate(request)  # type: ignore[assignment]
        if key is None:
            return None
        return await self.aauthenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> UserAuth:
        return run(self._credentials_twin(key))

    async def aauthenticate_credentials(self, key: str) -> UserAuth:
        """Async twin of ``authenticate_credentials``."""
        return await arun(self._credentials_twin(key))

    def _credentials_twin(self, key: str) -> Twin[UserAuth]:
        model: Any = self.get_model()
        tokens = model.objects.select_related("user")
        try:
            token = yield IO(lambda: tokens.get(key=key), lambda: tokens.aget(key=key))
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_INVALID_TOKEN) from None
        return (_active(token.user), token)
