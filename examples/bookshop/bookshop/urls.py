"""URLs of the bookshop: the API under ``/api/`` (DRF's ``DefaultRouter``), a token endpoint,
the browsable API's login, and the OpenAPI schema when drf-spectacular is installed."""

from __future__ import annotations

from importlib.util import find_spec

from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from bookshop.authors.views import AuthorViewSet
from bookshop.books.views import BookViewSet
from bookshop.reviews.views import ReviewViewSet

router = DefaultRouter()
router.register("authors", AuthorViewSet)
router.register("books", BookViewSet)
router.register("reviews", ReviewViewSet)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path("api/token/", obtain_auth_token, name="api-token"),
    path("api/", include(router.urls)),
    path("api-auth/", include("rest_framework.urls")),
]

if find_spec("drf_spectacular") is not None:
    from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

    urlpatterns += [
        path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    ]
