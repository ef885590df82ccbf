"""Hardship assistance pages (困难帮扶, H-7): the list, the application with its evidence and
history, the review at each tier (online or on paper), the province's approval, payments, the
office's bands and the disbursement lists per finance office. Never public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.core import permissions
from laurel.core.http import (
    apply_service_errors,
    error_messages,
    get_visible_or_404,
    int_param,
    list_export,
    messages_from_errors,
    paginate,
    require_perm,
    scan_response,
    text_param,
    wants_xlsx,
)
from laurel.core.models import Division
from laurel.orgs.signing import tier_page_function
from laurel.registry import privacy
from laurel.registry.models import Person
from laurel.registry.services.privacy import log_full_export
from laurel.treatment import forms, queries, routing
from laurel.treatment.models import (
    HardshipApplication,
    HardshipBand,
    HardshipEvidence,
    HardshipOpinion,
)
from laurel.treatment.services import hardship

A = HardshipApplication


def _area_names():
    return {d.pk: name for d, name in Division.objects.full_names().items()}


@login_required
def hardship_list(request):
    require_perm(request.user, "treatment.list_hardship")
    rows = queries.hardship_applications(request.user).order_by("-pk")
    state = text_param(request, "state")
    if state in A.State.values:
        rows = rows.filter(state=state)
    areas = _area_names()
    if wants_xlsx(request):
        return list_export(
            _("困难帮扶申请"),
            [
                _("编号"),
                _("姓名"),
                _("身份证号码"),
                _("所属地区"),
                _("申请单位"),
                _("困难原因"),
                _("家庭人口"),
                _("人均月收入（元）"),
                _("状态"),
                _("批准金额（元）"),
                _("已支付（元）"),
            ],
            (
                [
                    a.pk,
                    seen.name,
                    seen.id_number,
                    areas.get(a.person.division_id, ""),
                    a.applying_unit.name,
                    "、".join(a.cause_labels()),
                    a.household_size,
                    a.income_per_head,
                    a.get_state_display(),
                    a.amount,
                    a.paid_total,
                ]
                for a in rows.iterator(chunk_size=2000)
                for seen in [privacy.shown(request.user, a.person)]
            ),
            "hardship.xlsx",
        )
    page = paginate(request, rows)
    return render(
        request,
        "treatment/hardship_list.html",
        {
            "page": page,
            "rows": [
                (a, privacy.shown(request.user, a.person), areas.get(a.person.division_id, ""))
                for a in page.object_list
            ],
            "states": A.State.choices,
            "state": state,
            "can_bands": request.user.has_perm("treatment.manage_hardship_bands"),
            "can_disburse": request.user.has_perm("treatment.export_disbursement"),
        },
    )


@login_required
def hardship_new(request):
    """A new application for the person of ``?person=`` (from the person's page)."""
    require_perm(request.user, "treatment.apply_hardship")
    person = get_visible_or_404(Person.objects.all(), request.user, int_param(request, "person"))
    unit = request.user.unit
    if unit is None or not hardship.may_apply_for(unit, person):
        raise PermissionDenied(
            _("困难帮扶由登记该表彰人员的单位，或其所在地、户籍地的乡镇（街道）申请（H-2）。")
        )
    if person.classified:
        raise PermissionDenied(_("涉密人员的困难帮扶按保密规定线下办理，不在系统中申请。"))
    form = forms.HardshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = hardship.create_application(
                request.user, person, unit, **form.service_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("帮扶申请已保存，请上传证明材料后上报。"))
            return redirect("treatment:hardship", application.pk)
    return render(
        request,
        "treatment/hardship_edit.html",
        {
            "form": form,
            "person": person,
            "seen": privacy.shown(request.user, person),
            "history": queries.hardship_history(request.user, person),
        },
    )


@login_required
def hardship_edit(request, pk):
    application = get_visible_or_404(A.objects.select_related("person"), request.user, pk)
    refusal = permissions.not_now(request.user, "treatment.change_hardship", application)
    if refusal:
        messages.error(request, refusal)
        return redirect("treatment:hardship", pk)
    form = forms.HardshipForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            hardship.update_application(request.user, application, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("帮扶申请已保存。"))
            return redirect("treatment:hardship", pk)
    return render(
        request,
        "treatment/hardship_edit.html",
        {
            "form": form,
            "application": application,
            "person": application.person,
            "seen": privacy.shown(request.user, application.person),
            "history": queries.hardship_history(request.user, application.person, but=application),
        },
    )


@login_required
def hardship_detail(request, pk):
    application = get_visible_or_404(
        queries.hardship_applications(request.user, listing=False), request.user, pk
    )
    user = request.user
    seen = privacy.shown(user, application.person)
    tiers = dict(A.Tier.choices)
    may_approve = user.has_perm("treatment.approve_hardship", application)
    return render(
        request,
        "treatment/hardship.html",
        {
            "a": application,
            "seen": seen,
            "area": _area_names().get(application.person.division_id, ""),
            "route": [tiers[t] for t in application.route],
            "opinions": application.opinions.select_related("department"),
            "evidence": application.evidence_files.all(),
            "payments": application.payments.all(),
            "history": queries.hardship_history(user, application.person, but=application),
            "remaining": (application.amount or 0) - application.paid_total,
            "can_change": user.has_perm("treatment.change_hardship", application),
            "can_submit": user.has_perm("treatment.submit_hardship", application),
            "can_review": user.has_perm("treatment.review_hardship", application),
            "can_record_paper": user.has_perm(
                "treatment.record_hardship_paper_opinion", application
            )
            and bool(hardship.paper_departments(application)),
            "can_approve": may_approve,
            "can_pay": user.has_perm("treatment.record_payment", application),
            "reviewers": [u for u in routing.reviewers(application).values() if u is not None],
            **_opinion_form(user, application),
            "approve_form": forms.ApproveForm() if may_approve else None,
            "refuse_form": forms.RefuseForm() if may_approve else None,
            "payment_form": forms.PaymentForm(
                initial={
                    "paid_on": timezone.localdate(),
                    "amount": (application.amount or 0) - application.paid_total,
                }
            ),
        },
    )


def _post(request, pk, action, success: str, form_class=None, invalid: str = ""):
    """A small form posted from the application's page: the application first (404 outside
    the jurisdiction, whatever was posted), then the form, then the service."""
    application = get_visible_or_404(A.objects.all(), request.user, pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            if invalid:
                messages.error(request, invalid)
            else:
                messages_from_errors(request, form=form)
            return redirect("treatment:hardship", pk)
        data = form.cleaned_data
    try:
        action(application, data)
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("treatment:hardship", pk)


@login_required
@require_POST
def hardship_submit(request, pk):
    return _post(
        request,
        pk,
        lambda a, _data: hardship.submit_application(request.user, a),
        _("帮扶申请已上报。"),
    )


@login_required
@require_POST
def hardship_review(request, pk):
    return _post(
        request,
        pk,
        lambda a, data: hardship.record_opinion(request.user, a, **data),
        _("审核意见已提交（网上审核）。"),
        forms.HardshipOpinionForm,
        _("请选择审核意见。"),
    )


@login_required
@require_POST
def hardship_approve(request, pk):
    return _post(
        request,
        pk,
        lambda a, data: hardship.approve(request.user, a, **data),
        _("已批准困难帮扶。"),
        forms.ApproveForm,
    )


@login_required
@require_POST
def hardship_refuse(request, pk):
    return _post(
        request,
        pk,
        lambda a, data: hardship.refuse(request.user, a, **data),
        _("省级意见已提交。"),
        forms.RefuseForm,
        _("请选择省级意见并写明理由。"),
    )


@login_required
@require_POST
def hardship_payment(request, pk):
    return _post(
        request,
        pk,
        lambda a, data: hardship.record_payment(request.user, a, **data),
        _("支付已登记。"),
        forms.PaymentForm,
    )


@login_required
@require_POST
def hardship_evidence_upload(request, pk):
    def upload(application, _data):
        file = request.FILES.get("file")
        if file is None:
            raise ValidationError(_("请选择要上传的文件。"))
        hardship.add_evidence(request.user, application, file, request.POST.get("title", ""))

    return _post(request, pk, upload, _("证明材料已上传。"))


@login_required
def hardship_evidence(request, pk):
    """A scan of the evidence, to whoever may see the application; every opening is logged."""
    evidence = HardshipEvidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404(_("未找到该记录，或您无权查看。"))
    application = get_visible_or_404(
        A.objects.select_related("person"), request.user, evidence.application_id
    )
    evidence.application = application
    try:
        hardship.open_evidence(request.user, evidence)
    except PermissionDenied:
        raise Http404(_("未找到该记录，或您无权查看。")) from None
    try:
        handle = default_storage.open(evidence.file, "rb")
    except OSError:
        raise Http404(_("该证明材料的文件已不存在，请重新上传。")) from None
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"{evidence.title}.{evidence.file.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def hardship_paper(request, pk):
    application = get_visible_or_404(A.objects.select_related("person"), request.user, pk)
    require_perm(request.user, "treatment.record_hardship_paper_opinion", application)
    departments = hardship.paper_departments(application)
    form = forms.HardshipPaperForm(
        request.POST or None, request.FILES or None, departments=departments
    )
    if request.method == "POST" and form.is_valid():
        try:
            hardship.record_paper_opinion(request.user, application, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("纸质审核意见已录入。"))
            return redirect("treatment:hardship", pk)
    return render(
        request,
        "treatment/hardship_paper.html",
        {"a": application, "seen": privacy.shown(request.user, application.person), "form": form},
    )


@login_required
def hardship_opinion_scan(request, pk):
    opinion = HardshipOpinion.objects.filter(pk=pk).first()
    if opinion is None or not opinion.scan_file:
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    application = get_visible_or_404(
        A.objects.select_related("person"), request.user, opinion.application_id
    )
    opinion.application = application
    try:
        hardship.open_opinion_scan(request.user, opinion)
    except PermissionDenied:
        raise Http404(_("该意见没有扫描件，或您无权查看。")) from None
    return scan_response(opinion)


@login_required
def bands(request):
    require_perm(request.user, "treatment.list_hardship")
    may_manage = request.user.has_perm("treatment.manage_hardship_bands")
    editing = None
    band_pk = int_param(request, "band", request.POST if request.method == "POST" else None)
    if band_pk:
        editing = get_object_or_404(HardshipBand, pk=band_pk)
    form = forms.BandForm(request.POST or None, instance=editing)
    if request.method == "POST":
        require_perm(request.user, "treatment.manage_hardship_bands")
        if form.is_valid():
            try:
                hardship.save_band(request.user, editing, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("帮扶档次已保存。"))
                return redirect("treatment:bands")
    return render(
        request,
        "treatment/bands.html",
        {
            "bands": HardshipBand.objects.all(),
            "form": form if may_manage else None,
            "editing": editing,
        },
    )


@login_required
def disbursement(request):
    """Approved applications still to be paid, per finance office; the .xlsx of one office
    carries full ID numbers (for the bank), so it is the office's and its export is logged."""
    require_perm(request.user, "treatment.export_disbursement")
    payer = text_param(request, "payer")
    rows = queries.disbursement(request.user, payer or None)
    if wants_xlsx(request) and payer:
        items = list(rows)
        log_full_export(request.user, A, len(items))
        areas = _area_names()
        return list_export(
            _("%s困难帮扶资金发放名单") % payer,
            [
                _("序号"),
                _("姓名"),
                _("身份证号码"),
                _("联系电话"),
                _("所属地区"),
                _("申请单位"),
                _("帮扶档次"),
                _("批准金额（元）"),
                _("已支付（元）"),
                _("本次应支付（元）"),
                _("批准日期"),
                _("批准文号"),
            ],
            (
                [
                    n,
                    a.person.name,
                    a.person.id_number,
                    a.person.phone,
                    areas.get(a.person.division_id, ""),
                    a.applying_unit.name,
                    a.band.name if a.band else "",
                    a.amount,
                    a.paid_total,
                    a.amount - a.paid_total,
                    a.approved_on,
                    a.approval_number,
                ]
                for n, a in enumerate(items, start=1)
            ),
            "hardship-disbursement.xlsx",
        )
    return render(
        request,
        "treatment/disbursement.html",
        {"offices": _office_totals(request.user), "payer": payer},
    )


def _office_totals(user):
    """Per finance office: applications approved and not yet paid in full, and what remains."""
    totals: dict[str, list] = {}
    for application in queries.disbursement(user):
        line = totals.setdefault(application.payer_name, [0, 0])
        line[0] += 1
        line[1] += application.amount - application.paid_total
    return sorted(totals.items())


def hardship_inbox_section(user):
    """Applications waiting for the user: a review at their tier, or the office's approval and
    payments."""
    pending = []
    if user.has_perm("treatment.review_hardship"):
        pending += [
            a
            for a in A.objects.restrict(user, "review").select_related("person", "applying_unit")[
                :200
            ]
            if user.has_perm("treatment.review_hardship", a)
        ]
    if user.has_perm("treatment.approve_hardship"):
        at_province = A.objects.filter(
            state=A.State.SUBMITTED, current_tier=A.Tier.PROVINCE
        ).exclude(created_by=user)  # four eyes: not one's own (the rule's condition)
        pending += list(at_province.select_related("person", "applying_unit")[:200])
    to_pay = 0
    if user.has_perm("treatment.record_payment"):
        to_pay = A.objects.filter(state=A.State.APPROVED).count()
    if not pending and not to_pay:
        return None
    rows = [(a, privacy.shown(user, a.person)) for a in pending]
    return {
        "template": "treatment/inbox.html",
        "context": {"pending": rows, "count": len(rows) + to_pay, "to_pay": to_pay},
    }


def _opinion_form(user, application) -> dict:
    """The opinion form, naming the function the user's unit signs under next (a merged bureau
    performing two of the tier's functions signs each in turn)."""
    function, label = "", ""
    if application.state == application.State.SUBMITTED:
        function, label = tier_page_function(user.unit, application, routing.reviewers)
    return {
        "opinion_form": forms.HardshipOpinionForm(
            initial={"function": function, "round": application.round}
        ),
        "opinion_function_label": label,
    }
