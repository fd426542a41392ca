"""The console's forms end to end over ASGI (fake face engine): employees, enrolment,
review, leave, calendar, users; every change lands in the audit log."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hadir.services.records import Role
from services.conftest import photo
from web.conftest import Web, csrf_of


def post(browser: TestClient, page: str, action: str, data: dict[str, str], **kw: object) -> object:
    """Open ``page`` (for its CSRF token) and post ``data`` to ``action``."""
    csrf = csrf_of(browser.get(page).text)
    return browser.post(action, data={**data, "csrf": csrf}, **kw)  # type: ignore[arg-type]


def test_add_edit_and_deactivate_an_employee_with_an_account(web: Web) -> None:
    hr = web.browser(Role.OPERATOR, name="hr-desk")
    added = post(
        hr,
        "/admin/pegawai",
        "/admin/pegawai",
        {
            "employee_id": "1001",
            "employee_type": "non_asn",
            "name": "Sri Wahyuni",
            "unit": "Bappeda",
            "password": "sri-12345",
        },
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    assert added.headers["location"] == "/admin/pegawai/1001?ok=emp.created"  # type: ignore[attr-defined]
    page = hr.get("/admin/pegawai/1001?ok=emp.created")
    assert "Pegawai ditambahkan." in page.text
    listed = hr.get("/admin/pegawai?q=wahyu")
    assert "Sri Wahyuni" in listed.text and "1001" in listed.text
    assert "Sri Wahyuni" not in hr.get("/admin/pegawai?q=budi").text

    edited = post(
        hr, "/admin/pegawai/1001", "/admin/pegawai/1001", {"name": "Sri W.", "unit": "Umum"}
    )
    assert edited.status_code == 303  # type: ignore[attr-defined]
    with web.api.database.uow_factory() as uow:
        record = uow.employees.get_by_employee_id("1001")
        account = uow.users.get_by_username("1001")
    assert (record.name, record.unit) == ("Sri W.", "Umum")
    assert account.role is Role.EMPLOYEE and account.employee_id == record.id

    asked = post(hr, "/admin/pegawai/1001", "/admin/pegawai/1001/status", {"active": "0"})
    assert "Nonaktifkan pegawai ini?" in asked.text  # type: ignore[attr-defined]
    assert '<input type="hidden" name="active" value="0">' in asked.text  # type: ignore[attr-defined]
    with web.api.database.uow_factory() as uow:
        assert uow.employees.get_by_employee_id("1001").active  # not yet
    post(hr, "/admin/pegawai/1001", "/admin/pegawai/1001/status", {"active": "0", "confirmed": "1"})
    with web.api.database.uow_factory() as uow:
        assert not uow.employees.get_by_employee_id("1001").active
        assert not uow.users.get_by_username("1001").active
        actions = [(e.actor, e.action, e.target) for e in uow.audit.list()]
    assert ("hr-desk", "employee.create", "1001") in actions
    assert ("hr-desk", "employee.deactivate", "1001") in actions


def test_a_refused_form_keeps_what_was_typed_and_says_why(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    web.api.employee("1001", "Sri Wahyuni")
    taken = post(
        hr,
        "/admin/pegawai",
        "/admin/pegawai",
        {"employee_id": "1001", "employee_type": "non_asn", "name": "Lain"},
    )
    assert taken.status_code == 422  # type: ignore[attr-defined]
    assert "Bertentangan dengan data yang sudah ada." in taken.text  # type: ignore[attr-defined]
    assert 'value="Lain"' in taken.text  # type: ignore[attr-defined]
    short = post(
        hr,
        "/admin/pegawai",
        "/admin/pegawai",
        {"employee_id": "2", "employee_type": "non_asn", "name": "B", "password": "x"},
    )
    assert short.status_code == 422  # type: ignore[attr-defined]


def test_enrol_by_upload_shows_a_result_per_photo_and_lists_templates(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    web.api.employee("1001", "Sri Wahyuni")
    csrf = csrf_of(hr.get("/admin/pegawai/1001").text)
    files = [
        ("images", ("a.jpg", photo("sri", seed=1), "image/jpeg")),
        ("images", ("b.jpg", b"error=face_too_small", "image/jpeg")),
    ]
    page = hr.post("/admin/pegawai/1001/wajah", data={"csrf": csrf, "consent": "1"}, files=files)
    assert page.status_code == 200
    assert page.headers["hadir-enrolled"] == "1"
    assert page.text.count('data-accepted="true"') == 1
    assert page.text.count('data-accepted="false"') == 1
    assert "Wajah terlalu kecil di foto. Dekatkan wajah ke kamera." in page.text
    assert page.text.count("data-template=") == 1
    asked = post(hr, "/admin/pegawai/1001", "/admin/pegawai/1001/wajah/hapus", {})
    assert "Hapus semua wajah terdaftar" in asked.text  # type: ignore[attr-defined]
    deleted = post(hr, "/admin/pegawai/1001", "/admin/pegawai/1001/wajah/hapus", {"confirmed": "1"})
    assert deleted.status_code == 303  # type: ignore[attr-defined]
    assert "Belum ada wajah terdaftar." in hr.get("/admin/pegawai/1001").text


def test_enrolment_without_consent_is_refused_plainly(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    web.api.employee("1001", "Sri Wahyuni")
    csrf = csrf_of(hr.get("/admin/pegawai/1001").text)
    files = [("images", ("a.jpg", photo("sri"), "image/jpeg"))]
    page = hr.post("/admin/pegawai/1001/wajah", data={"csrf": csrf}, files=files)
    assert page.status_code == 422
    assert "consent" in page.text
    assert "Belum ada wajah terdaftar." in page.text


def _checked_in(web: Web, sim: float) -> int:
    staff = web.api.token(Role.OPERATOR)
    sri = web.api.employee("1001", "Sri Wahyuni")
    web.api.enrol("1001", staff, photo("sri", seed=1), photo("sri", seed=2))
    me = web.api.token(Role.EMPLOYEE, employee=sri)
    files = {"image": ("f.jpg", photo("sri", sim=sim, seed=7), "image/jpeg")}
    answer = web.client.post("/api/v1/attendance/check-in", files=files, headers=me)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["event_id"])


def test_review_queue_approve_and_reject_with_a_reason(web: Web) -> None:
    event = _checked_in(web, sim=0.7)
    lead = web.browser(Role.SUPERVISOR, unit="Bappeda")
    queue = lead.get("/admin/pemeriksaan")
    assert f'data-event="{event}"' in queue.text
    assert "1 absen menunggu pemeriksaan" in lead.get("/admin").text
    no_reason = post(
        lead, "/admin/pemeriksaan", f"/admin/pemeriksaan/{event}", {"verdict": "rejected"}
    )
    assert no_reason.status_code == 422  # type: ignore[attr-defined]
    done = post(
        lead,
        "/admin/pemeriksaan",
        f"/admin/pemeriksaan/{event}",
        {"verdict": "accepted", "note": "wajah jelas"},
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert "Tidak ada absen yang menunggu pemeriksaan." in lead.get("/admin/pemeriksaan").text
    log = lead.get("/admin/kehadiran")
    assert "Diterima" in log.text and "wajah jelas" in log.text


def test_supervisors_only_see_their_own_unit(web: Web) -> None:
    _checked_in(web, sim=0.98)
    assert (
        "Sri Wahyuni" in web.browser(Role.SUPERVISOR, unit="Bappeda").get("/admin/kehadiran").text
    )
    other = web.browser(Role.SUPERVISOR, unit="Dinas Kesehatan")
    assert "Sri Wahyuni" not in other.get("/admin/kehadiran").text
    assert re.search(r'data-count="present">0<', other.get("/admin").text)


def test_refused_attempts_show_the_reason(web: Web) -> None:
    staff = web.api.token(Role.OPERATOR)
    web.api.employee("1001", "Sri Wahyuni")
    web.api.enrol("1001", staff, photo("sri", seed=1))
    kiosk = web.api.token(Role.KIOSK)
    files = {"image": ("f.jpg", photo("budi"), "image/jpeg")}
    refused = web.client.post(
        "/api/v1/attendance/check-in", files=files, data={"employee_id": "1001"}, headers=kiosk
    )
    assert refused.status_code == 403
    page = web.browser(Role.OPERATOR).get("/admin/ditolak")
    assert "Wajah tidak dikenali." in page.text
    assert "Ditolak" in page.text


def test_leave_filed_by_the_employee_and_approved_by_hr(web: Web) -> None:
    sri = web.api.employee("1001", "Sri Wahyuni")
    me = web.browser(Role.EMPLOYEE, employee=sri)
    filed = post(
        me,
        "/absen/izin",
        "/absen/izin",
        {"kind": "sakit", "start_date": "2025-03-04", "end_date": "2025-03-05", "reason": "demam"},
    )
    assert filed.status_code == 303  # type: ignore[attr-defined]
    mine = me.get("/absen/izin")
    assert "Sakit" in mine.text and "Diajukan" in mine.text and "4 Maret 2025" in mine.text
    backwards = post(
        me,
        "/absen/izin",
        "/absen/izin",
        {"kind": "izin", "start_date": "2025-03-05", "end_date": "2025-03-01", "reason": "urusan"},
    )
    assert backwards.status_code == 422  # type: ignore[attr-defined]
    refused = backwards.text  # type: ignore[attr-defined]
    assert "Periksa isian: Tanggal selesai (tidak boleh sebelum tanggal mulai)." in refused
    assert 'name="end_date" type="date" required value="2025-03-01" aria-invalid="true"' in refused
    assert 'value="2025-03-05"' in refused and 'value="urusan"' in refused  # kept
    assert '<option value="izin" selected>' in refused
    shown = refused.split('id="leave-problem">')[1].split("</p>")[0]
    assert "end_date" not in shown and "before" not in shown  # no English domain message

    hr = web.browser(Role.OPERATOR)
    with web.api.database.uow_factory() as uow:
        leave_id = uow.leaves.list()[0].id
    decided = post(hr, "/admin/izin", f"/admin/izin/{leave_id}/keputusan", {"decision": "approved"})
    assert decided.status_code == 303  # type: ignore[attr-defined]
    assert "Disetujui" in me.get("/absen/izin").text
    again = post(hr, "/admin/izin", f"/admin/izin/{leave_id}/keputusan", {"decision": "rejected"})
    assert again.status_code == 422  # type: ignore[attr-defined]
    created = post(
        hr,
        "/admin/izin",
        "/admin/izin",
        {
            "employee_id": "1001",
            "kind": "cuti",
            "start_date": "2025-03-10",
            "end_date": "2025-03-12",
        },
    )
    assert created.status_code == 303  # type: ignore[attr-defined]
    assert "Cuti" in hr.get("/admin/izin").text


def test_calendar_holiday_office_and_schedule(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    post(
        hr, "/admin/kalender", "/admin/kalender/libur", {"day": "2025-03-31", "name": "Idul Fitri"}
    )
    post(
        hr,
        "/admin/kalender",
        "/admin/kalender/kantor",
        {
            "code": "BPD",
            "name": "Kantor Bappeda",
            "latitude": "-6,2",
            "longitude": "106.8",
            "radius_m": "150",
        },
    )
    saved = hr.post(
        "/admin/kalender/jadwal",
        data={
            "csrf": csrf_of(hr.get("/admin/kalender").text),
            "days": ["0", "1", "2", "3", "4", "5"],
            "start": "07:30",
            "end": "15:30",
            "grace_minutes": "10",
        },
    )
    assert saved.status_code == 303
    page = hr.get("/admin/kalender?year=2025")
    assert "Senin, 31 Maret 2025 — Idul Fitri" in page.text
    assert "Kantor Bappeda" in page.text and "-6.2" in page.text
    assert "07:30–15:30" in page.text and "Sab" in page.text
    with web.api.database.uow_factory() as uow:
        schedule = uow.schedules.resolve()
    assert schedule.grace_minutes == 10 and len(schedule.working_days) == 6


def test_users_and_device_tokens(web: Web) -> None:
    admin = web.browser(Role.ADMIN, name="root")
    web.api.employee("1001", "Sri Wahyuni")
    added = post(
        admin,
        "/admin/pengguna",
        "/admin/pengguna",
        {"username": "sri", "password": "sri-12345", "role": "employee", "employee_id": "1001"},
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    made = post(admin, "/admin/pengguna", "/admin/pengguna/kiosk", {"name": "lobi"})
    assert made.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    with web.api.database.uow_factory() as uow:
        kiosk_user = uow.users.get_by_username("kiosk:lobi")
        token = uow.tokens.list_for(kiosk_user.id)[0]
    asked = post(admin, "/admin/pengguna", f"/admin/pengguna/token/{token.id}/cabut", {})
    assert "Cabut token ini?" in asked.text  # type: ignore[attr-defined]
    with web.api.database.uow_factory() as uow:  # a confirm step first
        assert uow.tokens.list_for(kiosk_user.id)[0].revoked_at is None
    revoked = post(
        admin, "/admin/pengguna", f"/admin/pengguna/token/{token.id}/cabut", {"confirmed": "1"}
    )
    assert revoked.status_code == 303  # type: ignore[attr-defined]
    with web.api.database.uow_factory() as uow:
        assert uow.tokens.list_for(kiosk_user.id)[0].revoked_at is not None
    audit = admin.get("/admin/audit")
    assert "Rantai hash utuh." in audit.text
    for action in ("user.create", "token.create", "token.revoke"):
        assert action in audit.text


def test_reports_page_links_the_monthly_downloads(web: Web) -> None:
    web.api.employee("1001", "Sri Wahyuni", unit="Bappeda")
    hr = web.browser(Role.OPERATOR)
    page = hr.get("/admin/laporan?month=2025-03&unit=Bappeda")
    link = re.search(r'id="download-xlsx" href="([^"]+)"', page.text)
    assert link, page.text
    href = link.group(1).replace("&amp;", "&")
    assert href == "/api/v1/reports/monthly?month=2025-03&unit=Bappeda&format=xlsx"
    download = hr.get(href)
    assert download.status_code == 200
    assert download.content[:2] == b"PK"  # an XLSX (zip) through the session cookie
    assert '<option value="Bappeda" selected>' in page.text
