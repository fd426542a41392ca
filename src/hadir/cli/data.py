"""Data in and out: employee import, monthly reports, national holidays."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hadir.cli.common import database, errors, settings, with_status
from hadir.domain.errors import DomainValidationError


class CsvPart(StrEnum):
    HARIAN = "harian"
    REKAP = "rekap"


def register(app: typer.Typer) -> None:
    employees_app = typer.Typer(help="Employees (staff records).", no_args_is_help=True)
    report_app = typer.Typer(help="Attendance reports.", no_args_is_help=True)
    holidays_app = typer.Typer(help="Holidays (hari libur).", no_args_is_help=True)
    employees_app.command("import")(employees_import)
    report_app.command("monthly")(report_monthly)
    holidays_app.command("sync")(holidays_sync)
    app.add_typer(employees_app, name="employees")
    app.add_typer(report_app, name="report")
    app.add_typer(holidays_app, name="holidays")


def employees_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="a .csv or .xlsx file")],
) -> None:
    """Create or update employees by employee_id (NIP) from a CSV or XLSX file.

    Columns: employee_id, name, unit, position, office (an office code, optional), email,
    phone, active. Bad rows are reported with their line number; the others are imported.
    """
    from hadir.services.audit import Actor
    from hadir.services.people import import_employees, read_employee_file

    with errors():
        parsed = read_employee_file(file)
        with database(settings()) as db:
            summary = with_status(
                "importing employees",
                lambda: import_employees(db.uow_factory, parsed, actor=Actor.cli()),
            )
    if parsed.ignored_columns:
        typer.echo(f"ignored column(s): {', '.join(parsed.ignored_columns)}")
    typer.echo(
        f"created {len(summary.created)}, updated {len(summary.updated)}, "
        f"unchanged {len(summary.unchanged)}, refused {len(summary.refused)}"
    )
    for problem in summary.refused:
        who = f" ({problem.employee_id})" if problem.employee_id else ""
        typer.echo(f"  line {problem.line}{who}: {problem.reason}")


def report_monthly(
    month: Annotated[str, typer.Argument(help="YYYY-MM")],
    out: Annotated[Path, typer.Option(dir_okay=False, help="FILE.xlsx or FILE.csv")],
    unit: Annotated[str | None, typer.Option(help="only this unit")] = None,
    part: Annotated[
        CsvPart, typer.Option(help="for CSV: the daily rows or the per-employee recap")
    ] = CsvPart.HARIAN,
) -> None:
    """The monthly attendance report with TL/PSW counts and the TPP deduction (sheets Rekap,
    Harian and Ketentuan in XLSX)."""
    from hadir.bootstrap import discipline_rules
    from hadir.services.export import ReportPart, to_csv, to_xlsx
    from hadir.services.reports import monthly_report

    suffix = out.suffix.lower()
    with errors():
        if suffix not in (".xlsx", ".csv"):
            raise DomainValidationError("--out must end in .xlsx or .csv", field="out")
        config = settings()
        rules = discipline_rules(config)
        with database(config) as db:
            report = with_status(
                "building the report",
                lambda: monthly_report(db.uow_factory(), month, unit, discipline=rules),
            )
        data = to_xlsx(report) if suffix == ".xlsx" else to_csv(report, ReportPart(part.value))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    typer.echo(f"{report.title}: {len(report.recap)} employees, {len(report.daily)} rows -> {out}")


def holidays_sync(
    year: Annotated[int, typer.Option(help="the year, e.g. 2025")],
) -> None:
    """Store Indonesia's national holidays of YEAR (idempotent; office holidays kept)."""
    from hadir.services.audit import Actor
    from hadir.services.holidays import sync_national_holidays

    with errors(), database(settings()) as db:
        result = sync_national_holidays(db.uow_factory, year, actor=Actor.cli())
    typer.echo(
        f"national holidays {year}: {result.total} "
        f"(added {len(result.added)}, renamed {len(result.renamed)}, "
        f"unchanged {result.unchanged}, removed {len(result.removed)})"
    )
    for entry in result.added + result.renamed:
        typer.echo(f"  {entry.day.isoformat()} {entry.name}")
    for entry in result.kept_office:
        typer.echo(f"  {entry.day.isoformat()} kept the office's own holiday {entry.name!r}")
