"""Registrations: the list, the form, submission, the review at each tier (H-2 … H-4),
evidence, the summary sheet (汇总表) import and export, and the inbox section."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.core import permissions
from laurel.core.http import (
    apply_service_errors,
    get_visible_or_404,
    paginate,
    require_perm,
    scan_response,
)
from laurel.orgs.signing import tier_page_function
from laurel.registry import checks, forms, privacy, routing
from laurel.registry.interfaces import spreadsheets
from laurel.registry.models import Drive, Evidence, Registration, RegistrationOpinion
from laurel.registry.services import registrations
from laurel.registry.services.evidence import add_evidence
from laurel.registry.services.privacy import log_full_export
from laurel.registry.views.people import xlsx_response


def _open_drive():
    return Drive.objects.filter(status=Drive.Status.OPEN).first()


@login_required
def registration_list(request):
    queryset = (
        Registration.objects.restrict(request.user)
        .select_related("filing_unit", "drive")
        .order_by("-pk")
    )
    state = request.GET.get("state")
    if state in Registration.State.values:
        queryset = queryset.filter(state=state)
    page = paginate(request, queryset)
    rows = [(r, privacy.shown(request.user, r)) for r in page]
    return render(
        request,
        "registry/registrations.html",
        {
            "page": page,
            "rows": rows,
            "drive": _open_drive(),
            "states": Registration.State.choices,
            "can_add": request.user.has_perm("registry.add_registration"),
        },
    )


def _honour_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
def registration_edit(request, pk=None):
    registration = None
    if pk is not None:
        registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
        refusal = permissions.not_now(request.user, "registry.change_registration", registration)
        if refusal:
            messages.error(request, refusal)
            return redirect("registry:registration", pk)
    else:
        require_perm(request.user, "registry.add_registration")
    drive = registration.drive if registration else _open_drive()
    if drive is None:
        messages.error(request, _("目前没有进行中的统计登记工作。"))
        return redirect("registry:registrations")
    initial = [
        {f: getattr(h, f) for f in forms.HonourForm.Meta.fields}
        for h in (registration.honours.all() if registration else [])
    ]
    form = forms.RegistrationForm(request.POST or None, instance=registration)
    formset = forms.HonourFormSet(request.POST or None, initial=initial, prefix="honours")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if registration is None:
                unit = request.user.unit
                if unit is None:
                    raise PermissionDenied(_("您的账号没有所属单位，不能登记。"))
                registration = registrations.create_registration(
                    request.user,
                    drive,
                    unit,
                    id_number=form.cleaned_data["id_number"],
                    phone=form.cleaned_data["phone"],
                    honours=_honour_rows(formset),
                    **form.person_fields(),
                )
            else:
                registrations.update_registration(
                    request.user,
                    registration,
                    id_number=form.cleaned_data["id_number"] or None,
                    phone=form.cleaned_data["phone"] or None,
                    **form.person_fields(),
                )
                registrations.set_honours(request.user, registration, _honour_rows(formset))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("登记表已保存。"))
            return redirect("registry:registration", registration.pk)
    return render(
        request,
        "registry/registration_edit.html",
        {"form": form, "formset": formset, "registration": registration, "drive": drive},
    )


def _opinion_form(user, registration) -> dict:
    """The opinion form, naming the function the user's unit signs under next (a merged bureau
    performing two of the tier's functions signs each in turn)."""
    function, label = "", ""
    if registration.state == Registration.State.SUBMITTED:
        function, label = tier_page_function(user.unit, registration, routing.reviewers)
    return {
        "opinion_form": forms.OpinionForm(
            initial={"function": function, "round": registration.round}
        ),
        "opinion_function_label": label,
    }


@login_required
def registration_detail(request, pk):
    registration = get_visible_or_404(
        Registration.objects.select_related("filing_unit", "drive", "household_division"),
        request.user,
        pk,
    )
    honours = list(registration.honours.all())
    findings = checks.findings(registration, honours)
    if request.user.has_perm("registry.view_personal_data", registration):
        findings += checks.filed_person_findings(registration)
    seen = privacy.shown(request.user, registration)
    return render(
        request,
        "registry/registration.html",
        {
            "r": registration,
            "seen": seen,
            "honours": honours,
            "findings": findings,
            "route": [dict(Registration.Tier.choices)[t] for t in registration.route],
            "opinions": registration.opinions.select_related("department"),
            "can_change": request.user.has_perm("registry.change_registration", registration),
            "can_submit": request.user.has_perm("registry.submit_registration", registration),
            "can_review": request.user.has_perm("registry.review_registration", registration),
            "can_record_paper": request.user.has_perm("registry.record_paper_opinion", registration)
            and bool(registrations.paper_departments(registration)),
            "can_see_scans": request.user.has_perm("registry.view_personal_data", registration)
            and (not registration.classified or request.user.has_perm("registry.view_classified")),
            **_opinion_form(request.user, registration),
            "deadline": routing.deadline(registration.drive, registration),
            "evidence": registration.evidence_files.all(),
            "can_see_evidence": request.user.has_perm("registry.view_evidence", registration),
        },
    )


@login_required
@require_POST
def registration_submit(request, pk):
    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    try:
        registrations.submit_registration(request.user, registration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("登记表已上报。"))
    return redirect("registry:registration", pk)


@login_required
@require_POST
def registration_review(request, pk):
    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    form = forms.OpinionForm(request.POST)
    if form.is_valid():
        try:
            registrations.record_opinion(request.user, registration, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("审核意见已提交（网上审核）。"))
    else:
        messages.error(request, _("请选择审核意见。"))
    return redirect("registry:registration", pk)


@login_required
def registration_paper(request, pk):
    """The office records a tier's opinion given on paper by a department without an account."""
    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    require_perm(request.user, "registry.record_paper_opinion", registration)
    departments = registrations.paper_departments(registration)
    form = forms.PaperOpinionForm(
        request.POST or None, request.FILES or None, departments=departments
    )
    if request.method == "POST" and form.is_valid():
        try:
            registrations.record_paper_opinion(request.user, registration, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("纸质审核意见已录入。"))
            return redirect("registry:registration", pk)
    return render(
        request,
        "registry/registration_paper.html",
        {"r": registration, "form": form, "departments": departments},
    )


@login_required
def opinion_scan(request, pk):
    """The scan of a paper opinion on a registration, to whoever may see the registration in
    full (its personal data)."""
    opinion = RegistrationOpinion.objects.filter(pk=pk).first()
    if opinion is None or not opinion.scan_file:
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    registration = get_visible_or_404(
        Registration.objects.all(), request.user, opinion.registration_id
    )
    may_see = request.user.has_perm("registry.view_personal_data", registration)
    if registration.classified:  # the letter names the person: the office only (H-6)
        may_see = may_see and request.user.has_perm("registry.view_classified")
    if not may_see:
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    return scan_response(opinion)


@login_required
@require_POST
def evidence_upload(request, pk):

    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            add_evidence(request.user, registration, upload, request.POST.get("title", ""))
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("佐证材料已上传。"))
    return redirect("registry:registration", pk)


@login_required
def evidence_download(request, pk):

    evidence = get_object_or_404(Evidence.objects.select_related("registration"), pk=pk)
    registration = get_visible_or_404(
        Registration.objects.all(), request.user, evidence.registration_id
    )
    if not request.user.has_perm("registry.view_evidence", registration):
        raise Http404(_("未找到该佐证材料，或您无权查看。"))
    try:
        handle = default_storage.open(evidence.file, "rb")
    except OSError:
        raise Http404(_("该佐证材料的文件已不存在，请重新上传。")) from None
    return FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"{evidence.title}.{evidence.file.rsplit('.', 1)[-1]}",
    )


@login_required
def summary_template(request):
    require_perm(request.user, "registry.add_registration")
    return xlsx_response(spreadsheets.template_bytes(), "registry-summary-template.xlsx")


@login_required
def summary_export(request):
    queryset = (
        Registration.objects.restrict(request.user)
        .select_related("household_division")
        .prefetch_related("honours")
        .order_by("filing_unit__name", "pk")
    )
    full = request.user.has_perm("registry.export_in_full")
    content = spreadsheets.export_bytes(queryset, request.user, full=full)
    if full:  # an export with full ID numbers is an unmasking too
        log_full_export(request.user, Registration, queryset.count())
    return xlsx_response(content, "registry-summary.xlsx")


@login_required
def registration_import(request):
    require_perm(request.user, "registry.add_registration")
    drive = _open_drive()
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and drive is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > spreadsheets.MAX_UPLOAD:
            form.add_error("file", _("文件不能超过10 MB。"))
        else:
            content = upload.read()
            try:
                people_rows, errors, merges = spreadsheets.parse(content)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                report = {"errors": errors, "merges": merges, "people": people_rows}
                token = hashlib.sha256(content).hexdigest()
                if not errors and request.POST.get("confirm") == token:
                    try:
                        made = registrations.import_people(
                            request.user, drive, request.user.unit, people_rows
                        )
                    except (ValidationError, PermissionDenied) as error:
                        report["errors"] = getattr(error, "messages", [str(error)])
                    else:
                        messages.success(request, _("已导入%d份登记表。") % len(made))
                        return redirect("registry:registrations")
                report["token"] = token
    return render(request, "registry/import.html", {"form": form, "report": report, "drive": drive})


def registrations_inbox_section(user):
    if not user.has_perm("registry.review_registration"):
        return None
    pending = [
        registration
        for registration in Registration.objects.restrict(user, "review").select_related(
            "filing_unit__division", "division"
        )[:200]
        if user.has_perm("registry.review_registration", registration)
    ]
    for registration in pending:
        registration.seen = privacy.shown(user, registration)
    if not pending:
        return None
    return {"template": "registry/inbox.html", "context": {"pending": pending}}
