import datetime
import sys

from django import db
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.core import calendar as working_calendar
from laurel.core.forms import CalendarOverrideForm, CalendarYearForm, ReasonForm
from laurel.core.http import (
    apply_service_errors,
    list_export,
    paginate,
    require_perm,
    text_param,
    wants_xlsx,
)
from laurel.core.models import AuditLog, CalendarOverride, CalendarYear, CodeTable, Division
from laurel.core.services import calendar as calendar_service


@login_required
def calendar_view(request):
    require_perm(request.user, "core.manage_calendar")
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 1900 <= year <= 2100:  # a date the calendar and the database can hold
        messages.error(request, _("年份应在1900至2100之间。"))
        year = today.year
    override_form = CalendarOverrideForm(prefix="override")
    year_form = CalendarYearForm(prefix="year")
    if request.method == "POST":
        action = request.POST.get("action")
        form = override_form = (
            CalendarOverrideForm(request.POST, prefix="override")
            if action == "override"
            else override_form
        )
        if action == "year":
            form = year_form = CalendarYearForm(request.POST, prefix="year")
        if form.is_valid():
            try:
                if action == "override":
                    entry = calendar_service.set_override(
                        request.user,
                        form.cleaned_data["date"],
                        form.cleaned_data["is_working_day"],
                        form.cleaned_data["note"],
                    )
                    messages.success(request, _("已保存：%s") % entry)
                    return redirect(f"{request.path}?year={entry.date.year}")
                entry = calendar_service.declare_year_covered(
                    request.user, form.cleaned_data["year"], form.cleaned_data["note"]
                )
                messages.success(request, _("%s年已标记为补录完成。") % entry.year)
                return redirect(f"{request.path}?year={entry.year}")
            except ValidationError as error:
                apply_service_errors(form, error)
    calendar = working_calendar.WorkingCalendar()
    covered = True
    try:
        calendar.is_working_day(datetime.date(year, 1, 1))
    except working_calendar.CalendarNotCovered as missing:
        covered = False
        messages.warning(request, str(missing))
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "years": range(today.year - 2, today.year + 3),
            "covered": covered,
            "library_years": working_calendar.LIBRARY_YEARS,
            "overrides": CalendarOverride.objects.filter(date__year=year),
            "manual_years": CalendarYear.objects.all(),
            "override_form": override_form,
            "year_form": year_form,
            "remove_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def calendar_override_remove(request, pk):
    require_perm(request.user, "core.manage_calendar")
    override = get_object_or_404(CalendarOverride, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        calendar_service.remove_override(request.user, override, form.cleaned_data["reason"])
        messages.success(request, _("已删除：%s") % override)
    else:
        messages.error(request, _("删除工作日历调整须填写原因。"))
    return redirect(f"{reverse('core:calendar')}?year={override.date.year}")


@login_required
def audit_log(request):
    require_perm(request.user, "core.view_audit_log")
    rows = AuditLog.objects.select_related("content_type")
    query = text_param(request, "q")
    if query:
        rows = rows.filter(object_repr__icontains=query) | rows.filter(actor_repr__icontains=query)
    if wants_xlsx(request):
        return list_export(
            _("审计日志"),
            [_("时间"), _("操作人"), _("操作"), _("对象类型"), _("对象"), _("变更内容"), _("原因")],
            (
                (
                    timezone.localtime(row.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                    row.actor_repr,
                    row.get_action_display(),
                    row.content_type.name,
                    row.object_repr,
                    "；".join(_change_words(c) for c in row.changes),
                    row.reason,
                )
                for row in rows.iterator(chunk_size=2000)
            ),
            "audit-log.xlsx",
        )
    return render(request, "core/audit_log.html", {"page": paginate(request, rows), "q": query})


def _change_words(change: dict) -> str:
    old, new = change.get("old"), change.get("new")
    before = f"{old} → " if old not in (None, "") else ""
    after = _("（空）") if new is None else new
    return f"{change.get('label', change.get('field'))}：{before}{after}"


@login_required
def reference(request):
    require_perm(request.user, "core.view_reference")
    return render(
        request,
        "core/reference.html",
        {
            "divisions": Division.objects.select_related("parent"),
            "tables": CodeTable.objects.prefetch_related("items"),
        },
    )


def server_error(request):
    """handler500. While the database is unreachable (PostgreSQL restarting, a cut connection)
    the answer is 503 with Retry-After, so that people and API clients know to try again in a
    moment; every other error is the plain 500 page. Neither page touches the database."""

    error = sys.exc_info()[1]
    if isinstance(error, db.OperationalError | db.InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
