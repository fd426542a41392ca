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

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from hadir.domain.errors import (
    ConflictError,
    DomainValidationError,
    ErrorCode,
    HadirError,
    StorageUnavailableError,
)


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


def unavailable(exc: BaseException) -> StorageUnavailableError | None:
    """The domain error for a database that cannot serve right now, else ``None``.

    A lost or refused connection (PostgreSQL restarting, the network gone), a locked
    SQLite file and a full disk are not the request's fault and not a bug: the
    transaction was rolled back, nothing of it is stored, and the client may retry
    (with the same ``client_request_id`` for a check-in). A full disk gets its own code
    because retrying will not help until an operator frees space.
    """
    if not isinstance(exc, DBAPIError):
        return None
    if any(_disk_full(e) for e in _chain(exc)):
        return StorageUnavailableError(
            "The server's storage is full; nothing was saved. Tell the IT office.",
            code=ErrorCode.STORAGE_FULL,
        )
    if isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated:
        return StorageUnavailableError(
            "The database is unavailable for a moment; nothing was saved. Try again shortly.",
            retry_after=2,
        )
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the errors it was raised from or during (SQLite answers a full disk
    inside a SAVEPOINT by rolling the whole transaction back, so the error that reaches
    us is the failed SAVEPOINT release, raised while handling SQLITE_FULL)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _disk_full(exc: BaseException) -> bool:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return getattr(orig, "sqlite_errorname", None) == "SQLITE_FULL" or ("disk is full" in str(orig))
