"""Database errors turned into domain errors, the same way on SQLite and PostgreSQL.

Each repository write runs inside ``guarded``: a SAVEPOINT plus an immediate flush, so a
constraint violation surfaces at the call that caused it, as a ``ConflictError`` (unique),
``NotFoundError``/``ConflictError`` (foreign key, as the caller says) or
``DomainValidationError`` (check, not-null, value too long), and the surrounding unit of
work stays usable: only the failed write is undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from hadir.domain.errors import ConflictError, DomainValidationError, HadirError


class Violation(StrEnum):
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign_key"
    CHECK = "check"
    NOT_NULL = "not_null"
    OTHER = "other"


_SQLSTATES = {
    "23505": Violation.UNIQUE,
    "23503": Violation.FOREIGN_KEY,
    "23001": Violation.FOREIGN_KEY,  # restrict_violation
    "23514": Violation.CHECK,
    "23502": Violation.NOT_NULL,
}
_SQLITE_NAMES = {
    "SQLITE_CONSTRAINT_UNIQUE": Violation.UNIQUE,
    "SQLITE_CONSTRAINT_PRIMARYKEY": Violation.UNIQUE,
    "SQLITE_CONSTRAINT_FOREIGNKEY": Violation.FOREIGN_KEY,
    "SQLITE_CONSTRAINT_CHECK": Violation.CHECK,
    "SQLITE_CONSTRAINT_NOTNULL": Violation.NOT_NULL,
}


def violation_of(exc: IntegrityError) -> Violation:
    """Which kind of constraint ``exc`` broke: psycopg's SQLSTATE or sqlite3's error name."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate in _SQLSTATES:
        return _SQLSTATES[sqlstate]
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(name, str) and name in _SQLITE_NAMES:
        return _SQLITE_NAMES[name]
    text = str(orig).lower()
    for marker, violation in (
        ("unique", Violation.UNIQUE),
        ("foreign key", Violation.FOREIGN_KEY),
        ("check constraint", Violation.CHECK),
        ("not null", Violation.NOT_NULL),
    ):
        if marker in text:
            return violation
    return Violation.OTHER


def translate(
    exc: IntegrityError,
    *,
    unique: HadirError | None = None,
    foreign_key: HadirError | None = None,
) -> HadirError:
    """The domain error for ``exc``; ``unique``/``foreign_key`` give the specific messages."""
    violation = violation_of(exc)
    if violation is Violation.UNIQUE:
        return unique or ConflictError("this is already recorded", constraint="unique")
    if violation is Violation.FOREIGN_KEY:
        return foreign_key or ConflictError(
            "this refers to, or is referred to by, other records", constraint="foreign_key"
        )
    return DomainValidationError(
        f"the database refused the change ({violation.value} constraint)",
        constraint=violation.value,
    )


@contextmanager
def guarded(
    session: Session,
    *,
    unique: HadirError | None = None,
    foreign_key: HadirError | None = None,
) -> Iterator[None]:
    """Run the block's writes in a SAVEPOINT, flush, and translate violations."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        raise translate(exc, unique=unique, foreign_key=foreign_key) from exc
    except DataError as exc:
        raise DomainValidationError(
            f"the database refused a value: {str(exc.orig).splitlines()[0]}"
        ) from exc
