"""Default URLconf of the test suite; test modules set their own with ``pytest.mark.urls``."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
