"""mypy plugin for drf-async-viewsets.

Enable it after the django-stubs and djangorestframework-stubs plugins::

    [tool.mypy]
    plugins = ["mypy_django_plugin.main", "mypy_drf_plugin.main", "async_viewsets_mypy.main"]

See ``docs/type-checking.md`` for what it checks and its error codes.
"""

__version__ = "0.1.0"
"""Part of the mypy cache key (``report_config_data``): bump it when a check changes."""
