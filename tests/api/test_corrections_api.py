"""Corrections over the API (issue 15): who may ask, decide and correct directly."""

from __future__ import annotations

from api.conftest import Api
from hadir.services.records import NewEmployee, Role

KEPALA = "197001011995031001"
STAF = "199001012015011003"
URL = "/api/v1/corrections"


def test_ask_decide_and_correct_directly(api: Api) -> None:
    with api.database.uow_factory() as uow:
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala", unit="Bidang A"))
        staff = uow.employees.add(NewEmployee(STAF, "Staf", unit="Bidang A", superior_id=head.id))
        uow.commit()
    own = api.token(Role.EMPLOYEE, employee=staff)
    boss = api.token(Role.EMPLOYEE, employee=head)
    hr = api.token(Role.OPERATOR)
    body = {"day": "2025-02-28", "reason_kind": "forgot_check_out", "check_out": "16:00"}
    missing = api.client.post(URL, json=body | {"reason": "Lupa", "check_out": None}, headers=own)
    assert missing.status_code == 422
    assert missing.json()["error"]["details"]["field"] == "check_in"
    other = api.client.post(URL, json=body | {"reason": "x", "employee_id": KEPALA}, headers=own)
    assert other.status_code == 403
    asked = api.client.post(URL, json=body | {"reason": "Lupa absen pulang"}, headers=own)
    assert asked.status_code == 201, asked.text
    assert (asked.json()["status"], asked.json()["approver"]) == ("requested", KEPALA)
    cid = asked.json()["id"]
    assert [c["id"] for c in api.client.get(URL, params={"queue": True}, headers=boss).json()] == [
        cid
    ]
    assert api.client.get(URL, params={"queue": True}, headers=hr).json() == []
    by_hr = api.client.post(f"{URL}/{cid}/decision", json={"decision": "approve"}, headers=hr)
    assert by_hr.status_code == 403
    yes = api.client.post(f"{URL}/{cid}/decision", json={"decision": "approve"}, headers=boss)
    assert yes.status_code == 200 and yes.json()["decided_by"].startswith("employee")
    twice = api.client.post(f"{URL}/{cid}/decision", json={"decision": "refuse"}, headers=boss)
    assert twice.status_code == 409

    direct = body | {
        "reason": "Tugas luar",
        "employee_id": STAF,
        "direct": True,
        "day": "2025-02-27",
    }
    assert api.client.post(URL, json=direct, headers=own).status_code == 403
    done = api.client.post(URL, json=direct, headers=hr)
    assert done.status_code == 201 and done.json()["status"] == "approved"
    assert len(api.client.get(URL, headers=hr).json()) == 2
    assert len(api.client.get(URL, headers=own).json()) == 2
