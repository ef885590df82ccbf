"""Text and date helpers for what people type and paste: the office's way of counting
characters, full-width digits, and the many ways a year and month are written."""

from __future__ import annotations

import datetime
import html
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WHITESPACE = re.compile(r"\s+")


def count_chars(text: str | None) -> int:
    """Characters as the office counts them: Chinese characters, letters, digits and
    punctuation; whitespace (spaces, line breaks, full-width spaces) does not count."""
    return len(_WHITESPACE.sub("", text or ""))


def clean_cell(value, fold: bool = True) -> str:
    """A typed or pasted value as text, surrounding and repeated spaces removed. With ``fold``
    (for codes, numbers and dates) full-width digits, letters and punctuation become half-width
    (NFKC); without it, text keeps the official full-width punctuation such as （临时集体）."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if fold:
        text = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Full-width digits and letters to half-width, for identifiers and phone numbers."""
    return unicodedata.normalize("NFKC", text or "")


_YM_PATTERNS = [
    re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:[.\-/月]\s*(?:\d{1,2}\s*日?)?)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_year_month(value) -> datetime.date:
    """A year and month from 2019.05, 2019.5, 2019-05, 2019/5, 2019年5月, 201905, a date, or an
    Excel serial day number; returned as the first day of that month."""
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return (EXCEL_EPOCH + datetime.timedelta(days=int(value))).replace(day=1)
    _refuse_ambiguous_number(value)
    text = clean_cell(value)
    for pattern in _YM_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1900 <= year <= 2100 and 1 <= month <= 12:
                return datetime.date(year, month, 1)
    raise ValidationError(
        _("“%(value)s”不是有效的年月，请写成“2019.05”或“2019年5月”。") % {"value": text},
        code="year_month",
    )


def _refuse_ambiguous_number(value) -> None:
    """A cell Excel holds as the number 2019.1: typed 2019.10, Excel dropped the trailing zero,
    so it may be January or October — never read silently as January; the row is flagged and
    the office writes the cell as text."""
    if not isinstance(value, float):
        return
    whole, _dot, fraction = repr(value).partition(".")
    if 1900 <= int(value) <= 2100 and fraction == "1":
        raise ValidationError(
            _(
                "单元格是数字%(value)s，无法确定是%(year)s年1月还是10月（Excel会去掉末尾的0）："
                "请把该单元格设为文本，写成“%(year)s.01”或“%(year)s.10”。"
            )
            % {"value": repr(value), "year": whole},
            code="ambiguous_month",
        )


def parse_date(value) -> datetime.date:
    """A full date from 1980-05-17, 1980.5.17, 1980年5月17日, 19800517, a date or an Excel
    serial day number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1900 <= value < 2101:
        # a year (1980) or a year and month (1980.05) typed as a number, not a day number
        raise ValidationError(
            _("单元格是数字%(value)s，不是完整日期：请写成“1980-05-17”或“1980年5月17日”。")
            % {"value": repr(value)},
            code="date_number",
        )
    if isinstance(value, int | float) and not isinstance(value, bool) and 1000 < value < 80000:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:  # the template's own form, 2015-04-28: read without the patterns below (imports)
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # not a date in that form after all: the patterns say why
    text = clean_cell(value)
    match = re.match(
        r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?$", text
    ) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValidationError(
        _("“%(value)s”不是有效的日期，请写成“1980-05-17”或“1980年5月17日”。") % {"value": text},
        code="date",
    )


def month_after(day: datetime.date, months: int = 1) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def format_year_month(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else _("至今")


_DIGITS = "〇一二三四五六七八九"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 23 → 二十三 (section numbers 一、二、…); beyond 99 the
    Arabic number."""
    if not 1 <= number <= 99:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _DIGITS[ones]
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def escape(value) -> str:
    """``value`` for HTML, as Django's ``conditional_escape`` writes it (already-safe text as it
    is, the rest through ``html.escape``), without its lazy-string wrappers: for the rows and
    options that the busiest pages write by the hundred (docs/performance.md). The caller marks
    the assembled markup safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
