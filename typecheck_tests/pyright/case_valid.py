"""Valid code: no pyright diagnostics."""

from django.db.models import QuerySet
from pyr_app.models import Author
from pyr_app.serializers import AuthorSerializer
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from async_viewsets import ActionConfig, AsyncModelViewSet, ModelViewSet, action
from async_viewsets.action_types import model_viewset_configs


class AuthorViewSet(AsyncModelViewSet[Author, AuthorSerializer]):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    action_configs = {
        "list": ActionConfig[Author](queryset=lambda view: Author.objects.filter(name="x")),
        "destroy": ActionConfig[Author](permission_classes=[IsAdminUser]),
        "archive": ActionConfig[Author](),
    }

    @action(detail=True, methods=["post"])
    async def archive(self, request: Request, pk: str) -> Response:
        return Response()

    @archive.mapping.delete
    async def unarchive(self, request: Request, pk: str) -> Response:
        return Response()

    async def caller(self, request: Request) -> Response:
        author = await self.aget_object()
        return Response({"name": author.name})


class SyncAuthors(ModelViewSet[Author]):
    queryset = Author.objects.all()

    def _named(self) -> QuerySet[Author]:
        return Author.objects.filter(name="x")

    action_configs = model_viewset_configs(
        list=ActionConfig[Author](queryset=_named),
        retrieve=ActionConfig[Author](serializer_class=AuthorSerializer),
    )
