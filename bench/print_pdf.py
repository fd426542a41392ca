"""The printed monthly recap as PDF (ReportLab), for an agency of N employees.

    .venv/bin/python -m bench.print_pdf [--employees 300] [--repeat 3]

(as a module: run as a script, bench/http.py would shadow the standard library's http)

Builds a recap of N synthetic employees (every one with TL/PSW counts and a deduction),
then times ``hadir.web.pdf.render_pdf`` of its ``PrintDocument``: the first call (imports
ReportLab and registers the DejaVu font) and the median of the next ``--repeat`` calls.
Prints the page count and size read back with pypdf.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from pypdf import PdfReader

from hadir.domain.attendance import DEFAULT_DISCIPLINE, DisciplineTally, LeaveTally, YearMonth
from hadir.services.printing import PrintedRecap, Signer
from hadir.services.reports import RecapRow
from hadir.web.pdf import render_pdf
from hadir.web.printview import recap_document


def recap(employees: int) -> PrintedRecap:
    tally = DisciplineTally(
        tl1=2, psw1=1, absent_days=1, uncapped_percent=Decimal(4), deduction_percent=Decimal(4)
    )
    rows = tuple(
        RecapRow(
            nip=f"1985031520100110{i % 100:02d}",
            name=f"Pegawai Nomor {i}",
            unit="Bidang Perencanaan",
            working_days=21,
            days_present=20,
            on_time_days=18,
            late_days=2,
            late_minutes=40,
            left_early_days=1,
            left_early_minutes=20,
            absences=1,
            leave=LeaveTally(),
            holidays=0,
            pending_days=0,
            discipline=tally,
        )
        for i in range(employees)
    )
    return PrintedRecap(
        agency="Badan Perencanaan Pembangunan Daerah",
        month=YearMonth(2025, 3),
        unit=None,
        rows=rows,
        rules=DEFAULT_DISCIPLINE,
        signer=Signer("Kepala Badan", "Ir. Sutrisno", "196805121994031004"),
        place="Sleman",
        signed_on=date(2025, 4, 1),
        generated_at=datetime(2025, 4, 1, 2, 0, tzinfo=UTC),
        provisional=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    document = recap_document(recap(args.employees), "id")
    start = time.perf_counter()
    data = render_pdf(document)
    first = time.perf_counter() - start
    times = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        data = render_pdf(document)
        times.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(
        f"{args.employees} employees: first PDF {first:.2f} s (imports, font), "
        f"then median {statistics.median(times):.2f} s; {pages} pages, {len(data) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
