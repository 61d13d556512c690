"""URLs of the bookshop: the API under ``/api/`` (DRF's ``DefaultRouter``), a token endpoint,
the browsable API's login, and the OpenAPI schema when drf-spectacular is installed."""

from __future__ import annotations

from importlib.util import find_spec

from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from bookshop.authors.views import AuthorViewSet
from bookshop.books.views import BookViewSet
from bookshop.reviews.views import ReviewViewSet


class TokenView(ObtainAuthToken):
    """DRF's token endpoint: anyone may exchange a username and password for a token.

    ``AllowAny`` is what DRF's empty ``permission_classes`` already means; named, it makes the
    OpenAPI schema document the endpoint as open (its ``security`` includes ``{}``) instead of
    requiring a session or Basic credentials.
    """

    permission_classes = [AllowAny]


router = DefaultRouter()
router.register("authors", AuthorViewSet)
router.register("books", BookViewSet)
router.register("reviews", ReviewViewSet)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path("api/token/", TokenView.as_view(), name="api-token"),
    path("api/", include(router.urls)),
    path("api-auth/", include("rest_framework.urls")),
]

if find_spec("drf_spectacular") is not None:
    from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

    urlpatterns += [
        # Request bodies get their own components (``AuthorRequest``...), where a required text
        # field is documented as non-blank (``minLength: 1``), as DRF validates it. Set on the
        # view rather than in SPECTACULAR_SETTINGS, so that the schema is the same under any
        # settings module (the test suite serves this URLconf under its own).
        path(
            "api/schema/",
            SpectacularAPIView.as_view(custom_settings={"COMPONENT_SPLIT_REQUEST": True}),
            name="schema",
        ),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    ]
