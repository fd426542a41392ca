"""API docs served from the app (no CDN, no inline script) and optionally staff only
(issue 13, finding 12)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.conftest import Api, make_api
from hadir.services.records import Role
from services.conftest import NOW, FakeFaceEngine, FixedClock


def test_docs_load_everything_from_the_app(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources)  # nothing from elsewhere
    assert "<script>" not in page.text  # no inline script
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "http" not in policy
    for source in sources:
        asset = api.client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 100
    schema = api.client.get("/openapi.json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "Hadir"
    assert api.client.get("/redoc").status_code == 404  # it loaded its script from a CDN


@pytest.fixture
def staff_docs(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW), api_docs="staff")


def test_docs_behind_staff_sign_in(staff_docs: Api) -> None:
    for path in ("/docs", "/openapi.json"):
        assert staff_docs.client.get(path).status_code == 401, path
        kiosk = staff_docs.token(Role.KIOSK)
        assert staff_docs.client.get(path, headers=kiosk).status_code == 403, path
        operator = staff_docs.token(Role.OPERATOR)
        assert staff_docs.client.get(path, headers=operator).status_code == 200, path
