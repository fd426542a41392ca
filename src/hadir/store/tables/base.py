"""The declarative base every table derives from, and its conventions.

Every timestamp is ``UtcDateTime`` (``timestamptz`` on PostgreSQL, naive UTC text on
SQLite); enums are strings guarded by named CHECK constraints (``one_of``); constraint
names follow ``NAMING_CONVENTION`` so SQLite batch migrations can address them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Double,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase

from hadir.store.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        float: Double(),
        str: String(255),
    }


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)
