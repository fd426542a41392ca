"""A sick leave with a doctor's note on the employee's leave page (issue 15): the file
goes with the request, a wrong file refuses the whole form with a readable message, and
the direct superior's approval list and the console link to the document."""

from __future__ import annotations

import re

from hadir.services.records import NewEmployee, Role
from web.conftest import Web, csrf_of

KEPALA = "197001011995031001"
STAF = "199001012015011003"
NOTE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSurat keterangan sakit\n%%EOF\n"
SICK = {"kind": "sakit", "start_date": "2025-03-03", "end_date": "2025-03-04", "reason": "demam"}


def test_sick_leave_with_a_doctors_note(web: Web) -> None:
    with web.api.database.uow_factory() as uow:
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala Bidang", unit="Bidang A"))
        staff = uow.employees.add(
            NewEmployee(STAF, "Staf Satu", unit="Bidang A", superior_id=head.id)
        )
        uow.commit()
    employee = web.browser(Role.EMPLOYEE, employee=staff, name=STAF)
    page = employee.get("/absen/izin")
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="attachment" type="file"' in page.text

    wrong = employee.post(
        "/absen/izin",
        data={"csrf": csrf_of(page.text)} | SICK,
        files={"attachment": ("surat.pdf", b"<html>bukan surat</html>", "application/pdf")},
    )
    assert wrong.status_code == 422
    assert "Jenis dokumen tidak didukung" in wrong.text and "PDF, JPEG atau PNG" in wrong.text
    with web.api.database.uow_factory() as uow:
        assert uow.leaves.list(employee_id=staff.id) == []  # nothing filed

    asked = employee.post(
        "/absen/izin",
        data={"csrf": csrf_of(page.text)} | SICK,
        files={"attachment": ("surat.pdf", NOTE, "application/pdf")},
    )
    assert asked.status_code == 303, asked.text[-600:]
    (leave_id,) = re.findall(r"/api/v1/leave/(\d+)/attachment", employee.get("/absen/izin").text)

    superior = web.browser(Role.EMPLOYEE, employee=head, name=KEPALA)
    queue = superior.get("/absen/izin").text
    assert f'href="/api/v1/leave/{leave_id}/attachment"' in queue
    assert superior.get(f"/api/v1/leave/{leave_id}/attachment").content == NOTE
    hr = web.browser(Role.OPERATOR, name="hr-desk")
    assert f'href="/api/v1/leave/{leave_id}/attachment"' in hr.get("/admin/izin").text
    with web.api.database.uow_factory() as uow:
        actions = [(e.actor, e.action) for e in uow.audit.list()]
    assert (STAF, "leave.attach") in actions
    assert (KEPALA, "leave.attachment_view") in actions
