"""The yearly status review pages (动态管理, H-7): the office opens and closes a review; units
report each honoree's status; the tiers check; the province files into the registry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from laurel.core.http import (
    apply_service_errors,
    error_messages,
    get_visible_or_404,
    list_export,
    paginate,
    require_perm,
    scan_response,
    text_param,
    wants_xlsx,
)
from laurel.core.models import Division
from laurel.core.validators import mask_phone
from laurel.registry import privacy
from laurel.treatment import forms, routing
from laurel.treatment.models import StatusReturn, StatusReview
from laurel.treatment.services import reviews as service

R = StatusReturn


def _returns(user, review):
    """The returns the user may see; a classified honoree's only for the office (H-6)."""
    rows = R.objects.restrict(user).filter(review=review)
    if not user.has_perm("registry.view_classified"):
        rows = rows.exclude(person__classified=True)
    return rows.select_related("person", "unit")


@login_required
def reviews(request):
    require_perm(request.user, "treatment.list_status_returns")
    may_manage = request.user.has_perm("treatment.manage_status_reviews")
    form = forms.StatusReviewForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        require_perm(request.user, "treatment.manage_status_reviews")
        if form.is_valid():
            try:
                review = service.open_review(request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("已开展动态管理，共%d名表彰人员待报送。") % review.returns.count()
                )
                return redirect("treatment:review", review.pk)
    return render(
        request,
        "treatment/reviews.html",
        {"reviews": StatusReview.objects.all(), "form": form},
    )


@login_required
def review_detail(request, pk):
    require_perm(request.user, "treatment.list_status_returns")
    review = get_object_or_404(StatusReview, pk=pk)
    user = request.user
    if request.method == "POST":
        require_perm(user, "treatment.manage_status_reviews")
        service.close_review(user, review)
        messages.success(request, _("本年度动态管理已结束。"))
        return redirect("treatment:review", pk)
    rows = _returns(user, review)
    counts = service.progress(rows)
    state = text_param(request, "state")
    if state in R.State.values:
        rows = rows.filter(state=state)
    rows = rows.order_by("division__path", "unit__name", "pk")
    areas = {d.pk: name for d, name in Division.objects.full_names().items()}
    if wants_xlsx(request):
        return list_export(
            _("%d年度表彰人员动态管理") % review.year,
            [
                _("姓名"),
                _("身份证号码"),
                _("所属地区"),
                _("报送单位"),
                _("状态"),
                _("人员状态"),
                _("去世日期"),
                _("退休日期"),
                _("现工作单位"),
                _("纸质报送"),
            ],
            (
                [
                    seen.name,
                    seen.id_number,
                    areas.get(r.division_id, ""),
                    r.unit.name if r.unit else "",
                    r.get_state_display(),
                    r.get_outcome_display(),
                    r.died_on,
                    r.retired_on,
                    r.unit_name,
                    _("是") if r.on_paper else "",
                ]
                for r in rows.iterator(chunk_size=2000)
                for seen in [privacy.shown(user, r.person)]
            ),
            f"status-review-{review.year}.xlsx",
        )
    page = paginate(request, rows)
    return render(
        request,
        "treatment/review.html",
        {
            "review": review,
            "counts": counts,
            "total": sum(counts.values()),
            "states": R.State.choices,
            "state": state,
            "page": page,
            "rows": [
                (r, privacy.shown(user, r.person), areas.get(r.division_id, ""))
                for r in page.object_list
            ],
            "may_close": user.has_perm("treatment.manage_status_reviews")
            and review.status == StatusReview.Status.OPEN,
        },
    )


@login_required
def status_return(request, pk):
    item = get_visible_or_404(
        R.objects.select_related("review", "person", "unit"), request.user, pk
    )
    user = request.user
    seen = privacy.shown(user, item.person)
    may_report = user.has_perm("treatment.report_status", item)
    may_paper = user.has_perm("treatment.record_paper_return", item)
    may_check = user.has_perm("treatment.check_status_return", item) or user.has_perm(
        "treatment.file_status_return", item
    )
    phone = ""
    if item.phone:
        full = user.has_perm("registry.view_personal_data", item.person)
        phone = item.phone if full else mask_phone(item.phone)
    report_form = paper_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "report":
                report_form = forms.ReportForm(request.POST)
                if report_form.is_valid():
                    service.report_status(user, item, **report_form.cleaned_data)
                    messages.success(request, _("人员状态已报送。"))
                    return redirect("treatment:status_return", pk)
            elif action == "paper":
                paper_form = forms.PaperReturnForm(request.POST, request.FILES)
                if paper_form.is_valid():
                    service.record_paper_return(user, item, **paper_form.cleaned_data)
                    messages.success(request, _("纸质报送已录入。"))
                    return redirect("treatment:status_return", pk)
            elif action == "check":
                check = forms.CheckForm(request.POST)
                if not check.is_valid():
                    raise ValidationError({"decision": _("请选择核实意见。")})
                service.check_return(user, item, **check.cleaned_data)
                messages.success(request, _("核实意见已提交。"))
                return redirect("treatment:status_return", pk)
            else:
                raise ValidationError(_("请选择要进行的操作。"))
        except ValidationError as error:
            form = report_form if action == "report" else paper_form
            if form is not None and hasattr(error, "error_dict"):
                apply_service_errors(form, error)
            else:
                for message in error_messages(error):
                    messages.error(request, message)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("treatment:status_return", pk)
    tiers = dict(R.Tier.choices)
    return render(
        request,
        "treatment/status_return.html",
        {
            "r": item,
            "seen": seen,
            "deadline": service.deadline(item),
            "phone": phone,
            "checks": [
                {
                    **check,
                    "tier": tiers.get(check.get("tier"), ""),
                    "decision": _("核实无误")
                    if check.get("decision") == "agree"
                    else _("退回重报"),
                }
                for check in item.checks
            ],
            "at_province": item.current_tier == R.Tier.PROVINCE,
            "route": [tiers[t] for t in item.route],
            "checker": routing.return_checker(item) if item.current_tier else None,
            "report_form": (report_form or forms.ReportForm()) if may_report else None,
            "paper_form": (paper_form or forms.PaperReturnForm()) if may_paper else None,
            "check_form": forms.CheckForm() if may_check else None,
        },
    )


@login_required
def return_scan(request, pk):
    item = get_visible_or_404(R.objects.select_related("person"), request.user, pk)
    if item.classified and not request.user.has_perm("registry.view_classified"):
        raise PermissionDenied(_("涉密人员的信息只有省级表彰工作办公室可以查看。"))
    service.log_scan_opening(request.user, item)
    return scan_response(item)


def reviews_inbox_section(user):
    """Returns waiting for the user: to report (a unit), to check at their tier (a reviewing
    department, a supervising unit), to file (the office)."""
    if not user.has_perm("treatment.list_status_returns"):
        return None
    open_returns = R.objects.filter(review__status=StatusReview.Status.OPEN)
    to_report = to_check = to_file = 0
    if user.has_perm("treatment.report_status") and user.unit_id:
        to_report = open_returns.filter(
            unit__path__startswith=user.unit.path,
            state__in=[R.State.PENDING, R.State.SENT_BACK],
        ).count()
    if user.has_perm("treatment.check_status_return"):
        to_check = sum(
            1
            for item in open_returns.restrict(user, "check").select_related("unit", "division")[
                :500
            ]
            if user.has_perm("treatment.check_status_return", item)
        )
    if user.has_perm("treatment.file_status_return"):
        to_file = open_returns.filter(state=R.State.SUBMITTED, current_tier=R.Tier.PROVINCE).count()
    if not (to_report or to_check or to_file):
        return None
    review = StatusReview.objects.filter(status=StatusReview.Status.OPEN).first()
    return {
        "template": "treatment/reviews_inbox.html",
        "context": {
            "review": review,
            "to_report": to_report,
            "to_check": to_check,
            "to_file": to_file,
            "count": to_report + to_check + to_file,
        },
    }
