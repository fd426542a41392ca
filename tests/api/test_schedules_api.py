"""Work schedules, their overrides and the resolved day over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from api.conftest import Api, Headers
from hadir.services.records import Role
from services.helpers import SRI

OFFICE_HOURS = {
    "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "start": "08:00",
    "end": "16:00",
    "grace_minutes": 0,
}
RAMADAN = {
    "start_date": "2025-03-01",
    "end_date": "2025-03-30",
    "start": "08:00",
    "end": "15:00",
    "label": "Ramadan",
}


def create(api: Api, headers: Headers, **body: Any) -> dict[str, Any]:
    response = api.client.post("/api/v1/schedules", json={**OFFICE_HOURS, **body}, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def resolve(api: Api, headers: Headers, day: str) -> dict[str, Any]:
    query = f"employee_id={SRI}&date={day}"
    response = api.client.get(f"/api/v1/schedules/resolve?{query}", headers=headers)
    assert response.status_code == 200, response.text
    resolved: dict[str, Any] = response.json()
    return resolved


def test_schedule_crud(api: Api, operator: Headers) -> None:
    office = api.client.post(
        "/api/v1/offices", json={"code": "SETDA", "name": "Setda"}, headers=operator
    )
    assert office.status_code == 201
    default = create(api, operator)
    assert default["scope"] == "global"
    assert default["working_days"] == OFFICE_HOURS["working_days"]
    by_office = create(api, operator, office_code="SETDA", working_days=[1, 2, 3, 4, 5, 6])
    assert by_office["scope"] == "office"
    assert by_office["office_code"] == "SETDA"
    assert by_office["working_days"][-1] == "saturday"
    by_unit = create(api, operator, unit="Bappeda", grace_minutes=15, working_days=["Mon"])
    assert (by_unit["scope"], by_unit["unit"], by_unit["grace_minutes"]) == ("unit", "Bappeda", 15)

    listed = api.client.get("/api/v1/schedules", headers=operator).json()
    assert [s["scope"] for s in listed] == ["global", "office", "unit"]
    url = f"/api/v1/schedules/{by_unit['id']}"
    assert api.client.get(url, headers=operator).json() == by_unit

    patched = api.client.patch(url, json={"start": "07:30", "grace_minutes": 5}, headers=operator)
    assert patched.status_code == 200, patched.text
    assert (patched.json()["start"], patched.json()["end"]) == ("07:30", "16:00")
    assert patched.json()["grace_minutes"] == 5
    assert patched.json()["working_days"] == ["monday"]

    assert api.client.delete(url, headers=operator).status_code == 204
    assert api.client.get(url, headers=operator).status_code == 404
    assert api.client.delete(url, headers=operator).status_code == 404
    assert api.client.patch(url, json={"grace_minutes": 1}, headers=operator).status_code == 404


def test_duplicate_scope_is_409(api: Api, operator: Headers) -> None:
    create(api, operator, unit="Bappeda")
    again = api.client.post(
        "/api/v1/schedules", json={**OFFICE_HOURS, "unit": " Bappeda "}, headers=operator
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    create(api, operator)
    assert (
        api.client.post("/api/v1/schedules", json=OFFICE_HOURS, headers=operator).status_code == 409
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"end": "07:00"}, "must be before end"),
        ({"grace_minutes": 181}, "grace_minutes"),
        ({"grace_minutes": -1}, "grace_minutes"),
        ({"working_days": ["monday", "funday"]}, "unknown weekday 'funday'"),
        ({"working_days": [0]}, "unknown weekday 0"),
        ({"working_days": []}, "working_days"),
        ({"working_days": ["mon", "monday"]}, "twice"),
        ({"start": "8 o'clock"}, "start"),
        ({"timezone": "Mars/Base"}, "Mars/Base"),
        ({"office_code": "SETDA", "unit": "Bappeda"}, "not both"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_schedule_is_422(
    api: Api, operator: Headers, change: dict[str, object], words: str
) -> None:
    response = api.client.post(
        "/api/v1/schedules", json={**OFFICE_HOURS, **change}, headers=operator
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert words in error["message"]


def test_bad_patch_and_unknown_office(api: Api, operator: Headers) -> None:
    schedule = create(api, operator)
    url = f"/api/v1/schedules/{schedule['id']}"
    response = api.client.patch(url, json={"start": "17:00"}, headers=operator)
    assert response.status_code == 422
    assert "must be before end" in response.json()["error"]["message"]
    assert api.client.patch(url, json={"working_days": ["x"]}, headers=operator).status_code == 422
    unknown = {**OFFICE_HOURS, "office_code": "NOPE"}
    assert api.client.post("/api/v1/schedules", json=unknown, headers=operator).status_code == 404
    assert api.client.get("/api/v1/schedules/abc", headers=operator).status_code == 422


def test_overrides_and_resolve(api: Api, operator: Headers) -> None:
    api.employee(SRI, "Sri", unit="Bappeda")
    # no schedule set: the built-in office hours
    monday = resolve(api, operator, "2025-03-03")
    assert (monday["working_day"], monday["start"], monday["end"]) == (True, "08:00", "16:00")
    schedule = create(api, operator, unit="Bappeda", grace_minutes=10)
    url = f"/api/v1/schedules/{schedule['id']}/overrides"
    created = api.client.post(url, json=RAMADAN, headers=operator)
    assert created.status_code == 201, created.text
    assert created.json()["grace_minutes"] is None
    assert api.client.post(url, json=RAMADAN, headers=operator).status_code == 409
    backwards = {**RAMADAN, "end_date": "2025-02-01"}
    assert api.client.post(url, json=backwards, headers=operator).status_code == 422
    late_end = {**RAMADAN, "start_date": "2025-04-01", "end_date": "2025-04-02", "end": "07:00"}
    assert api.client.post(url, json=late_end, headers=operator).status_code == 422
    assert (
        api.client.post(
            "/api/v1/schedules/999/overrides", json=RAMADAN, headers=operator
        ).status_code
        == 404
    )

    listed = api.client.get(url, headers=operator).json()
    assert [(o["label"], o["end"]) for o in listed] == [("Ramadan", "15:00")]
    during = resolve(api, operator, "2025-03-03")
    assert (during["start"], during["end"], during["grace_minutes"]) == ("08:00", "15:00", 10)
    assert during["override"] == "Ramadan"
    after = resolve(api, operator, "2025-04-01")
    assert (after["end"], after["override"]) == ("16:00", None)
    saturday = resolve(api, operator, "2025-03-08")
    assert (saturday["working_day"], saturday["start"]) == (False, None)
    holiday = {"day": "2025-03-31", "name": "Idul Fitri"}
    assert api.client.post("/api/v1/holidays", json=holiday, headers=operator).status_code == 201
    eid = resolve(api, operator, "2025-03-31")
    assert (eid["working_day"], eid["holiday"], eid["start"]) == (False, "Idul Fitri", "08:00")

    override_url = f"/api/v1/schedules/overrides/{created.json()['id']}"
    assert api.client.delete(override_url, headers=operator).status_code == 204
    assert api.client.delete(override_url, headers=operator).status_code == 404
    assert api.client.get(url, headers=operator).json() == []
    assert resolve(api, operator, "2025-03-03")["end"] == "16:00"


def test_resolve_errors(api: Api, operator: Headers) -> None:
    unknown = api.client.get(
        "/api/v1/schedules/resolve?employee_id=999&date=2025-03-03", headers=operator
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_employee"
    bad_date = api.client.get(
        f"/api/v1/schedules/resolve?employee_id={SRI}&date=03-03-2025", headers=operator
    )
    assert bad_date.status_code == 422
    missing = api.client.get("/api/v1/schedules/resolve", headers=operator)
    assert missing.status_code == 422


def test_schedule_write_roles(api: Api) -> None:
    tokens = {
        Role.ADMIN: api.token(Role.ADMIN),
        Role.OPERATOR: api.token(Role.OPERATOR),
        Role.SUPERVISOR: api.token(Role.SUPERVISOR, unit="Bappeda"),
        Role.KIOSK: api.token(Role.KIOSK),
    }
    schedule = create(api, tokens[Role.ADMIN])
    url = f"/api/v1/schedules/{schedule['id']}"
    for role in (Role.SUPERVISOR, Role.KIOSK):
        headers = tokens[role]
        writes = [
            api.client.post("/api/v1/schedules", json=OFFICE_HOURS, headers=headers),
            api.client.patch(url, json={"grace_minutes": 1}, headers=headers),
            api.client.delete(url, headers=headers),
            api.client.post(f"{url}/overrides", json=RAMADAN, headers=headers),
            api.client.delete("/api/v1/schedules/overrides/1", headers=headers),
        ]
        assert [w.status_code for w in writes] == [403] * 5, role
    assert api.client.get(url, headers=tokens[Role.SUPERVISOR]).status_code == 200
    assert api.client.get(f"{url}/overrides", headers=tokens[Role.SUPERVISOR]).status_code == 200
    assert api.client.get(url, headers=tokens[Role.KIOSK]).status_code == 403
    patched = api.client.patch(url, json={"grace_minutes": 1}, headers=tokens[Role.OPERATOR])
    assert patched.status_code == 200
    assert api.client.delete(url, headers=tokens[Role.OPERATOR]).status_code == 204


def test_weekday_hours_over_http(api: Api, operator: Headers) -> None:
    api.employee(SRI, "Sri")
    friday = {"weekday": "jumat", "start": "07:30", "end": "11:30"}
    created = create(api, operator, weekday_hours=[friday])
    assert created["weekday_hours"] == [
        {"weekday": "friday", "start": "07:30", "end": "11:30", "grace_minutes": None}
    ]
    assert (
        resolve(api, operator, "2025-03-07")["end"],
        resolve(api, operator, "2025-03-06")["end"],
    ) == (
        "11:30",
        "16:00",
    )
    saturday = {"weekday": "saturday", "start": "08:00", "end": "12:00"}
    refused = api.client.patch(
        f"/api/v1/schedules/{created['id']}", json={"weekday_hours": [saturday]}, headers=operator
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "weekday_hours"
    cleared = api.client.patch(
        f"/api/v1/schedules/{created['id']}", json={"weekday_hours": []}, headers=operator
    )
    assert cleared.status_code == 200 and cleared.json()["weekday_hours"] == []
    assert resolve(api, operator, "2025-03-07")["end"] == "16:00"


def test_shifts_and_the_roster_over_http(api: Api, operator: Headers) -> None:
    """A night shift and its roster over HTTP; the resolved day names the shift; a shift
    on the roster is not deleted (409); the code never changes (422)."""
    api.employee(SRI, "Sri")
    night = {"code": "malam", "name": "Malam", "start": "20:00", "end": "08:00"}
    created = api.client.post("/api/v1/shifts", json=night, headers=operator)
    assert created.status_code == 201, created.text
    shift = created.json()
    assert (shift["overnight"], shift["grace_minutes"]) == (True, 0)
    again = api.client.post("/api/v1/shifts", json=night, headers=operator)
    assert again.status_code == 409
    entry = api.client.post(
        "/api/v1/shifts/roster",
        json={"employee_id": SRI, "shift": "malam", "start_date": "2025-03-08"},
        headers=operator,
    )
    assert entry.status_code == 201, entry.text
    saturday = resolve(api, operator, "2025-03-08")
    assert (saturday["working_day"], saturday["shift"], saturday["end"]) == (True, "malam", "08:00")
    busy = api.client.delete(f"/api/v1/shifts/{shift['id']}", headers=operator)
    assert busy.status_code == 409
    renamed = api.client.put(
        f"/api/v1/shifts/{shift['id']}", json={**night, "code": "pagi"}, headers=operator
    )
    assert renamed.status_code == 422
    later = api.client.put(
        f"/api/v1/shifts/{shift['id']}", json={**night, "grace_minutes": 10}, headers=operator
    )
    assert later.status_code == 200 and later.json()["grace_minutes"] == 10
    roster = api.client.get(
        "/api/v1/shifts/roster?date_from=2025-03-01&date_to=2025-03-31", headers=operator
    ).json()
    assert [(r["employee_id"], r["shift"], r["end_date"]) for r in roster] == [
        (SRI, "malam", "2025-03-08")
    ]
    gone = api.client.delete(f"/api/v1/shifts/roster/{roster[0]['id']}", headers=operator)
    assert gone.status_code == 204
    assert api.client.delete(f"/api/v1/shifts/{shift['id']}", headers=operator).status_code == 204
    assert resolve(api, operator, "2025-03-08")["working_day"] is False


def test_a_holiday_is_moved_over_http(api: Api, operator: Headers) -> None:
    body = {"day": "2026-06-01", "name": "Hari Jadi", "source": "office"}
    created = api.client.post("/api/v1/holidays", json=body, headers=operator)
    assert created.status_code == 201, created.text
    moved = api.client.put(
        f"/api/v1/holidays/{created.json()['id']}",
        json={"day": "2026-06-02", "name": "Hari Jadi ke-80"},
        headers=operator,
    )
    assert moved.status_code == 200
    assert (moved.json()["day"], moved.json()["name"]) == ("2026-06-02", "Hari Jadi ke-80")
