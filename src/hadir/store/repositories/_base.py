"""What every SQL repository shares: the session, the clock and id lookups."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from hadir.domain.attendance import as_utc
from hadir.domain.errors import NotFoundError
from hadir.services.ports import Clock
from hadir.store.tables.base import Base
from hadir.store.tables.state import ChangeCounter
from hadir.store.types import utc_now

RowT = TypeVar("RowT", bound=Base)
MIN_ID, MAX_ID = -(2**63), 2**63 - 1
"""Integer keys fit in a signed 64-bit column on every backend."""


class SqlRepository:
    """A repository bound to one session (one unit of work)."""

    def __init__(self, session: Session, clock: Clock = utc_now) -> None:
        self._session = session
        self._clock = clock

    def _now(self) -> datetime:
        return as_utc(self._clock(), field="clock")

    def _row(self, model: type[RowT], row_id: int, what: str) -> RowT:
        if not MIN_ID <= row_id <= MAX_ID:  # no such key; the drivers would overflow
            raise NotFoundError(f"{what} {row_id} does not exist", id=row_id)
        row = self._session.get(model, row_id)
        if row is None:
            raise NotFoundError(f"{what} {row_id} does not exist", id=row_id)
        return row

    def _bump_counter(self, name: str) -> None:
        """Add one to change counter ``name`` in this transaction (created if absent)."""
        done = self._session.execute(
            update(ChangeCounter)
            .where(ChangeCounter.name == name)
            .values(version=ChangeCounter.version + 1)
            .execution_options(synchronize_session=False)
        )
        if int(getattr(done, "rowcount", 1) or 0) == 0:
            # absent: create it without racing a concurrent creator, then count again
            dialect = self._session.get_bind().dialect.name
            insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
            self._session.execute(
                insert(ChangeCounter)
                .values(name=name, version=0)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            self._session.execute(
                update(ChangeCounter)
                .where(ChangeCounter.name == name)
                .values(version=ChangeCounter.version + 1)
                .execution_options(synchronize_session=False)
            )
