"""What every SQL repository shares: the session, the clock and id lookups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from hadir.domain.attendance import as_utc
from hadir.domain.errors import NotFoundError
from hadir.store.tables import Base, ChangeCounter
from hadir.store.types import utc_now

Clock = Callable[[], datetime]
"""Returns the current aware instant; the default is ``utc_now``."""

RowT = TypeVar("RowT", bound=Base)


class SqlRepository:
    """A repository bound to one session (one unit of work)."""

    def __init__(self, session: Session, clock: Clock = utc_now) -> None:
        self._session = session
        self._clock = clock

    def _now(self) -> datetime:
        return as_utc(self._clock(), field="clock")

    def _row(self, model: type[RowT], row_id: int, what: str) -> RowT:
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
            self._session.add(ChangeCounter(name=name, version=1))
            self._session.flush()
