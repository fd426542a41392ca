"""The kiosk page over ASGI: the proposed kind of check by the time of day, a sign-out
that needs a staff password, and the console re-issuing a kiosk token (with a confirm step)."""

from __future__ import annotations

from datetime import date, time

from hadir.services.accounts import create_kiosk_token
from hadir.services.auth import create_user
from hadir.services.kiosk import midpoint, switch_time
from hadir.services.records import Role
from web.conftest import Web, csrf_of


def test_the_switch_is_the_middle_of_the_office_hours_unless_configured(web: Web) -> None:
    assert midpoint(time(8, 0), time(16, 0)) == time(12, 0)
    assert midpoint(time(7, 30), time(16, 0)) == time(11, 45)
    monday, sunday = date(2025, 3, 3), date(2025, 3, 2)
    uow = web.api.database.uow_factory
    assert switch_time(uow(), monday) == time(12, 0)
    assert switch_time(uow(), sunday) == time(12, 0)  # no hours: noon
    assert switch_time(uow(), monday, time(13, 30)) == time(13, 30)


def test_the_kiosk_proposes_check_in_in_the_morning_with_a_clock(web: Web) -> None:
    kiosk = web.browser(Role.KIOSK, name="kiosk:pintu")
    page = kiosk.get("/kiosk")
    assert page.status_code == 200
    assert 'data-proposed="check_in"' in page.text
    assert 'data-switch="12:00"' in page.text
    assert 'data-mode="check_in" aria-pressed="true"' in page.text
    assert "Senin, 3 Maret 2025" in page.text  # the date in words (clock 08:00 WIB)
    assert "08.00" in page.text
    assert 'action="/keluar"' not in page.text  # no one-tap sign-out for passers-by
    assert "/kiosk/keluar" in page.text
    english = kiosk.get("/kiosk?lang=en").text
    assert "Monday, 3 March 2025" in english and "Check in" in english


def test_a_passer_by_cannot_sign_the_kiosk_out(web: Web) -> None:
    kiosk = web.browser(Role.KIOSK, name="kiosk:pintu")
    csrf = csrf_of(kiosk.get("/kiosk").text)
    out = kiosk.post("/keluar", data={"csrf": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/kiosk/keluar"
    assert "set-cookie" not in out.headers  # the session is untouched
    assert kiosk.get("/kiosk").status_code == 200

    employee = web.api.employee("1001", "Sri Wahyuni")
    with web.api.database.uow_factory() as uow:
        create_user(uow, "sri", "sri-rahasia-1", Role.EMPLOYEE, employee_id=employee.id)
        create_user(uow, "hr", "hr-rahasia-12", Role.OPERATOR)
        uow.commit()
    form = csrf_of(kiosk.get("/kiosk/keluar").text)
    wrong = kiosk.post(
        "/kiosk/keluar", data={"csrf": form, "username": "hr", "password": "salah-sandi"}
    )
    assert wrong.status_code == 401 and "kata sandi salah" in wrong.text
    not_staff = kiosk.post(
        "/kiosk/keluar", data={"csrf": form, "username": "sri", "password": "sri-rahasia-1"}
    )
    assert not_staff.status_code == 403
    assert kiosk.get("/kiosk").status_code == 200  # still a kiosk

    done = kiosk.post(
        "/kiosk/keluar", data={"csrf": form, "username": "hr", "password": "hr-rahasia-12"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/kiosk/aktifkan"
    kiosk.cookies.clear()
    assert kiosk.get("/kiosk").status_code == 303
    with web.api.database.uow_factory() as uow:
        entries = [(e.actor, e.action, e.target) for e in uow.audit.list()]
        hr_tokens = uow.tokens.list_for(uow.users.get_by_username("hr").id)
    assert ("hr", "kiosk.sign_out", "kiosk:kiosk:pintu") in entries
    assert all(t.revoked_at is not None for t in hr_tokens)  # no stray session was left


def test_the_console_reissues_a_kiosk_token_after_a_confirm_step(web: Web) -> None:
    old = create_kiosk_token(web.api.database.uow_factory(), "lobi", now=web.api.clock(), actor="t")
    admin = web.browser(Role.ADMIN)
    page = admin.get("/admin/pengguna").text
    assert f'action="/admin/pengguna/token/{old.record.id}/terbitkan"' in page
    assert "data-confirm=" in page
    csrf = csrf_of(page)
    asked = admin.post(f"/admin/pengguna/token/{old.record.id}/terbitkan", data={"csrf": csrf})
    assert asked.status_code == 200 and "Yakin?" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    with web.api.database.uow_factory() as uow:
        assert uow.tokens.get(old.record.id).revoked_at is None  # nothing happened yet
    done = admin.post(
        f"/admin/pengguna/token/{old.record.id}/terbitkan",
        data={"csrf": csrf, "confirmed": "1"},
    )
    assert done.status_code == 200 and 'id="new-token"' in done.text
    assert done.headers["cache-control"] == "no-store"
    with web.api.database.uow_factory() as uow:
        assert uow.tokens.get(old.record.id).revoked_at is not None
        actions = [e.action for e in uow.audit.list()]
    assert "token.reissue" in actions
    kiosk = web.anonymous()
    form = csrf_of(kiosk.get("/kiosk/aktifkan").text)
    refused = kiosk.post("/kiosk/aktifkan", data={"csrf": form, "token": old.token})
    assert refused.status_code == 401
