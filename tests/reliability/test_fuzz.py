"""Schema-driven fuzzing of the example API (schemathesis): no 500s, every response as documented.

The OpenAPI schema is the one the bookshop serves at ``/api/schema/`` (drf-spectacular), fetched
through Django's ASGI application in-process when this module is collected. Every operation of
the API becomes one test, ``test_fuzz_as_reader[METHOD /path]``: schemathesis generates
requests from the schema, valid ones and invalid ones (wrong types, missing fields, values out
of range), sends them to the same ASGI application in-process (each request on its own worker
thread and database connection, as in production) and checks each response.

* **Bounded and deterministic**: :data:`MAX_EXAMPLES` generated requests per operation,
  derandomized: every run sends the same requests (about 600 in all).
* **Authenticated**: as the seeded reader ``alice`` (HTTP Basic, the seed's password), so
  creates and updates go through, and object permissions refuse her changes to other readers'
  reviews; ``test_fuzz_as_admin`` runs the admin-only ``destroy`` of authors and books as
  ``admin``. Each operation starts from the freshly seeded shop (with the primary keys reset,
  so its ids are 1, 2, 3...); most generated ids (:data:`SEEDED_SHARE`: in the path, and the
  ``author``/``book`` of bodies and filters) are replaced by seeded ones, so that requests
  reach real rows and writes succeed, not only 404 and 400; so are page numbers, and the
  usernames and passwords sent to the token endpoint.
* **Checks**: no 5xx (``not_a_server_error``); the body of every documented response matches
  its schema (``response_schema_conformance``), and so do its content type and headers; an
  operation that requires authentication refuses a request without credentials and with
  invalid ones, Basic, token or session (``ignored_auth``).
* **Every operation really ran**: each one must have answered at least one request with a
  2xx, except the reader's ``DELETE`` of authors and books (admin-only), which must have
  answered none.

Checks left out, because they test something DRF does on purpose:

* ``status_code_conformance``: drf-spectacular documents each operation's success response
  only, not DRF's 400/401/403/404/405/415 answers (OpenAPI does not require every status
  code to be listed);
* ``negative_data_rejection``: DRF's ``CharField`` accepts numbers (``{"name": 0}`` creates
  an author named ``"0"``), its paginator ignores a malformed ``page_size`` and uses the
  default, django-filter's number filters accept ``?rating=0.5``;
* ``positive_data_acceptance``: a schema-valid body can still be refused with 400, e.g. a
  ``book`` id that does not exist or a second review of the same book.

``python -m pytest tests/reliability/test_fuzz.py -s`` prints each operation's figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
import schemathesis
from bookshop.seed import AUTHORS, BOOKS, REVIEWS, USERS, seed
from django.core.asgi import get_asgi_application
from django.test import override_settings
from hypothesis import HealthCheck, settings

pytestmark = [pytest.mark.urls("bookshop.urls")]

MAX_EXAMPLES = 25
"""Generated requests per operation (schemathesis' fuzzing phase)."""

SEEDED = {"authors": len(AUTHORS), "books": len(BOOKS), "reviews": len(REVIEWS)}
"""How many rows of each resource the seed creates (ids 1 to n)."""

SEEDED_SHARE = 0.8
"""How often a generated id, username or password is replaced by a seeded one."""

PASSWORDS = {username: password for username, password, _ in USERS}

ADMIN_ONLY = {"DELETE /api/authors/{id}/", "DELETE /api/books/{id}/"}
"""Operations that only staff may perform (``ActionConfig(permission_classes=[IsAdminUser])``)."""


def _config(username: str) -> schemathesis.Config:
    def seeded(dictionary: str) -> dict[str, Any]:
        return {"dictionary": dictionary, "probability": SEEDED_SHARE}

    return schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",  # no example database written next to the tests
            },
            # The coverage phase sends every boundary case of every field: some 1 200 more
            # requests (30 s more); the fuzzing phase sends valid and invalid data too.
            "phases": {"coverage": {"enabled": False}},
            "checks": {
                "enabled": False,
                "not_a_server_error": {"enabled": True},
                "response_schema_conformance": {"enabled": True},
                "content_type_conformance": {"enabled": True},
                "response_headers_conformance": {"enabled": True},
                "ignored_auth": {"enabled": True},
            },
            "auth": {
                "openapi": {
                    "basicAuth": {"username": username, "password": PASSWORDS[username]},
                },
            },
            "dictionaries": {
                # The ids of the seeded rows, and in the path one id beyond them (a 404).
                **{f"{name}-ids": {"values": list(range(1, n + 1))} for name, n in SEEDED.items()},
                **{f"{name}-path": {"values": list(range(1, n + 2))} for name, n in SEEDED.items()},
                "pages": {"values": [1, 2]},
                "usernames": {"values": list(PASSWORDS)},
                "passwords": {"values": list(PASSWORDS.values())},
            },
            "parameters": {
                "query.book": seeded("books-ids"),
                "query.page": seeded("pages"),
                "body.author": seeded("authors-ids"),
                "body.book": seeded("books-ids"),
                "body.username": seeded("usernames"),
                "body.password": seeded("passwords"),
            },
            "operations": [
                {
                    "include-path-regex": f"^/api/{name}/{{id}}/",
                    "parameters": {"path.id": seeded(f"{name}-path")},
                }
                for name in SEEDED
            ],
        }
    )


def _schema(username: str) -> schemathesis.BaseSchema:
    """The schema the bookshop serves, for requests authenticated as ``username``."""
    with override_settings(ROOT_URLCONF="bookshop.urls"):
        return schemathesis.openapi.from_asgi(
            "/api/schema/?format=json", get_asgi_application(), config=_config(username)
        )


# The schema view itself is drf-spectacular's and regenerates the schema on each request
# (about 0.1 s): tests/test_example_project.py requests it.
reader_schema = _schema("alice").exclude(path="/api/schema/")
# (Narrowed with ``exclude``: with ``[[operations]]`` in the config, schemathesis adds an
# ``include`` to the ones that config already selects, which selects everything.)
admin_schema = _schema("admin").exclude(lambda ctx: ctx.operation.label not in ADMIN_ONLY)


_T = TypeVar("_T", bound=Callable[..., None])


def each_operation(schema: schemathesis.BaseSchema) -> Callable[[_T], _T]:
    """``schema.parametrize()``, typed: one test per operation of ``schema``."""
    parametrize: Callable[[_T], _T] = schema.parametrize()
    return parametrize


@pytest.fixture
def shop(django_db_reset_sequences: None, pg_pool: Callable[[], dict[str, int]]) -> None:
    """The demo data, committed (requests run on their own connections), ids from 1.

    On PostgreSQL the requests' connections come from a pool (``pg_pool``), as a deployment
    would have them, rather than one new connection per request.
    """
    seed()


@pytest.fixture
def outcomes(request: pytest.FixtureRequest) -> Iterator[Counter[tuple[str, int]]]:
    """``(operation, status)`` of each request; afterwards, checks that each operation had a
    2xx, and that the reader had none from the admin-only ones."""
    seen: Counter[tuple[str, int]] = Counter()
    yield seen
    refused = ADMIN_ONLY if request.node.name.startswith("test_fuzz_as_reader") else set()
    for label in sorted({label for label, _ in seen}):
        statuses = dict(sorted((status, n) for (name, status), n in seen.items() if name == label))
        print(f"{request.node.name}: {sum(statuses.values())} requests, statuses {statuses}")
        succeeded = any(200 <= status < 300 for status in statuses)
        if label in refused:
            assert not succeeded, f"{label} succeeded for a non-admin: {statuses}"
        else:
            assert succeeded, f"no request to {label} succeeded (reached a real row): {statuses}"


def _fuzz(case: Any, outcomes: Counter[tuple[str, int]]) -> None:
    response = case.call_and_validate()
    outcomes[case.operation.label, response.status_code] += 1


@each_operation(reader_schema)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_as_reader(case: Any, shop: None, outcomes: Counter[tuple[str, int]]) -> None:
    """Fuzz one operation as ``alice``: no 5xx, responses and auth as the schema says."""
    _fuzz(case, outcomes)


@each_operation(admin_schema)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_as_admin(case: Any, shop: None, outcomes: Counter[tuple[str, int]]) -> None:
    """Fuzz the admin-only ``destroy`` of authors and books as ``admin``."""
    _fuzz(case, outcomes)
