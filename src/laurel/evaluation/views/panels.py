"""The office's evaluation page (recheck, panels) and the experts' ballot (C-8 step 3)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.accounts.queries import panel_experts
from laurel.campaigns.models import Campaign
from laurel.core.http import int_param, messages_from_errors, require_perm
from laurel.evaluation import queries
from laurel.evaluation.interfaces.spreadsheets import XLSX, minutes_workbook
from laurel.evaluation.models import Panel, Recusal, Vote
from laurel.evaluation.services import panels as service
from laurel.nominations import eligibility
from laurel.nominations.models import Nominee


def panels_inbox_section(user):
    """Inbox: open panels the expert sits on with votes still to cast, and how many."""
    panels = []
    open_panels = Panel.objects.restrict(user, "vote").filter(state=Panel.State.OPEN)
    for panel in open_panels.select_related("campaign"):
        panel.remaining = queries.votes_to_cast(panel, user)
        if panel.remaining:
            panels.append(panel)
    if not panels:
        return None
    return {"template": "evaluation/inbox_panels.html", "context": {"panels": panels}}


@login_required
def my_panels(request):
    """我的评审组: the panels the expert sits on, open ones with the votes still to cast."""
    require_perm(request.user, "evaluation.sit_on_panel")
    panels = list(
        Panel.objects.restrict(request.user, "sit")
        .select_related("campaign", "category")
        .order_by("-pk")
    )
    for panel in panels:
        if panel.state == Panel.State.OPEN:
            panel.remaining = queries.votes_to_cast(panel, request.user)
    return render(request, "evaluation/my_panels.html", {"panels": panels})


def office_evaluation_inbox_section(user):
    """Inbox of the office: received nominees awaiting the eligibility recheck, closed panels
    whose assessment candidates are not chosen yet — per running campaign."""
    if not user.has_perm("evaluation.recheck_nominee"):
        return None
    rows = []
    for campaign in Campaign.objects.filter(status=Campaign.Status.PUBLISHED).order_by("-pk"):
        to_recheck = Nominee.objects.filter(
            campaign=campaign, state=Nominee.State.RECEIVED, recheck__isnull=True
        ).count()
        to_choose = [
            panel
            for panel in Panel.objects.filter(
                campaign=campaign, state=Panel.State.CLOSED, runoff_of__isnull=True
            )
            if not panel.candidates.exists()
        ]
        missed = queries.missed_review_count(campaign)
        if to_recheck or to_choose or missed:
            rows.append(
                {
                    "campaign": campaign,
                    "to_recheck": to_recheck,
                    "to_choose": to_choose,
                    "missed": missed,
                }
            )
    if not rows:
        return None
    count = sum(row["to_recheck"] + len(row["to_choose"]) + row["missed"] for row in rows)
    return {"template": "evaluation/inbox_office.html", "context": {"rows": rows, "count": count}}


def office_campaign(request, perm: str = "evaluation.view_evaluation"):
    """The campaigns past their draft and the one chosen (``?campaign=``), for the office."""
    require_perm(request.user, perm)
    campaigns = list(Campaign.objects.exclude(status=Campaign.Status.DRAFT))
    chosen = int_param(request, "campaign")
    campaign = next((c for c in campaigns if c.pk == chosen), campaigns[0] if campaigns else None)
    return campaigns, campaign


@login_required
def evaluation_home(request):
    campaigns, campaign = office_campaign(request)
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
    return render(
        request,
        "evaluation/home.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "received": received,
            "panels": Panel.objects.filter(campaign=campaign) if campaign else [],
            "missed": {n.pk for n in queries.missed_review(campaign)} if campaign else set(),
            "experts": panel_experts(),
            "categories": campaign.categories.all() if campaign else [],
        },
    )


@login_required
@require_POST
def recheck(request, pk):
    require_perm(request.user, "evaluation.view_evaluation")
    nominee = Nominee.objects.filter(pk=pk).first()
    if nominee is None:
        raise Http404(_("未找到该推荐对象。"))
    try:
        service.record_recheck(
            request.user,
            nominee,
            eligible=request.POST.get("eligible") == "1",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已记录资格复核结论：%s") % nominee)
        if any(m.pk == nominee.pk for m in queries.missed_review(nominee.campaign)):
            messages.warning(
                request,
                _(
                    "“%(category)s”的评审组已结束评审：%(name)s未经评审，不能列为考核对象，"
                    "请核实后处理。"
                )
                % {"category": nominee.category.name, "name": nominee.name},
            )
    return redirect(f"{reverse('evaluation:home')}?campaign={nominee.campaign_id}")


@login_required
@require_POST
def panel_create(request):
    _campaigns, campaign = office_campaign(request, "evaluation.form_panel")
    category = (
        campaign.categories.filter(pk=int_param(request, "category", request.POST)).first()
        if campaign
        else None
    )
    experts = panel_experts().filter(pk__in=_numbers(request.POST.getlist("experts")))
    try:
        if category is None:
            raise ValidationError(_("请选择类别。"))
        panel = service.create_panel(
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


def _numbers(values) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) <= 18]


def _panel(pk) -> Panel:
    panel = Panel.objects.select_related("campaign", "category").filter(pk=pk).first()
    if panel is None:
        raise Http404(_("未找到该评审组。"))
    return panel


@login_required
def panel_detail(request, pk):
    require_perm(request.user, "evaluation.view_panel")
    panel = _panel(pk)
    closed = not panel.is_open
    members = list(panel.members.select_related("expert__unit"))
    for member in members:
        member.voted = Vote.objects.filter(panel=panel, expert=member.expert).count()
    rows = queries.tally(panel) if closed else []
    return render(
        request,
        "evaluation/panel.html",
        {
            "panel": panel,
            "members": members,
            "rows": rows,
            "ties": queries.tie_groups(rows) if not panel.runoff_of_id else [],
            "of_judges": queries.of_judges(rows),
            "runoffs": panel.runoffs.all(),
            "bound": queries.bound(panel),
            "pool_size": panel.minutes.get("received") or queries.pool(panel).count(),
            "recusals": panel.recusals.select_related("expert", "nominee"),
            "chosen": set(panel.candidates.values_list("nominee_id", flat=True)),
            "missed": queries.missed_review(panel.campaign, panel) if closed else [],
            "may_close": request.user.has_perm("evaluation.close_panel", panel),
            "may_choose": request.user.has_perm("evaluation.choose_candidates", panel)
            and not panel.runoff_of_id,
            "closed": closed,
        },
    )


@login_required
@require_POST
def panel_runoff(request, pk):
    panel = _panel(pk)
    try:
        runoff = service.create_runoff(request.user, panel, request.POST.getlist("nominees"))
    except ValidationError as error:
        messages_from_errors(request, error=error)
        return redirect("evaluation:panel", pk=pk)
    messages.success(request, _("已组织加票：%s") % runoff)
    return redirect("evaluation:panel", pk=runoff.pk)


@login_required
def panel_minutes(request, pk):
    """The closed panel's record: members, recusals, the tally — printable, and as .xlsx."""
    require_perm(request.user, "evaluation.view_panel")
    panel = _panel(pk)
    if panel.is_open:
        raise PermissionDenied(_("评审结束前不公开计票结果。"))
    rows = queries.tally(panel)
    if request.GET.get("format") == "xlsx":
        content = minutes_workbook(panel, rows, request.user)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"panel-{panel.pk}-minutes.xlsx"
        )
        return response
    return render(
        request,
        "evaluation/minutes.html",
        {"panel": panel, "rows": rows, "of_judges": queries.of_judges(rows)},
    )


@login_required
@require_POST
def panel_close(request, pk):
    panel = _panel(pk)
    try:
        service.close_panel(request.user, panel)
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("评审已结束，计票结果如下。"))
    return redirect("evaluation:panel", pk=pk)


@login_required
@require_POST
def panel_choose(request, pk):
    panel = _panel(pk)
    try:
        chosen = service.choose_candidates(request.user, panel, request.POST.getlist("nominees"))
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已确定考核对象%d个。") % len(chosen))
    return redirect("evaluation:panel", pk=pk)


def _ballot(request, nominees) -> list[service.BallotLine]:
    lines = []
    for nominee in nominees:
        conflict = request.POST.get(f"conflict-{nominee.pk}", "").strip()
        choice = request.POST.get(f"vote-{nominee.pk}")
        if conflict or choice in ("1", "0"):
            lines.append(
                service.BallotLine(
                    nominee.pk,
                    approve=choice == "1" if choice in ("1", "0") else None,
                    rank=int_param(request, f"rank-{nominee.pk}", request.POST),
                    conflict=conflict,
                )
            )
    return lines


@login_required
def panel_vote(request, pk):
    """The expert's ballot: own votes only; others' stay hidden until the panel closes."""
    panel = _panel(pk)
    if not request.user.has_perm("evaluation.sit_on_panel", panel):
        raise Http404(_("未找到该评审组。"))
    nominees = list(queries.pool(panel))
    if request.method == "POST":
        try:
            service.cast_ballot(request.user, panel, _ballot(request, nominees))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("投票已保存，评审结束前可以修改。"))
        return redirect("evaluation:vote", pk=pk)
    mine = {v.nominee_id: v for v in Vote.objects.filter(panel=panel, expert=request.user)}
    recused = {
        r.nominee_id: r.reason for r in Recusal.objects.filter(panel=panel, expert=request.user)
    }
    for nominee in nominees:
        nominee.my_vote = mine.get(nominee.pk)
        # also a nominee that arrived after the panel was formed
        nominee.recusal = recused.get(nominee.pk) or queries.conflict(request.user, nominee)
    return render(
        request,
        "evaluation/vote.html",
        {
            "panel": panel,
            "nominees": nominees,
            "may_vote": request.user.has_perm("evaluation.vote", panel),
        },
    )
