"""Fixtures of the API tests: an app over a fresh migrated SQLite database in tmp_path
(built by the app's lifespan), the fake face engine and a fixed clock, plus helpers that
make users and bearer tokens of each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hadir.bootstrap import Database, build_container
from hadir.server import create_app
from hadir.services.auth import create_user, issue_token
from hadir.services.records import EmployeeRecord, NewEmployee, Role
from hadir.settings import Settings
from services.conftest import NOW, FakeFaceEngine, FixedClock

Headers = dict[str, str]


@dataclass
class Api:
    client: TestClient
    database: Database
    clock: FixedClock

    def token(
        self,
        role: Role,
        *,
        employee: EmployeeRecord | None = None,
        unit: str | None = None,
        name: str | None = None,
    ) -> Headers:
        """Bearer headers of a fresh user with ``role`` (no password: no scrypt cost)."""
        with self.database.uow_factory() as uow:
            username = name or f"{role.value}-{len(uow.users.list()) + 1}"
            user = create_user(
                uow,
                username,
                None,
                role,
                employee_id=None if employee is None else employee.id,
                unit=unit,
            )
            issued = issue_token(uow, user, "test", now=self.clock())
            uow.commit()
        return {"Authorization": f"Bearer {issued.token}"}

    def employee(self, nip: str, name: str, *, unit: str = "Bappeda") -> EmployeeRecord:
        with self.database.uow_factory() as uow:
            record = uow.employees.add(NewEmployee(employee_id=nip, name=name, unit=unit))
            uow.commit()
        return record

    def enrol(self, nip: str, headers: Headers, *photos: bytes) -> None:
        files = [("images", (f"{i}.jpg", p, "image/jpeg")) for i, p in enumerate(photos)]
        response = self.client.post(
            f"/api/v1/employees/{nip}/faces",
            files=files,
            data={"consent": "true"},
            headers=headers,
        )
        assert response.status_code == 201, response.text


def make_api(
    tmp_path: Path, engine: object, clock: FixedClock, **settings: object
) -> Iterator[Api]:
    config = Settings(data_dir=tmp_path, **settings)  # type: ignore[arg-type]
    container = build_container(config, face_engine=engine, clock=clock)  # type: ignore[arg-type]
    app = create_app(container)
    with TestClient(app) as client:
        yield Api(client, container.database, clock)  # type: ignore[arg-type]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The app with the fake face engine; the clock is Monday 3 March 2025, 08:00 WIB."""
    yield from make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW))


@pytest.fixture
def admin(api: Api) -> Headers:
    return api.token(Role.ADMIN)


@pytest.fixture
def operator(api: Api) -> Headers:
    return api.token(Role.OPERATOR)


@pytest.fixture
def kiosk(api: Api) -> Headers:
    return api.token(Role.KIOSK)
