"""Working days on the Chinese official calendar (C-16).

The chinesecalendar library knows the State Council's holiday arrangements for the years it was
released with; :class:`~laurel.core.models.CalendarOverride` rows correct or extend it, and a
:class:`~laurel.core.models.CalendarYear` row declares that a year the library does not know has
been entered by hand. A date in a year covered by neither raises :class:`CalendarNotCovered`.
"""

from __future__ import annotations

import datetime

import chinese_calendar
from chinese_calendar import constants
from django.utils.translation import gettext as _

from .models import CalendarOverride, CalendarYear

LIBRARY_YEARS = range(min(constants.holidays).year, max(constants.holidays).year + 1)


class CalendarNotCovered(Exception):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "%(year)d年的法定节假日和调休安排尚未录入，无法计算工作日。"
                "请系统管理员在“工作日历”中补录该年度后再试。"
            )
            % {"year": year}
        )


class WorkingCalendar:
    """Answers questions about working days, reading each year's overrides once."""

    def __init__(self):
        self._years: dict[int, tuple[bool, dict[datetime.date, bool]]] = {}

    def _year(self, year: int) -> tuple[bool, dict[datetime.date, bool]]:
        if year not in self._years:
            overrides = dict(
                CalendarOverride.objects.filter(date__year=year).values_list(
                    "date", "is_working_day"
                )
            )
            covered = year in LIBRARY_YEARS or CalendarYear.objects.filter(year=year).exists()
            self._years[year] = (covered, overrides)
        return self._years[year]

    def is_working_day(self, day: datetime.date) -> bool:
        covered, overrides = self._year(day.year)
        if day in overrides:
            return overrides[day]
        if not covered:
            raise CalendarNotCovered(day.year)
        if day.year in LIBRARY_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date ``days`` working days after ``start`` (before it when negative).

        ``start`` itself is not counted; ``add_working_days(d, 0)`` is ``d``.
        """
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        current = start
        while remaining:
            current += datetime.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, first: datetime.date, last: datetime.date) -> int:
        """How many working days lie in ``first`` … ``last``, both included."""
        if last < first:
            return 0
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += datetime.timedelta(days=1)
        return count

    def next_working_day(self, day: datetime.date, include: bool = True) -> datetime.date:
        """``day`` if it is a working day and ``include``, else the first working day after it."""
        if include and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def period_end(self, first: datetime.date, working_days: int) -> datetime.date:
        """Last day of a period that starts on ``first`` and lasts ``working_days`` working days.

        Used for public notices (C-8: not less than 5 working days): a notice starting on a
        holiday begins counting on the next working day.
        """
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        return self.add_working_days(self.next_working_day(first), working_days - 1)


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    return WorkingCalendar().working_days_between(first, last)


def next_working_day(day: datetime.date, include: bool = True) -> datetime.date:
    return WorkingCalendar().next_working_day(day, include)


def period_end(first: datetime.date, working_days: int) -> datetime.date:
    return WorkingCalendar().period_end(first, working_days)
