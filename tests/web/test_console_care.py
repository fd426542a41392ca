"""Console care over ASGI: the first-run checklist, the schedule form filled with the
current values, and "izin" in English."""

from __future__ import annotations

from hadir.services.accounts import create_kiosk_token
from hadir.services.audit import Actor
from hadir.services.records import Role
from services.conftest import photo
from web.conftest import Web, csrf_of


def test_an_empty_dashboard_shows_the_first_steps_until_they_are_done(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    page = hr.get("/admin").text
    assert "Langkah pertama" in page
    for step in ("setup.office", "setup.schedule", "setup.employees", "setup.faces"):
        assert f'class="todo" data-step="{step}"' in page
    assert "First steps" in hr.get("/admin?lang=en").text
    lead = web.browser(Role.SUPERVISOR, unit="Bappeda")
    assert "Langkah pertama" not in lead.get("/admin").text  # nothing they can set up

    with web.api.database.uow_factory() as uow:
        uow.offices.add("BPD", "Kantor Bappeda")
        uow.commit()
    staff = web.api.token(Role.OPERATOR)
    web.api.employee("1001", "Sri Wahyuni")
    web.api.enrol("1001", staff, photo("sri", seed=1))
    page = hr.get("/admin?lang=id").text
    assert 'class="done" data-step="setup.office"' in page
    assert 'class="done" data-step="setup.faces"' in page
    assert 'class="todo" data-step="setup.schedule"' in page
    csrf = csrf_of(hr.get("/admin/kalender").text)
    saved = hr.post(
        "/admin/kalender/jadwal",
        data={"csrf": csrf, "days": ["0", "1", "2", "3", "4"], "start": "07:30", "end": "16:00"},
    )
    assert saved.status_code == 303
    create_kiosk_token(web.api.database.uow_factory, "lobi", now=web.api.clock(), actor=Actor("t"))
    assert "Langkah pertama" not in hr.get("/admin").text


def test_the_schedule_form_is_filled_with_the_current_values(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    fresh = hr.get("/admin/kalender").text
    assert 'id="s-start" name="start" type="time" value="08:00"' in fresh
    csrf = csrf_of(fresh)
    for unit, days, start, grace in (
        ("", ["0", "1", "2", "3", "4", "5"], "07:30", "10"),
        ("Puskesmas", ["0", "1"], "06:00", "5"),
    ):
        saved = hr.post(
            "/admin/kalender/jadwal",
            data={
                "csrf": csrf,
                "unit": unit,
                "days": days,
                "start": start,
                "end": "15:30",
                "grace_minutes": grace,
            },
        )
        assert saved.status_code == 303, saved.text
    page = hr.get("/admin/kalender").text
    assert 'id="s-start" name="start" type="time" value="07:30"' in page
    assert 'id="s-grace" name="grace_minutes" type="number" min="0" max="240" value="10"' in page
    assert 'name="days" value="5" checked' in page and 'name="days" value="6" checked' not in page
    unit = hr.get("/admin/kalender?unit=Puskesmas").text
    assert 'id="s-unit" name="unit" maxlength="255" value="Puskesmas"' in unit
    assert 'id="s-start" name="start" type="time" value="06:00"' in unit
    assert 'name="days" value="2" checked' not in unit


def test_izin_is_a_permitted_absence_in_english(web: Web) -> None:
    hr = web.browser(Role.OPERATOR)
    page = hr.get("/admin/izin?lang=en").text
    assert "Permitted absence (izin)" in page and "Permission" not in page


def test_the_audit_log_reads_as_sentences_with_details_on_demand(web: Web) -> None:
    from hadir.services.accounts import deactivate_user
    from hadir.services.auth import create_user

    with web.api.database.uow_factory() as uow:
        sri = create_user(uow, "sri", "sri-rahasia-1", Role.OPERATOR)
        uow.commit()
    deactivate_user(web.api.database.uow_factory, sri.id, actor=Actor("root"))
    admin = web.browser(Role.ADMIN, name="root")
    page = admin.get("/admin/audit").text
    assert "root menonaktifkan pengguna sri pada " in page
    assert "<details>" in page and "<code>user.deactivate</code>" in page  # the code on demand
    english = admin.get("/admin/audit?lang=en").text
    assert "root deactivated user sri at " in english
