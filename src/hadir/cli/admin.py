"""Administration: init (database, models, first admin), serve, API tokens, backups."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hadir.cli.common import database, errors, settings, with_status
from hadir.domain.errors import DomainValidationError
from hadir.services.records import Role


class TokenRole(StrEnum):
    ADMIN = Role.ADMIN.value
    OPERATOR = Role.OPERATOR.value
    SUPERVISOR = Role.SUPERVISOR.value
    KIOSK = Role.KIOSK.value


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="API tokens for devices and integrations.", no_args_is_help=True)
    db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
    app.command()(init)
    app.command()(serve)
    token_app.command("create")(token_create)
    db_app.command("backup")(db_backup)
    db_app.command("restore")(db_restore)
    app.add_typer(token_app, name="token")
    app.add_typer(db_app, name="db")


def _admin_password(username: str, password: str | None) -> str:
    if password:
        return password
    if sys.stdin.isatty():
        value: str = typer.prompt(
            f"password for {username}", hide_input=True, confirmation_prompt=True
        )
        return value
    raise DomainValidationError(
        "give the admin password with --admin-password or HADIR_ADMIN_PASSWORD",
        field="admin_password",
    )


def init(
    admin_username: Annotated[
        str | None, typer.Option(help="create this first admin account (if none exists)")
    ] = None,
    admin_password: Annotated[
        str | None,
        typer.Option(
            envvar="HADIR_ADMIN_PASSWORD",
            help="the admin's password (asked on a terminal when missing)",
        ),
    ] = None,
) -> None:
    """Create or upgrade the database, prepare the face models, optionally add the first admin.

    Asks nothing without a terminal (give the password with --admin-password or
    HADIR_ADMIN_PASSWORD); an existing admin account is left alone.
    """
    from hadir.bootstrap import build_face_engine, migrate_database
    from hadir.services.auth import UNUSABLE_PASSWORD, create_user

    config = settings()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    with errors():
        with_status("creating or upgrading the database", lambda: migrate_database(config))
        if admin_username is not None:
            with database(config, migrate_first=False) as db, db.uow_factory() as uow:
                admins = [
                    u
                    for u in uow.users.list()
                    if u.role is Role.ADMIN and u.password_hash != UNUSABLE_PASSWORD
                ]
                if admins:
                    names = ", ".join(u.username for u in admins)
                    typer.echo(f"admin account(s) already exist ({names}); left unchanged")
                else:
                    password = _admin_password(admin_username, admin_password)
                    create_user(uow, admin_username, password, Role.ADMIN)
                    uow.commit()
                    typer.echo(f"admin {admin_username} created")
        engine = with_status("preparing the face models", lambda: build_face_engine(config))
    typer.echo(f"data directory {config.data_dir.resolve()}")
    typer.echo(f"database {config.sqlalchemy_url.split('@')[-1]} (migrated to head)")
    typer.echo(f"face engine {engine.embedder.contract.key()}")


def onnx_threads_per_worker(workers: int, cores: int | None = None) -> int:
    """Intra-op threads for each of ``workers`` processes on ``cores`` usable cores."""
    usable = cores if cores is not None else len(os.sched_getaffinity(0))
    return max(1, usable // max(1, workers))


def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
) -> None:
    """Start the HTTP server. Each worker process loads and warms its own face engine; with
    several workers and no HADIR_ONNX_THREADS, each gets cores // workers threads (so
    threads x workers <= cores)."""
    import uvicorn

    config = settings()
    if workers > 1 and "HADIR_ONNX_THREADS" not in os.environ:
        threads = onnx_threads_per_worker(workers)
        os.environ["HADIR_ONNX_THREADS"] = str(threads)  # read by each worker's Settings()
        typer.echo(f"{workers} workers x {threads} onnx thread(s) each")
    uvicorn.run(
        "hadir.bootstrap:app_from_env",
        factory=True,
        host=host or config.host,
        port=port or config.port,
        workers=workers,
        log_level=config.log_level,
        server_header=False,  # no "server: uvicorn" banner
    )


def token_create(
    role: Annotated[TokenRole, typer.Option(help="what the token may do")],
    name: Annotated[str, typer.Option(help="the device or integration, e.g. lobby-kiosk")],
    expires_days: Annotated[
        int | None,
        typer.Option(min=1, help="expires after N days (default: HADIR_API_TOKEN_DAYS, 90)"),
    ] = None,
) -> None:
    """Issue a token for a device or integration; prints the token alone (shown once)."""
    from hadir.services.auth import create_user, issue_token

    now = datetime.now(UTC)
    config = settings()
    lifetime = timedelta(days=expires_days if expires_days is not None else config.api_token_days)
    with errors(), database(config) as db, db.uow_factory() as uow:
        username = f"{role.value}:{name}"
        users = [u for u in uow.users.list() if u.username == username]
        user = users[0] if users else create_user(uow, username, None, Role(role.value))
        issued = issue_token(uow, user, name, now=now, expires_in=lifetime, actor="cli")
        uow.commit()
    typer.echo(issued.token)


def db_backup(
    target: Annotated[Path, typer.Argument(dir_okay=False, help="the backup file to write")],
) -> None:
    """Back up the database while it serves: a verified copy (SQLite: online backup and
    integrity check; PostgreSQL: pg_dump, read back). Keep secret.key apart from it."""
    from hadir.cli.backup import (
        backup_postgres,
        backup_sqlite,
        pg_dump_command,
        pg_tools_available,
    )

    config = settings()
    with errors():
        command = pg_dump_command(config.sqlalchemy_url, target)
        if command is not None and not pg_tools_available():
            typer.echo("PostgreSQL: install the client tools, or run (password in PGPASSWORD):")
            typer.echo(command)
            raise typer.Exit(code=1)
        if command is not None:
            dump = with_status("dumping", lambda: backup_postgres(config.sqlalchemy_url, target))
            typer.echo(f"backup {dump.path} ({dump.size_bytes} bytes, {dump.tables} tables)")
            return
        result = with_status("backing up", lambda: backup_sqlite(config.sqlalchemy_url, target))
    typer.echo(
        f"backup {result.path} ({result.size_bytes} bytes, integrity {result.integrity}, "
        f"{result.employees} employees, {result.events} attendance events)"
    )


def db_restore(
    source: Annotated[Path, typer.Argument(dir_okay=False, help="a file from 'hadir db backup'")],
) -> None:
    """Restore a backup into the configured, still empty database (a fresh data directory
    or a new PostgreSQL database); then run 'hadir audit verify'."""
    from hadir.cli.backup import pg_dump_command, restore_postgres, restore_sqlite

    config = settings()
    url = config.sqlalchemy_url
    with errors():
        if pg_dump_command(url, source) is not None:
            with_status("restoring", lambda: restore_postgres(url, source))
            typer.echo(f"restored {source} into the PostgreSQL database")
            return
        result = with_status("restoring", lambda: restore_sqlite(url, source))
    typer.echo(
        f"restored {result.path} ({result.employees} employees, {result.events} attendance events)"
    )
