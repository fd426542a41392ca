"""Employees and face enrolment over HTTP with the fake face engine."""

from __future__ import annotations

from pathlib import Path

from api.conftest import Api, Headers, make_api
from services.conftest import NOW, FakeFaceEngine, FixedClock, photo
from services.helpers import ARIO, SRI

URL = "/api/v1/employees"


def create(api: Api, headers: Headers, nip: str = SRI, **extra: object) -> dict[str, object]:
    response = api.client.post(
        URL, json={"employee_id": nip, "name": "Sri", **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_crud(api: Api, operator: Headers) -> None:
    created = create(api, operator, unit="Bappeda", position="Analis")
    assert created["employee_id"] == SRI
    assert created["active"] is True
    create(api, operator, ARIO, unit="Dinkes")
    listed = api.client.get(f"{URL}?unit=Dinkes", headers=operator).json()
    assert [e["employee_id"] for e in listed["items"]] == [ARIO]
    searched = api.client.get(f"{URL}?search=sri&limit=1", headers=operator).json()
    assert [e["employee_id"] for e in searched["items"]] == [SRI]
    patched = api.client.patch(
        f"{URL}/{SRI}", json={"name": "Sri Wahyuni", "active": False}, headers=operator
    )
    assert patched.status_code == 200
    assert patched.json()["name"] == "Sri Wahyuni"
    inactive = api.client.get(f"{URL}?active=false", headers=operator).json()["items"]
    assert [e["employee_id"] for e in inactive] == [SRI]
    assert api.client.get(f"{URL}/{SRI}", headers=operator).json()["active"] is False
    assert api.client.delete(f"{URL}/{ARIO}", headers=operator).status_code == 204
    gone = api.client.get(f"{URL}/{ARIO}", headers=operator)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "unknown_employee"


def test_bad_employee_input(api: Api, operator: Headers) -> None:
    create(api, operator)
    duplicate = api.client.post(URL, json={"employee_id": SRI, "name": "X"}, headers=operator)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "conflict"
    for body in ({"name": "no nip"}, {"employee_id": "1", "name": "   "}, {"employee_id": "1"}):
        response = api.client.post(URL, json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    malformed = api.client.post(
        URL, content=b'{"employee_id": ', headers={**operator, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 422
    unknown_office = api.client.post(
        URL, json={"employee_id": "2", "name": "B", "office_id": 999}, headers=operator
    )
    assert unknown_office.status_code == 404
    assert api.client.patch(f"{URL}/nope", json={"name": "x"}, headers=operator).status_code == 404
    assert api.client.patch(f"{URL}/{SRI}", json={"nip": "x"}, headers=operator).status_code == 422
    assert api.client.delete(f"{URL}/nope", headers=operator).status_code == 404
    assert api.client.get(f"{URL}?limit=0", headers=operator).status_code == 422


def test_enrol_list_and_delete_faces(api: Api, operator: Headers) -> None:
    create(api, operator)
    files = [
        ("images", ("a.jpg", photo("sri", seed=1), "image/jpeg")),
        ("images", ("b.jpg", b"error=no_face", "image/jpeg")),
    ]
    response = api.client.post(
        f"{URL}/{SRI}/faces", files=files, data={"consent": "true"}, headers=operator
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["accepted"] == 1
    assert [r["accepted"] for r in body["results"]] == [True, False]
    assert body["results"][1]["error"]["code"] == "no_face"
    assert api.client.get(f"{URL}/{SRI}", headers=operator).json()["consent_at"]
    faces = api.client.get(f"{URL}/{SRI}/faces", headers=operator).json()
    assert len(faces) == 1
    assert faces[0]["template_id"] == body["results"][0]["template_id"]
    one = faces[0]["template_id"]
    assert api.client.delete(f"{URL}/{SRI}/faces/{one + 1}", headers=operator).status_code == 404
    assert api.client.delete(f"{URL}/{ARIO}/faces/{one}", headers=operator).status_code == 404
    deleted = api.client.delete(f"{URL}/{SRI}/faces/{one}", headers=operator)
    assert deleted.json() == {"employee_id": SRI, "deleted": 1}
    assert api.client.delete(f"{URL}/{SRI}/faces/{one}", headers=operator).status_code == 404
    deleted = api.client.delete(f"{URL}/{SRI}/faces", headers=operator).json()
    assert deleted == {"employee_id": SRI, "deleted": 0}
    assert api.client.get(f"{URL}/{SRI}/faces", headers=operator).json() == []


def test_enrolment_refusals(api: Api, operator: Headers) -> None:
    create(api, operator)
    bad = [("images", ("a.jpg", b"error=face_blurry", "image/jpeg"))]
    refused = api.client.post(
        f"{URL}/{SRI}/faces", files=bad, data={"consent": "true"}, headers=operator
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"]["code"] == "face_blurry"
    assert body["results"][0]["accepted"] is False
    good = [("images", ("a.jpg", photo("sri"), "image/jpeg"))]
    create(api, operator, ARIO)
    no_consent = api.client.post(f"{URL}/{ARIO}/faces", files=good, headers=operator)
    assert no_consent.status_code == 422
    assert no_consent.json()["error"]["code"] == "validation_error"
    unknown = api.client.post(
        f"{URL}/nope/faces", files=good, data={"consent": "true"}, headers=operator
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_employee"
    missing = api.client.post(f"{URL}/{SRI}/faces", data={"consent": "true"}, headers=operator)
    assert missing.status_code == 422
    assert api.client.get(f"{URL}/nope/faces", headers=operator).status_code == 404


def test_oversized_upload_is_413(tmp_path: Path) -> None:
    for api in make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW), max_image_bytes=1000):
        from hadir.services.records import Role

        operator = api.token(Role.OPERATOR)
        create(api, operator)
        files = [("images", ("a.jpg", b"x" * 5000, "image/jpeg"))]
        response = api.client.post(
            f"{URL}/{SRI}/faces", files=files, data={"consent": "true"}, headers=operator
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "image_too_large"
        check = api.client.post(
            "/api/v1/attendance/check-in",
            files={"image": ("a.jpg", b"x" * 5000, "image/jpeg")},
            data={"employee_id": SRI},
            headers=operator,
        )
        assert check.status_code == 413
