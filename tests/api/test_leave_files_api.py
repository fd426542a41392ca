"""A sick leave's document (a doctor's note) over the API (issue 15): attached by the
employee, downloaded by them, their direct superior and HR only; refused with stable
codes when too large or not a PDF, JPEG or PNG; purged with ``/admin/purge``."""

from __future__ import annotations

from datetime import UTC, datetime

from api.conftest import Api
from hadir.services.records import NewEmployee, Role

KEPALA = "197001011995031001"
STAF = "199001012015011003"
LAIN = "198502022010012004"
NOTE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSurat keterangan sakit\n%%EOF\n"


def _file(data: bytes, name: str = "surat.pdf", kind: str = "application/pdf") -> object:
    return {"file": (name, data, kind)}


def test_attach_and_download_by_role(api: Api) -> None:
    with api.database.uow_factory() as uow:
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala", unit="Bidang A"))
        staff = uow.employees.add(NewEmployee(STAF, "Staf", unit="Bidang A", superior_id=head.id))
        other = uow.employees.add(NewEmployee(LAIN, "Lain", unit="Bidang B"))
        uow.commit()
    hr = api.token(Role.OPERATOR)
    own = api.token(Role.EMPLOYEE, employee=staff)
    boss = api.token(Role.EMPLOYEE, employee=head)
    stranger = api.token(Role.EMPLOYEE, employee=other)
    sick = {"employee_id": STAF, "kind": "sakit", "start_date": "2025-03-03"}
    created = api.client.post("/api/v1/leave", json=sick | {"end_date": "2025-03-04"}, headers=hr)
    assert created.status_code == 201, created.text
    url = f"/api/v1/leave/{created.json()['id']}/attachment"

    assert api.client.get(url, headers=own).status_code == 404  # nothing yet
    too_big = api.client.post(url, files=_file(b"%PDF-" + bytes(2_000_000)), headers=own)
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "attachment_too_large"
    renamed = api.client.post(url, files=_file(b"<html>not a note</html>"), headers=own)
    assert renamed.status_code == 415  # named .pdf, declared PDF: the bytes decide
    assert renamed.json()["error"]["code"] == "attachment_type_unsupported"
    assert "PDF, JPEG or PNG" in renamed.json()["error"]["message"]
    assert api.client.post(url, files=_file(NOTE), headers=stranger).status_code == 403

    stored = api.client.post(url, files=_file(NOTE), headers=own)
    assert stored.status_code == 201, stored.text
    assert stored.json()["content_type"] == "application/pdf"
    assert stored.json()["size"] == len(NOTE)
    assert api.client.post(url, files=_file(NOTE), headers=own).status_code == 409

    for allowed in (own, boss, hr, api.token(Role.ADMIN)):
        got = api.client.get(url, headers=allowed)
        assert got.status_code == 200
        assert got.content == NOTE
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["cache-control"] == "no-store"
        assert "attachment" in got.headers["content-disposition"]
    for refused in (stranger, api.token(Role.SUPERVISOR, unit="Bidang B")):
        assert api.client.get(url, headers=refused).status_code == 403
    assert api.client.get(url, headers=api.token(Role.KIOSK)).status_code == 403
    assert api.client.get(url).status_code == 401
    audit = api.client.get("/api/v1/audit", headers=api.token(Role.ADMIN)).json()
    actions = [entry["action"] for entry in audit["items"]]
    assert actions.count("leave.attachment_view") == 4

    admin = api.token(Role.ADMIN)
    kept = api.client.post("/api/v1/admin/purge", headers=admin)
    assert kept.json()["leave_attachments"] == 0  # within its retention
    api.clock.at = datetime(2100, 1, 1, tzinfo=UTC)  # stored at the database's time
    purged = api.client.post("/api/v1/admin/purge", headers=api.token(Role.ADMIN))
    assert purged.json()["leave_attachments"] == 1
    assert api.client.get(url, headers=api.token(Role.OPERATOR)).status_code == 404
