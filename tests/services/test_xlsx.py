"""The streamed XLSX writer (``hadir.services.xlsx``) read back by openpyxl: text stays
text (formulas too, with the quote prefix), numbers stay numbers, empty cells keep the
columns in place, characters XML forbids survive as Excel's escapes, and the header is
bold, frozen and sized."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook  # type: ignore[import-untyped]

from hadir.services.xlsx import Sheet, workbook

ROWS = [
    ['=HYPERLINK("http://x","y")', 3, Decimal("23.5"), 'a < b & c > "d"'],
    ["+1", None, Decimal("100"), "tab\tcr\rbell\x07"],
    [],
    ["@SUM(A1)", 0, None, "Nama Jawa: Sri Wahyuni"],
]


def test_cells_read_back_as_written() -> None:
    data = workbook(
        [Sheet("Rekap", ("A", "B", "C", "D"), ROWS, (12, 30, 8, 40)), Sheet("Dua", ("x",), [])],
        title="Rekap <Maret>",
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Rekap", "Dua"]
    assert book.properties.title == "Rekap <Maret>"
    sheet = book["Rekap"]
    assert sheet.freeze_panes == "A2"
    assert [sheet.column_dimensions[c].width for c in "ABCD"] == [12, 30, 8, 40]
    assert sheet["A1"].value == "A" and sheet["A1"].font.b
    values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[0] == ['=HYPERLINK("http://x","y")', 3, 23.5, 'a < b & c > "d"']
    assert values[1][:3] == ["+1", None, 100]
    assert values[1][3] in ("tab\tcr\rbell\x07", "tab\tcr\rbell_x0007_")
    assert values[3] == ["@SUM(A1)", 0, None, "Nama Jawa: Sri Wahyuni"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    text = [c for c in cells if c.row > 1 and isinstance(c.value, str)]
    assert text and all(c.quotePrefix for c in text)
    assert not sheet["A1"].quotePrefix
    assert book["Dua"].max_row == 1
