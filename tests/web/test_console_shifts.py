"""The shifts page over ASGI: a shift added and edited, a roster entry assigned by NIP
and taken off after confirming, a shift on the roster refused deletion (422)."""

from __future__ import annotations

from datetime import date, time

from hadir.services.records import Role
from web.conftest import Web, csrf_of


def _post(browser: object, action: str, data: dict[str, str], page: str = "/admin/shift"):  # type: ignore[no-untyped-def]
    csrf = csrf_of(browser.get(page).text)  # type: ignore[attr-defined]
    return browser.post(action, data={**data, "csrf": csrf})  # type: ignore[attr-defined]


def test_shifts_and_the_roster_in_the_console(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    web.api.employee("1001", "Sri Wahyuni", unit="RSUD")
    night = {"code": "malam", "name": "Malam", "start": "20:00", "end": "08:00"}
    assert _post(hr, "/admin/shift", night).status_code == 303
    with web.api.database.uow_factory() as uow:
        (shift,) = uow.shifts.list()
    page = hr.get(f"/admin/shift?edit={shift.id}").text
    assert "20:00–08:00 (hari berikutnya)" in page
    assert f'name="shift_id" value="{shift.id}"' in page
    edited = _post(hr, "/admin/shift", {**night, "shift_id": str(shift.id), "grace_minutes": "10"})
    assert edited.status_code == 303
    assigned = _post(
        hr,
        "/admin/shift/jadwal",
        {
            "employee_id": "1001",
            "shift": "malam",
            "start_date": "2025-03-03",
            "end_date": "2025-03-05",
        },
    )
    assert assigned.status_code == 303 and "month=2025-03" in assigned.headers["location"]
    roster = hr.get("/admin/shift?month=2025-03").text
    assert "Sri Wahyuni" in roster and 'data-confirm="Hapus jadwal dinas Sri Wahyuni?"' in roster
    with web.api.database.uow_factory() as uow:
        (entry,) = uow.shifts.assignments(date(2025, 3, 1), date(2025, 3, 31))
        assert uow.shifts.get(shift.id).shift.grace_minutes == 10
    assert (entry.start_date, entry.end_date, entry.shift.end) == (
        date(2025, 3, 3),
        date(2025, 3, 5),
        time(8, 0),
    )
    busy = _post(hr, f"/admin/shift/{shift.id}/hapus", {})
    assert busy.status_code == 422 and "masih ada di jadwal dinas" in busy.text
    unknown = _post(
        hr,
        "/admin/shift/jadwal",
        {"employee_id": "9999", "shift": "malam", "start_date": "2025-03-03"},
    )
    assert unknown.status_code in (404, 422)
    assert _post(hr, f"/admin/shift/jadwal/{entry.id}/hapus", {}).status_code == 303
    assert _post(hr, f"/admin/shift/{shift.id}/hapus", {}).status_code == 303
    with web.api.database.uow_factory() as uow:
        assert uow.shifts.list() == []


def test_a_supervisor_reads_the_roster_without_forms(web: Web) -> None:
    lead = web.browser(Role.SUPERVISOR, unit="RSUD")
    page = lead.get("/admin/shift")
    assert page.status_code == 200 and 'id="shift-form"' not in page.text
