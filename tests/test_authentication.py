"""The async authenticators answer as DRF's on every path, and ``request.user`` is resolved once.

Each scheme is served three ways: DRF's class (the reference), ours as the view runs it (the
sync method in the request's flow) and ours awaited (``prefer_sync_in_worker = False``: the
view awaits ``aauthenticate``, which uses ``request.auser()``, ``aget()`` or Django's
``aauthenticate``). Every scenario must give DRF's status, body and ``WWW-Authenticate``.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import AsyncClient
from rest_framework import authentication as drf
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncViewSet, action
from async_viewsets.authentication import (
    AsyncBasicAuthentication,
    AsyncSessionAuthentication,
    AsyncTokenAuthentication,
)
from async_viewsets.test import assert_no_orm_on_event_loop

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class AwaitedSession(AsyncSessionAuthentication):
    prefer_sync_in_worker = False


class AwaitedToken(AsyncTokenAuthentication):
    prefer_sync_in_worker = False


class AwaitedBasic(AsyncBasicAuthentication):
    prefer_sync_in_worker = False


class WhoAmI(AsyncViewSet):
    @action(detail=False, methods=["get", "post"])
    async def me(self, request: Request) -> Response:
        user = request.user
        return Response(
            {
                "user": user.get_username() if user.is_authenticated else None,
                "auth": type(request.auth).__name__,
                "authenticator": type(request.successful_authenticator).__name__,
            }
        )


SCHEMES = {
    "session": (drf.SessionAuthentication, AsyncSessionAuthentication, AwaitedSession),
    "token": (drf.TokenAuthentication, AsyncTokenAuthentication, AwaitedToken),
    "basic": (drf.BasicAuthentication, AsyncBasicAuthentication, AwaitedBasic),
}

router = SimpleRouter()
for scheme, classes in SCHEMES.items():
    for authenticator in classes:
        prefix = f"{scheme}-{authenticator.__name__.lower()}"
        router.register(
            prefix,
            type(prefix, (WhoAmI,), {"authentication_classes": [authenticator]}),
            basename=prefix,
        )


class Counting(AsyncTokenAuthentication):
    calls = 0

    def authenticate(self, request: Request) -> Any:
        Counting.calls += 1
        return super().authenticate(request)


class CountingView(AsyncViewSet):
    authentication_classes = [Counting]

    @action(detail=False)
    async def me(self, request: Request) -> Response:
        names = [request.user.get_username() for _ in range(3)]
        return Response({"names": names, "same": request.user is request.user})


router.register("counting", CountingView, basename="counting")
urlpatterns = router.urls


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


async def _answer(client: AsyncClient, prefix: str, method: str = "get", **headers: str) -> Any:
    response = await getattr(client, method)(f"/{prefix}/me/", headers=headers)
    return response.status_code, response.json(), response.headers.get("WWW-Authenticate")


async def _same_as_drf(
    client: AsyncClient, scheme: str, method: str = "get", **headers: str
) -> Any:
    reference, *ours = SCHEMES[scheme]
    expected = await _answer(client, f"{scheme}-{reference.__name__.lower()}", method, **headers)
    for variant in ours:
        got = await _answer(client, f"{scheme}-{variant.__name__.lower()}", method, **headers)
        assert got[:1] + got[2:] == expected[:1] + expected[2:], (variant, headers)
        assert {k: v for k, v in got[1].items() if k != "authenticator"} == {
            k: v for k, v in expected[1].items() if k != "authenticator"
        }
    return expected


@pytest.fixture
def token(user: User) -> Token:
    return Token.objects.create(user=user)


async def test_token(aclient: AsyncClient, user: User, token: Token) -> None:
    """A valid token authenticates its user, with the token as ``request.auth``."""
    status, body, _ = await _same_as_drf(aclient, "token", Authorization=f"Token {token.key}")
    assert (status, body["user"], body["auth"]) == (200, "alice", "Token")
    with assert_no_orm_on_event_loop():
        status, body, _ = await _answer(
            aclient, "token-awaitedtoken", Authorization=f"Token {token.key}"
        )
    assert (status, body["authenticator"]) == (200, "AwaitedToken")


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token nope", "Invalid token."),
        ("Token", "Invalid token header. No credentials provided."),
        ("Token a b", "Invalid token header. Token string should not contain spaces."),
        ("Bearer x", None),
    ],
)
async def test_token_failures(
    aclient: AsyncClient, token: Token, header: str, detail: str | None
) -> None:
    """Bad or malformed tokens are DRF's 401 with its message and ``WWW-Authenticate: Token``;
    another scheme's header leaves the request anonymous."""
    status, body, challenge = await _same_as_drf(aclient, "token", Authorization=header)
    if detail is None:
        assert (status, body["user"]) == (200, None)
    else:
        assert (status, body, challenge) == (401, {"detail": detail}, "Token")


async def test_token_of_inactive_user(aclient: AsyncClient, user: User, token: Token) -> None:
    """An inactive user's token is DRF's 401 "User inactive or deleted."."""
    await User.objects.filter(pk=user.pk).aupdate(is_active=False)
    status, body, _ = await _same_as_drf(aclient, "token", Authorization=f"Token {token.key}")
    assert (status, body) == (401, {"detail": "User inactive or deleted."})


@pytest.mark.parametrize(
    ("header", "status", "expected"),
    [
        (_basic("alice", "pw"), 200, "alice"),
        (_basic("alice", "wrong"), 401, "Invalid username/password."),
        (_basic("nobody", "pw"), 401, "Invalid username/password."),
        ("Basic", 401, "Invalid basic header. No credentials provided."),
        ("Basic a b", 401, "Invalid basic header. Credentials string should not contain spaces."),
        ("Basic %%%", 401, "Invalid basic header. Credentials not correctly base64 encoded."),
    ],
)
async def test_basic(
    aclient: AsyncClient, user: User, header: str, status: int, expected: str
) -> None:
    """Basic credentials: DRF's answers, ``WWW-Authenticate: Basic realm="api"`` on 401."""
    got_status, body, challenge = await _same_as_drf(aclient, "basic", Authorization=header)
    assert got_status == status
    if status == 200:
        assert body["user"] == expected
    else:
        assert (body, challenge) == ({"detail": expected}, 'Basic realm="api"')


async def test_basic_inactive_user(aclient: AsyncClient, user: User) -> None:
    """Django's backend refuses an inactive user; the answer is DRF's."""
    await User.objects.filter(pk=user.pk).aupdate(is_active=False)
    status, body, _ = await _same_as_drf(aclient, "basic", Authorization=_basic("alice", "pw"))
    assert (status, body) == (401, {"detail": "Invalid username/password."})


async def test_session(user: User) -> None:
    """A logged-in session authenticates; without one the request is anonymous."""
    client = AsyncClient()
    assert (await _same_as_drf(client, "session"))[1]["user"] is None
    await client.aforce_login(user)
    status, body, _ = await _same_as_drf(client, "session")
    assert (status, body["user"], body["auth"]) == (200, "alice", "NoneType")
    with assert_no_orm_on_event_loop():
        status, body, _ = await _answer(client, "session-awaitedsession")
    assert (status, body["user"]) == (200, "alice")


async def test_session_enforces_csrf_as_drf(user: User) -> None:
    """With a session, an unsafe request without a CSRF token is DRF's 403 "CSRF Failed: ...";
    with the token it passes; without a session no CSRF check applies."""
    client = AsyncClient(enforce_csrf_checks=True)
    status, body, _ = await _same_as_drf(client, "session", "post")
    assert (status, body["user"]) == (200, None)  # anonymous: no CSRF check
    await client.aforce_login(user)
    status, body, _ = await _same_as_drf(client, "session", "post")
    assert (status, body) == (403, {"detail": "CSRF Failed: CSRF cookie not set."})
    await client.get("/session-asyncsessionauthentication/me/")  # no cookie is set by an API
    from django.middleware import csrf

    secret = csrf._get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    token = csrf._mask_cipher_secret(secret)  # type: ignore[attr-defined]
    status, body, _ = await _same_as_drf(client, "session", "post", **{"X-CSRFToken": token})
    assert (status, body["user"]) == (200, "alice")
    status, body, _ = await _same_as_drf(client, "session", "post", **{"X-CSRFToken": "bad"})
    assert status == 403
    assert body["detail"].startswith("CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header")


async def test_request_user_resolved_once(aclient: AsyncClient, token: Token) -> None:
    """However often the view reads ``request.user``, the authenticator runs once per request."""
    Counting.calls = 0
    response = await aclient.get("/counting/me/", headers={"Authorization": f"Token {token.key}"})
    assert response.json() == {"names": ["alice"] * 3, "same": True}
    assert Counting.calls == 1


async def test_aauthenticate_directly(user: User, token: Token) -> None:
    """The coroutines work when called by code on the event loop, without the sync ORM."""
    from async_viewsets.test import AsyncAPIRequestFactory

    factory = AsyncAPIRequestFactory()
    with assert_no_orm_on_event_loop():
        request = Request(factory.get("/", HTTP_AUTHORIZATION=f"Token {token.key}"))
        got = await AsyncTokenAuthentication().aauthenticate(request)
        assert got is not None and got[0] == user and got[1] == token
        request = Request(factory.get("/", HTTP_AUTHORIZATION=_basic("alice", "pw")))
        got = await AsyncBasicAuthentication().aauthenticate(request)
        assert got is not None and got[0] == user
        request = Request(factory.get("/"))
        assert await AsyncSessionAuthentication().aauthenticate(request) is None
