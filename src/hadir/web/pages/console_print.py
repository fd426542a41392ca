"""Printable reports of a unit: the monthly recap and the daily roll (daftar hadir), each as
a print-ready A4 page and as a PDF. Staff see every unit, supervisors their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from hadir.domain.attendance import DEFAULT_TIMEZONE, local_date_of
from hadir.http.deps import ClockDep, DatabaseDep, DisciplineDep, LetterheadDep, own_unit
from hadir.services.ports import Clock
from hadir.services.printing import printed_recap, printed_roll
from hadir.web.deps import ConsolePage
from hadir.web.pdf import render_pdf
from hadir.web.printview import PrintDocument, recap_document, roll_document
from hadir.web.render import page_language, render

router = APIRouter(prefix="/admin/laporan", include_in_schema=False)

MonthQuery = Annotated[str | None, Query(max_length=7, pattern=r"^\d{4}-\d{2}$")]
UnitQuery = Annotated[str | None, Query(max_length=255)]
RECAP, ROLL = "/admin/laporan/cetak", "/admin/laporan/daftar-hadir"


def _query(**values: str | None) -> str:
    return urlencode({k: v for k, v in values.items() if v})


def _page(request: Request, document: PrintDocument, pdf_url: str, month: str) -> Response:
    back = "/admin/laporan?" + _query(month=month, unit=request.query_params.get("unit"))
    return render(
        request, "print/document.html", {"doc": document, "pdf_url": pdf_url, "back_url": back}
    )


def _pdf(document: PrintDocument) -> Response:
    return Response(
        render_pdf(document),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{document.filename}"'},
    )


@dataclass(frozen=True)
class _Printing:
    """What every printable page needs besides its period and unit."""

    request: Request
    principal: ConsolePage
    database: DatabaseDep
    clock: Clock
    discipline: DisciplineDep
    letterhead: LetterheadDep

    @property
    def language(self) -> str:
        return page_language(self.request)

    def unit(self, asked: str | None) -> str | None:
        return own_unit(self.principal, asked or None)


def _printing(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    discipline: DisciplineDep,
    letterhead: LetterheadDep,
) -> _Printing:
    return _Printing(request, principal, database, clock, discipline, letterhead)


Printing = Annotated[_Printing, Depends(_printing)]
DayQuery = Annotated[date | None, Query(alias="date", description="YYYY-MM-DD")]


def _recap(ctx: _Printing, month: str | None, unit: str | None) -> tuple[PrintDocument, str]:
    chosen = month or local_date_of(ctx.clock(), DEFAULT_TIMEZONE).strftime("%Y-%m")
    printed = printed_recap(
        ctx.database.uow_factory,
        chosen,
        ctx.unit(unit),
        letterhead=ctx.letterhead,
        discipline=ctx.discipline,
        clock=ctx.clock,
    )
    return recap_document(printed, ctx.language), chosen


def _roll(ctx: _Printing, day: date | None, unit: str | None) -> tuple[PrintDocument, date]:
    chosen = day or local_date_of(ctx.clock(), DEFAULT_TIMEZONE)
    printed = printed_roll(
        ctx.database.uow_factory,
        chosen,
        ctx.unit(unit),
        letterhead=ctx.letterhead,
        discipline=ctx.discipline,
        clock=ctx.clock,
    )
    return roll_document(printed, ctx.language), chosen


@router.get("/cetak")
def recap_page(ctx: Printing, month: MonthQuery = None, unit: UnitQuery = None) -> Response:
    document, chosen = _recap(ctx, month, unit)
    pdf = f"{RECAP}.pdf?" + _query(month=chosen, unit=unit, lang=ctx.language)
    return _page(ctx.request, document, pdf, chosen)


@router.get("/cetak.pdf")
def recap_pdf(ctx: Printing, month: MonthQuery = None, unit: UnitQuery = None) -> Response:
    return _pdf(_recap(ctx, month, unit)[0])


@router.get("/daftar-hadir")
def roll_page(ctx: Printing, day: DayQuery = None, unit: UnitQuery = None) -> Response:
    document, chosen = _roll(ctx, day, unit)
    pdf = f"{ROLL}.pdf?" + _query(date=chosen.isoformat(), unit=unit, lang=ctx.language)
    return _page(ctx.request, document, pdf, chosen.strftime("%Y-%m"))


@router.get("/daftar-hadir.pdf")
def roll_pdf(ctx: Printing, day: DayQuery = None, unit: UnitQuery = None) -> Response:
    return _pdf(_roll(ctx, day, unit)[0])
