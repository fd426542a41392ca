"""Security over HTTP: rate limits (429 + Retry-After), lockout (423), tokens, the audit
trail of admin actions, own-data export, erasure, geofence, evidence key at start-up."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.conftest import Api, Headers, make_api
from api.test_attendance_api import CHECK_IN, CHECK_OUT, post_check
from hadir.bootstrap import build_container
from hadir.services.auth import create_user
from hadir.services.evidence import EvidenceKeyError
from hadir.services.records import Role
from hadir.settings import Settings
from services.conftest import NOW, FakeFaceEngine, FixedClock, photo
from services.helpers import SRI

OFFICE = {"code": "PEMDA", "name": "Kantor Bupati", "latitude": -6.595, "longitude": 106.816}


@pytest.fixture
def tight(tmp_path: Path) -> Iterator[Api]:
    """Small limits so a test can reach them."""
    yield from make_api(
        tmp_path,
        FakeFaceEngine(),
        FixedClock(NOW),
        signin_per_ip_per_minute=3,
        checkin_per_token_per_minute=2,
        login_max_failures=2,
    )


def _sign_in(api: Api, password: str, username: str = "hr") -> tuple[int, dict[str, object]]:
    response = api.client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    return response.status_code, response.json() | {"_headers": dict(response.headers)}


def test_sign_in_rate_limit_per_address(tight: Api) -> None:
    statuses = [_sign_in(tight, "x", username=f"u{i}")[0] for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    status, body = _sign_in(tight, "x")
    assert status == 429
    assert body["error"]["code"] == "rate_limited"  # type: ignore[index]
    assert int(body["_headers"]["retry-after"]) >= 1  # type: ignore[index]


def test_lockout_over_http(tight: Api) -> None:
    with tight.database.uow_factory() as uow:
        create_user(uow, "hr", "kata-sandi", Role.OPERATOR)
        uow.commit()
    assert _sign_in(tight, "salah")[0] == 401
    status, body = _sign_in(tight, "salah")
    assert status == 423
    assert body["error"]["code"] == "account_locked"  # type: ignore[index]
    assert _sign_in(tight, "kata-sandi")[0] == 423
    admin = tight.token(Role.ADMIN)
    assert tight.client.post("/api/v1/auth/users/hr/unlock", headers=admin).status_code == 204
    with tight.database.uow_factory() as uow:
        assert uow.users.get_by_username("hr").failed_logins == 0


def test_check_in_rate_limit_per_token(tight: Api) -> None:
    operator = tight.token(Role.OPERATOR)
    tight.employee(SRI, "Sri Wahyuni")
    tight.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    kiosk = tight.token(Role.KIOSK)
    first = post_check(tight, kiosk, photo("sri", seed=3), employee_id=SRI)
    second = post_check(tight, kiosk, photo("sri", seed=4), url=CHECK_OUT, employee_id=SRI)
    third = post_check(tight, kiosk, photo("sri", seed=5), employee_id=SRI)
    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 429)
    assert int(third.headers["Retry-After"]) >= 1
    other_kiosk = tight.token(Role.KIOSK)
    fourth = post_check(tight, other_kiosk, photo("sri", seed=6), employee_id=SRI)
    assert fourth.status_code == 201  # another token has its own bucket


def test_a_cookie_header_does_not_reset_the_token_bucket(tight: Api) -> None:
    """Issue 13, finding 9: any ``Cookie`` header sent beside a bearer token gave the
    token a fresh bucket per request."""
    operator = tight.token(Role.OPERATOR)
    tight.employee(SRI, "Sri Wahyuni")
    tight.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    kiosk = tight.token(Role.KIOSK)
    statuses = []
    for i in range(3):
        headers = {"Cookie": f"junk={i}; hadir_session=made-up-{i}", **kiosk}
        url = CHECK_OUT if i % 2 else CHECK_IN
        statuses.append(
            post_check(tight, headers, photo("sri", seed=3 + i), url=url, employee_id=SRI)
        )
    assert [r.status_code for r in statuses] == [201, 201, 429]
    assert statuses[2].json()["error"]["code"] == "rate_limited"


def test_own_tokens_list_revoke_and_sign_out(api: Api) -> None:
    with api.database.uow_factory() as uow:
        create_user(uow, "hr", "kata-sandi", Role.OPERATOR)
        uow.commit()
    tokens = []
    for _ in range(2):
        status, body = _sign_in(api, "kata-sandi")
        assert status == 200
        tokens.append({"Authorization": f"Bearer {body['token']}"})
    listed = api.client.get("/api/v1/auth/tokens", headers=tokens[0]).json()
    assert [t["current"] for t in listed] == [True, False]
    assert all("hash" not in t and "token" not in t for t in listed)
    assert all(t["expires_at"] for t in listed)
    gone = api.client.delete(f"/api/v1/auth/tokens/{listed[1]['id']}", headers=tokens[0])
    assert gone.status_code == 204
    assert api.client.get("/api/v1/auth/me", headers=tokens[1]).status_code == 401
    other = api.token(Role.EMPLOYEE)
    hidden = api.client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}", headers=other)
    assert hidden.status_code == 404
    assert api.client.post("/api/v1/auth/sign-out", headers=tokens[0]).status_code == 204
    assert api.client.get("/api/v1/auth/me", headers=tokens[0]).status_code == 401
    admin = api.token(Role.ADMIN)
    theirs = api.client.get("/api/v1/auth/tokens?username=hr", headers=admin).json()
    assert all(t["revoked_at"] for t in theirs)
    forbidden = api.client.get("/api/v1/auth/tokens?username=hr", headers=other)
    assert forbidden.status_code == 403


def test_admin_actions_are_audited_with_actor_and_address(api: Api) -> None:
    admin = api.token(Role.ADMIN, name="root")
    body = {"employee_id": SRI, "name": "Sri Wahyuni"}
    assert api.client.post("/api/v1/employees", json=body, headers=admin).status_code == 201
    patch = {"unit": "Dinkes"}
    assert api.client.patch(f"/api/v1/employees/{SRI}", json=patch, headers=admin).is_success
    assert api.client.post("/api/v1/offices", json=OFFICE, headers=admin).status_code == 201
    assert api.client.delete(f"/api/v1/employees/{SRI}", headers=admin).status_code == 204
    refused = api.client.delete(f"/api/v1/employees/{SRI}", headers=admin)
    assert refused.status_code == 404  # failed actions write nothing
    api.client.get("/api/v1/employees", headers=admin)  # reads write nothing
    page = api.client.get("/api/v1/audit?limit=6", headers=admin).json()
    actions = [(e["actor"], e["action"], e["target"]) for e in page["items"]]
    assert actions == [
        ("root", "api.delete_employee", f"employee_id={SRI}"),
        ("root", "api.create_office", None),
        ("root", "api.update_employee", f"employee_id={SRI}"),
        ("root", "employee.update", SRI),  # the service's own entry, in its transaction
        ("root", "api.create_employee", None),
        ("root", "employee.create", SRI),
    ]
    assert page["items"][0]["detail"]["ip"] == "testclient"
    assert page["items"][0]["detail"]["method"] == "DELETE"
    assert page["total"] >= 7  # plus user.create and token.issue
    second = api.client.get("/api/v1/audit?limit=2&offset=2", headers=admin).json()
    assert [e["action"] for e in second["items"]] == ["api.update_employee", "employee.update"]
    verified = api.client.get("/api/v1/audit/verify", headers=admin).json()
    assert verified == {"intact": True, "first_bad_id": None, "entries": page["total"]}


def test_check_ins_are_audited(api: Api, operator: Headers, kiosk: Headers) -> None:
    api.employee(SRI, "Sri Wahyuni")
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    assert post_check(api, kiosk, photo("sri", seed=3), employee_id=SRI).status_code == 201
    assert post_check(api, kiosk, photo("ario", seed=3), employee_id=SRI).status_code == 403
    with api.database.uow_factory() as uow:
        entries = [e for e in uow.audit.list() if e.action.startswith("attendance.")]
    assert [e.detail["decision"] for e in entries] == ["rejected", "accepted"]
    assert entries[0].detail["refusal"] == "face_mismatch"
    assert len({e.actor for e in entries}) == 1
    assert entries[0].actor.startswith("kiosk-")
    assert {e.detail["ip"] for e in entries} == {"testclient"}


def test_employee_exports_own_data(api: Api, operator: Headers) -> None:
    sri = api.employee(SRI, "Sri Wahyuni")
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    me = api.token(Role.EMPLOYEE, employee=sri)
    assert post_check(api, me, photo("sri", seed=3)).status_code == 201
    body = api.client.get("/api/v1/me/export", headers=me).json()
    assert body["profile"]["employee_id"] == SRI
    assert body["consents"][0]["what"] == "face_biometrics"
    assert body["consents"][0]["given_at"]
    assert len(body["attendance"]) == 1 and len(body["face_templates"]) == 2
    assert "vector" not in str(body) and "embedding" not in str(body)
    unlinked = api.token(Role.EMPLOYEE)
    assert api.client.get("/api/v1/me/export", headers=unlinked).status_code == 403


def test_erase_biometrics_endpoint(api: Api, operator: Headers) -> None:
    admin = api.token(Role.ADMIN)
    api.employee(SRI, "Sri Wahyuni")
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    url = f"/api/v1/employees/{SRI}/erase-biometrics"
    assert api.client.post(url, headers=admin).status_code == 409  # still active
    patch = {"active": False}
    assert api.client.patch(f"/api/v1/employees/{SRI}", json=patch, headers=admin).is_success
    erased = api.client.post(url, headers=admin)
    assert erased.status_code == 200
    assert erased.json()["templates"] == 2
    faces = api.client.get(f"/api/v1/employees/{SRI}/faces", headers=admin).json()
    assert faces == []


def test_geofence_over_http(api: Api, operator: Headers, kiosk: Headers) -> None:
    admin = api.token(Role.ADMIN)
    office = api.client.post("/api/v1/offices", json=OFFICE | {"radius_m": 100}, headers=admin)
    assert office.status_code == 201
    created = api.client.post(
        "/api/v1/employees",
        json={"employee_id": SRI, "name": "Sri", "office_id": office.json()["id"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    with api.database.uow_factory() as uow:
        sri = uow.employees.get_by_employee_id(SRI)
    me = api.token(Role.EMPLOYEE, employee=sri)
    missing = post_check(api, me, photo("sri", seed=3))
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "location_required"
    far = post_check(api, me, photo("sri", seed=4), latitude="-6.6", longitude="106.816")
    assert far.status_code == 403
    error = far.json()["error"]
    assert error["code"] == "outside_geofence"
    assert error["details"]["distance_m"] == pytest.approx(556, abs=5)
    near = post_check(api, me, photo("sri", seed=5), latitude="-6.5952", longitude="106.816")
    assert near.status_code == 201, near.text
    # the kiosk at the door sends no position and is not refused
    door = post_check(api, kiosk, photo("sri", seed=6), url=CHECK_OUT, employee_id=SRI)
    assert door.status_code == 201, door.text


def test_replayed_image_over_http(api: Api, operator: Headers, kiosk: Headers) -> None:
    api.employee(SRI, "Sri Wahyuni")
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    assert post_check(api, kiosk, photo("sri", seed=3), employee_id=SRI).status_code == 201
    again = post_check(api, kiosk, photo("sri", seed=3), url=CHECK_OUT, employee_id=SRI)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "replayed_image"


def test_evidence_needs_a_key_to_start(tmp_path: Path) -> None:
    engine = FakeFaceEngine()
    with pytest.raises(EvidenceKeyError):
        build_container(Settings(data_dir=tmp_path, evidence_photos=True), face_engine=engine)  # type: ignore[arg-type]
    with pytest.raises(EvidenceKeyError):
        build_container(
            Settings(data_dir=tmp_path, evidence_photos=True, evidence_key="c2hvcnQ="),
            face_engine=engine,  # type: ignore[arg-type]
        )
    key = base64.b64encode(bytes(32)).decode()
    on = build_container(
        Settings(data_dir=tmp_path, evidence_photos=True, evidence_key=key),
        face_engine=engine,  # type: ignore[arg-type]
    )
    assert on.security.evidence is not None
    assert on.security.check.evidence is on.security.evidence
    off = build_container(Settings(data_dir=tmp_path), face_engine=engine)  # type: ignore[arg-type]
    assert off.security.evidence is None
    on.database.dispose()
    off.database.dispose()


def test_enrolment_leave_and_review_decisions_are_audited(api: Api, kiosk: Headers) -> None:
    operator = api.token(Role.OPERATOR, name="hr")
    supervisor = api.token(Role.SUPERVISOR, unit="Bappeda", name="kabid")
    api.employee(SRI, "Sri Wahyuni")
    api.enrol(SRI, operator, photo("sri", seed=1), photo("sri", seed=2))
    leave = {
        "employee_id": SRI,
        "kind": "izin",
        "start_date": "2025-03-04",
        "end_date": "2025-03-04",
    }
    created = api.client.post("/api/v1/leave", json=leave, headers=operator)
    assert created.status_code == 201
    decided = api.client.post(
        f"/api/v1/leave/{created.json()['id']}/decision",
        json={"decision": "approve"},
        headers=supervisor,
    )
    assert decided.status_code == 200, decided.text
    # a needs-review check (similarity between the review and accept thresholds)
    review = post_check(api, kiosk, photo("sri", sim=0.7, seed=9), employee_id=SRI)
    assert review.status_code == 201 and review.json()["decision"] == "needs_review"
    done = api.client.post(
        f"/api/v1/attendance/{review.json()['event_id']}/review",
        json={"decision": "accepted"},
        headers=supervisor,
    )
    assert done.status_code == 200, done.text
    with api.database.uow_factory() as uow:
        entries = [(e.actor, e.action) for e in reversed(uow.audit.list(limit=1000))]
        assert uow.audit.verify() is None
    assert ("hr", "api.enrol") in entries
    assert ("hr", "api.create_leave") in entries
    assert ("kabid", "api.decide_leave") in entries
    assert ("kabid", "api.decide_review") in entries
    assert entries.index(("kabid", "api.decide_review")) == len(entries) - 1


def test_token_last_used_at_is_updated(api: Api) -> None:
    """Issue 13, finding 12: ``last_used_at`` was never set."""
    with api.database.uow_factory() as uow:
        create_user(uow, "hr", "kata-sandi", Role.OPERATOR)
        uow.commit()
    issued = api.client.post(
        "/api/v1/auth/token", json={"username": "hr", "password": "kata-sandi"}
    )
    headers = {"Authorization": f"Bearer {issued.json()['token']}"}
    listed = api.client.get("/api/v1/auth/tokens", headers=headers).json()
    assert len(listed) == 1 and listed[0]["last_used_at"] is not None
    with api.database.uow_factory() as uow:
        first = uow.tokens.list_for(uow.users.get_by_username("hr").id)[0].last_used_at
    api.client.get("/api/v1/auth/me", headers=headers)  # within the minute: no write
    with api.database.uow_factory() as uow:
        again = uow.tokens.list_for(uow.users.get_by_username("hr").id)[0].last_used_at
    assert again == first
