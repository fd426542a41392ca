"""GET /api/v1/dashboard: today's status counts over the caller's scope and per unit,
the week and the review queue, from the same service as the console's dashboard page.
Monday 3 March 2025 at 10:00 WIB (hours 08:00-16:00): in Bappeda Ani on time (07:50),
Budi late (08:25), Dedi absent (no check-in by 10:00), in Dinkes Citra
on time (07:40) and one attempt waiting for review; a check-in shows on the next call."""

from __future__ import annotations

from typing import Any

from api.conftest import Api
from hadir.domain.attendance import AttendanceKind, Decision
from hadir.services.records import MatchMethod, NewEvent, Role
from services.conftest import wib


def _check_in(api: Api, employee: int, hour: int, minute: int, decision: Decision) -> None:
    with api.database.uow_factory() as uow:
        uow.events.add(NewEvent(employee, AttendanceKind.CHECK_IN, wib(2025, 3, 3, hour, minute),
                                decision, MatchMethod.VERIFY, similarity=0.8))  # fmt: skip
        uow.commit()


def _day(api: Api) -> dict[str, int]:
    api.clock.at = wib(2025, 3, 3, 10, 0)
    ani = api.employee("1", "Ani")
    budi = api.employee("2", "Budi")
    api.employee("4", "Dedi")
    citra = api.employee("3", "Citra", unit="Dinkes")
    _check_in(api, ani.id, 7, 50, Decision.ACCEPTED)
    _check_in(api, budi.id, 8, 25, Decision.ACCEPTED)
    _check_in(api, citra.id, 7, 40, Decision.ACCEPTED)
    _check_in(api, citra.id, 9, 0, Decision.NEEDS_REVIEW)
    return {"ani": ani.id, "budi": budi.id}


def _counts(body: dict[str, Any]) -> dict[str, int]:
    return {k: v for k, v in body.items() if k != "date" and v}


def test_staff_see_the_agency_and_each_unit(api: Api) -> None:
    _day(api)
    body = api.client.get("/api/v1/dashboard", headers=api.token(Role.OPERATOR)).json()
    assert body["unit"] is None
    assert body["today"]["date"] == "2025-03-03"
    assert _counts(body["today"]) == {"on_time": 2, "late": 1, "absent": 1, "present": 3}
    units = {u["unit"]: _counts(u["counts"]) for u in body["units"]}
    assert units == {
        "Bappeda": {"on_time": 1, "late": 1, "absent": 1, "present": 2},
        "Dinkes": {"on_time": 1, "present": 1},
    }
    assert [d["date"] for d in body["week"]][-1] == "2025-03-03"
    assert body["week"][-1] == body["today"] and len(body["week"]) == 7
    assert body["review_waiting"] == 1


def test_supervisors_see_their_own_unit_only(api: Api) -> None:
    _day(api)
    supervisor = api.token(Role.SUPERVISOR, unit="Dinkes")
    body = api.client.get("/api/v1/dashboard", headers=supervisor).json()
    assert body["unit"] == "Dinkes"
    assert _counts(body["today"]) == {"on_time": 1, "present": 1}
    assert [u["unit"] for u in body["units"]] == ["Dinkes"]
    assert body["review_waiting"] == 1
    other = api.client.get("/api/v1/dashboard", params={"unit": "Bappeda"}, headers=supervisor)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "forbidden"
    staff = api.token(Role.OPERATOR)
    one = api.client.get("/api/v1/dashboard", params={"unit": "Bappeda"}, headers=staff).json()
    assert _counts(one["today"]) == {"on_time": 1, "late": 1, "absent": 1, "present": 2}
    assert one["review_waiting"] == 0


def test_a_check_in_shows_on_the_next_call(api: Api) -> None:
    _day(api)
    dedi = api.employee("5", "Eka")
    staff = api.token(Role.OPERATOR)
    before = api.client.get("/api/v1/dashboard", headers=staff).json()["today"]
    _check_in(api, dedi.id, 9, 30, Decision.ACCEPTED)
    after = api.client.get("/api/v1/dashboard", headers=staff).json()["today"]
    assert (before["late"], before["absent"]) == (1, 2)
    assert (after["late"], after["absent"]) == (2, 1)
