"""Engines, sessions and migrations. Nothing is built at import: the composition root calls
``make_engine(settings.sqlalchemy_url)`` once and passes the engine around.

SQLite connections get ``journal_mode=WAL``, ``foreign_keys=ON`` and a ``busy_timeout``
on connect, and SQLAlchemy emits ``BEGIN`` itself (the sqlite3 module's legacy
transaction handling is switched off) so SAVEPOINTs and transactional DDL work. The
``BEGIN`` is deferred: a transaction that reads and then writes can still meet
"database is locked" under concurrent writers; keep units of work short.

PostgreSQL uses psycopg 3 (``postgresql+psycopg://``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def make_engine(url: str | URL, *, echo: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their parent directory and pragmas."""
    url = make_url(url)
    if _is_sqlite(url) and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, echo=echo, **kwargs)
    if _is_sqlite(url):
        _install_sqlite_pragmas(engine)
    return engine


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (see the module doc).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for ``SqlUnitOfWork``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def alembic_config(engine: Engine | None = None, *, url: str | URL | None = None) -> Config:
    """An Alembic ``Config`` built in code (no alembic.ini).

    With ``engine`` the migrations run on it (its pragmas included); with only ``url``
    ``env.py`` builds a throw-away engine with ``make_engine``. Developers can use it to
    write a revision::

        from alembic import command
        command.revision(alembic_config(url="sqlite:///var/dev.sqlite3"),
                         message="...", autogenerate=True)
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if engine is not None:
        config.attributes["engine"] = engine
    elif url is not None:
        rendered = make_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def migrate(engine_or_url: Engine | str | URL, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest); safe to call repeatedly."""
    if isinstance(engine_or_url, Engine):
        command.upgrade(alembic_config(engine_or_url), revision)
        return
    engine = make_engine(engine_or_url)
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        engine.dispose()
