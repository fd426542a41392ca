"""The calendar page: weekday hours, schedule delete, holidays per year (add, edit,
delete, sync from the ``holidays`` package) and office edit/delete, over ASGI."""

from __future__ import annotations

from datetime import date, time

from hadir.domain.attendance import Weekday, WeekdayHours
from hadir.services.records import NewEmployee, Role
from web.conftest import Web, csrf_of

WEEK = ["0", "1", "2", "3", "4"]


def _post(browser: object, action: str, data: dict[str, object], page: str = "/admin/kalender"):  # type: ignore[no-untyped-def]
    csrf = csrf_of(browser.get(page).text)  # type: ignore[attr-defined]
    return browser.post(action, data={**data, "csrf": csrf})  # type: ignore[attr-defined]


def test_a_shorter_friday_is_saved_shown_and_resolved(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    saved = _post(
        hr,
        "/admin/kalender/jadwal",
        {"days": WEEK, "start": "08:00", "end": "16:00", "wd4_start": "07:30", "wd4_end": "11:30"},
    )
    assert saved.status_code == 303, saved.text
    with web.api.database.uow_factory() as uow:
        schedule = uow.schedules.resolve()
    assert schedule.weekday_hours == (WeekdayHours(Weekday.FRIDAY, time(7, 30), time(11, 30)),)
    page = hr.get("/admin/kalender").text
    assert "Jum 07:30–11:30" in page
    assert 'name="wd4_start" type="time" value="07:30"' in page
    assert 'name="wd3_start" type="time" value=""' in page
    # a half-filled row is refused with the reason, nothing changes
    refused = _post(
        hr,
        "/admin/kalender/jadwal",
        {"days": WEEK, "start": "08:00", "end": "16:00", "wd0_end": "12:00"},
    )
    assert refused.status_code == 422 and "Jam khusus per hari" in refused.text
    # clearing the row gives Friday the schedule's hours again
    cleared = _post(hr, "/admin/kalender/jadwal", {"days": WEEK, "start": "08:00", "end": "16:00"})
    assert cleared.status_code == 303
    with web.api.database.uow_factory() as uow:
        assert uow.schedules.resolve().weekday_hours == ()


def test_an_office_schedule_is_edited_and_deleted_after_confirming(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    with web.api.database.uow_factory() as uow:
        office = uow.offices.add("RSUD", "RSUD Kabupaten")
        uow.commit()
    saved = _post(
        hr,
        "/admin/kalender/jadwal",
        {"office_id": str(office.id), "days": WEEK, "start": "07:00", "end": "14:00"},
    )
    assert saved.status_code == 303, saved.text
    page = hr.get(f"/admin/kalender?office={office.id}").text
    assert f'<option value="{office.id}" selected>RSUD</option>' in page
    assert 'id="s-start" name="start" type="time" value="07:00"' in page
    with web.api.database.uow_factory() as uow:
        (record,) = uow.schedules.list()
    form = (
        f'action="/admin/kalender/jadwal/{record.id}/hapus" data-confirm="Hapus jadwal Kantor RSUD?'
    )
    assert form in page
    gone = _post(hr, f"/admin/kalender/jadwal/{record.id}/hapus", {})
    assert gone.status_code == 303
    with web.api.database.uow_factory() as uow:
        assert uow.schedules.list() == []
        assert uow.audit.list()[0].action == "schedule.delete"


def test_holidays_per_year_added_edited_deleted_and_synced(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    added = _post(hr, "/admin/kalender/libur", {"day": "2026-06-01", "name": "Hari Jadi Kabupaten"})
    assert added.status_code == 303 and "year=2026" in added.headers["location"]
    with web.api.database.uow_factory() as uow:
        (own,) = uow.holidays.list(date(2026, 1, 1), date(2026, 12, 31))
    form = hr.get(f"/admin/kalender?year=2026&holiday={own.id}").text
    assert 'name="holiday_id" value="' + str(own.id) in form
    assert 'id="h-name" name="name" required maxlength="255" value="Hari Jadi Kabupaten"' in form
    moved = _post(
        hr,
        "/admin/kalender/libur",
        {"holiday_id": str(own.id), "day": "2026-06-02", "name": "Hari Jadi Kab. ke-80"},
    )
    assert moved.status_code == 303
    synced = _post(hr, "/admin/kalender/libur/sinkron", {"year": "2026"})
    assert synced.status_code == 303 and "year=2026" in synced.headers["location"]
    with web.api.database.uow_factory() as uow:
        year = uow.holidays.list(date(2026, 1, 1), date(2026, 12, 31))
        actions = [e.action for e in uow.audit.list()]
    assert {(h.day, h.name) for h in year if h.id == own.id} == {
        (date(2026, 6, 2), "Hari Jadi Kab. ke-80")
    }
    national = [h for h in year if h.source.value == "national"]
    assert len(national) >= 10 and date(2026, 8, 17) in {h.day for h in national}
    assert {"holiday.create", "holiday.update", "holiday.sync"} <= set(actions)
    page = hr.get("/admin/kalender?year=2026").text
    assert "Sinkronkan libur nasional &amp; cuti bersama 2026" in page
    assert "2025" in page and "2027" in page  # the year's neighbours
    removed = _post(
        hr, f"/admin/kalender/libur/{own.id}/hapus", {}, page="/admin/kalender?year=2026"
    )
    assert removed.status_code == 303
    assert "Hari Jadi" not in hr.get("/admin/kalender?year=2026").text
    # moving a holiday onto a date that already is one is refused (422), not a 500
    clash = _post(
        hr,
        "/admin/kalender/libur",
        {"holiday_id": str(national[0].id), "day": national[1].day.isoformat(), "name": "x"},
    )
    assert clash.status_code == 422


def test_offices_are_edited_and_deleted_but_not_while_they_have_staff(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    _post(hr, "/admin/kalender/kantor", {"code": "BPD", "name": "Bappeda"})
    _post(hr, "/admin/kalender/kantor", {"code": "DKR", "name": "Damkar"})
    form = hr.get("/admin/kalender?office_edit=BPD").text
    assert 'name="original" value="BPD"' in form and 'value="Bappeda"' in form
    edited = _post(
        hr,
        "/admin/kalender/kantor",
        {
            "original": "BPD",
            "code": "BPD",
            "name": "Kantor Bappeda",
            "latitude": "-6.2",
            "longitude": "106.8",
            "radius_m": "150",
        },
    )
    assert edited.status_code == 303
    wrong = _post(
        hr, "/admin/kalender/kantor", {"original": "BPD", "name": "Bappeda", "latitude": "500"}
    )
    assert wrong.status_code == 422
    with web.api.database.uow_factory() as uow:
        bpd = uow.offices.get_by_code("BPD")
        uow.employees.add(NewEmployee(employee_id="1001", name="Sri", office_id=bpd.id))
        uow.commit()
    assert (bpd.name, bpd.radius_m) == ("Kantor Bappeda", 150.0)
    page = hr.get("/admin/kalender").text
    assert 'data-confirm="Hapus kantor DKR beserta jadwal dan hari liburnya?"' in page
    assert _post(hr, "/admin/kalender/kantor/DKR/hapus", {}).status_code == 303
    busy = _post(hr, "/admin/kalender/kantor/BPD/hapus", {})
    assert busy.status_code == 422 and "pindahkan dulu ke kantor lain" in busy.text
    with web.api.database.uow_factory() as uow:
        assert [o.code for o in uow.offices.list()] == ["BPD"]


def test_supervisors_read_the_calendar_but_cannot_change_it(web: Web) -> None:
    lead = web.browser(Role.SUPERVISOR, unit="Bappeda")
    page = lead.get("/admin/kalender")
    assert page.status_code == 200 and "/hapus" not in page.text
    csrf = csrf_of(page.text)
    refused = lead.post("/admin/kalender/libur/sinkron", data={"csrf": csrf, "year": "2026"})
    assert refused.status_code in (403, 303)
    with web.api.database.uow_factory() as uow:
        assert uow.holidays.list(date(2026, 1, 1), date(2026, 12, 31)) == []
