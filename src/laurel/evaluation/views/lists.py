"""Assessment by the assessment team; the preliminary list drafted by the office and
re-examined by the leading group (C-8 step 4, C-10)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.campaigns.models import AwardCategory, CampaignMember
from laurel.core.http import (
    int_param,
    list_export,
    messages_from_errors,
    require_perm,
    wants_xlsx,
)
from laurel.evaluation import queries
from laurel.evaluation.models import Assessment, Candidate, PreliminaryList
from laurel.evaluation.services import lists as service
from laurel.nominations.models import Nominee


def _open_candidates(user):
    """The candidates the user may assess: of rounds the government has not approved yet,
    whose category's preliminary list is still the office's draft (the rule
    ``evaluation.assess``)."""
    gone_up = PreliminaryList.objects.filter(
        campaign=OuterRef("nominee__campaign"), category=OuterRef("nominee__category")
    ).exclude(state=PreliminaryList.State.DRAFT)
    return Candidate.objects.restrict(user, "assess").filter(
        ~Exists(gone_up), nominee__campaign__approval__isnull=True
    )


def lists_inbox_section(user):
    """Inbox: candidates to assess (assessment team), lists to re-examine (leading group)."""
    context = {}
    if user.has_perm("evaluation.assess"):
        context["to_assess"] = (
            _open_candidates(user).exclude(nominee__assessments__assessor=user).count()
        )
    if user.has_perm("evaluation.decide_list"):
        context["to_decide"] = [
            lst
            for lst in PreliminaryList.objects.select_related("category")
            if user.has_perm("evaluation.decide_list", lst)
        ]
    if not context.get("to_assess") and not context.get("to_decide"):
        return None
    return {"template": "evaluation/inbox_lists.html", "context": context}


@login_required
def list_index(request):
    """初选名单: every preliminary list, those awaiting the reader's re-examination first."""
    require_perm(request.user, "evaluation.view_list")
    lists = list(
        PreliminaryList.objects.select_related("campaign", "category").order_by(
            "-campaign_id", "category__sort_order"
        )
    )
    for lst in lists:
        lst.to_decide = request.user.has_perm("evaluation.decide_list", lst)
    lists.sort(key=lambda lst: not lst.to_decide)
    return render(request, "evaluation/list_index.html", {"lists": lists})


@login_required
def assess(request):
    require_perm(request.user, "evaluation.assess")
    candidates = list(
        _open_candidates(request.user)
        .select_related("nominee__campaign", "nominee__category", "nominee__nominating_unit")
        .order_by("nominee__campaign_id", "nominee__category__sort_order", "pk")
    )
    if request.method == "POST":
        chosen = int_param(request, "nominee", request.POST)
        nominee = next((c.nominee for c in candidates if c.nominee_id == chosen), None)
        try:
            if nominee is None:
                raise ValidationError(_("请选择考核对象。"))
            if request.POST.get("recommend") not in ("1", "0"):
                raise ValidationError(_("请选择“同意列入”或“不同意”。"))
            service.record_assessment(
                request.user,
                nominee,
                recommend=request.POST.get("recommend") == "1",
                findings=request.POST.get("findings", ""),
            )
        except ValidationError as error:
            messages_from_errors(request, error=error)
        else:
            messages.success(request, _("已保存考核情况：%s") % nominee)
        return redirect("evaluation:assess")
    mine = {a.nominee_id: a for a in Assessment.objects.filter(assessor=request.user)}
    for candidate in candidates:
        candidate.mine = mine.get(candidate.nominee_id)
    return render(request, "evaluation/assess.html", {"candidates": candidates})


def _posted_date(text: str):
    if not text.strip():
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            {"meeting_on": _("复审会议日期格式不正确，应为如2023-04-01的日期。")}
        ) from None


def _post_list(request, campaign, category, lst):
    action = request.POST.get("action")
    if action in ("save", "submit"):
        justifications = {
            k.removeprefix("justify-"): v
            for k, v in request.POST.items()
            if k.startswith("justify-")
        }
        lst = service.draft_preliminary_list(
            request.user, campaign, category, request.POST.getlist("nominees"), justifications
        )
        if action == "submit":
            service.submit_to_leading_group(request.user, lst)
        messages.success(
            request, _("初选名单已保存。") if action == "save" else _("已报领导小组复审。")
        )
    elif action == "decide" and lst is not None:
        service.leading_group_decide(
            request.user,
            lst,
            note=request.POST.get("note", ""),
            meeting_on=_posted_date(request.POST.get("meeting_on", "")),
            attendees=request.POST.getlist("attendees"),
            remove=request.POST.getlist("remove"),
        )
        messages.success(request, _("复审意见已记录。"))
    else:
        raise PermissionDenied(_("您没有执行此操作的权限。"))


@login_required
def preliminary_list(request, category_pk):
    require_perm(request.user, "evaluation.view_list")
    category = AwardCategory.objects.select_related("campaign").filter(pk=category_pk).first()
    if category is None:
        raise Http404(_("未找到该类别。"))
    campaign = category.campaign
    lst = PreliminaryList.objects.filter(campaign=campaign, category=category).first()
    if request.method == "POST":
        try:
            _post_list(request, campaign, category, lst)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        return redirect("evaluation:list", category_pk=category.pk)
    candidates = list(
        Nominee.objects.filter(category=category, candidacy__isnull=False)
        .select_related("nominating_unit")
        .prefetch_related("assessments")
    )
    listed = {e.nominee_id for e in lst.entries.all()} if lst else set()
    for nominee in candidates:
        nominee.recommended = sum(a.recommend for a in nominee.assessments.all())
        nominee.assessed = len(nominee.assessments.all())
    if wants_xlsx(request):
        return list_export(
            _("%s初选名单") % category.name,
            [_("考核对象"), _("单位"), _("考核同意"), _("已考核"), _("列入初选名单")],
            (
                (
                    n.name,
                    n.nominating_unit.name,
                    n.recommended,
                    n.assessed,
                    _("是") if n.pk in listed else _("否"),
                )
                for n in candidates
            ),
            "preliminary-list.xlsx",
        )
    chosen = [n for n in candidates if n.pk in listed] or candidates
    return render(
        request,
        "evaluation/list.html",
        {
            "category": category,
            "campaign": campaign,
            "lst": lst,
            "candidates": candidates,
            "listed": listed,
            "checks": queries.ratio_checks(campaign, category, chosen),
            "may_draft": request.user.has_perm("evaluation.draft_list", lst),
            "office_view": request.user.has_perm("evaluation.draft_list"),
            "may_decide": lst is not None and request.user.has_perm("evaluation.decide_list", lst),
            "members": campaign.members.filter(group=CampaignMember.Group.LEADING_GROUP),
            "attendees": lst.attendees.all() if lst else [],
            "today": timezone.localdate(),
        },
    )
