"""Tiered review (C-8 step 2): the reviewer's list and opinion, send-back, and the office's
overview of a campaign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign, Quota
from laurel.core.http import (
    apply_service_errors,
    list_export,
    messages_from_errors,
    require_perm,
    scan_response,
    wants_xlsx,
)
from laurel.nominations.forms import PaperReviewForm, ReasonForm, ReviewForm
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.nominations.queries import awaiting_review
from laurel.nominations.services import review as service
from laurel.nominations.views.nominees import nominee_or_404


def review_inbox_section(user):
    if not user.has_perm("nominations.review_nominee"):
        return None
    waiting = awaiting_review(user)
    if not waiting:
        return None
    return {
        "template": "nominations/inbox_review.html",
        "context": {"nominees": waiting[:50], "count": len(waiting)},
    }


@login_required
def review_list(request):
    """The reviewer's list, oldest first; approve several at once with one opinion."""
    require_perm(request.user, "nominations.review_nominee")
    waiting = awaiting_review(request.user)
    if wants_xlsx(request):
        return list_export(
            _("待审核的推荐对象"),
            [_("推荐对象"), _("类别"), _("申报单位"), _("上报时间"), _("此前的不同意意见")],
            (
                (
                    n.name,
                    n.category.name,
                    n.nominating_unit.name,
                    timezone.localtime(n.submitted_at).strftime("%Y-%m-%d %H:%M")
                    if n.submitted_at
                    else "",
                    "；".join(
                        _("第%(round)s轮%(tier)s%(department)s不同意：%(text)s")
                        % {
                            "round": o.round,
                            "tier": o.tier_label,
                            "department": o.department,
                            "text": o.text,
                        }
                        for o in n.disagreements
                    ),
                )
                for n in waiting
            ),
            "review.xlsx",
        )
    form = ReviewForm(request.POST or None, initial={"officer_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        chosen = [n for n in waiting if str(n.pk) in request.POST.getlist("nominees")]
        if not chosen:
            messages.error(request, _("请至少勾选一个推荐对象。"))
        else:
            try:
                with transaction.atomic():
                    for nominee in chosen:
                        seen = request.POST.get(f"round-{nominee.pk}", "")
                        data = {
                            **form.cleaned_data,
                            "review_round": int(seen) if seen.isdigit() else None,
                        }
                        _review_one(request.user, nominee, data)
            except ValidationError as error:
                messages_from_errors(request, error=error)
            else:
                messages.success(request, _("已对%d个推荐对象出具审核意见。") % len(chosen))
                return redirect("nominations:review")
    return render(request, "nominations/review_list.html", {"waiting": waiting, "form": form})


@login_required
@require_POST
def review_record(request, pk):
    nominee = nominee_or_404(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect("nominations:detail", pk=pk)
    try:
        service.record_review(request.user, nominee, **form.cleaned_data)
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("审核意见已提交。"))
    return redirect("nominations:detail", pk=pk)


@login_required
def review_paper(request, pk):
    """The office records a tier's opinion a department without an account gave on paper."""
    nominee = nominee_or_404(request, pk)
    require_perm(request.user, "nominations.record_paper_review", nominee)
    departments = service.paper_review_departments(nominee)
    form = PaperReviewForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            service.record_paper_review(request.user, nominee, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("纸质审核意见已录入。"))
            return redirect("nominations:detail", pk=pk)
    return render(
        request,
        "nominations/review_paper.html",
        {"nominee": nominee, "form": form, "departments": departments},
    )


@login_required
def review_scan(request, pk):
    """The scan of a paper review opinion, to whoever may see the nominee's personal data."""
    opinion = ReviewOpinion.objects.select_related("nominee").filter(pk=pk).first()
    if opinion is None or not opinion.scan_file:
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    nominee = nominee_or_404(request, opinion.nominee_id)
    if not request.user.has_perm("nominations.view_personal_data", nominee):
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    return scan_response(opinion, f"{nominee.name}-{opinion.tier_label}审核-纸质意见")


@login_required
@require_POST
def review_send_back(request, pk):
    nominee = nominee_or_404(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect("nominations:detail", pk=pk)
    try:
        service.send_back(request.user, nominee, form.cleaned_data["reason"])
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已退回申报单位修改。"))
    return redirect("nominations:detail", pk=pk)


OVERVIEW_STATES = [
    ("draft", _("草稿")),
    ("county", _("县级审核")),
    ("city", _("市级审核")),
    ("province", _("省级审核")),
    ("sent_back", _("退回修改")),
    ("received", _("省级已接收")),
    ("withdrawn", _("已撤回")),
    ("awarded", _("已表彰")),
    ("revoked", _("已撤销")),
]


@login_required
def overview(request):
    """The office's view of a campaign: per body, nominees by state against the quota; items
    past the material deadline; send-backs with their reasons."""
    require_perm(request.user, "nominations.view_overview")
    campaigns = list(Campaign.objects.restrict(request.user).exclude(status=Campaign.Status.DRAFT))
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    campaign = campaign or (campaigns[0] if campaigns else None)
    if campaign is None:
        return render(request, "nominations/overview.html", {"campaigns": campaigns})
    states = OVERVIEW_STATES
    quotas = {}
    for quota in Quota.objects.filter(body__campaign=campaign).select_related("body"):
        quotas[quota.body] = quotas.get(quota.body, 0) + quota.places
    table = {body: dict.fromkeys(key for key, _label in states) for body in quotas}
    for row in (
        Nominee.objects.filter(campaign=campaign)
        .values("body_id", "state", "review_tier")
        .annotate(n=Count("pk"))
    ):
        body = next(b for b in table if b.pk == row["body_id"])
        key = row["review_tier"] if row["state"] == Nominee.State.SUBMITTED else row["state"]
        if key in table[body]:
            table[body][key] = (table[body][key] or 0) + row["n"]
    ordered = sorted(table, key=lambda b: b.sort_order)
    if wants_xlsx(request):
        return list_export(
            _("推荐审核进度：%s") % campaign.name,
            [_("推荐单位"), _("名额"), *(label for _key, label in states)],
            (
                (body.name, quotas[body], *(table[body][k] or 0 for k, _l in states))
                for body in ordered
            ),
            "overview.xlsx",
        )
    deadline = campaign.phase("material_deadline")
    today = timezone.localdate()
    overdue = []
    if deadline and deadline.ends_on and deadline.ends_on < today:
        overdue = list(
            Nominee.objects.filter(campaign=campaign, state=Nominee.State.SUBMITTED)
            .select_related("body")
            .order_by("submitted_at")
        )
    sent_back = list(
        Nominee.objects.filter(campaign=campaign, state=Nominee.State.SENT_BACK)
        .select_related("body")
        .order_by("-sent_back_at", "pk")
    )
    return render(
        request,
        "nominations/overview.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "states": states,
            "rows": [
                (body, quotas[body], [table[body][k] or 0 for k, _l in states]) for body in ordered
            ],
            "overdue": overdue,
            "deadline": deadline,
            "sent_back": sent_back,
        },
    )


def _review_one(user, nominee, data) -> None:
    """One nominee of a batch: a refusal names the nominee (the batch is saved whole or not)."""
    try:
        service.record_review(user, nominee, **data)
    except ValidationError as error:
        name = f"“{nominee}”"
        raise ValidationError(
            [m if m.startswith(name) else f"{name}：{m}" for m in error.messages]
        ) from None
