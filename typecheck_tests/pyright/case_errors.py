"""Mistakes pyright catches from the types alone (no plugin). `# E: rule` marks each line."""

from pyr_app.models import Article, Author
from pyr_app.serializers import ArticleSerializer, AuthorSerializer
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from async_viewsets import ActionConfig, AsyncModelViewSet, AsyncReadOnlyModelViewSet, action
from async_viewsets.action_types import model_viewset_configs, read_only_model_viewset_configs


class WrongQueryset(AsyncModelViewSet[Author]):
    queryset = Author.objects.all()
    action_configs = {  # E: reportAssignmentType
        "list": ActionConfig(queryset=Article.objects.all()),
    }


class WrongSerializer(AsyncModelViewSet[Author]):
    queryset = Author.objects.all()
    action_configs = {
        "list": ActionConfig[Author](serializer_class=ArticleSerializer),  # E: reportArgumentType
    }


class WrongClassSerializer(AsyncModelViewSet[Author, AuthorSerializer]):
    queryset = Author.objects.all()
    serializer_class = ArticleSerializer  # E: reportAssignmentType


class WrongFieldClasses(AsyncModelViewSet[Author]):
    queryset = Author.objects.all()
    action_configs = {
        "list": ActionConfig[Author](pagination_class=IsAdminUser),  # E: reportArgumentType
    }


class NotAConfig(AsyncModelViewSet[Author]):
    queryset = Author.objects.all()
    action_configs = {"list": {"serializer_class": AuthorSerializer}}  # E: reportAssignmentType


class TypedKeys(AsyncReadOnlyModelViewSet[Author]):
    queryset = Author.objects.all()
    action_configs = read_only_model_viewset_configs(  # E: reportUnknownVariableType
        lsit=ActionConfig[Author](),  # E: reportCallIssue
    )


class TypedModel(AsyncModelViewSet[Author]):
    queryset = Author.objects.all()
    action_configs = model_viewset_configs(list=ActionConfig[Article]())  # E: reportAssignmentType


class AsyncHandlers(AsyncModelViewSet[Author]):
    queryset = Author.objects.all()

    @action(detail=True)
    async def archive(self, request: Request, pk: str) -> Response:
        return Response()

    async def caller(self, request: Request) -> None:
        await self.archive(request)  # E: reportCallIssue


class ContextFreeConfigs(AsyncModelViewSet[Author]):
    # Limit, not a mistake: pyright does not infer ActionConfig's model from the base class's
    # declaration, so strict mode wants ActionConfig[Author](...) (see docs/type-checking.md).
    queryset = Author.objects.all()
    action_configs = {"list": ActionConfig()}  # E: reportUnknownVariableType
