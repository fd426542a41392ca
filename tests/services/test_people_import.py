"""Employee import: parsing (pure) and writing (create/update by NIP, refusals by line)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from hadir.domain.errors import DomainValidationError
from hadir.services.people import (
    import_employees,
    parse_csv,
    parse_xlsx,
    read_employee_file,
)

from .conftest import UowFactory

NIP_SRI = "198001012005011001"
NIP_ARIO = "198505052010011002"

GOOD_CSV = (
    "employee_id,name,unit,position,office,email,phone,active\n"
    f"{NIP_SRI},Sri Wahyuni,Keuangan,Bendahara,,sri@example.go.id,0812,ya\n"
    f"{NIP_ARIO},Ario,Umum,Staf,,,,tidak\n"
)


def test_parse_csv_rows_and_bad_lines() -> None:
    text = (
        "\ufeffNIP;Nama;Unit;Jabatan;Email;Aktif;Catatan\n"
        f"{NIP_SRI};Sri Wahyuni;Keuangan;Bendahara;sri@example.go.id;ya;x\n"
        ";;;;;;\n"
        f"{NIP_ARIO};;Umum;Staf;;;\n"
        "199001012015011003;Budi;Umum;Staf;not-an-email;;\n"
        "199001012015011004;Dewi;Umum;Staf;;maybe;\n"
        f"{NIP_SRI};Sri lagi;Umum;Staf;;;\n"
    )
    parsed = parse_csv(text.encode())
    assert [r.employee_id for r in parsed.rows] == [NIP_SRI]
    sri = parsed.rows[0]
    assert (sri.line, sri.name, sri.position, sri.active) == (2, "Sri Wahyuni", "Bendahara", True)
    assert sri.office is None and sri.phone is None  # columns the file does not have
    assert parsed.ignored_columns == ("catatan",)
    refused = {p.line: p.reason for p in parsed.refused}
    assert set(refused) == {4, 5, 6, 7}
    assert "name is empty" in refused[4]
    assert "e-mail" in refused[5]
    assert "active" in refused[6]
    assert "first on line 2" in refused[7]


def test_missing_required_column_refuses_the_file() -> None:
    with pytest.raises(DomainValidationError, match="missing column"):
        parse_csv(b"nip,unit\n1,Umum\n")


def test_parse_xlsx_numbers_become_text() -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["employee_id", "name", "unit", "phone", "active", "jenis"])
    sheet.append([12345, "Sri", "Keuangan", 812345.0, True, "non_asn"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["X-2", None, "Umum", None, None, "non_asn"])
    sheet.append([198503152010011001.0, "Rounded", "Umum", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_xlsx(buffer.getvalue())
    assert [(r.line, r.employee_id, r.phone, r.active) for r in parsed.rows] == [
        (2, "12345", "812345", True)
    ]
    assert [p.line for p in parsed.refused] == [4, 5]
    assert parsed.refused[0].employee_id == "X-2"
    assert "format the column as text" in parsed.refused[1].reason


def test_unknown_file_type_and_broken_xlsx(tmp_path: Path) -> None:
    other = tmp_path / "people.txt"
    other.write_text("x")
    with pytest.raises(DomainValidationError, match=r"\.csv or \.xlsx"):
        read_employee_file(other)
    with pytest.raises(DomainValidationError, match="xlsx"):
        parse_xlsx(b"not a zip")


def test_import_creates_then_updates_by_nip(uow_factory: UowFactory) -> None:
    first = import_employees(uow_factory(), parse_csv(GOOD_CSV.encode()), actor="hr")
    assert (first.created, first.updated, first.refused) == ((NIP_SRI, NIP_ARIO), (), ())
    again = import_employees(uow_factory(), parse_csv(GOOD_CSV.encode()), actor="hr")
    assert again.unchanged == (NIP_SRI, NIP_ARIO) and again.created == ()

    # only name and unit given: the other fields are kept
    changed = import_employees(
        uow_factory(), parse_csv(f"nip,nama,unit\n{NIP_SRI},Sri W.,Umum\n".encode()), actor="hr"
    )
    assert changed.updated == (NIP_SRI,)
    with uow_factory() as uow:
        sri = uow.employees.get_by_employee_id(NIP_SRI)
        ario = uow.employees.get_by_employee_id(NIP_ARIO)
    assert (sri.name, sri.unit, sri.position, sri.email) == (
        "Sri W.",
        "Umum",
        "Bendahara",
        "sri@example.go.id",
    )
    assert ario.active is False


def test_store_refusals_keep_their_line_and_others_go_in(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.offices.add("BKD", "Badan Kepegawaian Daerah")
        uow.commit()
    text = (
        "employee_id,name,office\n"
        f"{NIP_SRI},Sri,BKD\n"
        f"{NIP_ARIO},Ario,NOPE\n"
        "199001012015011003,,BKD\n"
    )
    summary = import_employees(uow_factory(), parse_csv(text.encode()), actor="hr")
    assert summary.created == (NIP_SRI,)
    assert [(p.line, p.employee_id) for p in summary.refused] == [
        (3, NIP_ARIO),
        (4, "199001012015011003"),
    ]
    assert "unknown office" in summary.refused[0].reason
    with uow_factory() as uow:
        sri = uow.employees.get_by_employee_id(NIP_SRI)
        office = uow.offices.get_by_code("BKD")
    assert sri.office_id == office.id


def test_asn_records_are_checked_per_line_and_written(uow_factory: UowFactory) -> None:
    """Issue 15: NIPs in groups are stored bare, a wrong part is named on its line, the
    superior may come earlier in the file, dates in either form, and every write audited."""
    text = (
        "NIP;Nama;Jenis;Golongan;Eselon;Atasan;TMT;Unit kerja\n"
        "19800101 200501 1 001;Kepala;pns;IV/b;II.a;;2020-01-02;Diskominfo\n"
        "19850315 201001 2 002;Sri;pns;3a;;198001012005011001;17/03/2025;Bidang TI\n"
        "19850315 201013 1 003;Salah;pns;;;;;Bidang TI\n"
        "THL-017;Honorer;non_asn;;;198001012005011001;01/02/2025;Bidang TI\n"
        "199001012021211004;Pppk;pppk;IX;;;;Bidang TI\n"
        "198503152010012002;Lagi;pns;;;;;Bidang TI\n"
        "198503152010011005;Nanti;pns;;;199901012020011001;;Bidang TI\n"
    )
    summary = import_employees(uow_factory(), parse_csv(text.encode()), actor="hr-desk")
    assert summary.created == (
        "198001012005011001",
        "198503152010012002",
        "THL-017",
        "199001012021211004",
    )
    refused = {p.line: p.reason for p in summary.refused}
    assert sorted(refused) == [4, 7, 8]
    assert "digits 9-14" in refused[4]
    assert "duplicate" in refused[7]
    assert "direct superior" in refused[8]
    with uow_factory() as uow:
        head = uow.employees.get_by_employee_id("198001012005011001")
        sri = uow.employees.get_by_employee_id("198503152010012002")
        honorer = uow.employees.get_by_employee_id("THL-017")
        audit = [(e.actor, e.action, e.target) for e in uow.audit.list()]
    assert (head.grade, head.rank, head.echelon) == ("IV/b", "Pembina Tingkat I", "II.a")
    assert (sri.grade, sri.superior_id, sri.start_date) == ("III/a", head.id, date(2025, 3, 17))
    assert (honorer.employee_type.value, honorer.superior_id) == ("non_asn", head.id)
    assert ("hr-desk", "employee.import", "THL-017") in audit
    # a file without the new columns leaves them as they are
    again = import_employees(
        uow_factory(), parse_csv(b"nip,nama\n198503152010012002,Sri Rahayu\n"), actor="hr"
    )
    assert again.updated == ("198503152010012002",)
    with uow_factory() as uow:
        kept = uow.employees.get_by_employee_id("198503152010012002")
    assert (kept.name, kept.grade, kept.superior_id) == ("Sri Rahayu", "III/a", head.id)
