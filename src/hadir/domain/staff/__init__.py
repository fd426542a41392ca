"""Pure rules of staff records: identifiers (NIP), grades, echelons, service periods."""

from __future__ import annotations

from hadir.domain.staff.grades import (
    ECHELONS,
    PNS_RANKS,
    normalize_echelon,
    normalize_grade,
    rank_of,
)
from hadir.domain.staff.identity import (
    EmployeeType,
    Nip,
    Sex,
    looks_like_nip,
    normalize_staff_id,
    parse_nip,
)

__all__ = [
    "ECHELONS",
    "PNS_RANKS",
    "EmployeeType",
    "Nip",
    "Sex",
    "looks_like_nip",
    "normalize_echelon",
    "normalize_grade",
    "normalize_staff_id",
    "parse_nip",
    "rank_of",
]
