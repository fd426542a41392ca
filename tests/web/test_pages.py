"""Every page renders for the roles it is for, sends others to a 403 page and anonymous
visitors to the sign-in page (coming back afterwards)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from hadir.services.records import Role
from web.conftest import Web

CONSOLE_READ = (
    "/admin",
    "/admin/kehadiran",
    "/admin/ditolak",
    "/admin/pemeriksaan",
    "/admin/izin",
    "/admin/kalender",
    "/admin/laporan",
)
STAFF_ONLY = ("/admin/pegawai",)
ADMIN_ONLY = ("/admin/pengguna", "/admin/audit")
EMPLOYEE = ("/absen", "/absen/riwayat", "/absen/izin")
KIOSK = ("/kiosk",)

ALLOWED: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: CONSOLE_READ + STAFF_ONLY + ADMIN_ONLY + EMPLOYEE + KIOSK,
    Role.OPERATOR: CONSOLE_READ + STAFF_ONLY,
    Role.SUPERVISOR: CONSOLE_READ,
    Role.EMPLOYEE: EMPLOYEE,
    Role.KIOSK: KIOSK,
}
ALL_PAGES = CONSOLE_READ + STAFF_ONLY + ADMIN_ONLY + EMPLOYEE + KIOSK


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_pages_and_no_others(web: Web, role: Role) -> None:
    employee = web.api.employee("1001", "Sri Wahyuni") if role is Role.EMPLOYEE else None
    unit = "Bappeda" if role is Role.SUPERVISOR else None
    browser = web.browser(role, employee=employee, unit=unit)
    for path in ALL_PAGES:
        page = browser.get(path)
        if path in ALLOWED[role]:
            assert page.status_code == 200, (role, path, page.text[-500:])
            assert page.headers["content-type"].startswith("text/html")
            assert '<html lang="id">' in page.text
        else:
            assert page.status_code == 403, (role, path)
            assert 'data-code="forbidden"' in page.text


@pytest.mark.parametrize("path", ALL_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(web: Web, path: str) -> None:
    page = web.anonymous().get(path)
    assert page.status_code == 303
    base = "/kiosk/aktifkan" if path.startswith("/kiosk") else "/masuk"
    assert page.headers["location"] == f"{base}?next={quote(path, safe='')}"


def test_an_expired_or_unknown_session_is_sent_to_sign_in(web: Web) -> None:
    browser = web.anonymous()
    browser.cookies.set("hadir_session", "hdr_not-a-token")
    assert browser.get("/admin").status_code == 303


def test_home_sends_each_role_to_its_start_page(web: Web) -> None:
    assert web.anonymous().get("/").headers["location"] == "/masuk"
    sri = web.api.employee("1001", "Sri Wahyuni")
    assert web.browser(Role.EMPLOYEE, employee=sri).get("/").headers["location"] == "/absen"
    assert web.browser(Role.KIOSK).get("/").headers["location"] == "/kiosk"
    assert web.browser(Role.OPERATOR).get("/").headers["location"] == "/admin"


def test_checkin_page_names_the_employee_and_loads_its_scripts(web: Web) -> None:
    sri = web.api.employee("1001", "Sri Wahyuni")
    page = web.browser(Role.EMPLOYEE, employee=sri).get("/absen")
    assert "Halo, Sri Wahyuni" in page.text
    assert "Senin, 3 Maret 2025" in page.text
    assert '<script src="/static/js/camera.js" defer></script>' in page.text
    assert '<script src="/static/js/checkin.js" defer></script>' in page.text
    assert "err.face_too_small.hint" in page.text  # the refusal messages for the script


def test_an_account_without_employee_is_told_so(web: Web) -> None:
    page = web.browser(Role.ADMIN).get("/absen")
    assert "tidak terhubung ke data pegawai" in page.text


def test_static_files_are_served_by_the_app(web: Web) -> None:
    for path in ("/static/css/hadir.css", "/static/js/camera.js", "/static/img/icon.svg"):
        answer = web.anonymous().get(path)
        assert answer.status_code == 200, path
    assert "javascript" in web.anonymous().get("/static/js/kiosk.js").headers["content-type"]


def test_the_console_menu_offers_only_pages_the_role_may_open(web: Web) -> None:
    menu = web.browser(Role.SUPERVISOR, unit="Bappeda").get("/admin").text
    assert 'href="/admin/kehadiran"' in menu
    assert 'href="/admin/pegawai"' not in menu and 'href="/admin/audit"' not in menu
    full = web.browser(Role.ADMIN).get("/admin").text
    assert 'href="/admin/pegawai"' in full and 'href="/admin/audit"' in full


def test_errors_on_pages_are_pages_and_the_api_keeps_json(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    missing = hr.get("/admin/halaman-tidak-ada")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert 'data-code="not_found"' in missing.text
    bad_query = hr.get("/admin/kehadiran?date_from=kemarin")
    assert bad_query.status_code == 422 and 'data-code="validation_error"' in bad_query.text
    unknown = hr.get("/admin/pegawai/999")
    assert unknown.status_code == 404 and "Data tidak ditemukan." in unknown.text
    api = hr.get("/api/v1/employees/999")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "unknown_employee"
    assert hr.get("/api/v1/nope").json()["error"]["code"] == "not_found"
    assert hr.get("/api/v1/attendance?date_from=x").json()["error"]["code"] == "validation_error"
