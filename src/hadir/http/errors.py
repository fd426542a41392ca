"""Domain errors → JSON responses ``{"error": {"code", "message"}}``; never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from hadir.domain.errors import ErrorCode, HadirError

log = logging.getLogger("hadir.api")

STATUS_BY_CODE: dict[ErrorCode, int] = {
    ErrorCode.IMAGE_TOO_LARGE: 413,
    ErrorCode.CONTRACT_MISMATCH: 409,
    ErrorCode.MODEL_UNAVAILABLE: 503,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.UNKNOWN_EMPLOYEE: 404,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NOT_ENROLLED: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.FACE_MISMATCH: 403,
    ErrorCode.FACE_MATCHES_OTHER_EMPLOYEE: 409,
    ErrorCode.TOO_FEW_EMPLOYEES: 409,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.LIVENESS_REQUIRED: 403,
    ErrorCode.LIVENESS_FAILED: 403,
    ErrorCode.CHALLENGE_EXPIRED: 410,
    ErrorCode.CHALLENGE_REUSED: 409,
    ErrorCode.REPLAYED_IMAGE: 409,
    ErrorCode.OUTSIDE_GEOFENCE: 403,
    ErrorCode.LOCATION_REQUIRED: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.ACCOUNT_LOCKED: 423,
    ErrorCode.CSRF_FAILED: 403,
    ErrorCode.DATABASE_UNAVAILABLE: 503,
    ErrorCode.STORAGE_FULL: 507,
    ErrorCode.ATTACHMENT_TOO_LARGE: 413,
    ErrorCode.ATTACHMENT_TYPE_UNSUPPORTED: 415,
}
DEFAULT_STATUS = 422
"""Every other code (the image and face-quality codes) is a problem with the input."""


def status_of(code: ErrorCode) -> int:
    return STATUS_BY_CODE.get(code, DEFAULT_STATUS)


def error_body(code: str, message: str, **details: object) -> dict[str, object]:
    error: dict[str, object] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HadirError)
    async def hadir_error(_: Request, exc: HadirError) -> JSONResponse:
        status = status_of(exc.code)
        details = {k: v for k, v in exc.details.items() if isinstance(v, str | int | float)}
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if status in (429, 503) and "retry_after" in details:
            headers = {"Retry-After": str(details["retry_after"])}
        return JSONResponse(
            error_body(exc.code.value, exc.message, **details), status_code=status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return JSONResponse(
            error_body(ErrorCode.VALIDATION_ERROR.value, f"Invalid request: {problems}"),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def unstorable(_: Request, exc: Exception) -> JSONResponse:
        # a value no column can hold: an integer beyond 64 bits, a NUL in PostgreSQL text
        return JSONResponse(
            error_body(
                ErrorCode.VALIDATION_ERROR.value, "A value in the request cannot be stored."
            ),
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            error_body("internal_error", "Something went wrong on the server; it was logged."),
            status_code=500,
        )
