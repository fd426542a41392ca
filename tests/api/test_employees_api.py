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
        URL, json={"employee_id": ARIO, "name": "B", "office_id": 999}, headers=operator
    )
    assert unknown_office.status_code == 404
    assert api.client.patch(f"{URL}/nope", json={"name": "x"}, headers=operator).status_code == 404
    assert api.client.patch(f"{URL}/{SRI}", json={"nip": "x"}, headers=operator).status_code == 422
    assert api.client.delete(f"{URL}/nope", headers=operator).status_code == 404
    assert api.client.get(f"{URL}?limit=0", headers=operator).status_code == 422


def _refusal(api: Api, headers: Headers, **body: object) -> dict[str, object]:
    response = api.client.post(URL, json={"name": "Sri", **body}, headers=headers)
    assert response.status_code == 422, response.text
    error: dict[str, object] = response.json()["error"]
    assert error["code"] == "validation_error"
    return error


def test_nip_is_validated_and_stored_bare(api: Api, operator: Headers) -> None:
    """Done-when of issue 15: "abc" and 17 digits are refused naming the field; a NIP
    typed in groups is stored as its 18 digits, with its type, grade and rank."""
    for wrong, part in (
        ("abc", "format"),
        ("19850315201001100", "length"),
        ("19851315 201001 1 001", "birth_date"),
        ("19850315 201013 1 001", "appointment"),
        ("19850315 199001 1 001", "appointment"),
        ("19850315 201001 3 001", "sex"),
        ("19850315 201001 1 000", "serial"),
    ):
        error = _refusal(api, operator, employee_id=wrong)
        assert error["details"] == {"field": "employee_id", "part": part, "value": wrong}, wrong
        assert part.split("_")[0] in str(error["message"]) or "digit" in str(error["message"])
    created = create(
        api,
        operator,
        "19850315 201001 1 001",
        grade="3a",
        echelon="iv a",
        start_date="2025-03-17",
    )
    assert created["employee_id"] == "198503152010011001"
    assert created["employee_type"] == "pns"
    assert (created["grade"], created["rank"], created["echelon"]) == (
        "III/a",
        "Penata Muda",
        "IV.a",
    )
    assert created["start_date"] == "2025-03-17"
    fetched = api.client.get(f"{URL}/198503152010011001", headers=operator)
    assert fetched.json()["employee_id"] == "198503152010011001"
    # a PPPK NIP may carry the code 21 where a PNS NIP has its appointment month
    pppk = create(api, operator, "199001012021211002", employee_type="pppk", grade="9")
    assert (pppk["employee_type"], pppk["grade"], pppk["rank"]) == ("pppk", "IX", "")
    assert _refusal(api, operator, employee_id="199001012021211003")["details"] == {
        "field": "employee_id",
        "part": "appointment",
        "value": "199001012021211003",
    }
    # non-ASN staff keep the office's number; it needs a digit and no spaces
    honorer = create(api, operator, "THL-2024-017", employee_type="non_asn")
    assert honorer["employee_id"] == "THL-2024-017"
    for wrong in ("abc", "THL 017"):
        body = {"employee_id": wrong, "employee_type": "non_asn"}
        assert _refusal(api, operator, **body)["details"]["field"] == "employee_id"  # type: ignore[index]
    assert _refusal(api, operator, employee_id="THL-9", employee_type="non_asn", grade="III/a")[
        "details"
    ] == {"field": "grade"}
    assert _refusal(api, operator, employee_id=ARIO, grade="V/a")["details"]["field"] == "grade"  # type: ignore[index]
    dates = {"start_date": "2025-03-10", "end_date": "2025-03-01"}
    assert _refusal(api, operator, employee_id=ARIO, **dates)["details"]["field"] == "end_date"  # type: ignore[index]


def test_superior_and_service_dates_can_be_changed(api: Api, operator: Headers) -> None:
    create(api, operator, ARIO)
    created = create(api, operator, SRI, superior_id=ARIO)
    assert created["superior_id"] == ARIO
    assert _refusal(api, operator, employee_id="198001012005012002", superior_id="1")[
        "details"
    ] == {"field": "superior_id"}
    changed = api.client.patch(
        f"{URL}/{SRI}",
        json={"superior_id": None, "end_date": "2025-12-31", "grade": "III/b"},
        headers=operator,
    ).json()
    assert (changed["superior_id"], changed["end_date"], changed["rank"]) == (
        None,
        "2025-12-31",
        "Penata Muda Tingkat I",
    )
    keeps_grade = api.client.patch(f"{URL}/{SRI}", json={"employee_type": "pppk"}, headers=operator)
    assert keeps_grade.json()["error"]["details"] == {"field": "grade", "value": "III/b"}
    retype = api.client.patch(
        f"{URL}/{SRI}", json={"employee_type": "pppk", "grade": "IX"}, headers=operator
    )
    assert retype.json()["employee_type"] == "pppk"  # an 18-digit NIP fits a PPPK too
    to_self = api.client.patch(f"{URL}/{SRI}", json={"superior_id": SRI}, headers=operator)
    assert to_self.status_code == 422
    assert to_self.json()["error"]["details"] == {"field": "superior"}


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
