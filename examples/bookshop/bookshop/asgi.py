"""The bookshop's ASGI application (``bookshop.asgi:application``), served by uvicorn.

With ``DEBUG`` on, static files (the browsable API's CSS and JavaScript) are served too, as
``runserver`` would.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookshop.settings")

application = get_asgi_application()

if settings.DEBUG:
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    application = ASGIStaticFilesHandler(application)
