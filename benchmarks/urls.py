"""URL configuration: every contender under its own prefix (``/<name>/books/...``).

``/io/<name>/books/`` serves the same list behind the slow authenticator of the I/O scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from benchmarks import contenders, peers

if TYPE_CHECKING:
    from django.urls import URLPattern, URLResolver


def _router(viewset: type[Any]) -> list[URLPattern | URLResolver]:
    router = SimpleRouter()
    router.register("books", viewset, basename=f"{viewset.__name__}-book")
    return list(router.urls)


_floor = [
    path("books/", contenders.floor_collection),
    path("books/<int:pk>/", contenders.floor_detail),
]

CONTENDERS: dict[str, tuple[list[Any], list[Any]]] = {
    "drf": (_router(contenders.DRFBookViewSet), _router(contenders.DRFIOViewSet)),
    "floor": (_floor, [path("books/", contenders.floor_io_list)]),
    "ours": (_router(contenders.OursBookViewSet), _router(contenders.OursIOViewSet)),
    "ours_fast": (_router(contenders.OursFastBookViewSet), _router(contenders.OursFastIOViewSet)),
    "adrf": peers.adrf_urls(),
    "restflow": peers.restflow_urls(),
    "ninja": peers.ninja_urls(),
}
"""Contender name to (URL patterns, I/O-scenario URL patterns); empty when not installed."""

AVAILABLE = [name for name, (patterns, _) in CONTENDERS.items() if patterns]

urlpatterns = [
    path(f"{name}/", include(patterns)) for name, (patterns, _) in CONTENDERS.items() if patterns
] + [path(f"io/{name}/", include(io)) for name, (_, io) in CONTENDERS.items() if io]
