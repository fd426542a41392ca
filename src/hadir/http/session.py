"""Browser sessions: a cookie holding a server-side token, and CSRF tokens bound to it.

The cookie holds a token from ``services.auth`` (only its hash is stored, it expires and
is revoked at sign-out). A form or a cookie-authenticated API call proves it comes from
our own page with ``HMAC(secret key, session token)``: in a hidden ``csrf`` field or the
``X-CSRF-Token`` header (the pages read it from ``<meta name="csrf-token">``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from hadir.domain.errors import ErrorCode, HadirError
from hadir.services.container import Container

SESSION_COOKIE = "hadir_session"
ANON_COOKIE = "hadir_anon"
"""A random value before sign-in, so the sign-in form has a CSRF token too."""
LANG_COOKIE = "hadir_lang"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_SECONDS = 12 * 3600


def secret_key(request: Request) -> bytes:
    """The process's signing key, loaded once by the composition root."""
    container: Container = request.app.state.container
    return container.secret_key


def csrf_for(key: bytes, token: str) -> str:
    return hmac.new(key, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser: bound to the session, or before sign-in to the
    anonymous cookie (``ensure_anon`` sets it on the response)."""
    token = session_token(request)
    bound = token if token else "anon:" + _anon_value(request)
    return csrf_for(secret_key(request), bound)


def _anon_value(request: Request) -> str:
    value = request.cookies.get(ANON_COOKIE)
    if not value:
        value = getattr(request.state, "anon", None) or secrets.token_urlsafe(16)
        request.state.anon = value
    return str(value)


def ensure_anon(request: Request, response: Response) -> None:
    """Set the anonymous cookie if this request had none (after ``csrf_token``)."""
    if not request.cookies.get(ANON_COOKIE) and getattr(request.state, "anon", None):
        _set(request, response, ANON_COOKIE, request.state.anon, max_age=3600)


def check_csrf(request: Request, sent: str | None) -> None:
    """``csrf_failed`` unless ``sent`` is this browser's CSRF token."""
    if not session_token(request) and not request.cookies.get(ANON_COOKIE):
        raise HadirError("The form expired; reload the page.", code=ErrorCode.CSRF_FAILED)
    if not sent or not hmac.compare_digest(sent, csrf_token(request)):
        raise HadirError("The form expired; reload the page.", code=ErrorCode.CSRF_FAILED)


def _set(request: Request, response: Response, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def start_session(
    request: Request, response: Response, token: str, *, max_age: int = SESSION_SECONDS
) -> None:
    _set(request, response, SESSION_COOKIE, token, max_age=max_age)
    response.delete_cookie(ANON_COOKIE, path="/")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
