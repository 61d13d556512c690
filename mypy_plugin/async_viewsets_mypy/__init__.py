"""mypy plugin for drf-async-viewsets.

Enable it after the django-stubs and djangorestframework-stubs plugins::

    [tool.mypy]
    plugins = ["mypy_django_plugin.main", "mypy_drf_plugin.main", "async_viewsets_mypy.main"]

See ``docs/type-checking.md`` for what it checks and its error codes.
"""

from importlib.metadata import PackageNotFoundError, version

# The distribution's version: its one source is src/async_viewsets/__about__.py, and the plugin
# ships in the same wheel. It is part of the mypy cache key (``report_config_data``), so a new
# release invalidates what the previous one cached.
try:
    __version__ = version("drf-async-viewsets")
except PackageNotFoundError:  # on mypy_path from a source tree that is not installed
    __version__ = "0+unknown"
