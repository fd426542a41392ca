"""Staff identifiers, grades and echelons (issue 15): each wrong part is named."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.domain.errors import DomainValidationError
from hadir.domain.staff import (
    EmployeeType,
    Sex,
    looks_like_nip,
    normalize_echelon,
    normalize_grade,
    normalize_staff_id,
    parse_nip,
    rank_of,
)


def test_a_nip_in_groups_is_read_part_by_part() -> None:
    nip = parse_nip("19850315 201001 1 001")
    assert nip.digits == "198503152010011001"
    assert nip.birth_date == date(1985, 3, 15)
    assert (nip.appointment_year, nip.appointment_month) == (2010, 1)
    assert (nip.sex, nip.serial) == (Sex.MALE, 1)
    assert parse_nip("19850315.201001.2.013").sex is Sex.FEMALE
    assert normalize_staff_id(" 19850315-201001-1-001 ", "pppk") == "198503152010011001"


@pytest.mark.parametrize(
    ("raw", "part"),
    [
        ("abc", "format"),
        ("", "format"),
        ("１９８５０３１５２０１００１１００１", "format"),  # full-width digits
        ("19850315201001100", "length"),
        ("1985031520100110012", "length"),
        ("19850230 201001 1 001", "birth_date"),  # 30 February
        ("19290315 201001 1 001", "birth_date"),
        ("19850315 201000 1 001", "appointment"),
        ("19850315 201021 1 001", "appointment"),  # 21 is a PPPK code, not a PNS month
        ("19850315 199912 1 001", "appointment"),  # appointed at 14
        ("19850315 201001 0 001", "sex"),
        ("19850315 201001 1 000", "serial"),
    ],
)
def test_each_wrong_part_of_a_nip_is_named(raw: str, part: str) -> None:
    with pytest.raises(DomainValidationError) as caught:
        normalize_staff_id(raw, EmployeeType.PNS)
    assert caught.value.details["field"] == "employee_id"
    assert caught.value.details["part"] == part


def test_a_pppk_nip_may_carry_the_code_21() -> None:
    nip = parse_nip("199001012021211002", EmployeeType.PPPK)
    assert nip.appointment_month is None and nip.sex is Sex.MALE
    assert looks_like_nip("199001012021211002")
    assert not looks_like_nip("19800101" + "0000000001")


def test_non_asn_numbers_are_kept_as_typed() -> None:
    assert normalize_staff_id(" THL-2024/017 ", "non_asn") == "THL-2024/017"
    assert normalize_staff_id("1001", EmployeeType.NON_ASN) == "1001"
    for wrong in ("abc", "THL 017", "x" * 33 + "1", "nip#1"):
        with pytest.raises(DomainValidationError) as caught:
            normalize_staff_id(wrong, "non_asn")
        assert caught.value.details["field"] == "employee_id"
    with pytest.raises(DomainValidationError) as caught:
        normalize_staff_id("1", "honorer")
    assert caught.value.details["field"] == "employee_type"


def test_grades_ranks_and_echelons() -> None:
    assert normalize_grade("3a", EmployeeType.PNS) == "III/a"
    assert normalize_grade("IV / E", EmployeeType.PNS) == "IV/e"
    assert rank_of("IV/e") == "Pembina Utama"
    assert rank_of("II/c") == "Pengatur"
    assert normalize_grade("17", EmployeeType.PPPK) == "XVII"
    assert normalize_grade(" ", EmployeeType.NON_ASN) == ""
    for raw, kind in (("III/e", "pns"), ("V/a", "pns"), ("XVIII", "pppk"), ("III/a", "non_asn")):
        with pytest.raises(DomainValidationError) as caught:
            normalize_grade(raw, EmployeeType(kind))
        assert caught.value.details["field"] == "grade"
    assert normalize_echelon("iv a") == "IV.a"
    assert normalize_echelon("II.b") == "II.b"
    assert normalize_echelon("-") == ""
    with pytest.raises(DomainValidationError):
        normalize_echelon("V.a")
