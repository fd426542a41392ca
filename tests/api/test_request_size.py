"""The request-size guard: oversized bodies get 413 ``request_too_large``, never read whole."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.types import Message, Receive, Scope, Send

from api.conftest import Api, make_api
from hadir.api.limits import MIB, RequestSizeGuard, request_limit
from hadir.services.records import Role
from hadir.settings import Settings
from services.conftest import NOW, FakeFaceEngine, FixedClock
from services.helpers import SRI

LIMIT = 4096


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Api]:
    """The app with a 4 KiB request limit."""
    yield from make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW), max_request_bytes=LIMIT)


def assert_too_large(status: int, body: dict[str, dict[str, str]]) -> None:
    assert status == 413
    assert body["error"]["code"] == "request_too_large"
    assert str(LIMIT) in body["error"]["message"]


def test_default_limit_leaves_room_for_an_enrolment() -> None:
    assert request_limit(Settings(max_image_bytes=1000)) == 11_000 + MIB
    assert request_limit(Settings(max_request_bytes=5)) == 5


def test_oversized_body_is_413(small: Api) -> None:
    headers = small.token(Role.OPERATOR)
    body = {"employee_id": SRI, "name": "x" * (2 * LIMIT)}
    response = small.client.post("/api/v1/employees", json=body, headers=headers)
    assert_too_large(response.status_code, response.json())
    with small.database.uow_factory() as uow:
        assert uow.employees.list() == []
    # a body under the limit passes the guard
    body["name"] = "Sri"
    assert small.client.post("/api/v1/employees", json=body, headers=headers).status_code == 201


def test_oversized_upload_is_413_without_a_token(small: Api) -> None:
    files = {"image": ("a.jpg", b"\xff" * (3 * LIMIT), "image/jpeg")}
    response = small.client.post("/api/v1/attendance/check-in", files=files)
    assert_too_large(response.status_code, response.json())


def test_chunked_body_is_counted(small: Api) -> None:
    headers = small.token(Role.OPERATOR)

    def chunks() -> Iterator[bytes]:
        yield b'{"employee_id": "1", "name": "'
        for _ in range(8):
            yield b"x" * 1024
        yield b'"}'

    response = small.client.post(
        "/api/v1/employees",
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert_too_large(response.status_code, response.json())


async def _run(guard: RequestSizeGuard, scope: Scope, receive: Receive) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await guard(scope, receive, send)
    return sent


async def _reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the whole body, then answers 200."""
    while (await receive()).get("more_body", False):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_declared_length_is_refused_before_reading() -> None:
    async def receive() -> Message:
        raise AssertionError("the body must not be read")

    guard = RequestSizeGuard(_reading_app, max_bytes=LIMIT)
    scope: Scope = {"type": "http", "headers": [(b"content-length", str(LIMIT + 1).encode())]}
    sent = asyncio.run(_run(guard, scope, receive))
    assert sent[0]["status"] == 413


def test_stream_stops_at_the_limit() -> None:
    pulled = 0

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}  # endless

    guard = RequestSizeGuard(_reading_app, max_bytes=LIMIT)
    scope: Scope = {"type": "http", "headers": [(b"transfer-encoding", b"chunked")]}
    sent = asyncio.run(_run(guard, scope, receive))
    assert sent[0]["status"] == 413
    assert b"request_too_large" in sent[1]["body"]
    assert pulled == LIMIT // 1024 + 1


def test_small_stream_passes() -> None:
    messages = iter(
        [
            {"type": "http.request", "body": b"x" * 1000, "more_body": True},
            {"type": "http.request", "body": b"x" * 1000, "more_body": False},
        ]
    )

    async def receive() -> Message:
        return next(messages)

    guard = RequestSizeGuard(_reading_app, max_bytes=LIMIT)
    sent = asyncio.run(_run(guard, {"type": "http", "headers": []}, receive))
    assert sent[0]["status"] == 200


def test_default_limit_refuses_a_real_oversized_upload(tmp_path: Path) -> None:
    for api in make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW), max_image_bytes=1000):
        files = {"image": ("a.jpg", b"\xff" * (11_000 + MIB + 1), "image/jpeg")}
        response = api.client.post("/api/v1/attendance/check-in", files=files)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "request_too_large"


def test_a_large_json_body_is_refused_before_sign_in(api: Api) -> None:
    """Issue 13, finding 12: a 100 MB JSON body to the sign-in was read in full (the
    limit was the photo-upload one, 111 MB). Any body that is not an upload is capped at
    ``max_body_bytes`` (1 MiB): by the declared length, and by counting a stream."""
    declared = api.client.post(
        "/api/v1/auth/token",
        content=b"{" + b" " * (2 * MIB) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "request_too_large"

    def stream() -> Iterator[bytes]:
        yield b'{"username": "'
        for _ in range(100):  # would be 100 MB; the guard stops after the first MiB
            yield b"x" * MIB
        yield b'", "password": "x"}'

    streamed = api.client.post(
        "/api/v1/auth/token", content=stream(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "request_too_large"
    fine = api.client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})
    assert fine.status_code == 401
