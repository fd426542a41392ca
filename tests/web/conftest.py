"""Fixtures of the page tests: the app over a fresh SQLite database with the fake face
engine (``api.conftest``), and browsers signed in as a role through a session cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, make_api
from hadir.http.session import SESSION_COOKIE
from hadir.services.auth import create_user, issue_token
from hadir.services.records import EmployeeRecord, Role
from services.conftest import NOW, FakeFaceEngine, FixedClock

CSRF_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def csrf_of(html: str) -> str:
    found = CSRF_META.search(html)
    assert found, "page has no csrf-token meta"
    return found.group(1)


@dataclass
class Web:
    api: Api

    @property
    def client(self) -> TestClient:
        return self.api.client

    def browser(
        self,
        role: Role,
        *,
        employee: EmployeeRecord | None = None,
        unit: str | None = None,
        password: str | None = None,
        name: str | None = None,
    ) -> TestClient:
        """A new client (own cookie jar) signed in as a fresh user of ``role``."""
        with self.api.database.uow_factory() as uow:
            username = name or f"{role.value}-{len(uow.users.list()) + 1}"
            user = create_user(
                uow,
                username,
                password,
                role,
                employee_id=None if employee is None else employee.id,
                unit=unit,
            )
            issued = issue_token(uow, user, "sign-in", now=self.api.clock())
            uow.commit()
        client = TestClient(self.client.app, follow_redirects=False)
        client.cookies.set(SESSION_COOKIE, issued.token)
        return client

    def anonymous(self) -> TestClient:
        return TestClient(self.client.app, follow_redirects=False)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    """The app (fake engine, clock Monday 3 March 2025 08:00 WIB)."""
    for api in make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW)):
        yield Web(api)
