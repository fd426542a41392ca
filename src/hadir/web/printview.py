"""What a printed report shows, as text in the page's language: one ``PrintDocument`` made
from a ``PrintedRecap`` or ``PrintedRoll``, rendered both as the print-ready page
(``print/document.html``) and as the PDF (``hadir.web.pdf``), so the two never differ."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from hadir.domain.attendance import (
    ALL_CATEGORIES,
    EARLY_CATEGORIES,
    LATE_CATEGORIES,
    DayStatus,
    DisciplineRules,
)
from hadir.services.printing import PrintedRecap, PrintedRoll, Signer
from hadir.services.reports import DailyRow
from hadir.web import i18n
from hadir.web.render import MONTHS, format_date, format_datetime


@dataclass(frozen=True)
class PrintDocument:
    lang: str
    landscape: bool
    agency: str
    title: str
    meta: tuple[tuple[str, str], ...]
    """(label, value) lines under the title: period, unit."""
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    text_columns: frozenset[int]
    """Columns aligned left (the others are numbers or times, centred)."""
    notes: tuple[str, ...]
    place_date: str
    sign_lead: str
    sign_title: str
    sign_name: str
    sign_nip: str
    footer: str
    page_word: str
    """"Halaman" / "Page", before the page number."""
    filename: str
    empty: str
    """Shown instead of the table when there are no rows."""


def percent(value: Decimal, lang: str) -> str:
    """``1.25`` as "1,25" in Indonesian, "1.25" in English; no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if lang == "id" else text


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _signature(lang: str, signer: Signer, place: str, signed_on: str) -> dict[str, str]:
    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    return {
        "place_date": f"{place}, {signed_on}" if place else signed_on,
        "sign_lead": t("print.sign_lead"),
        "sign_title": signer.title,
        "sign_name": signer.name or t("print.blank_name"),
        "sign_nip": t("print.nip_line", nip=signer.nip or "." * 24),
    }


def legend(rules: DisciplineRules, lang: str) -> tuple[str, ...]:
    """The bands and percentages in force, in two lines, then absence and cap."""

    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    lines = []
    for lead, open_key, categories in (
        ("print.legend_tl", "print.band_open_tl", LATE_CATEGORIES),
        ("print.legend_psw", "print.band_open_psw", EARLY_CATEGORIES),
    ):
        parts = []
        for category in categories:
            first, last = rules.band(category)
            if last is not None:
                band = t("print.band", first=first, last=last)
            else:
                open_key = (
                    "print.band_open_tl" if lead == "print.legend_tl" else "print.band_open_psw"
                )
                band = t(open_key, minutes=first - 1)
            parts.append(f"{category.label} {band}: {percent(rules.percent(category), lang)}%")
        lines.append(f"{t(lead)}: " + "; ".join(parts) + ".")
    lines.append(t("print.legend_absent", percent=percent(rules.absent_percent, lang)))
    lines.append(t("print.legend_cap", percent=percent(rules.cap_percent, lang)))
    lines.append(t("print.legend_abbr"))
    return tuple(lines)


def recap_document(printed: PrintedRecap, lang: str) -> PrintDocument:
    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    every_unit = printed.unit is None
    headers = (
        t("print.no"),
        t("print.nip"),
        t("print.name"),
        *((t("print.unit"),) if every_unit else ()),
        t("print.working_days"),
        t("print.present"),
        *(c.label for c in ALL_CATEGORIES),
        "TK",
        t("print.izin"),
        t("print.sakit"),
        t("print.cuti"),
        t("print.dinas"),
        t("print.deduction"),
    )
    rows = tuple(
        (
            str(number),
            r.nip,
            r.name,
            *((r.unit,) if every_unit else ()),
            str(r.working_days),
            str(r.days_present),
            *(str(r.discipline.count(c)) for c in ALL_CATEGORIES),
            str(r.absences),
            str(r.leave.izin),
            str(r.leave.sakit),
            str(r.leave.cuti),
            str(r.leave.dinas_luar),
            percent(r.discipline.deduction_percent, lang),
        )
        for number, r in enumerate(printed.rows, start=1)
    )
    month = f"{MONTHS[lang][printed.month.month - 1]} {printed.month.year}"
    notes = legend(printed.rules, lang)
    if printed.provisional:
        notes = (t("print.provisional"), *notes)
    unit_slug = f"-{_slug(printed.unit)}" if printed.unit else ""
    return PrintDocument(
        lang=lang,
        landscape=True,
        agency=printed.agency,
        title=t("print.recap_title"),
        meta=(
            (t("print.period"), month),
            (t("print.unit"), printed.unit or t("print.all_units")),
        ),
        headers=headers,
        rows=rows,
        text_columns=frozenset({1, 2, 3} if every_unit else {1, 2}),
        notes=notes,
        footer=t("print.footer", when=format_datetime(printed.generated_at, lang)),
        page_word=t("print.page"),
        filename=f"rekap-kehadiran-{printed.month}{unit_slug}.pdf",
        empty=t("none"),
        **_signature(lang, printed.signer, printed.place, format_date(printed.signed_on, lang)),
    )


def _remarks(row: DailyRow, lang: str) -> str:
    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    if row.status is DayStatus.ON_LEAVE and row.leave_kind is not None:
        parts = [t(f"leave_kind.{row.leave_kind.value}")]
    else:
        parts = [t(f"status.{row.status.value}")]
        if row.leave_kind is not None:
            parts.append(t(f"leave_kind.{row.leave_kind.value}"))
    if row.holiday:
        parts.append(row.holiday)
    if row.categories:
        parts.append(", ".join(c.label for c in row.categories))
    if row.corrected:
        parts.append(t("print.corrected"))
    return " · ".join(parts)


def _hhmm(row_time: time | None, lang: str) -> str:
    if row_time is None:
        return "–"
    text = f"{row_time:%H:%M}"
    return text.replace(":", ".") if lang == "id" else text


def roll_document(printed: PrintedRoll, lang: str) -> PrintDocument:
    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    every_unit = printed.unit is None
    headers = (
        t("print.no"),
        t("print.nip"),
        t("print.name"),
        *((t("print.unit"),) if every_unit else ()),
        t("print.check_in"),
        t("print.check_out"),
        t("print.remarks"),
    )
    rows = tuple(
        (
            str(number),
            r.nip,
            r.name,
            *((r.unit,) if every_unit else ()),
            _hhmm(r.check_in, lang),
            _hhmm(r.check_out, lang),
            _remarks(r, lang),
        )
        for number, r in enumerate(printed.rows, start=1)
    )
    tally = printed.tally
    present = sum(
        tally.get(s, 0) for s in (DayStatus.ON_TIME, DayStatus.LATE, DayStatus.INCOMPLETE)
    )
    summary = t(
        "print.summary",
        total=len(printed.rows),
        present=present,
        absent=tally.get(DayStatus.ABSENT, 0),
        leave=tally.get(DayStatus.ON_LEAVE, 0),
    )
    notes = (summary, t("print.provisional_day")) if printed.provisional else (summary,)
    unit_slug = f"-{_slug(printed.unit)}" if printed.unit else ""
    last_text = len(headers) - 1
    return PrintDocument(
        lang=lang,
        landscape=False,
        agency=printed.agency,
        title=t("print.roll_title"),
        meta=(
            (t("print.day"), format_date(printed.day, lang, weekday=True)),
            (t("print.unit"), printed.unit or t("print.all_units")),
        ),
        headers=headers,
        rows=rows,
        text_columns=frozenset({1, 2, last_text, *((3,) if every_unit else ())}),
        notes=notes,
        footer=t("print.footer", when=format_datetime(printed.generated_at, lang)),
        page_word=t("print.page"),
        filename=f"daftar-hadir-{printed.day.isoformat()}{unit_slug}.pdf",
        empty=t("none"),
        **_signature(lang, printed.signer, printed.place, format_date(printed.signed_on, lang)),
    )
