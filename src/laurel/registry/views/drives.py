"""Registration drives (统计登记工作) with their deadlines (H-5) and contact tables (附件5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from laurel.core.http import (
    apply_service_errors,
    require_perm,
)
from laurel.registry import forms, privacy, queries, routing
from laurel.registry.models import Drive, DriveContact, Registration
from laurel.registry.services import registrations


@login_required
def drives(request):
    form = forms.DriveForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "registry.manage_drives")
        if form.is_valid():
            try:
                drive = registrations.open_drive(request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("已开展统计登记工作。"))
                return redirect("registry:drive", drive.pk)
    return render(
        request,
        "registry/drives.html",
        {
            "drives": Drive.objects.all(),
            "form": form,
            "can_manage": request.user.has_perm("registry.manage_drives"),
        },
    )


@login_required
def drive_detail(request, pk):
    drive = get_object_or_404(Drive, pk=pk)
    visible = Registration.objects.restrict(request.user).filter(drive=drive)
    if request.method == "POST" and request.POST.get("action") == "close":
        require_perm(request.user, "registry.manage_drives")
        try:
            registrations.close_drive(request.user, drive, request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("统计登记工作已结束。"))
        return redirect("registry:drive", drive.pk)
    contact_form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and request.user.unit_id:
        if contact_form.is_valid():
            try:
                registrations.submit_contact(
                    request.user, drive, request.user.unit, **contact_form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("已报送负责人员联系表。"))
                return redirect("registry:drive", drive.pk)
    counts = {}
    for state, tier in visible.values_list("state", "current_tier"):
        key = (
            dict(Registration.Tier.choices).get(tier)
            if state == Registration.State.SUBMITTED
            else dict(Registration.State.choices)[state]
        )
        counts[str(key)] = counts.get(str(key), 0) + 1
    overdue = [r for r in queries.overdue(drive) if visible.filter(pk=r.pk).exists()]
    for registration in overdue:
        registration.seen = privacy.shown(request.user, registration)
    return render(
        request,
        "registry/drive.html",
        {
            "drive": drive,
            "counts": sorted(counts.items()),
            "overdue": [(r, routing.deadline(drive, r)) for r in overdue],
            "contacts": DriveContact.objects.restrict(request.user)
            .filter(drive=drive)
            .select_related("unit"),
            "contact_form": contact_form,
            "drive_open": drive.status == Drive.Status.OPEN,
            "may_contact": request.user.has_perm("registry.submit_contact", drive),
            "can_close": drive.status == Drive.Status.OPEN
            and request.user.has_perm("registry.manage_drives"),
        },
    )
