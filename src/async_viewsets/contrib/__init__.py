"""Integrations with optional third-party packages (each module imports its package)."""

from __future__ import annotations

__all__: list[str] = []
