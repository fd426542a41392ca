"""One office over HTTP: read, change, delete (refused while it has employees)."""

from __future__ import annotations

from api.conftest import Api, Headers
from hadir.services.records import Role
from services.helpers import SRI

SETDA = {"code": "SETDA", "name": "Sekretariat Daerah", "latitude": -6.9, "longitude": 107.6}


def add_office(api: Api, headers: Headers) -> int:
    response = api.client.post("/api/v1/offices", json=SETDA, headers=headers)
    assert response.status_code == 201, response.text
    office_id: int = response.json()["id"]
    return office_id


def test_get_and_patch_office(api: Api, operator: Headers) -> None:
    add_office(api, operator)
    got = api.client.get("/api/v1/offices/SETDA", headers=operator)
    assert got.status_code == 200
    assert got.json()["name"] == "Sekretariat Daerah"
    changes = {"name": "Setda Kabupaten", "radius_m": 150, "timezone": "Asia/Makassar"}
    patched = api.client.patch("/api/v1/offices/SETDA", json=changes, headers=operator)
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["name"], body["radius_m"], body["timezone"]) == (
        "Setda Kabupaten",
        150,
        "Asia/Makassar",
    )
    assert body["latitude"] == -6.9  # untouched
    cleared = api.client.patch("/api/v1/offices/SETDA", json={"latitude": None}, headers=operator)
    assert cleared.json()["latitude"] is None
    assert api.client.get("/api/v1/offices/SETDA", headers=operator).json() == cleared.json()


def test_bad_office_changes(api: Api, operator: Headers) -> None:
    add_office(api, operator)
    url = "/api/v1/offices/SETDA"
    for body in (
        {"timezone": "Mars/Base"},
        {"name": None},
        {"name": "   "},
        {"latitude": 91},
        {"code": "NEW"},
    ):
        response = api.client.patch(url, json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    assert api.client.get("/api/v1/offices/NOPE", headers=operator).status_code == 404
    missing = api.client.patch("/api/v1/offices/NOPE", json={"name": "x"}, headers=operator)
    assert missing.status_code == 404
    assert api.client.delete("/api/v1/offices/NOPE", headers=operator).status_code == 404


def test_delete_office(api: Api, operator: Headers) -> None:
    office_id = add_office(api, operator)
    employee = {"employee_id": SRI, "name": "Sri", "office_id": office_id}
    assert api.client.post("/api/v1/employees", json=employee, headers=operator).status_code == 201
    schedule = {
        "office_code": "SETDA",
        "working_days": [1, 2, 3, 4, 5],
        "start": "07:30",
        "end": "16:00",
    }
    assert api.client.post("/api/v1/schedules", json=schedule, headers=operator).status_code == 201
    refused = api.client.delete("/api/v1/offices/SETDA", headers=operator)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "conflict"
    assert SRI in refused.json()["error"]["message"]

    moved = api.client.patch(f"/api/v1/employees/{SRI}", json={"office_id": None}, headers=operator)
    assert moved.status_code == 200, moved.text
    assert api.client.delete("/api/v1/offices/SETDA", headers=operator).status_code == 204
    assert api.client.get("/api/v1/offices/SETDA", headers=operator).status_code == 404
    assert api.client.get("/api/v1/schedules", headers=operator).json() == []


def test_office_roles(api: Api, operator: Headers) -> None:
    add_office(api, operator)
    supervisor = api.token(Role.SUPERVISOR, unit="Bappeda")
    kiosk = api.token(Role.KIOSK)
    assert api.client.get("/api/v1/offices/SETDA", headers=supervisor).status_code == 200
    assert api.client.get("/api/v1/offices/SETDA", headers=kiosk).status_code == 403
    for headers in (supervisor, kiosk):
        patch = api.client.patch("/api/v1/offices/SETDA", json={"name": "x"}, headers=headers)
        assert patch.status_code == 403
        assert api.client.delete("/api/v1/offices/SETDA", headers=headers).status_code == 403
    admin = api.token(Role.ADMIN)
    assert api.client.delete("/api/v1/offices/SETDA", headers=admin).status_code == 204
