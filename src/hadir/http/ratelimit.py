"""Per-request security context and the rate-limit middleware.

``SecurityMiddleware`` (pure ASGI) does two things for every HTTP request:

* it records the caller's address in a context variable, so route and page code
  (``request_context()``) can hand it to the services (audit entries carry it);
* it answers ``429 rate_limited`` with ``Retry-After`` when a check-in/check-out exceeds
  the per-address or per-token bucket, or a sign-in exceeds the per-address bucket
  (the per-username and per-employee buckets are applied where those are known: the
  sign-in route and the check-in service).

The address is the socket peer (``scope["client"]``). Behind a reverse proxy run uvicorn
with ``--proxy-headers --forwarded-allow-ips=<proxy>`` so that is the real client.
"""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from hadir.http.errors import error_body
from hadir.http.session import SESSION_COOKIE
from hadir.services.container import Security
from hadir.services.ratelimit import RateLimitedError, RateLimiter

CHECK_SUFFIXES = (
    "/attendance/check-in",
    "/attendance/check-out",
    "/attendance/check-in/live",
    "/attendance/check-out/live",
    "/attendance/challenge",
)
SIGN_IN_PATHS = frozenset({"/api/v1/auth/token", "/login", "/masuk", "/sign-in"})
"""POSTs to these paths count as sign-in attempts (the API and the web pages)."""


@dataclass(frozen=True)
class RequestContext:
    ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("hadir_request", default=None)
_OUTSIDE = RequestContext(None)


def request_context() -> RequestContext:
    """The running request's client address (``None`` outside a request)."""
    return _current.get() or _OUTSIDE


def _bearer_key(scope: Scope) -> str | None:
    """The key of the credential the request will be authenticated with: the bearer
    token when there is one (whatever other headers come with it), else the session
    cookie's token. Keying on the whole ``Cookie`` header let any made-up cookie give a
    bearer token a fresh bucket (issue 13, finding 9)."""
    session: str | None = None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return hashlib.sha256(token.strip().encode()).hexdigest()
        elif name == b"cookie" and session is None:
            session = cookie_parser(value.decode("latin-1")).get(SESSION_COOKIE) or None
    return hashlib.sha256(session.encode()).hexdigest() if session else None


def _hit(limiter: RateLimiter | None, key: str | None) -> RateLimitedError | None:
    if limiter is None or key is None:
        return None
    try:
        limiter.hit(key)
    except RateLimitedError as exc:
        return exc
    return None


def _has_nul(scope: Scope) -> bool:
    """A NUL in the path or query: SQLite would cut the string there (``%\x00`` becomes
    ``%``, matching everything) and PostgreSQL refuses it; neither is ever meant."""
    query: bytes = scope.get("query_string", b"")
    path: str = scope.get("path", "")
    return b"%00" in query or b"\x00" in query or "\x00" in path


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(code, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, security: Security) -> None:
        self.app = app
        self.security = security

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        ip = client[0] if client else None
        if _has_nul(scope):
            await _send_error(send, 422, "validation_error", "NUL characters are not allowed.")
            return
        token = _current.set(RequestContext(ip))
        try:
            refusal = self._limit(scope, ip)
            if refusal is not None:
                await self._refuse(refusal, send)
                return
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)

    def _limit(self, scope: Scope, ip: str | None) -> RateLimitedError | None:
        if scope.get("method") != "POST":
            return None
        path: str = scope.get("path", "")
        s = self.security
        if path.endswith(CHECK_SUFFIXES):
            return _hit(s.checkin_ip, ip) or _hit(s.checkin_token, _bearer_key(scope))
        if path in SIGN_IN_PATHS:
            return _hit(s.signin_ip, ip)
        return None

    @staticmethod
    async def _refuse(exc: RateLimitedError, send: Send) -> None:
        body = json.dumps(
            error_body(
                exc.code.value,
                exc.message,
                scope=str(exc.details.get("scope", "")),
                retry_after=int(str(exc.details.get("retry_after", 1))),
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(exc.details.get("retry_after", 1)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
