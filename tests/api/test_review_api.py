"""The review queue over HTTP: needs-review checks accepted or rejected by a person."""

from __future__ import annotations

from datetime import UTC, datetime

from api.conftest import Api, Headers
from hadir.domain.attendance import AttendanceKind, Decision
from hadir.services.records import EmployeeRecord, MatchMethod, NewEvent, Role
from services.helpers import ARIO, SRI

FRIDAY = "2025-02-28"


def needs_review(api: Api, employee: EmployeeRecord, hour: int, minute: int) -> int:
    """A check-in on Friday 28 February at ``hour:minute`` WIB waiting for review."""
    event = NewEvent(
        employee_id=employee.id,
        kind=AttendanceKind.CHECK_IN,
        occurred_at=datetime(2025, 2, 28, hour - 7, minute, tzinfo=UTC),
        decision=Decision.NEEDS_REVIEW,
        method=MatchMethod.VERIFY,
        similarity=0.31,
        threshold=0.35,
        device="kiosk-1",
    )
    with api.database.uow_factory() as uow:
        record = uow.events.add(event)
        uow.commit()
    return record.id


def day_row(api: Api, headers: Headers) -> dict[str, object]:
    response = api.client.get(f"/api/v1/reports/daily?date={FRIDAY}", headers=headers)
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()["daily"]
    return next(r for r in rows if r["employee_id"] == SRI)


def test_approved_check_in_counts_in_the_report(api: Api) -> None:
    sri = api.employee(SRI, "Sri Wahyuni")
    operator = api.token(Role.OPERATOR, name="hr")
    later = needs_review(api, sri, 9, 0)
    event_id = needs_review(api, sri, 8, 10)
    assert day_row(api, operator)["status"] == "absent"

    queue = api.client.get("/api/v1/attendance/review", headers=operator)
    assert queue.status_code == 200, queue.text
    items = queue.json()
    assert [i["event_id"] for i in items] == [event_id, later]  # oldest first
    first = items[0]
    assert first["employee"]["employee_id"] == SRI
    assert (first["similarity"], first["threshold"]) == (0.31, 0.35)
    assert first["time"].startswith("2025-02-28T08:10:00+07:00")

    body = {"decision": "accepted", "note": " same person, glasses "}
    url = f"/api/v1/attendance/{event_id}/review"
    decided = api.client.post(url, json=body, headers=operator)
    assert decided.status_code == 200, decided.text
    result = decided.json()
    assert result["decision"] == "accepted"
    assert result["review_note"] == "same person, glasses"
    assert result["reviewed_at"] is not None
    with api.database.uow_factory() as uow:
        assert result["reviewed_by"] == uow.users.get_by_username("hr").id
        assert uow.events.get(event_id).reviewed_by == result["reviewed_by"]

    row = day_row(api, operator)
    assert (row["status"], row["late_minutes"], row["check_in"]) == ("late", 10, "08:10")
    again = api.client.post(url, json={"decision": "rejected"}, headers=operator)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    queue_after = api.client.get("/api/v1/attendance/review", headers=operator).json()
    assert [i["event_id"] for i in queue_after] == [later]


def test_rejected_check_in_stays_absent(api: Api, operator: Headers) -> None:
    sri = api.employee(SRI, "Sri Wahyuni")
    event_id = needs_review(api, sri, 8, 5)
    url = f"/api/v1/attendance/{event_id}/review"
    response = api.client.post(url, json={"decision": "rejected"}, headers=operator)
    assert response.status_code == 200, response.text
    assert response.json()["review_note"] is None
    assert day_row(api, operator)["status"] == "absent"
    assert api.client.get("/api/v1/attendance/review", headers=operator).json() == []


def test_already_decided_event_is_409(api: Api, operator: Headers) -> None:
    sri = api.employee(SRI, "Sri Wahyuni")
    event = NewEvent(
        employee_id=sri.id,
        kind=AttendanceKind.CHECK_IN,
        occurred_at=datetime(2025, 2, 28, 1, 0, tzinfo=UTC),
        decision=Decision.ACCEPTED,
        method=MatchMethod.VERIFY,
    )
    with api.database.uow_factory() as uow:
        event_id = uow.events.add(event).id
        uow.commit()
    url = f"/api/v1/attendance/{event_id}/review"
    assert api.client.post(url, json={"decision": "rejected"}, headers=operator).status_code == 409


def test_bad_review_requests(api: Api, operator: Headers) -> None:
    sri = api.employee(SRI, "Sri Wahyuni")
    event_id = needs_review(api, sri, 8, 10)
    url = f"/api/v1/attendance/{event_id}/review"
    for body in ({"decision": "needs_review"}, {"decision": "maybe"}, {}, {"note": "x"}):
        response = api.client.post(url, json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    long_note = {"decision": "accepted", "note": "x" * 1001}
    assert api.client.post(url, json=long_note, headers=operator).status_code == 422
    missing = api.client.post(
        "/api/v1/attendance/999/review", json={"decision": "accepted"}, headers=operator
    )
    assert missing.status_code == 404


def test_review_roles(api: Api) -> None:
    sri = api.employee(SRI, "Sri Wahyuni", unit="Bappeda")
    ario = api.employee(ARIO, "Ario Wibowo", unit="Dinkes")
    sri_event = needs_review(api, sri, 8, 10)
    ario_event = needs_review(api, ario, 8, 20)
    bappeda = api.token(Role.SUPERVISOR, unit="Bappeda")
    accept = {"decision": "accepted"}

    own = api.client.get("/api/v1/attendance/review", headers=bappeda)
    assert [i["event_id"] for i in own.json()] == [sri_event]
    other = api.client.get("/api/v1/attendance/review?unit=Dinkes", headers=bappeda)
    assert other.status_code == 403
    refused = api.client.post(
        f"/api/v1/attendance/{ario_event}/review", json=accept, headers=bappeda
    )
    assert refused.status_code == 403
    allowed = api.client.post(
        f"/api/v1/attendance/{sri_event}/review", json=accept, headers=bappeda
    )
    assert allowed.status_code == 200

    for role in (Role.EMPLOYEE, Role.KIOSK):
        headers = api.token(role, employee=sri if role is Role.EMPLOYEE else None)
        assert api.client.get("/api/v1/attendance/review", headers=headers).status_code == 403
        url = f"/api/v1/attendance/{ario_event}/review"
        assert api.client.post(url, json=accept, headers=headers).status_code == 403
    admin = api.token(Role.ADMIN)
    by_unit = api.client.get("/api/v1/attendance/review?unit=Dinkes", headers=admin)
    assert [i["event_id"] for i in by_unit.json()] == [ario_event]
    url = f"/api/v1/attendance/{ario_event}/review"
    assert api.client.post(url, json=accept, headers=admin).status_code == 200
