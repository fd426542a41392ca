"""The unit tree over the API: the console's use cases through a second door, with the
same validation, one transaction per change and an audit entry per part changed."""

from __future__ import annotations

from api.conftest import Api, Headers
from hadir.services.records import Role
from services.helpers import SRI

AGENCY, BIDANG, SEKSI = "Diskominfo", "Bidang Aptika", "Seksi Infrastruktur"


def _tree(api: Api, headers: Headers) -> dict[str, dict[str, object]]:
    answer = api.client.get("/api/v1/units", headers=headers)
    assert answer.status_code == 200, answer.text
    return {u["name"]: u for u in answer.json()}


def _create(api: Api, headers: Headers, name: str, parent: str | None = None) -> int:
    answer = api.client.post(
        "/api/v1/units", json={"name": name, "parent": parent}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _actions(api: Api) -> list[str]:
    with api.database.uow_factory() as uow:
        entries = [e.action for e in uow.audit.list() if e.action.startswith("unit.")]
    return entries[::-1]  # oldest first


def test_a_tree_is_built_read_and_changed_over_http(api: Api, operator: Headers) -> None:
    _create(api, operator, AGENCY)
    bidang = _create(api, operator, BIDANG, AGENCY)
    seksi = _create(api, operator, SEKSI, BIDANG)
    api.employee(SRI, "Sri Wahyuni", unit=SEKSI)
    supervisor = api.token(Role.SUPERVISOR, unit=AGENCY)
    tree = _tree(api, supervisor)
    assert [(u["name"], u["level"], u["staff"]) for u in tree.values()] == [
        (AGENCY, "instansi", 0),
        (BIDANG, "bidang", 0),
        (SEKSI, "seksi", 1),
    ]
    assert tree[SEKSI]["path"] == [AGENCY, BIDANG, SEKSI]
    assert (
        api.client.post("/api/v1/units", json={"name": AGENCY}, headers=operator).status_code == 409
    )

    renamed = api.client.patch(
        f"/api/v1/units/{seksi}", json={"name": "Seksi Jaringan", "head": SRI}, headers=operator
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["head"] == {"employee_id": SRI, "name": "Sri Wahyuni"}
    staff = api.client.get(f"/api/v1/employees/{SRI}", headers=operator).json()
    assert staff["unit"] == "Seksi Jaringan"  # a rename renames the unit on its staff

    top = api.client.patch(f"/api/v1/units/{seksi}", json={"parent": None}, headers=operator)
    assert top.status_code == 200 and top.json()["depth"] == 0
    cleared = api.client.patch(f"/api/v1/units/{seksi}", json={"head": None}, headers=operator)
    assert cleared.json()["head"] is None
    assert _actions(api) == [
        "unit.create", "unit.create", "unit.create", "unit.rename", "unit.head", "unit.move",
        "unit.head",
    ]  # fmt: skip
    assert api.client.delete(f"/api/v1/units/{seksi}", headers=operator).status_code == 409
    assert api.client.delete(f"/api/v1/units/{bidang}", headers=operator).status_code == 204
    assert BIDANG not in _tree(api, operator)


def test_a_refused_part_leaves_the_whole_change_undone(api: Api, operator: Headers) -> None:
    """Rename and move in one request: a move under the unit's own child is refused, and
    the rename sent with it is not kept either (one transaction), nor audited."""
    agency = _create(api, operator, AGENCY)
    _create(api, operator, BIDANG, AGENCY)
    before = _actions(api)
    refused = api.client.patch(
        f"/api/v1/units/{agency}", json={"name": "Kominfo", "parent": BIDANG}, headers=operator
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == "parent"
    assert set(_tree(api, operator)) == {AGENCY, BIDANG}
    assert _actions(api) == before
    unknown = api.client.patch(f"/api/v1/units/{agency}", json={"head": "199"}, headers=operator)
    assert unknown.status_code == 422
    assert api.client.get("/api/v1/units/999", headers=operator).status_code == 404


def test_units_are_imported_from_csv_with_a_result_per_line(api: Api, operator: Headers) -> None:
    csv = f"unit,induk\n{AGENCY},\n{BIDANG},{AGENCY}\n{SEKSI},Tidak Ada\n".encode()
    answer = api.client.post(
        "/api/v1/units/import", files={"file": ("u.csv", csv, "text/csv")}, headers=operator
    )
    assert answer.status_code == 200, answer.text
    assert [(r["name"], r["outcome"]) for r in answer.json()] == [
        (AGENCY, "created"),
        (BIDANG, "created"),
        (SEKSI, "refused"),
    ]
    big = b"unit\n" + b"x" * 2_000_001
    too_big = api.client.post(
        "/api/v1/units/import", files={"file": ("u.csv", big, "text/csv")}, headers=operator
    )
    assert too_big.status_code == 422
    assert too_big.json()["error"]["code"] == "validation_error"


def test_only_staff_change_the_tree(api: Api) -> None:
    supervisor = api.token(Role.SUPERVISOR, unit=AGENCY)
    created = api.client.post("/api/v1/units", json={"name": AGENCY}, headers=supervisor)
    assert created.status_code == 403


def test_a_broken_csv_is_refused_not_a_500(api: Api, operator: Headers) -> None:
    """Found by the schemathesis run: a carriage return inside a field made the CSV reader
    raise, and the import answered 500 (the console's import too)."""
    for data in (b"unit\nA\rB,\n", b'unit\n"open quote\n', b"unit\n\x00\n"):
        answer = api.client.post(
            "/api/v1/units/import", files={"file": ("u.csv", data, "text/csv")}, headers=operator
        )
        assert answer.status_code in (200, 422), (data, answer.text)
