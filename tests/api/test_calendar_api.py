"""Offices and holidays over HTTP."""

from __future__ import annotations

from api.conftest import Api, Headers
from hadir.services.records import Role
from services.helpers import SRI


def test_offices(api: Api, operator: Headers) -> None:
    body = {"code": "SETDA", "name": "Sekretariat Daerah", "latitude": -6.9}
    created = api.client.post("/api/v1/offices", json=body, headers=operator)
    assert created.status_code == 201, created.text
    assert created.json()["timezone"] == "Asia/Jakarta"
    assert api.client.post("/api/v1/offices", json=body, headers=operator).status_code == 409
    bad_zone = {**body, "code": "X", "timezone": "Mars/Base"}
    assert api.client.post("/api/v1/offices", json=bad_zone, headers=operator).status_code == 422
    listed = api.client.get("/api/v1/offices", headers=operator).json()
    assert [o["code"] for o in listed] == ["SETDA"]
    employee = api.client.post(
        "/api/v1/employees",
        json={"employee_id": SRI, "name": "Sri", "office_id": created.json()["id"]},
        headers=operator,
    )
    assert employee.status_code == 201
    kiosk = api.token(Role.KIOSK)
    assert api.client.get("/api/v1/offices", headers=kiosk).status_code == 403


def test_holidays_shape_the_day_status(api: Api, operator: Headers) -> None:
    api.employee(SRI, "Sri")
    body = {"day": "2025-03-31", "name": "Idul Fitri"}
    created = api.client.post("/api/v1/holidays", json=body, headers=operator)
    assert created.status_code == 201, created.text
    assert api.client.post("/api/v1/holidays", json=body, headers=operator).status_code == 409
    unknown_office = {**body, "office_id": 99}
    assert (
        api.client.post("/api/v1/holidays", json=unknown_office, headers=operator).status_code
        == 404
    )
    query = "date_from=2025-03-01&date_to=2025-03-31"
    listed = api.client.get(f"/api/v1/holidays?{query}", headers=operator).json()
    assert [h["name"] for h in listed] == ["Idul Fitri"]
    report = api.client.get("/api/v1/reports/daily?date=2025-03-31", headers=operator).json()
    assert report["daily"][0]["status"] == "holiday"
    backwards = "date_from=2025-03-31&date_to=2025-03-01"
    assert api.client.get(f"/api/v1/holidays?{backwards}", headers=operator).status_code == 422
    holiday_id = created.json()["id"]
    assert api.client.delete(f"/api/v1/holidays/{holiday_id}", headers=operator).status_code == 204
    assert api.client.delete(f"/api/v1/holidays/{holiday_id}", headers=operator).status_code == 404
