"""Issue 15 in the console: the unit tree (create, rename, move, head, delete when empty,
import from CSV) and the employee form choosing a unit from it."""

from __future__ import annotations

import re

from hadir.services.records import Role
from web.conftest import Web, csrf_of

HEAD = "198001012005011001"
UNITS = (
    "unit;induk;kepala\n"
    "Dinas Kominfo;;\n"
    "Bidang TI;Dinas Kominfo;\n"
    "Seksi Jaringan;Bidang TI;\n"
    "Seksi Aplikasi;Tidak Ada;\n"
)


def test_the_unit_tree_page(web: Web) -> None:
    hr = web.browser(Role.OPERATOR, name="hr-desk")
    page = hr.get("/admin/unit")
    assert page.status_code == 200 and "Belum ada unit." in page.text
    imported = hr.post(
        "/admin/unit/impor",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("unit.csv", UNITS.encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text
    outcomes = re.findall(
        r"<td>(\d+)</td><td>([^<]*)</td><td><span class=\"badge (\w+)", imported.text
    )
    assert outcomes == [
        ("2", "Dinas Kominfo", "accepted"),
        ("3", "Bidang TI", "accepted"),
        ("4", "Seksi Jaringan", "accepted"),
        ("5", "Seksi Aplikasi", "rejected"),
    ]
    depths = re.findall(r'data-unit="([^"]+)" data-depth="(\d)"', imported.text)
    assert depths == [("Dinas Kominfo", "0"), ("Bidang TI", "1"), ("Seksi Jaringan", "2")]

    csrf = csrf_of(imported.text)
    assert (
        hr.post(
            "/admin/unit", data={"csrf": csrf, "name": "Sekretariat", "parent": "Dinas Kominfo"}
        ).status_code
        == 303
    )
    with web.api.database.uow_factory() as uow:
        ids = {u.name: u.id for u in uow.units.list()}
    hr.post(
        f"/admin/unit/{ids['Seksi Jaringan']}/nama",
        data={"csrf": csrf, "name": "Seksi Infrastruktur"},
    )
    hr.post(
        f"/admin/unit/{ids['Seksi Jaringan']}/pindah", data={"csrf": csrf, "parent": "Sekretariat"}
    )
    cycle = hr.post(
        f"/admin/unit/{ids['Dinas Kominfo']}/pindah", data={"csrf": csrf, "parent": "Bidang TI"}
    )
    assert cycle.status_code == 422 and "flash error" in cycle.text

    # an employee chooses the unit from the tree; a unit with staff cannot be deleted
    form = hr.get("/admin/pegawai")
    assert '<option value="Seksi Infrastruktur">' in form.text
    created = hr.post(
        "/admin/pegawai",
        data={"csrf": csrf, "employee_id": HEAD, "name": "Kepala Bidang", "unit": "Bidang TI"},
    )
    assert created.status_code in (200, 303), created.text[-800:]
    hr.post(f"/admin/unit/{ids['Bidang TI']}/kepala", data={"csrf": csrf, "head": HEAD})
    busy = hr.post(f"/admin/unit/{ids['Bidang TI']}/hapus", data={"csrf": csrf})
    assert busy.status_code == 422
    gone = hr.post(f"/admin/unit/{ids['Sekretariat']}/hapus", data={"csrf": csrf})
    assert gone.status_code == 422  # Seksi Infrastruktur is under it
    hr.post(f"/admin/unit/{ids['Seksi Jaringan']}/pindah", data={"csrf": csrf, "parent": ""})
    hr.post(f"/admin/unit/{ids['Sekretariat']}/hapus", data={"csrf": csrf})
    final = hr.get("/admin/unit").text
    depths = re.findall(r'data-unit="([^"]+)" data-depth="(\d)"', final)
    assert depths == [("Dinas Kominfo", "0"), ("Bidang TI", "1"), ("Seksi Infrastruktur", "0")]
    assert "Kepala Bidang" in final
    with web.api.database.uow_factory() as uow:
        actions = {(e.actor, e.action, e.target) for e in uow.audit.list(limit=100)}
    assert ("hr-desk", "unit.rename", "unit:Seksi Infrastruktur") in actions
    assert ("hr-desk", "unit.delete", "unit:Sekretariat") in actions
