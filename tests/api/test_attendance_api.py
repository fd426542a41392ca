"""Check-in/check-out and the attendance log over HTTP with the fake face engine."""

from __future__ import annotations

from datetime import timedelta

import httpx

from api.conftest import Api, Headers
from hadir.services.records import Role
from services.conftest import NOW, photo
from services.helpers import ARIO, SRI

CHECK_IN = "/api/v1/attendance/check-in"
CHECK_OUT = "/api/v1/attendance/check-out"


def post_check(
    api: Api, headers: Headers, image: bytes, url: str = CHECK_IN, **form: str
) -> httpx.Response:
    return api.client.post(
        url, files={"image": ("a.jpg", image, "image/jpeg")}, data=form, headers=headers
    )


def seed(api: Api, operator: Headers) -> None:
    api.employee(SRI, "Sri Wahyuni")
    api.employee(ARIO, "Ario Wibowo", unit="Dinkes")
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    api.enrol(ARIO, operator, photo("ario", seed=1))


def test_check_in_verify_and_identify(api: Api, operator: Headers, kiosk: Headers) -> None:
    seed(api, operator)
    api.clock.at = NOW - timedelta(minutes=15)  # 07:45 WIB
    response = post_check(api, kiosk, photo("sri", seed=5), employee_id=SRI, latitude="-6.2")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["employee"]["employee_id"] == SRI
    assert body["kind"] == "check_in"
    assert body["time"] == "2025-03-03T07:45:00+07:00"
    assert body["status"] == "on_time"
    assert body["decision"] == "accepted"
    assert body["method"] == "verify"
    assert body["similarity"] >= body["threshold"]
    api.clock.at = NOW + timedelta(minutes=20)  # 08:20 WIB
    late = post_check(api, kiosk, photo("ario", seed=5))
    assert late.status_code == 201, late.text
    assert late.json()["employee"]["employee_id"] == ARIO
    assert late.json()["method"] == "identify"
    assert late.json()["status"] == "late"
    assert late.json()["late_minutes"] == 20
    api.clock.at = NOW + timedelta(hours=8)
    out = post_check(api, kiosk, photo("sri", seed=6), url=CHECK_OUT, employee_id=SRI)
    assert out.status_code == 201
    assert out.json()["kind"] == "check_out"


def test_refusals_are_recorded_and_mapped(api: Api, operator: Headers, kiosk: Headers) -> None:
    seed(api, operator)
    mismatch = post_check(api, kiosk, photo("ario"), employee_id=SRI)
    assert mismatch.status_code == 403
    assert mismatch.json()["error"]["code"] == "face_mismatch"
    no_face = post_check(api, kiosk, b"error=no_face", employee_id=SRI)
    assert no_face.status_code == 422
    assert no_face.json()["error"]["code"] == "no_face"
    stranger = post_check(api, kiosk, photo("budi"))
    assert stranger.status_code == 403
    unknown = post_check(api, kiosk, photo("sri"), employee_id="nope")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_employee"
    api.employee("3", "Belum Enrol")
    not_enrolled = post_check(api, kiosk, photo("sri"), employee_id="3")
    assert not_enrolled.status_code == 409
    assert not_enrolled.json()["error"]["code"] == "not_enrolled"
    for form in ({"latitude": "north"}, {"latitude": "123"}, {"accuracy_m": "-1"}):
        bad = post_check(api, kiosk, photo("sri"), employee_id=SRI, **form)
        assert bad.status_code == 422, form
    missing = api.client.post(CHECK_IN, data={"employee_id": SRI}, headers=kiosk)
    assert missing.status_code == 422
    log = api.client.get("/api/v1/attendance?decision=rejected", headers=operator).json()
    codes = [e["refusal_code"] for e in log["items"]]
    assert codes == ["face_mismatch", "no_face", "face_mismatch", "not_enrolled"]
    assert log["items"][2]["employee"] is None


def test_client_request_id_is_idempotent(api: Api, operator: Headers, kiosk: Headers) -> None:
    seed(api, operator)
    first = post_check(api, kiosk, photo("sri", seed=7), employee_id=SRI, client_request_id="r1")
    api.clock.at = NOW + timedelta(minutes=1)
    again = post_check(api, kiosk, photo("sri", seed=8), employee_id=SRI, client_request_id="r1")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.headers["Hadir-Replayed"] == "true"
    assert again.json() == first.json()
    identified = post_check(api, kiosk, photo("sri", seed=9), client_request_id="r1")
    assert identified.json() == first.json()
    log = api.client.get("/api/v1/attendance", headers=operator).json()["items"]
    assert len(log) == 1
    other_kind = post_check(
        api, kiosk, photo("sri"), url=CHECK_OUT, employee_id=SRI, client_request_id="r1"
    )
    assert other_kind.status_code == 409


def test_employee_checks_in_only_as_self(api: Api, operator: Headers) -> None:
    seed(api, operator)
    with api.database.uow_factory() as uow:
        sri = uow.employees.get_by_employee_id(SRI)
    me = api.token(Role.EMPLOYEE, employee=sri)
    own = post_check(api, me, photo("sri", seed=3))
    assert own.status_code == 201, own.text
    assert own.json()["method"] == "verify"
    assert own.json()["employee"]["employee_id"] == SRI
    other = post_check(api, me, photo("ario", seed=3), employee_id=ARIO)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "forbidden"
    impostor = post_check(api, me, photo("ario", seed=3))
    assert impostor.status_code == 403
    assert impostor.json()["error"]["code"] == "face_mismatch"
    mine = api.client.get("/api/v1/attendance", headers=me).json()["items"]
    assert {e["employee"]["employee_id"] for e in mine} == {SRI}
    assert len(mine) == 2
    forbidden = api.client.get(f"/api/v1/attendance?employee_id={ARIO}", headers=me)
    assert forbidden.status_code == 403
    unlinked = api.token(Role.EMPLOYEE)
    assert post_check(api, unlinked, photo("sri")).status_code == 403


def test_attendance_log_filters(api: Api, operator: Headers, kiosk: Headers) -> None:
    seed(api, operator)
    post_check(api, kiosk, photo("sri", seed=3), employee_id=SRI)
    post_check(api, kiosk, photo("ario", seed=3), employee_id=ARIO)
    api.clock.at = NOW + timedelta(days=1)
    post_check(api, kiosk, photo("sri", seed=4), employee_id=SRI)

    def nips(query: str) -> list[str]:
        response = api.client.get(f"/api/v1/attendance?{query}", headers=operator)
        assert response.status_code == 200, response.text
        return [e["employee"]["employee_id"] for e in response.json()["items"]]

    assert nips("date_from=2025-03-03&date_to=2025-03-03") == [SRI, ARIO]
    assert nips("date_from=2025-03-04") == [SRI]
    assert nips(f"employee_id={SRI}") == [SRI, SRI]
    assert nips("unit=Dinkes") == [ARIO]
    assert nips("limit=1&offset=1") == [ARIO]
    supervisor = api.token(Role.SUPERVISOR, unit="Dinkes")
    seen = api.client.get("/api/v1/attendance", headers=supervisor).json()["items"]
    assert [e["employee"]["employee_id"] for e in seen] == [ARIO]
    for bad in (
        "date_from=2025-13-01",
        "decision=maybe",
        "date_from=2025-03-05&date_to=2025-03-01",
    ):
        response = api.client.get(f"/api/v1/attendance?{bad}", headers=operator)
        assert response.status_code == 422, bad
    unknown = api.client.get("/api/v1/attendance?employee_id=nope", headers=operator)
    assert unknown.status_code == 404
