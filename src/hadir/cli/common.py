"""What every command shares: settings, the error mapping, status and progress output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console

from hadir.domain.errors import HadirError
from hadir.settings import Settings

if TYPE_CHECKING:
    from hadir.bootstrap import Database
    from hadir.services.container import Container

T = TypeVar("T")
Progress = Callable[[int, int], None]


def console() -> Console:
    """The stderr console (status and progress bars are shown on a terminal only)."""
    return Console(stderr=True)


def settings() -> Settings:
    return Settings()


def fail(exc: HadirError) -> typer.Exit:
    typer.echo(f"error {exc.code.value}: {exc.message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def errors() -> Iterator[None]:
    """``HadirError`` becomes ``error CODE: message`` on stderr and exit code 2."""
    try:
        yield
    except HadirError as exc:
        raise fail(exc) from exc


def with_status(message: str, work: Callable[[], T]) -> T:
    err = console()
    if err.is_terminal:
        with err.status(message):
            return work()
    return work()


def with_progress(work: Callable[[Progress | None], T], description: str = "working") -> T:
    """Run ``work(update)`` with a progress bar on a terminal, ``work(None)`` otherwise."""
    err = console()
    if not err.is_terminal:
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(update)


@contextmanager
def database(config: Settings, *, migrate_first: bool = True) -> Iterator[Database]:
    """The database of ``config`` (migrated to head first), disposed afterwards."""
    from hadir.bootstrap import build_database

    db = build_database(config, migrate_first=migrate_first)
    try:
        yield db
    finally:
        db.dispose()


def container(config: Settings, db: Database) -> Container:
    """What the server runs with (``bootstrap.build_container``) on the command's open
    database: the face engine, calibrations, policies and keys built once by the
    composition root, with a status line while the models load (no warm-up)."""
    from hadir.bootstrap import build_container

    return with_status(
        "loading the face engine",
        lambda: build_container(config, database=db, warm_up=False),
    )
