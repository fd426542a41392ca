"""A request-size guard: bodies over the limit are refused with 413 ``request_too_large``.

A declared ``Content-Length`` over the limit is refused before any of the body is read;
a body without one (chunked) is counted as it streams and refused when it passes the
limit. The limit of a ``multipart/form-data`` body (photo uploads) is
``settings.max_request_bytes`` or, by default, room for the largest enrolment upload
(``max_image_bytes`` x 11, plus 1 MiB for the form around it); every other body (JSON,
URL-encoded forms) is capped at ``settings.max_body_bytes`` (1 MiB): a 100 MB JSON body to
``/api/v1/auth/token`` was read in full without a sign-in (issue 13).
"""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hadir.http.errors import error_body
from hadir.settings import Settings

MIB = 1 << 20
CODE = "request_too_large"


def request_limit(settings: Settings) -> int:
    if settings.max_request_bytes is not None:
        return settings.max_request_bytes
    return settings.max_image_bytes * 11 + MIB


class RequestTooLarge(HTTPException):
    """Raised by ``receive`` when a streamed body passes the limit; an ``HTTPException``
    so FastAPI's body parsing passes it on to the 413 handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_message(limit))


def _message(limit: int) -> str:
    return f"The request body is larger than {limit} bytes; send a smaller one."


class RequestSizeGuard:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_plain_bytes: int | None = None) -> None:
        self.app = app
        self.upload_bytes = max_bytes
        self.plain_bytes = max_bytes if max_plain_bytes is None else max_plain_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if _is_upload(scope) else self.plain_bytes
        await _Guarded(self.app, limit)(scope, receive, send)


class _Guarded:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except RequestTooLarge:
            if started:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(error_body(CODE, _message(self.max_bytes))).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_upload(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return bool(value.lower().startswith(b"multipart/form-data"))
    return False


def _content_length(scope: Scope) -> int | None:
    """The declared length; a malformed one counts as unknown (the stream is counted)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
