"""Run one list request with ``DEFAULT_PAGINATION_CLASS`` set before DRF is imported.

``python -m tests.default_pagination [dotted.path.to.Paginator]`` (DRF's
``PageNumberPagination`` by default) with ``PAGE_SIZE = 2``; prints the JSON body of
``GET /defaults/`` on its last line. DRF reads both settings when it is imported, so the tests
that need them (``test_action_configs``, ``test_pagination``) run this in a fresh interpreter.
"""

from __future__ import annotations

import json
import sys

import django
from django.conf import settings

from tests import settings as base

if __name__ == "__main__":
    settings.configure(
        **{name: getattr(base, name) for name in dir(base) if name.isupper()}
        | {
            "REST_FRAMEWORK": {
                **base.REST_FRAMEWORK,
                "DEFAULT_PAGINATION_CLASS": (
                    sys.argv[1]
                    if len(sys.argv) > 1
                    else "rest_framework.pagination.PageNumberPagination"
                ),
                "PAGE_SIZE": 2,
            },
            "ROOT_URLCONF": __name__,
            # Its own throwaway database, whatever DATABASE_URL the suite runs with.
            "DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        }
    )
    django.setup()

    from asgiref.sync import async_to_sync
    from django.core.management import call_command
    from django.test import AsyncClient
    from rest_framework.routers import SimpleRouter

    from async_viewsets import AsyncReadOnlyModelViewSet
    from tests.testapp.models import Author, Book
    from tests.testapp.serializers import BookListSerializer

    class DefaultsBooks(AsyncReadOnlyModelViewSet[Book, BookListSerializer]):
        queryset = Book.objects.all()
        serializer_class = BookListSerializer

    router = SimpleRouter()
    router.register("defaults", DefaultsBooks, basename="defaults")
    urlpatterns = router.urls

    call_command("migrate", verbosity=0)
    author = Author.objects.create(name="A")
    for i in range(5):
        Book.objects.create(title=f"B{i}", author=author)
    response = async_to_sync(AsyncClient().get)("/defaults/")
    print(json.dumps(response.json()))
