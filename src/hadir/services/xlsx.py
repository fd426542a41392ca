"""A streamed XLSX writer for the report workbooks: rows of text and numbers, a bold
header row frozen at the top, column widths, and nothing else.

Why not a library: a whole agency's month is 10,000 staff x 31 days = 310,000 daily rows
and four million cells. openpyxl builds an object per cell, XlsxWriter checks and
formats each cell in several calls; both cost seconds per hundred thousand rows
(docs/performance.md, "A regency's year"). Here a row is one string join, written
straight into the zip.

Rules:

* Text is always an inline string (``t="inlineStr"``), never a formula, and carries the
  quote prefix (``quotePrefix``), so a name typed as ``=HYPERLINK(...)`` stays text in
  Excel and LibreOffice, also once edited (issue 13, finding 4). Characters XML 1.0 does
  not allow are written as Excel's ``_xHHHH_`` escapes.
* Numbers (``int``, ``Decimal``) are numbers; ``None`` is an empty cell.
* Widths are stored exactly as given (characters, as openpyxl wrote them).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

XlsxCell = str | int | Decimal | None

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BOLD, _TEXT = 1, 2
"""Cell formats: 1 bold (the header), 2 text with the quote prefix."""
_CHUNK = 2000
"""Rows joined before each write into the zip."""

_STYLES = f"""{_HEAD}<styleSheet xmlns="{_MAIN}">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[XlsxCell]]
    widths: Sequence[float] = ()


def _column(index: int) -> str:
    """``0`` -> ``A``, ``26`` -> ``AA``."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    text = (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
    )
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _row(number: int, cells: Sequence[XlsxCell], columns: Sequence[str], style: int) -> str:
    parts = [f'<row r="{number}">']
    for column, value in zip(columns, cells, strict=False):
        if isinstance(value, str):
            parts.append(
                f'<c r="{column}{number}" s="{style}" t="inlineStr"><is>'
                f'<t xml:space="preserve">{_text(value)}</t></is></c>'
            )
        elif value is not None:
            parts.append(f'<c r="{column}{number}"><v>{value}</v></c>')
    parts.append("</row>")
    return "".join(parts)


def _write_sheet(archive: zipfile.ZipFile, path: str, sheet: Sheet) -> None:
    width = max(len(sheet.headers), len(sheet.widths))
    columns = [_column(i) for i in range(max(width, 64))]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths, start=1)
    )
    with archive.open(path, "w", force_zip64=True) as out:
        out.write(
            (
                f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
                '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>"
                + _row(1, sheet.headers, columns, _BOLD)
            ).encode()
        )
        chunk: list[str] = []
        for number, cells in enumerate(sheet.rows, start=2):
            if len(cells) > len(columns):
                columns = [_column(i) for i in range(len(cells))]
            chunk.append(_row(number, cells, columns, _TEXT))
            if len(chunk) == _CHUNK:
                out.write("".join(chunk).encode())
                chunk.clear()
        out.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def workbook(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """The sheets as an XLSX file (Office Open XML, as Excel 2007 and later read it)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        names = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            f'package.core-properties+xml"/>{names}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "docProps/core.xml",
            f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{_text(title)}</dc:title></cp:coreProperties>",
        )
        listed = "".join(
            f'<sheet name="{_text(s.title)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{listed}</sheets>'
            "</workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG}">{rels}'
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            _write_sheet(archive, f"xl/worksheets/sheet{i}.xml", sheet)
    return buffer.getvalue()
