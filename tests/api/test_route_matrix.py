"""Every route × every role: each route of the app must have an entry in ``EXPECTED`` (API,
bearer tokens) or ``PAGES`` (web pages, session cookie); a new route without one fails this
test. Each role gets 403 exactly when it is not allowed; without credentials an API route
answers 401 and a page redirects to its sign-in page, unless the route is public.

The routes are read from the app itself, so nothing is missed: FastAPI's included routers
are walked down to their effective routes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.conftest import Api
from hadir.domain.errors import NotFoundError
from hadir.http.session import CSRF_FIELD, SESSION_COOKIE, csrf_for
from hadir.services.records import EmployeeRecord, Role
from services.helpers import SRI

PUBLIC = "public"
ANY = frozenset(Role)
STAFF = frozenset({Role.OPERATOR})
READERS = frozenset({Role.OPERATOR, Role.SUPERVISOR})
ADMIN = frozenset[Role]()
CHECKERS = frozenset({Role.OPERATOR, Role.EMPLOYEE, Role.KIOSK})
EMPLOYEE = frozenset({Role.EMPLOYEE})
KIOSK = frozenset({Role.KIOSK})

EXPECTED: dict[tuple[str, str], frozenset[Role] | str] = {
    ("GET", "/health"): PUBLIC,
    ("POST", "/api/v1/faces/compare"): STAFF,
    ("POST", "/api/v1/auth/token"): PUBLIC,
    ("GET", "/api/v1/auth/me"): ANY,
    ("GET", "/api/v1/corrections"): ANY,
    ("GET", "/api/v1/leave/balance"): ANY,
    ("POST", "/api/v1/corrections"): ANY,
    ("POST", "/api/v1/corrections/{correction_id}/decision"): ANY,
    ("GET", "/api/v1/auth/tokens"): ANY,
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): ANY,
    ("POST", "/api/v1/auth/sign-out"): ANY,
    ("POST", "/api/v1/auth/users/{username}/unlock"): ADMIN,
    ("POST", "/api/v1/attendance/check-in"): CHECKERS,
    ("POST", "/api/v1/attendance/check-out"): CHECKERS,
    ("GET", "/api/v1/attendance"): frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.EMPLOYEE}),
    ("GET", "/api/v1/attendance/review"): READERS,
    ("POST", "/api/v1/attendance/{event_id}/review"): READERS,
    ("GET", "/api/v1/reports/daily"): READERS,
    ("GET", "/api/v1/reports/monthly"): READERS,
    ("GET", "/api/v1/audit"): ADMIN,
    ("GET", "/api/v1/audit/verify"): ADMIN,
    ("GET", "/api/v1/me/export"): ANY,
    ("POST", "/api/v1/employees/{employee_id}/erase-biometrics"): ADMIN,
    ("POST", "/api/v1/admin/purge"): ADMIN,
    ("POST", "/api/v1/employees"): STAFF,
    ("GET", "/api/v1/employees"): STAFF,
    ("GET", "/api/v1/employees/{employee_id}"): STAFF,
    ("PATCH", "/api/v1/employees/{employee_id}"): STAFF,
    ("DELETE", "/api/v1/employees/{employee_id}"): STAFF,
    ("POST", "/api/v1/employees/{employee_id}/faces"): STAFF,
    ("GET", "/api/v1/employees/{employee_id}/faces"): STAFF,
    ("DELETE", "/api/v1/employees/{employee_id}/faces"): STAFF,
    ("DELETE", "/api/v1/employees/{employee_id}/faces/{template_id}"): STAFF,
    ("POST", "/api/v1/attendance/challenge"): CHECKERS,
    ("POST", "/api/v1/attendance/check-in/live"): CHECKERS,
    ("POST", "/api/v1/attendance/check-out/live"): CHECKERS,
    ("POST", "/api/v1/leave"): STAFF,
    ("GET", "/api/v1/leave"): READERS,
    ("POST", "/api/v1/leave/{leave_id}/decision"): ANY,
    ("POST", "/api/v1/leave/{leave_id}/attachment"): frozenset({Role.OPERATOR, Role.EMPLOYEE}),
    ("GET", "/api/v1/leave/{leave_id}/attachment"): frozenset(
        {Role.OPERATOR, Role.SUPERVISOR, Role.EMPLOYEE}
    ),
    ("GET", "/api/v1/schedules"): READERS,
    ("POST", "/api/v1/schedules"): STAFF,
    ("GET", "/api/v1/schedules/resolve"): READERS,
    ("DELETE", "/api/v1/schedules/overrides/{override_id}"): STAFF,
    ("GET", "/api/v1/schedules/{schedule_id}"): READERS,
    ("PATCH", "/api/v1/schedules/{schedule_id}"): STAFF,
    ("DELETE", "/api/v1/schedules/{schedule_id}"): STAFF,
    ("POST", "/api/v1/schedules/{schedule_id}/overrides"): STAFF,
    ("GET", "/api/v1/schedules/{schedule_id}/overrides"): READERS,
    ("POST", "/api/v1/offices"): STAFF,
    ("GET", "/api/v1/offices"): READERS,
    ("GET", "/api/v1/offices/{code}"): READERS,
    ("PATCH", "/api/v1/offices/{code}"): STAFF,
    ("DELETE", "/api/v1/offices/{code}"): STAFF,
    ("POST", "/api/v1/holidays"): STAFF,
    ("GET", "/api/v1/holidays"): READERS,
    ("DELETE", "/api/v1/holidays/{holiday_id}"): STAFF,
    ("PUT", "/api/v1/holidays/{holiday_id}"): STAFF,
    ("GET", "/api/v1/shifts"): READERS,
    ("POST", "/api/v1/shifts"): STAFF,
    ("GET", "/api/v1/shifts/roster"): READERS,
    ("POST", "/api/v1/shifts/roster"): STAFF,
    ("DELETE", "/api/v1/shifts/roster/{assignment_id}"): STAFF,
    ("PUT", "/api/v1/shifts/{shift_id}"): STAFF,
    ("DELETE", "/api/v1/shifts/{shift_id}"): STAFF,
    ("GET", "/api/v1/units"): READERS,
    ("POST", "/api/v1/units"): STAFF,
    ("GET", "/api/v1/units/{unit_id}"): READERS,
    ("PATCH", "/api/v1/units/{unit_id}"): STAFF,
    ("DELETE", "/api/v1/units/{unit_id}"): STAFF,
    ("POST", "/api/v1/units/import"): STAFF,
}
PAGES: dict[tuple[str, str], frozenset[Role] | str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/masuk"): PUBLIC,
    ("POST", "/masuk"): PUBLIC,
    ("GET", "/kiosk/aktifkan"): PUBLIC,
    ("GET", "/sw.js"): PUBLIC,
    ("POST", "/kiosk/aktifkan"): PUBLIC,
    ("POST", "/keluar"): ANY,
    ("GET", "/akun/sandi"): ANY,
    ("POST", "/akun/sandi"): ANY,
    ("GET", "/absen"): EMPLOYEE,
    ("GET", "/absen/riwayat"): EMPLOYEE,
    ("GET", "/absen/izin"): EMPLOYEE,
    ("POST", "/absen/izin"): EMPLOYEE,
    ("GET", "/kiosk"): KIOSK,
    ("GET", "/kiosk/keluar"): KIOSK,
    ("POST", "/kiosk/keluar"): KIOSK,
    ("GET", "/admin"): READERS,
    ("GET", "/admin/laporan"): READERS,
    ("GET", "/admin/laporan/cetak"): READERS,
    ("GET", "/admin/laporan/cetak.pdf"): READERS,
    ("GET", "/admin/laporan/daftar-hadir"): READERS,
    ("GET", "/admin/laporan/daftar-hadir.pdf"): READERS,
    ("GET", "/admin/audit"): ADMIN,
    ("GET", "/admin/wajah-ganda"): ADMIN,
    ("GET", "/admin/kalibrasi"): ADMIN,
    ("POST", "/admin/kalibrasi"): ADMIN,
    ("GET", "/admin/kehadiran"): READERS,
    ("GET", "/admin/ditolak"): READERS,
    ("GET", "/admin/pemeriksaan"): READERS,
    ("POST", "/admin/pemeriksaan/{event_id}"): READERS,
    ("GET", "/admin/izin"): READERS,
    ("POST", "/admin/izin"): STAFF,
    ("POST", "/admin/izin/{leave_id}/keputusan"): READERS,
    ("GET", "/admin/kalender"): READERS,
    ("POST", "/admin/kalender/jadwal"): STAFF,
    ("POST", "/admin/kalender/libur"): STAFF,
    ("POST", "/admin/kalender/kantor"): STAFF,
    ("POST", "/admin/kalender/jadwal/{schedule_id}/hapus"): STAFF,
    ("POST", "/admin/kalender/kantor/{code}/hapus"): STAFF,
    ("POST", "/admin/kalender/libur/sinkron"): STAFF,
    ("GET", "/admin/shift"): READERS,
    ("POST", "/admin/shift"): STAFF,
    ("POST", "/admin/shift/{shift_id}/hapus"): STAFF,
    ("POST", "/admin/shift/jadwal"): STAFF,
    ("POST", "/admin/shift/jadwal/{assignment_id}/hapus"): STAFF,
    ("POST", "/admin/kalender/libur/{holiday_id}/hapus"): STAFF,
    ("GET", "/admin/pegawai"): STAFF,
    ("GET", "/admin/unit"): STAFF,
    ("GET", "/admin/koreksi"): READERS,
    ("POST", "/admin/koreksi"): READERS,
    ("POST", "/admin/koreksi/{correction_id}/keputusan"): READERS,
    ("GET", "/absen/koreksi"): EMPLOYEE,
    ("POST", "/absen/izin/{leave_id}/keputusan"): EMPLOYEE,
    ("POST", "/absen/koreksi"): EMPLOYEE,
    ("POST", "/absen/koreksi/{correction_id}/keputusan"): ANY,
    ("POST", "/admin/unit"): STAFF,
    ("POST", "/admin/unit/impor"): STAFF,
    ("POST", "/admin/unit/{unit_id}/nama"): STAFF,
    ("POST", "/admin/unit/{unit_id}/pindah"): STAFF,
    ("POST", "/admin/unit/{unit_id}/kepala"): STAFF,
    ("POST", "/admin/unit/{unit_id}/hapus"): STAFF,
    ("GET", "/admin/pegawai/impor"): STAFF,
    ("POST", "/admin/pegawai/impor"): STAFF,
    ("GET", "/admin/foto/{event_id}"): STAFF,
    ("POST", "/admin/pegawai"): STAFF,
    ("GET", "/admin/pegawai/{nip}"): STAFF,
    ("POST", "/admin/pegawai/{nip}"): STAFF,
    ("POST", "/admin/pegawai/{nip}/status"): STAFF,
    ("POST", "/admin/pegawai/{nip}/wajah"): STAFF,
    ("POST", "/admin/pegawai/{nip}/wajah/hapus"): STAFF,
    ("POST", "/admin/pegawai/{nip}/wajah/{template_id}/hapus"): STAFF,
    ("GET", "/admin/pengguna"): ADMIN,
    ("POST", "/admin/pengguna"): ADMIN,
    ("POST", "/admin/pengguna/kiosk"): ADMIN,
    ("POST", "/admin/pengguna/token/{token_id}/cabut"): ADMIN,
    ("POST", "/admin/pengguna/token/{token_id}/terbitkan"): ADMIN,
    ("POST", "/admin/pengguna/{user_id}/nonaktif"): ADMIN,
    ("POST", "/admin/pengguna/{user_id}/sandi"): ADMIN,
}
SKIPPED_PREFIXES = ("/docs", "/redoc", "/openapi.json", "/static")
PARAMS = {"employee_id": SRI, "nip": SRI, "code": "NOPE", "username": "nobody"}
SIGN_IN_PAGES = ("/masuk?next=", "/kiosk/aktifkan?next=")


def _walk(routes: Iterable[object]) -> Iterator[tuple[str, str]]:
    for route in routes:
        candidates = getattr(route, "effective_candidates", None)
        if candidates is not None:
            yield from _walk(candidates())
            continue
        original = getattr(route, "original_route", route)
        path = str(getattr(route, "path", ""))
        for method in sorted(getattr(original, "methods", None) or ()):
            if method != "HEAD":
                yield method, path


def app_routes(api: Api) -> list[tuple[str, str]]:
    routes = _walk(api.client.app.routes)  # type: ignore[attr-defined]
    return [(m, p) for m, p in routes if not p.startswith(SKIPPED_PREFIXES)]


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m.group(1), "999999"), path)


def is_page(path: str) -> bool:
    return not (path.startswith("/api/") or path == "/health")


def test_every_route_has_an_expected_entry(api: Api) -> None:
    found = set(app_routes(api))
    known = EXPECTED.keys() | PAGES.keys()
    missing = sorted(found - known)
    assert not missing, f"add these routes to EXPECTED or PAGES in {__file__}: {missing}"
    stale = sorted(known - found)
    assert not stale, f"these EXPECTED routes no longer exist: {stale}"


def _sri(api: Api) -> EmployeeRecord:
    """Sri, created again when an allowed DELETE removed her."""
    with api.database.uow_factory() as uow:
        try:
            return uow.employees.get_by_employee_id(SRI)
        except NotFoundError:
            pass
    return api.employee(SRI, "Sri Wahyuni")


def test_every_route_x_every_role(api: Api) -> None:
    failures = []
    for method, path in app_routes(api):
        if is_page(path):
            continue
        expected = EXPECTED[(method, path)]
        url = concrete(path)
        anonymous = api.client.request(method, url).status_code
        if expected == PUBLIC:
            assert anonymous not in (401, 403), (method, path, anonymous)
            continue
        if anonymous != 401:
            failures.append((method, path, "anonymous", anonymous))
        assert isinstance(expected, frozenset)
        for role in Role:
            # every caller is linked to an employee, so /me/export is about roles only
            headers = api.token(role, employee=_sri(api), unit="Bappeda")
            status = api.client.request(method, url, headers=headers).status_code
            allowed = role is Role.ADMIN or role in expected
            if allowed and status in (401, 403):
                failures.append((method, path, role.value, status))
            if not allowed and status != 403:
                failures.append((method, path, role.value, status))
            assert status < 500, (method, path, role.value, status)
    assert failures == []


def test_every_page_x_every_role(api: Api) -> None:
    """Pages with a session cookie; posts carry a valid CSRF token, so a 403 is the role."""
    key = api.client.app.state.container.secret_key  # type: ignore[attr-defined]
    failures = []
    for method, path in app_routes(api):
        if not is_page(path):
            continue
        expected = PAGES[(method, path)]
        url = concrete(path)
        browser = TestClient(api.client.app, follow_redirects=False)
        anonymous = browser.request(method, url)
        if expected == PUBLIC:
            assert anonymous.status_code < 500, (method, path, anonymous.status_code)
            assert anonymous.status_code != 403 or method == "POST", (method, path)
            continue
        location = anonymous.headers.get("location", "")
        if method == "GET" and not (
            anonymous.status_code == 303 and location.startswith(SIGN_IN_PAGES)
        ):
            failures.append((method, path, "anonymous", anonymous.status_code))
        if method == "POST" and anonymous.status_code not in (303, 403):
            failures.append((method, path, "anonymous", anonymous.status_code))
        assert isinstance(expected, frozenset)
        for role in Role:
            token = api.token(role, employee=_sri(api), unit="Bappeda")["Authorization"][7:]
            browser = TestClient(api.client.app, follow_redirects=False)
            browser.cookies.set(SESSION_COOKIE, token)
            if method == "POST":
                answer = browser.post(url, data={CSRF_FIELD: csrf_for(key, token)})
            else:
                answer = browser.get(url)
            status = answer.status_code
            allowed = role is Role.ADMIN or role in expected
            if allowed and (
                status == 403 or answer.headers.get("location", "").startswith(SIGN_IN_PAGES)
            ):
                failures.append((method, path, role.value, status))
            if not allowed and status != 403:
                failures.append((method, path, role.value, status))
            assert status < 500, (method, path, role.value, status)
    assert failures == []


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.EMPLOYEE, Role.KIOSK])
def test_only_admins_read_the_audit_trail(api: Api, role: Role) -> None:
    response = api.client.get("/api/v1/audit", headers=api.token(role))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
