"""The ASGI application uvicorn serves in the load phases (``benchmarks.asgi:application``).

Django's application is wrapped in :class:`ServedCounter`, which counts the HTTP requests that
reached the application (``started``) and the ones it answered (``served``: an
``http.response.start`` message went out). The load phases divide the server's CPU time by
``served`` rather than by the load generator's count: requests still in flight when the
generator stops are processed, and their CPU time counted, but the generator never counts them.
The difference ``started - served`` is the requests that got no answer, typically because the
client left first and Django cancelled them.

``GET /_bench/served`` (:data:`benchmarks.load.COUNTER_PATH`) is answered by the wrapper
itself, without Django and without being counted, with ``{"started": n, "served": n}``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.core.asgi import get_asgi_application

from benchmarks.load import COUNTER_PATH

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]


class ServedCounter:
    """Counts HTTP requests started and answered by ``app``; serves the counts itself.

    The counts are plain integers: every ``send`` runs on the server's one event loop."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.started = 0
        self.served = 0

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["path"] == COUNTER_PATH:
            await self._answer_counts(send)
        else:
            self.started += 1

            async def counted_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    self.served += 1
                await send(message)

            await self.app(scope, receive, counted_send)

    async def _answer_counts(self, send: Send) -> None:
        body = json.dumps({"started": self.started, "served": self.served}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


application = ServedCounter(get_asgi_application())
