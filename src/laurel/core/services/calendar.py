"""Writes to the working-day calendar: overrides and hand-entered years."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.models import CalendarOverride, CalendarYear
from laurel.core.permissions import require


def _check(actor):
    require(actor, "core.manage_calendar")


@transaction.atomic
def set_override(
    actor, date: datetime.date, is_working_day: bool, note: str = "", reason: str = ""
) -> CalendarOverride:
    """Mark ``date`` as a working day or a day off, replacing any earlier override."""
    _check(actor)
    with audit_context(actor, reason or note):
        override = CalendarOverride.objects.select_for_update().filter(date=date).first()
        if override is None:
            return CalendarOverride.objects.create(
                date=date, is_working_day=is_working_day, note=note
            )
        override.is_working_day = is_working_day
        override.note = note
        override.save()
        return override


@transaction.atomic
def remove_override(actor, override: CalendarOverride, reason: str) -> None:
    _check(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("删除工作日历调整须填写原因。")})
    with audit_context(actor, reason):
        override.delete()


@transaction.atomic
def declare_year_covered(actor, year: int, note: str) -> CalendarYear:
    """Declare that every holiday and adjusted workday of ``year`` has been entered by hand."""
    _check(actor)
    if not note.strip():
        raise ValidationError(
            {"note": _("请填写依据（如国务院办公厅关于该年度部分节假日安排的通知文号）。")}
        )
    with audit_context(actor, note):
        entry, _created = CalendarYear.objects.get_or_create(year=year, defaults={"note": note})
        return entry
