"""The face endpoints over real HTTP semantics (ASGI transport) with the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hadir.bootstrap import build_container, build_database
from hadir.server import create_app
from hadir.services.auth import create_user, issue_token
from hadir.services.records import Role
from hadir.settings import Settings


def _staff_client(
    config: Settings, engine: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client with an operator's token over a throw-away database (the models stay in
    ``config.data_dir``)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('faces-api') / 'hadir.sqlite3'}"
    config = config.model_copy(update={"database_url": url})
    database = build_database(config, migrate_first=True)
    with database.uow_factory() as uow:
        user = create_user(uow, "hr", None, Role.OPERATOR)
        issued = issue_token(uow, user, "test", now=datetime.now(UTC))
        uow.commit()
    app = create_app(build_container(config, face_engine=engine, database=database))  # type: ignore[arg-type]
    yield TestClient(app, headers={"Authorization": f"Bearer {issued.token}"})
    database.dispose()


@pytest.fixture(scope="module")
def client(
    settings: Settings, engine: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    yield from _staff_client(settings, engine, tmp_path_factory)


def post(client: TestClient, left: bytes, right: bytes) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/v1/faces/compare",
        files={"left": ("a.jpg", left, "image/jpeg"), "right": ("b.jpg", right, "image/jpeg")},
    )
    return response.status_code, response.json()


def test_health_reports_the_engine(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["face_engine"] == "ready"
    assert body["contract"].startswith("sface-")


def test_same_person_is_accepted_and_strangers_rejected(client: TestClient, faces: Path) -> None:
    a = (faces / "Serena_Williams/Serena_Williams_0001.jpg").read_bytes()
    b = (faces / "Serena_Williams/Serena_Williams_0004.jpg").read_bytes()
    c = (faces / "Ariel_Sharon/Ariel_Sharon_0001.jpg").read_bytes()
    status, same = post(client, a, b)
    assert status == 200, same
    assert same["decision"] == "accept"
    assert same["same_person"] is True
    assert same["similarity"] >= same["threshold"]
    status, other = post(client, a, c)
    assert status == 200
    assert other["decision"] == "reject"
    assert other["similarity"] < other["review_threshold"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [(b"", "image_unreadable"), (b"\x00garbage" * 50, "image_unreadable")],
)
def test_bad_images_get_a_code_not_a_500(
    client: TestClient, faces: Path, payload: bytes, code: str
) -> None:
    good = (faces / "Serena_Williams/Serena_Williams_0001.jpg").read_bytes()
    status, body = post(client, good, payload)
    assert status == 422
    assert body["error"]["code"] == code  # type: ignore[index]
    assert body["error"]["message"]  # type: ignore[index]


def test_oversized_upload_is_refused_before_decoding(
    settings: Settings, engine: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    small = settings.model_copy(update={"max_image_bytes": 1000})
    client = next(_staff_client(small, engine, tmp_path_factory))
    status, body = post(client, b"x" * 5000, b"y")
    assert status == 413
    assert body["error"]["code"] == "image_too_large"  # type: ignore[index]


def test_only_staff_may_compare(client: TestClient) -> None:
    """(The other roles' 403: tests/api/test_route_matrix.py.)"""
    response = client.post(
        "/api/v1/faces/compare",
        files={"left": ("a.jpg", b"x", "image/jpeg"), "right": ("b.jpg", b"y", "image/jpeg")},
        headers={"Authorization": "Bearer hdr_unknown"},
    )
    assert response.status_code == 401


def test_missing_field_is_a_validation_error(client: TestClient) -> None:
    response = client.post("/api/v1/faces/compare", files={"left": ("a.jpg", b"x", "image/jpeg")})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
