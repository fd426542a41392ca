"""Alembic environment, driven from code by ``hadir.store.db.migrate`` (no alembic.ini).

The ``Config`` carries either an ``Engine`` in ``attributes["engine"]`` or a
``sqlalchemy.url`` main option. On SQLite the scripts run in batch mode, inside one real
transaction (SQLAlchemy emits ``BEGIN``, see ``hadir.store.db``), with foreign keys
switched off: batch mode rebuilds a table by copying it and dropping the original, and
with foreign keys on that drop would fire ``ON DELETE CASCADE`` into the child tables.
``PRAGMA foreign_key_check`` runs before the commit instead.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, Engine

from hadir.store.db import make_engine
from hadir.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Set the pragma on the raw connection, outside any transaction (else it is a no-op)."""
    raw: Any = connection.connection.driver_connection
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        transactional_ddl=True,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if isinstance(engine, Engine):
        with engine.connect() as connection:
            _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("alembic config has neither an engine nor sqlalchemy.url")
    own = make_engine(url)
    try:
        with own.connect() as connection:
            _run(connection)
    finally:
        own.dispose()


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=bool(url and url.startswith("sqlite")),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
