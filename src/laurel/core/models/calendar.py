from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurel.core.audit import AuditedModel


class CalendarOverride(AuditedModel):
    """An administrator's correction of the official calendar for one day.

    Overrides win over the chinesecalendar library; for years the library does not cover they
    hold the holidays and adjusted workdays the State Council announced.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self):
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"


class CalendarYear(AuditedModel):
    """A year whose holidays were entered by hand: it counts as covered by the overrides."""

    year = models.PositiveIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已补录年度")
        verbose_name_plural = _("已补录年度")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
