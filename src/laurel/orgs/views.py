from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.core.forms import ReasonForm, SheetUploadForm
from laurel.core.http import (
    apply_service_errors,
    error_messages,
    get_visible_or_404,
    list_export,
    paginate,
    require_perm,
    set_active_from_post,
    wants_xlsx,
    xlsx_download,
)
from laurel.core.models import AuditLog
from laurel.core.spreadsheets import RowError
from laurel.orgs.forms import UnitFilterForm, UnitForm
from laurel.orgs.interfaces import spreadsheets
from laurel.orgs.models import Unit
from laurel.orgs.services import units as unit_service


@login_required
def unit_list(request):
    require_perm(request.user, "orgs.list_units")
    units = Unit.objects.restrict(request.user).select_related("division", "parent")
    filters = UnitFilterForm(request.GET)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            units = units.filter(name__icontains=data["q"])
        if data["kind"]:
            units = units.filter(kind=data["kind"])
        if data["function"]:
            units = units.filter(functions__function=data["function"])
    if wants_xlsx(request):
        return list_export(
            _("单位"),
            [
                _("单位全称"),
                _("单位性质"),
                _("行政级别"),
                _("所属行政区划"),
                _("上级主管单位"),
                _("状态"),
            ],
            (
                (
                    u.name,
                    u.get_kind_display(),
                    u.get_admin_level_display(),
                    str(u.division),
                    str(u.parent or ""),
                    _("启用") if u.is_active else _("停用"),
                )
                for u in units
            ),
            "units.xlsx",
        )
    context = {
        "page": paginate(request, units),
        "filters": filters,
        "can_add": request.user.has_perm("orgs.add_unit"),
    }
    if request.htmx:
        return render(request, "orgs/unit_list.html#unit-rows", context)
    return render(request, "orgs/unit_list.html", context)


@login_required
def unit_import(request):
    """Units from a filled-in template: every bad cell reported by row and column, or all of
    the rows saved at once."""
    require_perm(request.user, "orgs.add_unit")
    if request.GET.get("template"):
        return xlsx_download(spreadsheets.template(), "units-template.xlsx")
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    problems, created = [], []
    if request.method == "POST" and form.is_valid():
        rows, problems = spreadsheets.parse(form.cleaned_data["file"].read())
        if not problems:
            try:
                created = unit_service.import_units(request.user, rows)
            except (ValidationError, PermissionDenied) as error:
                problems = [RowError(0, _("导入"), m) for m in error_messages(error)]
    return render(
        request,
        "core/sheet_import.html",
        {
            "title": _("从表格导入单位"),
            "form": form,
            "problems": problems,
            "created": created,
            "template_url": reverse("orgs:unit_import") + "?template=1",
            "back_url": reverse("orgs:unit_list"),
            "back_label": _("单位管理"),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_visible_or_404(Unit.objects.select_related("division", "parent"), request.user, pk)
    require_perm(request.user, "orgs.view_unit", unit)
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "children": Unit.objects.restrict(request.user).filter(parent=unit),
            "audit_rows": AuditLog.objects.for_object(unit)[:200],
            "can_change": request.user.has_perm("orgs.change_unit", unit),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def unit_create(request):
    require_perm(request.user, "orgs.add_unit")
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_service.create_unit(
                request.user,
                functions=form.cleaned_data.get("functions", ()),
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已新增单位：%s") % unit)
            return redirect("orgs:unit_detail", pk=unit.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "title": _("新增单位")})


@login_required
def unit_edit(request, pk):
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk)
    require_perm(request.user, "orgs.change_unit", unit)
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_service.update_unit(
                request.user,
                Unit.objects.get(pk=pk),
                functions=form.cleaned_data.get("functions"),
                reason=form.cleaned_data.get("reason", ""),
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存：%s") % unit)
            return redirect("orgs:unit_detail", pk=unit.pk)
    return render(
        request, "orgs/unit_form.html", {"form": form, "title": _("修改单位"), "unit": unit}
    )


@login_required
@require_POST
def unit_set_active(request, pk):
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk)
    require_perm(request.user, "orgs.change_unit", unit)
    return set_active_from_post(
        request, unit, unit_service.set_unit_active, reverse("orgs:unit_detail", args=[pk])
    )
