"""``hadir db backup`` and ``hadir db restore``.

SQLite: an online copy with SQLite's backup API, verified (integrity check, row counts);
a restore copies a verified backup into an empty database path. PostgreSQL: ``pg_dump
--format=custom`` (run when the client tools are installed, else printed), verified by
reading its table of contents back; a restore is ``pg_restore`` into an empty database.
The drill that proves both is ``tests/faults/test_restore.py`` (docs/deploy.md).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.engine import URL

from hadir.domain.errors import DomainValidationError, StorageUnavailableError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    integrity: str
    employees: int
    events: int


def _connection_args(parsed: URL) -> list[str]:
    parts = []
    if parsed.host:
        parts.append(f"--host={parsed.host}")
    if parsed.port:
        parts.append(f"--port={parsed.port}")
    if parsed.username:
        parts.append(f"--username={parsed.username}")
    return parts


def _pg_dump_args(parsed: URL, target: Path) -> list[str]:
    parts = ["pg_dump", "--format=custom", f"--file={target}", *_connection_args(parsed)]
    options = parsed.query.get("options")
    if isinstance(options, str) and "search_path=" in options:
        parts.append(f"--schema={options.split('search_path=', 1)[1].split()[0]}")
    parts.append(parsed.database or "")
    return parts


def pg_dump_command(url: str, target: Path) -> str | None:
    """The pg_dump command for a PostgreSQL ``url`` (no password in it); ``None`` otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    return shlex.join(_pg_dump_args(parsed, target))


def _pg_env(parsed: URL) -> dict[str, str]:
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return env


def _run(args: list[str], parsed: URL, what: str) -> str:
    done = subprocess.run(args, env=_pg_env(parsed), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        problem = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StorageUnavailableError(f"{what} failed: {problem}")
    return done.stdout


@dataclass(frozen=True)
class DumpResult:
    path: Path
    size_bytes: int
    tables: int


def pg_tools_available() -> bool:
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


def backup_postgres(url: str, target: Path) -> DumpResult:
    """``pg_dump --format=custom`` of the database at ``url`` (one consistent snapshot,
    taken while the server keeps serving), written beside ``target`` and renamed into
    place only after ``pg_restore --list`` has read it back."""
    parsed = make_url(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _run(_pg_dump_args(parsed, partial), parsed, "pg_dump")
    listing = _run(["pg_restore", "--list", str(partial)], parsed, "reading the dump back")
    tables = sum(1 for line in listing.splitlines() if " TABLE DATA " in line)
    if tables == 0:
        partial.unlink(missing_ok=True)
        raise DomainValidationError("the dump holds no table data; nothing to restore from")
    partial.replace(target)
    return DumpResult(target, target.stat().st_size, tables)


def restore_postgres(url: str, source: Path) -> None:
    """``pg_restore`` a custom-format dump into the (empty) database at ``url``."""
    parsed = make_url(url)
    if not source.is_file():
        raise DomainValidationError(f"no backup at {source}")
    args = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    _run(
        [*args, *_connection_args(parsed), f"--dbname={parsed.database}", str(source)],
        parsed,
        "pg_restore",
    )


def _count(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0]) if row else 0


def backup_sqlite(url: str, target: Path) -> BackupResult:
    """Copy the database at ``url`` to ``target`` with SQLite's online backup API, then
    open the copy and run ``PRAGMA integrity_check``."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise DomainValidationError(f"cannot back up {parsed.get_backend_name()} here")
    source_path = Path(parsed.database or "")
    if not source_path.is_file():
        raise DomainValidationError(f"no database at {source_path}; run 'hadir init' first")
    if target.resolve() == source_path.resolve():
        raise DomainValidationError("the backup must not overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    check = sqlite3.connect(f"file:{partial}?mode=ro", uri=True)
    try:
        rows = check.execute("PRAGMA integrity_check").fetchall()
        integrity = "; ".join(str(r[0]) for r in rows)
        employees = _count(check, "employees")
        events = _count(check, "attendance_events")
    finally:
        check.close()
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise DomainValidationError(f"the copy failed its integrity check: {integrity}")
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, integrity, employees, events)


def restore_sqlite(url: str, source: Path) -> BackupResult:
    """Copy a verified SQLite backup into the database path of ``url``, which must not
    hold a database yet (restore onto a new machine or a fresh data directory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise DomainValidationError(f"cannot restore {parsed.get_backend_name()} this way")
    target = Path(parsed.database or "")
    if target.exists() and target.stat().st_size > 0:
        raise DomainValidationError(
            f"{target} already holds a database; restore into a fresh data directory"
        )
    if not source.is_file():
        raise DomainValidationError(f"no backup at {source}")
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        integrity = "; ".join(str(r[0]) for r in check.execute("PRAGMA integrity_check"))
        if integrity != "ok":
            raise DomainValidationError(f"the backup failed its integrity check: {integrity}")
        target.parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(target)
        try:
            check.backup(copy)
            employees, events = _count(copy, "employees"), _count(copy, "attendance_events")
        finally:
            copy.close()
    finally:
        check.close()
    return BackupResult(target, target.stat().st_size, integrity, employees, events)
