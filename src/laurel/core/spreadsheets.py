"""Spreadsheet output shared by every export (xlsxwriter, in memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext as _


@dataclass
class RowError:
    """A problem in one cell of an imported sheet, reported by row and column."""

    row: int
    column: str
    message: str

    def __str__(self):
        return _("第%(row)d行“%(column)s”：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text that a spreadsheet would take for a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook_bytes(
    sheets: Iterable[tuple[str, str, Sequence[str], Iterable[Sequence]]],
) -> bytes:
    """One worksheet per (sheet name, title row, header, rows); text is always written as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    title_format = book.add_format({"bold": True, "font_size": 14})
    header_format = book.add_format({"bold": True, "bg_color": "#F0F1F3", "border": 1})
    cell_format = book.add_format({"border": 1})
    money_format = book.add_format({"border": 1, "num_format": "#,##0.00"})
    for name, title, header, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        sheet.write_string(0, 0, title, title_format)
        for col, label in enumerate(header):
            sheet.write_string(2, col, label, header_format)
            sheet.set_column(col, col, max(10, len(label) * 2 + 2))
        for row_index, row in enumerate(rows, start=3):
            for col, value in enumerate(row):
                value = safe_cell(value)
                if isinstance(value, Decimal):  # money: a number cell shown with two decimals
                    sheet.write_number(row_index, col, float(value), money_format)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(row_index, col, value, cell_format)
                else:
                    sheet.write_string(
                        row_index, col, "" if value is None else str(value), cell_format
                    )
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
