"""Spreadsheet output shared by every export (xlsxwriter, in memory)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from laurel.core.text import clean_cell


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


def sheet_name(text: str) -> str:
    """A worksheet name Excel accepts: none of []:*?/\\, no leading or trailing apostrophe,
    at most 31 characters (a campaign named “2025/2026年度…” must not break an export)."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", str(text)).strip("'")[:31]
    return cleaned or "Sheet1"


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
        sheet = book.add_worksheet(sheet_name(name))
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


MAX_UNPACKED = 256 * 2**20  # a 10 MB sheet of 100,000 registry rows unpacks to ~70 MB
MAX_MEMBERS = 2000


def check_xlsx(content: bytes) -> None:
    """Refuse, with a clear message, an upload that is not an .xlsx package or that unpacks to
    more than ``MAX_UNPACKED`` (a "zip bomb"), before any spreadsheet library reads it. Sizes are
    counted while inflating, not taken from the archive's headers, which a crafted file can
    understate."""

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(
            _("无法读取该文件：不是 .xlsx 工作簿（请上传由模板填写、以 .xlsx 格式保存的文件）。")
        ) from None
    too_big = ValidationError(
        _("该文件解压后超过%(limit)d MB，不像正常的工作簿（可能是“压缩炸弹”），已拒绝。")
        % {"limit": MAX_UNPACKED // 2**20}
    )
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise too_big
    if "[Content_Types].xml" not in {m.filename for m in members}:
        raise ValidationError(_("无法读取该文件：压缩包里没有工作簿（请上传 .xlsx 文件）。"))
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_UNPACKED:
                        raise too_big
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise ValidationError(_("无法读取该文件：工作簿已损坏或加密。")) from None


MAX_IMPORT_ROWS = 5000


def read_table(content: bytes, header: Sequence[str], required: Sequence[str]):
    """The rows of the first sheet under a header row that holds ``required`` columns: a list
    of (row number, {column: text}) and a list of RowError. Used by the imports of units and
    users (issue 20); cells are read as text (a number 13812345678.0 back to 13812345678)."""
    try:
        check_xlsx(content)
    except ValidationError as problem:
        return [], [RowError(0, _("文件"), "；".join(problem.messages))]
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own error types for anything that is not a workbook
        return [], [RowError(0, _("文件"), _("无法读取：请上传由模板填写的 .xlsx 文件。"))]
    wanted = set(header)
    start = None
    for index, row in enumerate(rows[:10]):
        keys = ["".join(str(v).split()) for v in row]
        if set(required) <= set(keys):
            columns = {key: col for col, key in enumerate(keys) if key in wanted}
            start = index + 1
            break
    if start is None:
        message = _("没有找到含“%s”的表头，请使用下载的模板。") % "、".join(required)
        return [], [RowError(0, _("表头"), message)]
    out = []
    for number, row in enumerate(rows[start:], start=start + 1):
        values = {}
        for key, col in columns.items():
            # names keep their official full-width brackets （集团）; codes fold when compared
            values[key] = clean_cell(row[col] if col < len(row) else "", fold=False)
        first = next((v for v in values.values() if v), "")
        if not first or first.startswith(("注", "说明")):
            continue  # blank, or the template's notes under the table
        out.append((number, values))
        if len(out) > MAX_IMPORT_ROWS:
            message = _("一次最多导入%d行，请分批导入。") % MAX_IMPORT_ROWS
            return [], [RowError(number, _("数据"), message)]
    if not out:
        return [], [RowError(start + 1, _("数据"), _("表头下没有数据行。"))]
    return out, []


def template_bytes(title: str, header: Sequence[str], notes: Sequence[str]):
    """A template to fill in: the title, the header, blank rows to fill and the notes under
    them (a row starting with 注 is never read as data)."""
    rows = [[] for _row in range(20)] + [[note] for note in notes]
    return workbook_bytes([(title, title, header, rows)])
