"""Permissions on async views: sync and async permissions, DRF's ``&``, ``|`` and ``~`` across
both kinds, object permissions, messages, codes and 401/403 exactly as DRF.

The oracle is DRF itself: every composition is also built from sync twins of its operands
(same answers, plain ``has_permission``/``has_object_permission``) and served by DRF's own
``ReadOnlyModelViewSet``; our async viewset, with the async operands, must answer the same.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.test import AsyncClient
from rest_framework import exceptions, viewsets
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from async_viewsets import AsyncReadOnlyModelViewSet, ReadOnlyModelViewSet
from async_viewsets.test import AsyncAPIRequestFactory
from tests.testapp.models import Author, Book
from tests.testapp.serializers import BookListSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CALLS: list[str] = []
"""Names of the operands evaluated, in order (to check short-circuiting)."""


def _operand(name: str, allow: bool, allow_object: bool, kind: str) -> type[BasePermission]:
    """A permission answering ``allow`` (view) and ``allow_object`` (object), sync or async."""

    def has_permission(self: Any, request: Request, view: Any) -> bool:
        CALLS.append(name)
        return allow

    def has_object_permission(self: Any, request: Request, view: Any, obj: Any) -> bool:
        CALLS.append(name + ".obj")
        return allow_object

    async def ahas_permission(self: Any, request: Request, view: Any) -> bool:
        return has_permission(self, request, view)

    async def ahas_object_permission(self: Any, request: Request, view: Any, obj: Any) -> bool:
        return has_object_permission(self, request, view, obj)

    body: dict[str, Any]
    if kind == "sync":
        body = {"has_permission": has_permission, "has_object_permission": has_object_permission}
    else:
        body = {
            "ahas_permission": ahas_permission,
            "ahas_object_permission": ahas_object_permission,
        }
    return type(f"{name}_{kind}", (BasePermission,), body)


ANSWERS = {"TT": (True, True), "TF": (True, False), "FT": (False, True)}


def _build(shape: str, operands: list[tuple[str, str]], twin: bool) -> Any:
    classes = [
        _operand(f"op{i}", *ANSWERS[answer], "sync" if twin else kind)
        for i, (answer, kind) in enumerate(operands)
    ]
    if shape == "and":
        return classes[0] & classes[1]
    if shape == "or":
        return classes[0] | classes[1]
    if shape == "not":
        return ~classes[0]
    return ~(classes[0] & classes[1]) | classes[2]  # "nested"


OPERANDS = [(answer, kind) for answer in ANSWERS for kind in ("sync", "async")]
CASES = [
    *(("and", list(pair)) for pair in itertools.product(OPERANDS, repeat=2)),
    *(("or", list(pair)) for pair in itertools.product(OPERANDS, repeat=2)),
    *(("not", [operand]) for operand in OPERANDS),
    ("nested", [("TT", "async"), ("TF", "sync"), ("FT", "async")]),
    ("nested", [("TT", "sync"), ("TT", "async"), ("TF", "async")]),
]

router = SimpleRouter()
for index, (shape, operands) in enumerate(CASES):
    common = {"queryset": Book.objects.all(), "serializer_class": BookListSerializer}
    common["authentication_classes"] = []
    ours = type(
        f"Ours{index}",
        (AsyncReadOnlyModelViewSet,),
        {**common, "permission_classes": [_build(shape, operands, twin=False)]},
    )
    drf = type(
        f"Drf{index}",
        (viewsets.ReadOnlyModelViewSet,),
        {**common, "permission_classes": [_build(shape, operands, twin=True)]},
    )
    router.register(f"ours{index}", ours, basename=f"ours{index}")
    router.register(f"drf{index}", drf, basename=f"drf{index}")


class Refusing(BasePermission):
    message = "Books are closed today."
    code = "closed"

    async def ahas_permission(self, request: Request, view: Any) -> bool:
        return False


class OwnerOnly(BasePermission):
    message = "Not your book."

    async def ahas_object_permission(self, request: Request, view: Any, obj: Book) -> bool:
        return obj.owner_id == request.user.pk


class Closed(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    authentication_classes = []
    permission_classes = [Refusing]


class Owned(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, OwnerOnly]


class DrfOwned(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class SyncTwinOwned(ReadOnlyModelViewSet[Book, BookListSerializer]):
    queryset = Book.objects.all()
    serializer_class = BookListSerializer
    permission_classes = [IsAuthenticated, OwnerOnly]


router.register("closed", Closed, basename="closed")
router.register("owned", Owned, basename="owned")
router.register("drf-owned", DrfOwned, basename="drf-owned")
router.register("sync-owned", SyncTwinOwned, basename="sync-owned")
urlpatterns = router.urls


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create(username="owner")  # no password: hashing is slow


@pytest.fixture
def book(owner: User) -> Book:
    return Book.objects.create(title="Mine", author=Author.objects.create(name="A"), owner=owner)


async def _answers(
    client: AsyncClient, prefix: str, book: Book
) -> list[tuple[int, Any, list[str]]]:
    answers = []
    for url in (f"/{prefix}/", f"/{prefix}/{book.pk}/"):
        CALLS.clear()
        response = await client.get(url)
        answers.append((response.status_code, response.json(), list(CALLS)))
    return answers


@pytest.mark.parametrize(("shape", "operands"), CASES, ids=[f"{s}-{o}" for s, o in CASES])
async def test_composition_matches_drf(
    aclient: AsyncClient, book: Book, shape: str, operands: list[tuple[str, str]]
) -> None:
    """A composition mixing sync and async operands gives DRF's status and body for list and
    retrieve, evaluating the same operands in the same order (DRF's short-circuits)."""
    index = CASES.index((shape, operands))
    assert await _answers(aclient, f"ours{index}", book) == await _answers(
        aclient, f"drf{index}", book
    )


async def test_truth_table_sanity(aclient: AsyncClient, book: Book) -> None:
    """The oracle itself is not trivial: the cases cover allowed and refused requests, and
    short-circuits that skip an operand."""
    statuses: set[int] = set()
    skipped = False
    for index, (_, operands) in enumerate(CASES):
        answers = await _answers(aclient, f"ours{index}", book)
        statuses.update(status for status, _, _ in answers)
        skipped |= len(operands) == 2 and answers[0][2] in (["op0"], ["op1"])
    assert statuses == {200, 403}
    assert skipped


async def test_message_and_code_of_a_denied_async_permission(aclient: AsyncClient) -> None:
    """The refusing permission's ``message`` is the 403 body; its ``code`` is the error code."""
    response = await aclient.get("/closed/")
    assert (response.status_code, response.json()) == (403, {"detail": "Books are closed today."})
    view = Closed(action_map={"get": "list"})
    request = view.initialize_request(AsyncAPIRequestFactory().get("/closed/"))
    with pytest.raises(exceptions.PermissionDenied) as denied:
        await view.acheck_permissions(request)
    assert denied.value.get_codes() == "closed"
    with pytest.raises(exceptions.PermissionDenied):
        # The sync name (for sync callers, here a worker thread) awaits it too.
        await sync_to_async(view.check_permissions)(request)


async def test_not_authenticated_is_401_as_drf(aclient: AsyncClient, book: Book) -> None:
    """Anonymous request refused by ``IsAuthenticated``: DRF's 401 with its
    ``WWW-Authenticate`` (the first authenticator's), as DRF's own view answers."""
    ours = await aclient.get(f"/owned/{book.pk}/")
    theirs = await aclient.get(f"/drf-owned/{book.pk}/")
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
    assert ours.status_code == 401
    assert ours["WWW-Authenticate"] == theirs["WWW-Authenticate"] == 'Basic realm="api"'


@pytest.mark.parametrize("prefix", ["owned", "sync-owned"])
async def test_async_object_permission(
    aclient: AsyncClient, book: Book, owner: User, admin: User, prefix: str
) -> None:
    """``ahas_object_permission`` decides retrieve: the owner gets the book, another user DRF's
    403 with the permission's message; on the sync twin too."""
    await aclient.aforce_login(owner)
    assert (await aclient.get(f"/{prefix}/{book.pk}/")).status_code == 200
    await aclient.aforce_login(admin)
    response = await aclient.get(f"/{prefix}/{book.pk}/")
    assert (response.status_code, response.json()) == (403, {"detail": "Not your book."})


async def test_acheck_object_permissions_is_public(book: Book, owner: User, admin: User) -> None:
    """``await view.acheck_object_permissions(request, obj)`` runs the object checks."""
    view = Owned(action_map={"get": "retrieve"})
    request = view.initialize_request(AsyncAPIRequestFactory().get("/"))
    request.user = owner
    await view.acheck_object_permissions(request, book)
    request.user = admin
    with pytest.raises(exceptions.PermissionDenied) as denied:
        await view.acheck_object_permissions(request, book)
    assert str(denied.value.detail) == "Not your book."
