"""Staff identifiers: the NIP of civil servants (ASN) and the number of non-ASN staff.

Rules:

* The employee type is one of ``pns`` (civil servant), ``pppk`` (government employee on
  contract) or ``non_asn`` (honorary / outsourced staff: PPNPN, THL, ...).
* ASN (``pns`` and ``pppk``) are identified by their NIP: 18 digits, written in any
  grouping ("19850315 201001 1 001", "19850315.201001.1.001") and stored as the bare 18
  digits. Its parts, each checked, in order:

  1. digits 1-8, ``birth_date``: YYYYMMDD, a real calendar date from 1930 on;
  2. digits 9-14, ``appointment``: YYYYMM, the month of first appointment. The month is
     01-12; a PPPK NIP may instead carry ``21`` there (the code BKN gives PPPK numbers).
     The year is at least 15 years after the birth year and not before 1950;
  3. digit 15, ``sex``: 1 (male) or 2 (female);
  4. digits 16-18, ``serial``: 001-999 (000 is not issued).

  A wrong NIP is refused with a message naming the wrong part; the error's ``field`` is
  the input field (``employee_id``) and ``part`` the part.
* Non-ASN staff carry the number the office gives them (e.g. ``THL-2024-017``): 1 to 32
  characters among letters, digits, ``-``, ``.``, ``/`` and ``_``, with at least one
  digit, no spaces. It is stored as typed (trimmed), so existing numbers keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hadir.domain.errors import DomainValidationError

NIP_LENGTH = 18
NIP_SEPARATORS = re.compile(r"[\s.\-]+")
NON_ASN_PATTERN = re.compile(r"[A-Za-z0-9._/\-]{1,32}")
EARLIEST_BIRTH_YEAR = 1930
EARLIEST_APPOINTMENT_YEAR = 1950
MIN_AGE_AT_APPOINTMENT = 15
PPPK_APPOINTMENT_CODE = 21
FIELD = "employee_id"


class EmployeeType(StrEnum):
    PNS = "pns"
    PPPK = "pppk"
    NON_ASN = "non_asn"

    @property
    def is_asn(self) -> bool:
        return self is not EmployeeType.NON_ASN


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class Nip:
    """The parts of a valid 18-digit NIP."""

    digits: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None
    """``None`` for a PPPK NIP carrying the code 21."""
    sex: Sex
    serial: int


def _wrong(part: str, message: str, raw: str) -> DomainValidationError:
    return DomainValidationError(
        f"NIP {raw.strip()!r}: {message}", field=FIELD, part=part, value=raw.strip()
    )


def parse_nip(raw: str, employee_type: EmployeeType = EmployeeType.PNS) -> Nip:
    """The NIP in ``raw`` (separators allowed) with every part checked."""
    digits = NIP_SEPARATORS.sub("", raw.strip())
    if not digits.isdigit() or not digits.isascii():
        raise _wrong("format", "a NIP has only digits (spaces and dots are allowed)", raw)
    if len(digits) != NIP_LENGTH:
        raise _wrong("length", f"a NIP has {NIP_LENGTH} digits, this one has {len(digits)}", raw)
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    try:
        birth = date(year, month, day)
    except ValueError:
        birth = None
    if birth is None or year < EARLIEST_BIRTH_YEAR:
        raise _wrong("birth_date", f"digits 1-8 ({digits[0:8]}) are not a birth date", raw)
    a_year, a_month = int(digits[8:12]), int(digits[12:14])
    pppk_code = employee_type is EmployeeType.PPPK and a_month == PPPK_APPOINTMENT_CODE
    if not (1 <= a_month <= 12 or pppk_code):
        raise _wrong(
            "appointment", f"digits 9-14 ({digits[8:14]}) are not an appointment month", raw
        )
    if a_year < max(EARLIEST_APPOINTMENT_YEAR, year + MIN_AGE_AT_APPOINTMENT):
        raise _wrong(
            "appointment",
            f"the appointment year {a_year} is too early for a birth year of {year}",
            raw,
        )
    if digits[14] not in "12":
        raise _wrong("sex", f"digit 15 ({digits[14]}) must be 1 (male) or 2 (female)", raw)
    serial = int(digits[15:18])
    if serial == 0:
        raise _wrong("serial", "digits 16-18 (the serial number) cannot be 000", raw)
    return Nip(
        digits=digits,
        birth_date=birth,
        appointment_year=a_year,
        appointment_month=None if pppk_code else a_month,
        sex=Sex.MALE if digits[14] == "1" else Sex.FEMALE,
        serial=serial,
    )


def normalize_staff_id(raw: str, employee_type: EmployeeType | str) -> str:
    """The identifier to store for an employee of ``employee_type`` (see the rules)."""
    try:
        kind = EmployeeType(employee_type)
    except ValueError as exc:
        allowed = ", ".join(t.value for t in EmployeeType)
        raise DomainValidationError(
            f"employee_type must be one of {allowed}", field="employee_type"
        ) from exc
    if kind.is_asn:
        return parse_nip(raw, kind).digits
    value = raw.strip()
    if not NON_ASN_PATTERN.fullmatch(value) or not any(c.isdigit() for c in value):
        raise DomainValidationError(
            f"{value!r} is not a staff number: 1-32 letters, digits, '-', '.', '/' or '_' "
            "with at least one digit",
            field=FIELD,
            part="format",
            value=value,
        )
    return value


def looks_like_nip(value: str) -> bool:
    """Whether ``value`` is a valid ASN NIP (used to type existing records)."""
    try:
        parse_nip(value, EmployeeType.PPPK)
    except DomainValidationError:
        return False
    return True
