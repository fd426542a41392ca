"""Issue 15 in the console: employees imported from a file with a result per line,
accounts signing in by NIP, an administrator's one-time password that must be changed,
a person's own password change."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hadir.services.records import Role
from web.conftest import Web, csrf_of

HEAD = "198001012005011001"
SRI = "198503152010012002"
FILE = (
    "NIP;Nama;Jenis;Golongan;Atasan;TMT;Unit kerja\n"
    f"19800101 200501 1 001;Kepala Dinas;pns;IV/b;;2020-01-02;Diskominfo\n"
    f"19850315 201001 2 002;Sri Wahyuni;pns;3a;{HEAD};17/03/2025;Bidang TI\n"
    "abc;Salah;pns;;;;Bidang TI\n"
    "THL-017;Honorer;non_asn;;;;Bidang TI\n"
)


def _sign_in(web: Web, username: str, password: str) -> tuple[TestClient, object]:
    client = web.anonymous()
    csrf = csrf_of(client.get("/masuk").text)
    answer = client.post("/masuk", data={"username": username, "password": password, "csrf": csrf})
    return client, answer


def test_import_from_the_console_reports_every_line(web: Web) -> None:
    hr = web.browser(Role.OPERATOR, name="hr-desk")
    page = hr.get("/admin/pegawai/impor")
    assert page.status_code == 200 and "Impor pegawai dari berkas" in page.text
    answer = hr.post(
        "/admin/pegawai/impor",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("pegawai.csv", FILE.encode(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    assert "3 ditambahkan, 0 diperbarui, 0 tidak berubah, 1 ditolak." in answer.text
    rows = re.findall(r"<tr class=\"[a-z]*\">\s*<td>(\d+)</td>", answer.text)
    assert rows == ["2", "3", "4", "5"]
    assert "NIP &#39;abc&#39;: a NIP has only digits" in answer.text
    with web.api.database.uow_factory() as uow:
        sri = uow.employees.get_by_employee_id(SRI)
        head = uow.employees.get_by_employee_id(HEAD)
        audit = [(e.actor, e.action, e.target) for e in uow.audit.list()]
    assert (sri.grade, sri.superior_id, sri.unit) == ("III/a", head.id, "Bidang TI")
    assert ("hr-desk", "employee.create", f"employee:{SRI}") in audit
    wrong = hr.post(
        "/admin/pegawai/impor",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("pegawai.txt", b"x", "text/plain")},
    )
    assert wrong.status_code == 422, wrong.text
    assert "flash error" in wrong.text, wrong.text[-1500:]


def test_accounts_sign_in_by_nip_and_a_reset_password_must_be_changed(web: Web) -> None:
    web.api.employee(SRI, "Sri Wahyuni")
    admin = web.browser(Role.ADMIN, name="root")
    users = admin.get("/admin/pengguna")
    assert '<option value="employee" selected>' in users.text  # new accounts: employee
    created = admin.post(
        "/admin/pengguna",
        data={
            "username": "",
            "password": "awal-12345",
            "role": "employee",
            "employee_id": "19850315 201001 2 002",
            "csrf": csrf_of(users.text),
        },
    )
    assert created.status_code == 303, created.text
    with web.api.database.uow_factory() as uow:
        account = uow.users.get_by_username(SRI)
    # the NIP signs in however it is typed
    phone, answer = _sign_in(web, "19850315 201001 2 002", "awal-12345")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert phone.get("/absen").status_code == 200

    reset_page = admin.get("/admin/pengguna")
    reset = admin.post(
        f"/admin/pengguna/{account.id}/sandi", data={"csrf": csrf_of(reset_page.text)}
    )
    assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
    found = re.search(r'<code class="token" id="one-time-password">([a-z0-9]+)</code>', reset.text)
    assert found, reset.text
    one_time = found.group(1)
    assert phone.get("/absen").status_code == 303  # the old session was revoked
    _, old = _sign_in(web, SRI, "awal-12345")
    assert old.status_code == 401  # type: ignore[attr-defined]

    phone, answer = _sign_in(web, SRI, one_time)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    blocked = phone.get("/absen")
    assert (blocked.status_code, blocked.headers["location"]) == (303, "/akun/sandi")
    form = phone.get("/akun/sandi")
    assert "kata sandi sekali pakai" in form.text
    csrf = csrf_of(form.text)
    for current, new, again in (
        ("salah-salah", "baru-12345", "baru-12345"),
        (one_time, "baru-12345", "beda-12345"),
        (one_time, "pendek", "pendek"),
    ):
        refused = phone.post(
            "/akun/sandi",
            data={
                "current_password": current,
                "new_password": new,
                "new_password_again": again,
                "csrf": csrf,
            },
        )
        assert refused.status_code == 422, (current, new, again)
    changed = phone.post(
        "/akun/sandi",
        data={
            "current_password": one_time,
            "new_password": "baru-12345",
            "new_password_again": "baru-12345",
            "csrf": csrf,
        },
    )
    assert changed.status_code == 303
    assert phone.get("/absen").status_code == 200
    _, again_in = _sign_in(web, SRI, "baru-12345")
    assert again_in.status_code == 303  # type: ignore[attr-defined]
    with web.api.database.uow_factory() as uow:
        actions = [(e.actor, e.action, e.target) for e in uow.audit.list()]
        ips = {e.action: e.detail.get("ip") for e in uow.audit.list()}
        assert not uow.users.get(account.id).must_change_password
    assert ("root", "user.password_reset", SRI) in actions
    assert (SRI, "user.password_change", SRI) in actions
    # the service writes the entry with the page's Actor: who and from where
    assert ips["user.password_reset"] == ips["user.password_change"] == "testclient"


def test_an_account_with_its_own_name_also_signs_in_by_nip(web: Web) -> None:
    sri = web.api.employee(SRI, "Sri Wahyuni")
    web.browser(Role.EMPLOYEE, employee=sri, name="sri", password="sri-12345")
    _, by_name = _sign_in(web, "sri", "sri-12345")
    _, by_nip = _sign_in(web, SRI, "sri-12345")
    _, by_wrong = _sign_in(web, SRI, "salah-123")
    assert (by_name.status_code, by_nip.status_code, by_wrong.status_code) == (303, 303, 401)  # type: ignore[attr-defined]
    kiosk_like = web.browser(Role.ADMIN, name="root")
    users = kiosk_like.get("/admin/pengguna")
    with web.api.database.uow_factory() as uow:
        service = uow.users.get_by_username("root")
    refused = kiosk_like.post(
        f"/admin/pengguna/{service.id}/sandi", data={"csrf": csrf_of(users.text)}
    )
    assert refused.status_code == 422  # a service account has no password to reset
