"""The public API: exactly the documented names, each importable from the package root and
from its module, and every module with an ``__all__`` that lists real objects."""

from __future__ import annotations

import importlib
import pkgutil

import async_viewsets

EXPECTED = {
    "ActionConfig",
    "AsyncAPIView",
    "AsyncCreateAPIView",
    "AsyncCreateModelMixin",
    "AsyncDestroyAPIView",
    "AsyncDestroyModelMixin",
    "AsyncGenericAPIView",
    "AsyncGenericViewSet",
    "AsyncListAPIView",
    "AsyncListCreateAPIView",
    "AsyncListModelMixin",
    "AsyncModelViewSet",
    "AsyncReadOnlyModelViewSet",
    "AsyncRetrieveAPIView",
    "AsyncRetrieveDestroyAPIView",
    "AsyncRetrieveModelMixin",
    "AsyncRetrieveUpdateAPIView",
    "AsyncRetrieveUpdateDestroyAPIView",
    "AsyncUpdateAPIView",
    "AsyncUpdateModelMixin",
    "AsyncViewSet",
    "AsyncViewSetMixin",
    "GenericViewSet",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "ViewSet",
    "__version__",
    "action",
}

CONTRACT = {
    "async_viewsets.views": {"AsyncAPIView"},
    "async_viewsets.generics": {"AsyncGenericAPIView", "AsyncListCreateAPIView"},
    "async_viewsets.mixins": {"AsyncListModelMixin", "AsyncCreateModelMixin"},
    "async_viewsets.viewsets": {"AsyncModelViewSet", "ModelViewSet", "AsyncViewSetMixin"},
    "async_viewsets.config": {"ActionConfig"},
    "async_viewsets.decorators": {"action"},
}


def test_root_exports_the_public_names() -> None:
    assert set(async_viewsets.__all__) >= EXPECTED
    for name in async_viewsets.__all__:
        assert hasattr(async_viewsets, name), name


def test_import_paths_are_a_contract() -> None:
    for module_name, names in CONTRACT.items():
        module = importlib.import_module(module_name)
        for name in names:
            assert getattr(module, name) is getattr(async_viewsets, name)


def test_every_module_declares_a_true_all() -> None:
    for info in pkgutil.walk_packages(async_viewsets.__path__, "async_viewsets."):
        if info.name.endswith(("__about__", "pytest_plugin")):
            continue
        module = importlib.import_module(info.name)
        if info.ispkg and not hasattr(module, "__all__"):
            continue
        assert hasattr(module, "__all__"), info.name
        for name in module.__all__:
            assert hasattr(module, name), f"{info.name}.{name}"
        assert module.__doc__, f"{info.name} has no module docstring"
