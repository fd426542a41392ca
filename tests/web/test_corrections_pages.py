"""Issue 15 in the pages: an employee asks for a correction on their own page, their
direct superior approves it from theirs, HR refuses one without a superior and corrects
a day directly in the console; the daily report marks the corrected day."""

from __future__ import annotations

import re

from hadir.services.records import NewEmployee, Role
from web.conftest import Web, csrf_of

KEPALA = "197001011995031001"
STAF = "199001012015011003"
LONE = "198505052010011002"


def test_ask_approve_refuse_and_correct_directly(web: Web) -> None:
    with web.api.database.uow_factory() as uow:
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala Bidang", unit="Bidang A"))
        staff = uow.employees.add(
            NewEmployee(STAF, "Staf Satu", unit="Bidang A", superior_id=head.id)
        )
        lone = uow.employees.add(NewEmployee(LONE, "Tanpa Atasan", unit="Bidang B"))
        uow.commit()
    employee = web.browser(Role.EMPLOYEE, employee=staff, name=STAF)
    page = employee.get("/absen/koreksi")
    assert page.status_code == 200 and 'id="correction-form"' in page.text
    csrf = csrf_of(page.text)
    no_reason = employee.post(
        "/absen/koreksi",
        data={
            "csrf": csrf,
            "day": "2025-03-02",
            "reason_kind": "forgot_check_out",
            "check_out": "16:05",
            "reason": " ",
        },
    )
    assert no_reason.status_code == 422 and "correction-problem" in no_reason.text
    asked = employee.post(
        "/absen/koreksi",
        data={
            "csrf": csrf,
            "day": "2025-02-28",
            "reason_kind": "device_failed",
            "check_in": "07:45",
            "check_out": "16:05",
            "reason": "Mesin absen mati",
        },
    )
    assert asked.status_code == 303, asked.text[-800:]
    mine = employee.get("/absen/koreksi").text
    assert "Mesin absen mati" in mine and "Menunggu" in mine and "Kepala Bidang" in mine

    superior = web.browser(Role.EMPLOYEE, employee=head, name=KEPALA)
    queue = superior.get("/absen/koreksi").text
    (cid,) = re.findall(r'id="correction-queue">.*?data-correction="(\d+)"', queue, re.S)
    decided = superior.post(
        f"/absen/koreksi/{cid}/keputusan",
        data={"csrf": csrf_of(queue), "decision": "approve", "note": "ok"},
    )
    assert decided.status_code == 303
    assert 'id="correction-queue"' not in superior.get("/absen/koreksi").text
    assert "Disetujui" in employee.get("/absen/koreksi").text
    # the staff member cannot decide (not their superior): refused, nothing changes
    again = employee.post(
        f"/absen/koreksi/{cid}/keputusan", data={"csrf": csrf, "decision": "refuse"}
    )
    assert again.status_code == 422

    hr = web.browser(Role.OPERATOR, name="hr-desk")
    lone_account = web.browser(Role.EMPLOYEE, employee=lone, name=LONE)
    lone_page = lone_account.get("/absen/koreksi")
    lone_account.post(
        "/absen/koreksi",
        data={
            "csrf": csrf_of(lone_page.text),
            "day": "2025-02-28",
            "reason_kind": "forgot_check_in",
            "check_in": "07:30",
            "reason": "Lupa",
        },
    )
    console = hr.get("/admin/koreksi").text
    (lone_id,) = re.findall(r'id="correction-queue">.*?data-correction="(\d+)"', console, re.S)
    hr_csrf = csrf_of(console)
    hr.post(f"/admin/koreksi/{lone_id}/keputusan", data={"csrf": hr_csrf, "decision": "refuse"})
    direct = hr.post(
        "/admin/koreksi",
        data={
            "csrf": hr_csrf,
            "employee_id": LONE,
            "day": "2025-02-27",
            "reason_kind": "duty_elsewhere",
            "check_in": "08:00",
            "check_out": "16:00",
            "reason": "Rapat di kabupaten",
        },
    )
    assert direct.status_code == 303, direct.text[-800:]
    everything = hr.get("/admin/koreksi").text
    assert everything.count("data-correction=") == 3 and "Ditolak" in everything

    report = web.client.get(
        "/api/v1/reports/monthly",
        params={"month": "2025-02"},
        headers=web.api.token(Role.OPERATOR),
    )
    assert report.status_code == 200, report.text[-500:]
    days = {(r["employee_id"], r["day"]): r for r in report.json()["daily"]}
    assert days[(STAF, "2025-02-28")]["corrected"] is True
    assert days[(LONE, "2025-02-27")]["corrected"] is True
    assert days[(LONE, "2025-02-28")]["corrected"] is False
    with web.api.database.uow_factory() as uow:
        actions = [(e.actor, e.action) for e in uow.audit.list()]
    assert (KEPALA, "correction.approved") in actions
    assert ("hr-desk", "correction.refused") in actions
    assert ("hr-desk", "correction.direct") in actions


def test_the_direct_superior_decides_leave_on_their_page(web: Web) -> None:
    with web.api.database.uow_factory() as uow:
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala Bidang", unit="Bidang A"))
        staff = uow.employees.add(
            NewEmployee(STAF, "Staf Satu", unit="Bidang A", superior_id=head.id)
        )
        uow.commit()
    employee = web.browser(Role.EMPLOYEE, employee=staff, name=STAF)
    page = employee.get("/absen/izin")
    assert 'id="leave-balance"' in page.text and "18 hari kerja (hak 12" in page.text
    asked = employee.post(
        "/absen/izin",
        data={
            "csrf": csrf_of(page.text),
            "kind": "dinas_luar",
            "start_date": "2025-03-10",
            "end_date": "2025-03-11",
            "place": "Kantor Bupati",
            "reason": "Rapat koordinasi",
        },
    )
    assert asked.status_code == 303, asked.text[-600:]
    superior = web.browser(Role.EMPLOYEE, employee=head, name=KEPALA)
    queue = superior.get("/absen/izin").text
    (leave_id,) = re.findall(r'<li data-leave="(\d+)">', queue)
    assert "Kantor Bupati" in queue
    decided = superior.post(
        f"/absen/izin/{leave_id}/keputusan", data={"csrf": csrf_of(queue), "decision": "approve"}
    )
    assert decided.status_code == 303
    assert 'id="staff-leave"' not in superior.get("/absen/izin").text
    with web.api.database.uow_factory() as uow:
        assert uow.leaves.get(int(leave_id)).status.value == "approved"
    not_theirs = employee.post(
        f"/absen/izin/{leave_id}/keputusan", data={"csrf": csrf_of(page.text), "decision": "reject"}
    )
    assert not_theirs.status_code == 422 and "flash error" in not_theirs.text
    with web.api.database.uow_factory() as uow:
        assert uow.leaves.get(int(leave_id)).status.value == "approved"
