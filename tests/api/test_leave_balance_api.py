"""The annual leave balance over the API (issue 15)."""

from __future__ import annotations

from api.conftest import Api
from hadir.services.records import NewEmployee, Role

NIP = "199001012015011003"


def test_balance_and_a_request_beyond_it(api: Api) -> None:
    with api.database.uow_factory() as uow:
        staff = uow.employees.add(NewEmployee(NIP, "Staf", unit="Bidang A"))
        uow.commit()
    hr = api.token(Role.OPERATOR)
    own = api.token(Role.EMPLOYEE, employee=staff)
    cuti = {"employee_id": NIP, "kind": "cuti", "start_date": "2025-03-10"}
    asked = api.client.post("/api/v1/leave", json=cuti | {"end_date": "2025-03-21"}, headers=hr)
    assert asked.status_code == 201, asked.text  # 10 working days
    mine = api.client.get("/api/v1/leave/balance", headers=own)
    assert mine.status_code == 200
    assert mine.json() == {
        "employee_id": NIP,
        "year": 2025,
        "entitlement": 12,
        "carried_over": 6,
        "used": 0,
        "pending": 10,
        "remaining": 8,
    }
    too_much = api.client.post(
        "/api/v1/leave",
        json=cuti | {"start_date": "2025-04-07", "end_date": "2025-04-18"},
        headers=hr,
    )
    assert too_much.status_code == 422
    assert too_much.json()["error"]["details"]["field"] == "end_date"
    other = api.client.get(
        "/api/v1/leave/balance", params={"employee_id": NIP, "year": 2024}, headers=hr
    )
    assert other.json()["remaining"] == 18  # 12 + 6 carried from an unused 2023
    assert api.client.get("/api/v1/leave/balance", headers=hr).status_code == 403
