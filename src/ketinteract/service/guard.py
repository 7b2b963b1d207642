"""The outermost layer inside CORS: bounds the request body, turns any unexpected failure into a JSON 500
with no traceback, and writes one log line per request.

A plain ASGI middleware rather than a framework hook, because Starlette's own error middleware logs a
traceback and re-raises after any handler has answered, and because the body limit must hold before the
framework reads the body.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ketinteract.service.outcome import MAX_BODY_BYTES, operation_outcome

LOG = logging.getLogger("ketinteract.service")


class BodyTooLarge(Exception):
    pass


async def send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def _too_large(limit: int) -> dict[str, Any]:
    return operation_outcome("too-long", f"the request body is larger than the limit of {limit} bytes")


class Guard:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES, log_requests: bool = False) -> None:
        self.app = app
        self.max_body = max_body
        self.log_requests = log_requests

    async def _read(self, receive: Receive) -> bytes:
        """The whole body, or BodyTooLarge as soon as it passes the limit (the rest is never read)."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [0]

        async def tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                raise BodyTooLarge
            body = await self._read(receive)
        except BodyTooLarge:
            await send_json(tracked, 413, _too_large(self.max_body))
            self._log(scope, status[0], start)
            return
        delivered = False

        async def replay() -> Message:
            # The framework reads the body we already hold; after that, wait for the client to go away.
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, replay, tracked)
        except Exception as exc:  # a bug: answer plainly, keep details for whoever debugs it
            LOG.error("internal error (%s) answering %s %s", type(exc).__name__, scope["method"], scope["path"])
            if os.environ.get("KETINTERACT_DEBUG"):
                LOG.exception("details")
            if status[0] == 0:
                message = "internal error; this is a bug in ketinteract, please report it"
                await send_json(tracked, 500, operation_outcome("exception", message))
        self._log(scope, status[0], start)

    def _log(self, scope: Scope, status: int, start: float) -> None:
        # The query string can carry drug names (GET /check), so it is logged only when asked.
        path = scope["path"]
        query = scope.get("query_string", b"")
        if self.log_requests and query:
            path += "?" + query.decode("latin-1")
        LOG.info("%s %s %d %.1f ms", scope["method"], path, status, (time.perf_counter() - start) * 1000)
