from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.accounts.models import User
from laurel.accounts.roles import Role
from laurel.campaigns.models import Campaign
from laurel.core.http import int_param, messages_from_errors, require_perm
from laurel.evaluation import services
from laurel.evaluation.models import Panel, Recusal, Vote
from laurel.nominations import eligibility
from laurel.nominations.models import Nominee


def panels_inbox_section(user):
    """Inbox: open panels the expert sits on, with how many votes are still to cast."""
    if not user.has_role(Role.PANEL_EXPERT):
        return None
    panels = []
    for panel in Panel.objects.filter(members__expert=user, state=Panel.State.OPEN):
        total = services.pool(panel).count()
        done = Vote.objects.filter(panel=panel, expert=user).count()
        recused = Recusal.objects.filter(panel=panel, expert=user).count()
        panel.remaining = max(total - done - recused, 0)
        panels.append(panel)
    if not panels:
        return None
    return {"template": "evaluation/inbox_panels.html", "context": {"panels": panels}}


def _office_campaign(request):
    require_perm(request.user, "campaigns.manage_campaigns")
    campaigns = list(Campaign.objects.exclude(status=Campaign.Status.DRAFT))
    chosen = int_param(request, "campaign")
    campaign = next((c for c in campaigns if c.pk == chosen), campaigns[0] if campaigns else None)
    return campaigns, campaign


@login_required
def evaluation_home(request):
    campaigns, campaign = _office_campaign(request)
    received = []
    if campaign:
        received = list(
            Nominee.objects.filter(campaign=campaign)
            .filter(state__in=[Nominee.State.RECEIVED, Nominee.State.WITHDRAWN], review_round__gt=0)
            .select_related("category", "body", "recheck")
            .order_by("category__sort_order", "body__sort_order", "rank")
        )
        for nominee in received:
            found = eligibility.findings_for(nominee)
            nominee.blocking = [f.message for f in found if f.blocking]
    experts = User.objects.filter(role_assignments__role=Role.PANEL_EXPERT, is_active=True)
    return render(
        request,
        "evaluation/home.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "received": received,
            "panels": Panel.objects.filter(campaign=campaign) if campaign else [],
            "experts": experts,
            "categories": campaign.categories.all() if campaign else [],
        },
    )


@login_required
@require_POST
def recheck(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    nominee = Nominee.objects.filter(pk=pk).first()
    if nominee is None:
        raise Http404(_("未找到该推荐对象。"))
    try:
        services.record_recheck(
            request.user,
            nominee,
            eligible=request.POST.get("eligible") == "1",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已记录资格复核结论：%s") % nominee)
    return redirect(f"{reverse('evaluation:home')}?campaign={nominee.campaign_id}")


@login_required
@require_POST
def panel_create(request):
    _campaigns, campaign = _office_campaign(request)
    category = (
        campaign.categories.filter(pk=int_param(request, "category", request.POST)).first()
        if campaign
        else None
    )
    experts = User.objects.filter(
        pk__in=request.POST.getlist("experts"), role_assignments__role=Role.PANEL_EXPERT
    )
    try:
        if category is None:
            raise ValidationError(_("请选择类别。"))
        panel = services.create_panel(
            request.user,
            campaign,
            category,
            name=request.POST.get("name", "").strip() or _("%s评审组") % category.name,
            quorum=int(request.POST.get("quorum") or 1),
            pass_ratio=Decimal(request.POST.get("pass_ratio") or "0.667"),
            experts=experts,
        )
    except (ValidationError, ValueError, InvalidOperation) as error:
        messages.error(
            request, "；".join(getattr(error, "messages", [_("输入有误，请检查人数和比例。")]))
        )
        return redirect(f"{reverse('evaluation:home')}?campaign={campaign.pk if campaign else ''}")
    messages.success(request, _("已组建评审组：%s") % panel)
    return redirect("evaluation:panel", pk=panel.pk)


def _panel(request, pk) -> Panel:
    panel = Panel.objects.select_related("campaign", "category").filter(pk=pk).first()
    if panel is None:
        raise Http404(_("未找到该评审组。"))
    return panel


@login_required
def panel_detail(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    panel = _panel(request, pk)
    rows = services.tally(panel) if panel.state == Panel.State.CLOSED else []
    members = list(panel.members.select_related("expert__unit"))
    for member in members:
        member.voted = Vote.objects.filter(panel=panel, expert=member.expert).count()
    return render(
        request,
        "evaluation/panel.html",
        {
            "panel": panel,
            "members": members,
            "rows": rows,
            "bound": services.bound(panel),
            "pool_size": services.pool(panel).count(),
            "recusals": panel.recusals.select_related("expert", "nominee"),
            "chosen": set(panel.candidates.values_list("nominee_id", flat=True)),
        },
    )


@login_required
@require_POST
def panel_close(request, pk):
    panel = _panel(request, pk)
    try:
        services.close_panel(request.user, panel)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("评审已结束，计票结果如下。"))
    return redirect("evaluation:panel", pk=pk)


@login_required
@require_POST
def panel_choose(request, pk):
    panel = _panel(request, pk)
    try:
        chosen = services.choose_candidates(request.user, panel, request.POST.getlist("nominees"))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("已确定考核对象%d个。") % len(chosen))
    return redirect("evaluation:panel", pk=pk)


@login_required
def panel_vote(request, pk):
    """The expert's ballot: own votes only; others' stay hidden until the panel closes."""
    panel = _panel(request, pk)
    if not panel.members.filter(expert=request.user).exists():
        raise Http404(_("未找到该评审组。"))
    if request.method == "POST":
        try:
            for nominee in services.pool(panel):
                choice = request.POST.get(f"vote-{nominee.pk}")
                if choice in ("1", "0"):
                    rank = int_param(request, f"rank-{nominee.pk}", request.POST)
                    services.cast_vote(
                        request.user, panel, nominee, approve=choice == "1", rank=rank
                    )
                conflict = request.POST.get(f"conflict-{nominee.pk}", "").strip()
                if conflict:
                    services.declare_conflict(request.user, panel, nominee, conflict)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("投票已保存，评审结束前可以修改。"))
        return redirect("evaluation:vote", pk=pk)
    mine = {v.nominee_id: v for v in Vote.objects.filter(panel=panel, expert=request.user)}
    recused = {r.nominee_id: r for r in Recusal.objects.filter(panel=panel, expert=request.user)}
    nominees = list(services.pool(panel))
    for nominee in nominees:
        nominee.my_vote = mine.get(nominee.pk)
        nominee.recusal = recused.get(nominee.pk)
    return render(request, "evaluation/vote.html", {"panel": panel, "nominees": nominees})


def lists_inbox_section(user):
    """Inbox: candidates to assess (assessment team), lists to re-examine (leading group)."""
    from laurel.evaluation.models import Candidate, PreliminaryList

    context = {}
    if user.has_role(Role.ASSESSMENT_TEAM):
        context["to_assess"] = (
            Candidate.objects.filter(nominee__campaign__approval__isnull=True)
            .exclude(nominee__assessments__assessor=user)
            .count()
        )
    if user.has_role(Role.LEADING_GROUP):
        context["to_decide"] = list(
            PreliminaryList.objects.filter(state=PreliminaryList.State.SUBMITTED).select_related(
                "category"
            )
        )
    if not context.get("to_assess") and not context.get("to_decide"):
        return None
    return {"template": "evaluation/inbox_lists.html", "context": context}


@login_required
def assess(request):
    from laurel.evaluation.models import Assessment, Candidate

    if not request.user.has_role(Role.ASSESSMENT_TEAM):
        raise PermissionDenied(_("只有考核组成员可以填写考核情况。"))
    # Rounds still open: once the government has approved, assessments are settled.
    candidates = list(
        Candidate.objects.filter(nominee__campaign__approval__isnull=True)
        .select_related("nominee__campaign", "nominee__category", "nominee__nominating_unit")
        .order_by("nominee__campaign_id", "nominee__category__sort_order", "pk")
    )
    if request.method == "POST":
        nominee = next(
            (
                c.nominee
                for c in candidates
                if c.nominee_id == int_param(request, "nominee", request.POST)
            ),
            None,
        )
        try:
            if nominee is None:
                raise ValidationError(_("请选择考核对象。"))
            services.record_assessment(
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


@login_required
def preliminary_list(request, category_pk):
    from laurel.campaigns.models import AwardCategory
    from laurel.evaluation.models import PreliminaryList

    is_office = request.user.has_perm("campaigns.manage_campaigns")
    is_leader = request.user.has_role(Role.LEADING_GROUP)
    if not (is_office or is_leader):
        raise PermissionDenied(_("您没有查看初选名单的权限。"))
    category = AwardCategory.objects.select_related("campaign").filter(pk=category_pk).first()
    if category is None:
        raise Http404(_("未找到该类别。"))
    campaign = category.campaign
    lst = PreliminaryList.objects.filter(campaign=campaign, category=category).first()
    candidates = list(
        Nominee.objects.filter(category=category, candidacy__isnull=False)
        .select_related("nominating_unit")
        .prefetch_related("assessments")
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "submit") and is_office:
                justifications = {
                    k.removeprefix("justify-"): v
                    for k, v in request.POST.items()
                    if k.startswith("justify-")
                }
                lst = services.draft_preliminary_list(
                    request.user,
                    campaign,
                    category,
                    request.POST.getlist("nominees"),
                    justifications,
                )
                if action == "submit":
                    services.submit_to_leading_group(request.user, lst)
                messages.success(
                    request, _("初选名单已保存。") if action == "save" else _("已报领导小组复审。")
                )
            elif action == "decide" and is_leader and lst is not None:
                services.leading_group_decide(
                    request.user,
                    lst,
                    note=request.POST.get("note", ""),
                    remove=request.POST.getlist("remove"),
                )
                messages.success(request, _("复审意见已记录。"))
            else:
                raise PermissionDenied(_("您没有执行此操作的权限。"))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        return redirect("evaluation:list", category_pk=category.pk)
    listed = {e.nominee_id for e in lst.entries.all()} if lst else set()
    for nominee in candidates:
        nominee.recommended = sum(a.recommend for a in nominee.assessments.all())
        nominee.assessed = len(nominee.assessments.all())
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
            "checks": services.ratio_checks(campaign, category, chosen),
            "is_office": is_office,
            "is_leader": is_leader,
        },
    )


@login_required
def awards(request):
    """Approval, awards (certificates, plaques, bonuses with totals) and revocation."""
    import datetime

    from django.http import HttpResponse

    from laurel.evaluation.models import Approval, Award
    from laurel.evaluation.spreadsheets import award_workbook, body_totals

    campaigns, campaign = _office_campaign(request)
    if request.method == "POST" and campaign is not None:
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.record_approval(
                    request.user,
                    campaign,
                    document_number=request.POST.get("document_number", ""),
                    approved_on=datetime.date.fromisoformat(request.POST.get("approved_on", "")),
                )
                messages.success(request, _("已记录省政府审定。"))
            elif action == "issue":
                issued = services.issue_awards(request.user, campaign)
                messages.success(request, _("已颁发表彰%d项。") % len(issued))
            elif action == "revoke":
                award = Award.objects.get(
                    pk=int_param(request, "award", request.POST), nominee__campaign=campaign
                )
                services.revoke_award(
                    request.user,
                    award,
                    reason=request.POST.get("reason", ""),
                    evidence=request.POST.get("evidence", ""),
                    certificate_recovered=bool(request.POST.get("certificate_recovered")),
                    bonus_recovered=bool(request.POST.get("bonus_recovered")),
                )
                messages.success(request, _("已撤销表彰：%s") % award)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        except (ValueError, Award.DoesNotExist):
            messages.error(request, _("输入有误：请检查日期（YYYY-MM-DD）和所选表彰。"))
        return redirect(f"{reverse('evaluation:awards')}?campaign={campaign.pk}")
    if campaign is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(
            award_workbook(campaign, request.user),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="awards-{campaign.slug}.xlsx"'
        return response
    items = (
        Award.objects.filter(nominee__campaign=campaign)
        .select_related("nominee__category", "nominee__body")
        .order_by("nominee__category__sort_order", "nominee__body__sort_order", "nominee__rank")
        if campaign
        else Award.objects.none()
    )
    totals = body_totals(campaign) if campaign else []
    return render(
        request,
        "evaluation/awards.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "awards": items,
            "totals": totals,
            "grand_total": sum(t["total"] for t in totals),
            "grand_people": sum(t["people"] for t in totals),
            "approval": Approval.objects.filter(campaign=campaign).first() if campaign else None,
        },
    )
