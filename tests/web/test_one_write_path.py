"""One use case, every door: the API and the console reach the same service and leave the
same state and the same kind of audit entry (issue 14; issue 13 items 3, 7, 8 and 10)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api, Headers, make_api
from hadir.services.audit import Actor
from hadir.services.auth import create_user
from hadir.services.employees import create_employee
from hadir.services.records import NewEmployee, Role
from services.conftest import NOW, FakeFaceEngine, FixedClock
from web.conftest import Web, csrf_of

PASSWORD = "rahasia-123"
LEAVE = {"kind": "izin", "start_date": "2025-03-04", "end_date": "2025-03-04"}


def _web_sign_in(browser: TestClient, username: str, password: str) -> object:
    form = browser.get("/masuk")
    data = {"username": username, "password": password, "csrf": csrf_of(form.text)}
    return browser.post("/masuk", data=data)


def _api_sign_in(api: Api, username: str, password: str) -> tuple[int, dict[str, object]]:
    answer = api.client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    return answer.status_code, answer.json()


def _employee_signed_in_everywhere(web: Web, nip: str) -> tuple[Headers, TestClient]:
    """An employee with an account (username = NIP), holding an API token and a web session."""
    create_employee(
        web.api.database.uow_factory,
        NewEmployee(nip, f"Pegawai {nip}", unit="Bappeda"),
        password=PASSWORD,
        actor=Actor("setup"),
    )
    status, body = _api_sign_in(web.api, nip, PASSWORD)
    assert status == 200
    phone = web.anonymous()
    assert _web_sign_in(phone, nip, PASSWORD).status_code == 303  # type: ignore[attr-defined]
    assert phone.get("/absen").status_code == 200
    return {"Authorization": f"Bearer {body['token']}"}, phone


def _state(web: Web, nip: str) -> dict[str, object]:
    with web.api.database.uow_factory() as uow:
        employee = uow.employees.get_by_employee_id(nip)
        users = [u for u in uow.users.list() if u.employee_id == employee.id]
        tokens = [t for u in users for t in uow.tokens.list_for(u.id)]
        entry = next(e for e in uow.audit.list() if e.target == f"employee:{nip}")
    return {
        "employee_active": employee.active,
        "accounts_active": [u.active for u in users],
        "tokens": len(tokens),
        "tokens_revoked": all(t.revoked_at is not None for t in tokens),
        "action": entry.action,
        "changes": entry.detail["changes"],
        "tokens_revoked_count": entry.detail["tokens_revoked"],
        "ip": entry.detail["ip"],
    }


def _refused_everywhere(web: Web, nip: str, token: Headers, phone: TestClient) -> None:
    api = web.api
    assert api.client.get("/api/v1/auth/me", headers=token).status_code == 401
    assert phone.get("/absen").status_code == 303  # the session is gone: back to sign-in
    assert _api_sign_in(api, nip, PASSWORD)[0] == 401
    assert _web_sign_in(web.anonymous(), nip, PASSWORD).status_code == 401  # type: ignore[attr-defined]
    operator = api.token(Role.OPERATOR)
    filed = api.client.post("/api/v1/leave", json={"employee_id": nip, **LEAVE}, headers=operator)
    assert filed.status_code == 409, filed.text


def test_deactivation_through_the_api_and_the_console_leaves_the_same_state(web: Web) -> None:
    """Issue 13.3: PATCH ``active: false`` used to leave sign-in, old tokens, web sessions and
    leave filing working; the console's button did not. Both doors now do the same."""
    by_api, by_console = "199001012015011001", "199001012015011002"
    api_token, api_phone = _employee_signed_in_everywhere(web, by_api)
    console_token, console_phone = _employee_signed_in_everywhere(web, by_console)

    operator = web.api.token(Role.OPERATOR, name="hr-api")
    patched = web.api.client.patch(
        f"/api/v1/employees/{by_api}", json={"active": False}, headers=operator
    )
    assert patched.status_code == 200 and patched.json()["active"] is False
    hr = web.browser(Role.OPERATOR, name="hr-desk")
    page = f"/admin/pegawai/{by_console}"
    csrf = csrf_of(hr.get(page).text)
    switched = hr.post(f"{page}/status", data={"active": "0", "confirmed": "1", "csrf": csrf})
    assert switched.status_code == 303

    through_api, through_console = _state(web, by_api), _state(web, by_console)
    assert through_api == through_console
    assert through_api == {
        "employee_active": False,
        "accounts_active": [False],
        "tokens": 2,  # the API token and the web session
        "tokens_revoked": True,
        "action": "employee.deactivate",
        "changes": {"active": {"before": True, "after": False}},
        "tokens_revoked_count": 2,
        "ip": "testclient",
    }
    _refused_everywhere(web, by_api, api_token, api_phone)
    _refused_everywhere(web, by_console, console_token, console_phone)


def test_the_employee_page_of_a_deactivated_employee_files_no_leave(web: Web) -> None:
    """The employee's own leave form goes through the same service: refused once inactive
    (here the session survives because only the employee record is switched off)."""
    with web.api.database.uow_factory() as uow:
        employee = uow.employees.add(NewEmployee("1001", "Sri"))
        uow.commit()
    phone = web.browser(Role.EMPLOYEE, employee=employee)
    with web.api.database.uow_factory() as uow:
        uow.employees.update(replace(employee, active=False))
        uow.commit()
    csrf = csrf_of(phone.get("/absen/izin").text)
    answer = phone.post("/absen/izin", data={**LEAVE, "reason": "x", "csrf": csrf})
    assert answer.status_code == 422
    with web.api.database.uow_factory() as uow:
        assert uow.leaves.list() == []


def test_console_changes_carry_the_client_address_and_the_nip(web: Web) -> None:
    """Issue 13.7: console entries had no address; creating an employee recorded no NIP."""
    hr = web.browser(Role.OPERATOR, name="hr-desk")
    csrf = csrf_of(hr.get("/admin/pegawai").text)
    form = {
        "employee_id": "1001",
        "employee_type": "non_asn",
        "name": "Sri",
        "unit": "Bappeda",
        "csrf": csrf,
    }
    assert hr.post("/admin/pegawai", data=form).status_code == 303
    csrf = csrf_of(hr.get("/admin/pegawai/1001").text)
    edit = {
        "name": "Sri Wahyuni",
        "employee_type": "non_asn",
        "unit": "Umum",
        "position": "",
        "csrf": csrf,
    }
    assert hr.post("/admin/pegawai/1001", data=edit).status_code == 303
    with web.api.database.uow_factory() as uow:
        update, create = uow.audit.list(limit=2)
    assert (create.actor, create.action, create.target) == (
        "hr-desk",
        "employee.create",
        "employee:1001",
    )
    assert create.detail["nip"] == "1001" and create.detail["ip"] == "testclient"
    assert update.action == "employee.update" and update.detail["ip"] == "testclient"
    assert update.detail["changes"] == {
        "name": {"before": "Sri", "after": "Sri Wahyuni"},
        "unit": {"before": "Bappeda", "after": "Umum"},
    }


BAD_OFFICES = [
    {"latitude": "500", "longitude": "106.8", "radius_m": "100"},
    {"latitude": "-6.5", "longitude": "-999", "radius_m": "100"},
    {"latitude": "-6.5", "longitude": "106.8", "radius_m": "-5"},
    {"latitude": "-6.5", "longitude": "106.8", "radius_m": "inf"},
    {"latitude": "nan", "longitude": "106.8", "radius_m": "100"},
    {"latitude": "-6.5", "longitude": "106.8", "radius_m": "1e400"},
]


@pytest.mark.parametrize("place", BAD_OFFICES, ids=lambda p: "-".join(p.values()))
def test_the_console_office_form_refuses_what_the_api_refuses(
    web: Web, place: dict[str, str]
) -> None:
    """Issue 13.10: the console stored latitude 500, longitude -999, radius -5 and ``inf``
    (which switched the geofence off). Both doors now refuse them, and store nothing."""
    hr = web.browser(Role.OPERATOR)
    csrf = csrf_of(hr.get("/admin/kalender").text)
    answer = hr.post(
        "/admin/kalender/kantor", data={"code": "X", "name": "X", **place, "csrf": csrf}
    )
    assert answer.status_code == 422
    body = {"code": "Y", "name": "Y", **{k: float(v) for k, v in place.items()}}
    over_api = web.api.client.post(
        "/api/v1/offices",
        content=_json_with_specials(body),
        headers={**web.api.token(Role.OPERATOR), "Content-Type": "application/json"},
    )
    assert over_api.status_code == 422
    with web.api.database.uow_factory() as uow:
        assert uow.offices.list() == []


def _json_with_specials(body: dict[str, object]) -> str:
    return json.dumps(body)  # writes Infinity / NaN, which a hostile client may send


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[Web]:
    """Sign-in settings an office might choose: two failures lock, sessions of one hour,
    three attempts per username a minute (the per-address limit left generous)."""
    for api in make_api(
        tmp_path,
        FakeFaceEngine(),
        FixedClock(NOW),
        login_max_failures=2,
        token_hours=1,
        signin_per_ip_per_minute=100,
        signin_per_username_per_minute=3,
    ):
        yield Web(api)


def test_web_sign_in_obeys_the_lockout_setting(strict: Web) -> None:
    """Issue 13.8: ``/masuk`` took four wrong passwords with HADIR_LOGIN_MAX_FAILURES=2."""
    with strict.api.database.uow_factory() as uow:
        create_user(uow, "hr", PASSWORD, Role.OPERATOR)
        uow.commit()
    assert _web_sign_in(strict.anonymous(), "hr", "salah").status_code == 401  # type: ignore[attr-defined]
    assert _web_sign_in(strict.anonymous(), "hr", "salah").status_code == 423  # type: ignore[attr-defined]
    assert _api_sign_in(strict.api, "hr", PASSWORD)[0] == 423  # the same lock on the API


def test_web_session_lasts_token_hours(strict: Web) -> None:
    """Issue 13.8: the web session was 12 hours whatever HADIR_TOKEN_HOURS said."""
    with strict.api.database.uow_factory() as uow:
        create_user(uow, "hr", PASSWORD, Role.OPERATOR)
        uow.commit()
    browser = strict.anonymous()
    answer = _web_sign_in(browser, "hr", PASSWORD)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert "max-age=3600" in answer.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    with strict.api.database.uow_factory() as uow:
        user = uow.users.get_by_username("hr")
        (session,) = uow.tokens.list_for(user.id)
    assert session.expires_at == NOW + timedelta(hours=1)


def test_web_sign_in_has_the_per_username_limit(strict: Web) -> None:
    """Issue 13.8: ``/masuk`` had no per-username limit (the API had)."""
    statuses = [
        _web_sign_in(strict.anonymous(), "nobody", "x").status_code  # type: ignore[attr-defined]
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    assert _api_sign_in(strict.api, "NOBODY", "x")[0] == 429  # one bucket for both doors
