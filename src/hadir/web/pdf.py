"""A ``PrintDocument`` as an A4 PDF, with ReportLab (BSD licence, pure Python, imported only
when a PDF is made). Text is set in DejaVu Sans, the TrueType font that matplotlib ships
(so names in any script print, and the text can be read back); Helvetica when absent.

Layout: the agency, the title and the period centred; the table (header row repeated on
every page); the notes; the signature block on the right, kept on one page; a footer with
the print time and the page number.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from hadir.web.printview import PrintDocument

FONT, BOLD = "HadirSans", "HadirSans-Bold"


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) once; the built-in Helvetica otherwise."""
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    spec = find_spec("matplotlib")
    roots = list(spec.submodule_search_locations or ()) if spec else []
    for root in roots:
        folder = Path(root) / "mpl-data" / "fonts" / "ttf"
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            return FONT, BOLD
    return "Helvetica", "Helvetica-Bold"


def render_pdf(document: PrintDocument) -> bytes:
    """The document as PDF bytes (A4, landscape for the recap)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped]
    from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.lib.units import mm  # type: ignore[import-untyped]
    from reportlab.platypus import (  # type: ignore[import-untyped]
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    size = landscape(A4) if document.landscape else A4
    margin = 12 * mm
    small = 7.5 if document.landscape else 8.5
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER)
    heading = ParagraphStyle("heading", parent=centred, fontName=bold, fontSize=12.5, leading=16)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=small, leading=small + 2)
    head_size = small - 1 if document.landscape else small
    head_cell = ParagraphStyle(
        "head",
        parent=cell,
        fontName=bold,
        fontSize=head_size,
        leading=head_size + 2,
        alignment=TA_CENTER,
    )
    note = ParagraphStyle("note", parent=body, fontSize=7.5, leading=9.5)
    name_style = ParagraphStyle("name", parent=body, fontName=bold)

    def para(text: str, style: Any) -> Any:
        return Paragraph(escape(text), style)

    story: list[Any] = []
    if document.agency:
        story.append(para(document.agency.upper(), heading))
    story.append(para(document.title, heading))
    story.append(Spacer(1, 2 * mm))
    for label, value in document.meta:
        story.append(para(f"{label}: {value}", centred))
    story.append(Spacer(1, 4 * mm))

    if document.rows:
        data = [[para(h, head_cell) for h in document.headers]]
        for row in document.rows:
            data.append(
                [
                    para(value, cell) if index in document.text_columns else value
                    for index, value in enumerate(row)
                ]
            )
        width = size[0] - 2 * margin
        table = Table(data, colWidths=_widths(document, width), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), regular, small),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eeec")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 1), (-1, -1), "CENTER"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        story.append(table)
    else:
        story.append(para(document.empty, centred))
    story.append(Spacer(1, 3 * mm))
    story.extend(para(line, note) for line in document.notes)
    story.append(Spacer(1, 6 * mm))

    block = [
        para(document.place_date, body),
        para(document.sign_lead, body),
        para(document.sign_title, body),
        Spacer(1, 18 * mm),
        Paragraph(f"<u>{escape(document.sign_name)}</u>", name_style),
        para(document.sign_nip, body),
    ]
    sign_width = 85 * mm
    signature = Table([[" ", block]], colWidths=[size[0] - 2 * margin - sign_width, sign_width])
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([signature]))

    footer, page_word = document.footer, document.page_word

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(margin, 7 * mm, footer)
        canvas.drawRightString(size[0] - margin, 7 * mm, f"{page_word} {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=" - ".join(v for v in (document.title, *(m[1] for m in document.meta)) if v),
        author=document.agency or "Hadir",
        creator="Hadir",
    )
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _widths(document: PrintDocument, width: float) -> list[float]:
    """Column widths: number columns narrow, the NIP fixed, text columns share the rest."""
    from reportlab.lib.units import mm  # type: ignore[import-untyped]

    count = len(document.headers)
    # the NIP's 18 digits on one line: 7.5 pt in landscape, 8.5 pt in portrait
    fixed: dict[int, float] = {0: 8 * mm, 1: (33 if document.landscape else 38) * mm}
    narrow = 10 * mm if document.landscape else 17 * mm
    for index in range(2, count):
        if index not in document.text_columns:
            fixed[index] = narrow
    if document.landscape:
        fixed[count - 1] = 17 * mm  # the deduction
    rest = [i for i in range(count) if i not in fixed]
    share = (width - sum(fixed.values())) / max(1, len(rest))
    weights = {i: 1.0 for i in rest}
    if document.text_columns and len(rest) > 1:
        weights[2] = 1.4  # the name is the longest text
    total = sum(weights.values())
    return [
        fixed[i] if i in fixed else share * len(rest) * weights[i] / total for i in range(count)
    ]
