"""Grades (golongan/ruang), ranks (pangkat) and echelons (eselon) of ASN staff.

Rules:

* A PNS grade is a golongan I-IV with a ruang letter: I/a-I/d, II/a-II/d, III/a-III/d,
  IV/a-IV/e (written any case, with or without the slash: "3a", "III A" -> "III/a").
  Its rank name (pangkat) follows from it (table ``PNS_RANKS``, PP 99/2000).
* A PPPK grade is a roman golongan I-XVII (arabic numbers accepted: "9" -> "IX"); PPPK
  have no pangkat.
* Non-ASN staff have no grade; a grade given for them is refused.
* An echelon (eselon, structural positions only) is I.a, I.b, II.a, II.b, III.a, III.b,
  IV.a or IV.b (eselon V was abolished); blank means none.
"""

from __future__ import annotations

import re

from hadir.domain.errors import DomainValidationError
from hadir.domain.staff.identity import EmployeeType

ROMAN = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)
PNS_RANKS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
ECHELONS = ("I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b")
_PNS = re.compile(r"(I{1,3}|IV|[1-4])\s*/?\s*([A-E])")
_ECHELON = re.compile(r"(I{1,3}|IV|[1-4])\s*[./]?\s*([AB])")


def _roman(number: str) -> str:
    return ROMAN[int(number) - 1] if number.isdigit() else number


def normalize_grade(raw: str | None, employee_type: EmployeeType) -> str:
    """The grade in its written form ("III/a", "IX"), or "" for none."""
    text = (raw or "").strip().upper()
    if not text:
        return ""
    if employee_type is EmployeeType.NON_ASN:
        raise DomainValidationError("non-ASN staff have no grade (golongan)", field="grade")
    if employee_type is EmployeeType.PPPK:
        value = _roman(text) if text.isdigit() and 1 <= int(text) <= len(ROMAN) else text
        if value not in ROMAN:
            raise DomainValidationError(
                f"{raw!r} is not a PPPK grade (I to XVII)", field="grade", value=raw
            )
        return value
    match = _PNS.fullmatch(text)
    grade = f"{_roman(match.group(1))}/{match.group(2).lower()}" if match else ""
    if grade not in PNS_RANKS:
        raise DomainValidationError(
            f"{raw!r} is not a PNS grade (I/a to IV/e)", field="grade", value=raw
        )
    return grade


def rank_of(grade: str) -> str:
    """The pangkat of a PNS grade ("III/a" -> "Penata Muda"); "" otherwise."""
    return PNS_RANKS.get(grade, "")


def normalize_echelon(raw: str | None) -> str:
    """The echelon as written in decrees ("III.a"), or "" for none."""
    text = (raw or "").strip().upper()
    if not text or text in ("-", "NON", "NON ESELON", "NONE"):
        return ""
    match = _ECHELON.fullmatch(text)
    echelon = f"{_roman(match.group(1))}.{match.group(2).lower()}" if match else ""
    if echelon not in ECHELONS:
        raise DomainValidationError(
            f"{raw!r} is not an echelon (I.a to IV.b)", field="echelon", value=raw
        )
    return echelon
