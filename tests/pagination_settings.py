"""Run one list request with an async ``DEFAULT_PAGINATION_CLASS`` and ``PAGE_SIZE`` set before
DRF is imported; prints the JSON body of ``GET /defaults/`` on its last line.

Used by ``test_pagination.test_page_size_and_default_pagination_class_settings``.
"""

from __future__ import annotations

import json

import django
from django.conf import settings

from tests import settings as base

if __name__ == "__main__":
    settings.configure(
        **{name: getattr(base, name) for name in dir(base) if name.isupper()}
        | {
            "REST_FRAMEWORK": {
                **base.REST_FRAMEWORK,
                "DEFAULT_PAGINATION_CLASS": "async_viewsets.pagination.AsyncPageNumberPagination",
                "PAGE_SIZE": 2,
            },
            "ROOT_URLCONF": __name__,
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
