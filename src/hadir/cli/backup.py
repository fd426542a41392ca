"""``hadir db backup``: an online SQLite copy, verified; pg_dump guidance for PostgreSQL."""

from __future__ import annotations

import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from hadir.domain.errors import DomainValidationError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    integrity: str
    employees: int
    events: int


def pg_dump_command(url: str, target: Path) -> str | None:
    """The pg_dump command for a PostgreSQL ``url`` (no password in it); ``None`` otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    parts = ["pg_dump", "--format=custom", f"--file={target}"]
    if parsed.host:
        parts.append(f"--host={parsed.host}")
    if parsed.port:
        parts.append(f"--port={parsed.port}")
    if parsed.username:
        parts.append(f"--username={parsed.username}")
    options = parsed.query.get("options")
    if isinstance(options, str) and "search_path=" in options:
        parts.append(f"--schema={options.split('search_path=', 1)[1].split()[0]}")
    parts.append(parsed.database or "")
    return shlex.join(parts)


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
