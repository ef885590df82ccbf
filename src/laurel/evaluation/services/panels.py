"""The eligibility recheck and the review panel (C-8 step 3): guard → save → audit row."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import assessor_emails
from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.tasks import notify
from laurel.core.validators import record_ids
from laurel.evaluation.models import (
    Candidate,
    Panel,
    PanelMember,
    PanelResult,
    Recheck,
    Recusal,
    Vote,
)
from laurel.evaluation.queries import (
    bound,
    conflict,
    count_votes,
    pool,
    runoff_order,
    standing_groups,
    tally,
    tie_groups,
)
from laurel.nominations import eligibility
from laurel.nominations.models import Nominee


@transaction.atomic
def record_recheck(actor, nominee: Nominee, *, eligible: bool, reason: str = "") -> Recheck:
    """Re-run every eligibility check and record the verdict; an ineligible nominee is
    excluded (withdrawn) with the reason, which its body sees on the nominee's page."""
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    require(actor, "evaluation.recheck_nominee", nominee)
    findings = eligibility.findings_for(nominee)
    blocking = [f.message for f in findings if f.blocking]
    if eligible and blocking:
        raise ValidationError([_("复核发现不符合项，不能认定合格：%s") % m for m in blocking])
    if not eligible and not reason.strip():
        raise ValidationError({"reason": _("认定不合格须写明理由。")})
    with audit_context(actor, reason or _("资格复核合格")):
        recheck = Recheck.objects.create(
            nominee=nominee, eligible=eligible, reason=reason.strip(), decided_by=actor
        )
        if not eligible:
            nominee.state = Nominee.State.WITHDRAWN
            nominee.save()
        else:  # a nominee arriving while a panel of its category is open: recusals now
            for panel in Panel.objects.filter(
                campaign=nominee.campaign, category=nominee.category, state=Panel.State.OPEN
            ):
                apply_automatic_recusals(panel)
    return recheck


@transaction.atomic
def create_panel(
    actor, campaign, category, *, name: str, quorum: int, pass_ratio: Decimal, experts
) -> Panel:
    require(actor, "evaluation.form_panel", campaign)
    formed = Panel.objects.filter(campaign=campaign, category=category, runoff_of=None).first()
    if formed is not None:  # a second panel would let the office shop for a better tally
        raise ValidationError(
            _("“%(category)s”已组建评审组“%(panel)s”；票数相同的，请在该评审组组织加票。")
            % {"category": category.name, "panel": formed.name}
        )
    experts = list(experts)
    if quorum > len(experts):
        raise ValidationError(
            {"quorum": _("最少投票专家数不能多于专家人数（%d）。") % len(experts)}
        )
    panel = Panel(
        campaign=campaign, category=category, name=name, quorum=quorum, pass_ratio=pass_ratio
    )
    panel.full_clean()
    with audit_context(actor, _("组建评审组")):
        panel.save()
        for expert in experts:
            PanelMember.objects.create(panel=panel, expert=expert)
        apply_automatic_recusals(panel)
    notify(
        _("【评比达标表彰】请参加评审：%s") % panel.name,
        _(
            "您被聘为“%(panel)s”（%(campaign)s，%(category)s）的评审专家。请登录系统，"
            "在“我的评审组”阅读推荐对象的完整材料后投票；与推荐对象有利害关系的请申请回避。"
        )
        % {"panel": panel.name, "campaign": campaign.name, "category": category.name},
        [expert.email for expert in experts],
    )
    return panel


def apply_automatic_recusals(panel: Panel) -> int:
    created = 0
    members = [m.expert for m in panel.members.select_related("expert__unit")]
    for nominee in pool(panel):
        for expert in members:
            reason = conflict(expert, nominee)
            if reason:
                _recusal, made = Recusal.objects.get_or_create(
                    panel=panel,
                    expert=expert,
                    nominee=nominee,
                    defaults={"reason": reason, "automatic": True},
                )
                created += made
    return created


def _in_pool(panel: Panel, nominee: Nominee) -> None:
    if not pool(panel).filter(pk=nominee.pk).exists():
        raise ValidationError(_("“%s”不在本评审组的评审范围内。") % nominee)


@transaction.atomic
def declare_conflict(actor, panel: Panel, nominee: Nominee, reason: str) -> Recusal:
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.declare_conflict", panel)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明需要回避的原因。")})
    _in_pool(panel, nominee)
    with audit_context(actor, reason):
        Vote.objects.filter(panel=panel, expert=actor, nominee=nominee).delete()
        recusal, _created = Recusal.objects.get_or_create(
            panel=panel, expert=actor, nominee=nominee, defaults={"reason": reason.strip()}
        )
    return recusal


@transaction.atomic
def cast_vote(
    actor, panel: Panel, nominee: Nominee, *, approve: bool, rank: int | None = None
) -> Vote:
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.vote", panel)
    _in_pool(panel, nominee)
    # Checked at every vote, whenever the nominee arrived: the expert's unit line and the
    # nominee's nominating body, not only the recusals recorded when the panel was formed.
    if Recusal.objects.filter(panel=panel, expert=actor, nominee=nominee).exists() or conflict(
        actor, nominee
    ):
        raise ValidationError(_("您对“%s”需回避，不能投票。") % nominee)
    if rank is not None:
        # A rank places the nominee in the pool: 1 … its size (an expert may rank two alike).
        # The mean rank decides between equal approvals, so one expert's 10⁹ must not outweigh
        # the others'.
        size = pool(panel).count()
        if not 1 <= rank <= size:
            raise ValidationError(
                {
                    "rank": _("“%(name)s”的名次须为1至%(n)d之间的整数。")
                    % {"name": nominee, "n": size}
                }
            )
    with audit_context(actor, _("评审投票")):
        vote, _created = Vote.objects.update_or_create(
            panel=panel, expert=actor, nominee=nominee, defaults={"approve": approve, "rank": rank}
        )
    return vote


@dataclass(frozen=True)
class BallotLine:
    """One line of an expert's ballot: a vote (approve, optional rank) or a conflict."""

    nominee_id: int
    approve: bool | None = None
    rank: int | None = None
    conflict: str = ""


@transaction.atomic
def cast_ballot(actor, panel: Panel, lines: list[BallotLine]) -> int:
    """The expert's ballot as one change: every vote and conflict on it is saved, or none is.
    Returns the number of lines recorded."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.vote", panel)
    nominees = {n.pk: n for n in pool(panel)}
    recorded = 0
    for line in lines:
        nominee = nominees.get(line.nominee_id)
        if nominee is None:
            raise ValidationError(_("所选推荐对象不在本评审组的评审范围内，请刷新页面后重试。"))
        if line.conflict.strip():
            declare_conflict(actor, panel, nominee, line.conflict)
            recorded += 1
        elif line.approve is not None:
            cast_vote(actor, panel, nominee, approve=line.approve, rank=line.rank)
            recorded += 1
    return recorded


@transaction.atomic
def close_panel(actor, panel: Panel) -> Panel:
    """End the vote: the tally and the minutes are counted once and stored as the panel's
    record (printable, exportable), never recomputed afterwards."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.close_panel", panel)
    voters = panel.votes.values("expert").distinct().count()
    if voters < panel.quorum:
        raise ValidationError(
            _("参加投票的专家%(n)d人，少于规定的%(q)d人，不能结束评审。")
            % {"n": voters, "q": panel.quorum}
        )
    with audit_context(actor, _("结束评审")):
        apply_automatic_recusals(panel)
        rows = count_votes(panel)
        received = len(rows)
        for row in rows:
            PanelResult.objects.create(
                panel=panel,
                nominee=row.nominee,
                position=row.position,
                approvals=row.approvals,
                voters=row.voters,
                judges=row.judges,
                recused=row.recused,
                mean_rank=row.mean_rank,
                passed=row.passed,
                tied=row.tied,
            )
        panel.minutes = _minutes(panel, received)
        panel.state = Panel.State.CLOSED
        panel.closed_at = timezone.now()
        panel.closed_by = actor
        panel.save()
    return panel


def _minutes(panel: Panel, received: int) -> dict:
    members = []
    for member in panel.members.select_related("expert__unit").order_by("pk"):
        expert = member.expert
        members.append(
            {
                "name": expert.full_name or expert.get_username(),
                "unit": str(expert.unit or ""),
                "votes": panel.votes.filter(expert=expert).count(),
            }
        )
    recusals = [
        {
            "expert": r.expert.full_name or r.expert.get_username(),
            "nominee": r.nominee.name,
            "reason": r.reason,
            "automatic": r.automatic,
        }
        for r in panel.recusals.select_related("expert", "nominee").order_by("pk")
    ]
    ratio = panel.campaign.differential_ratio
    return {
        "received": received,
        "bound": bound(panel) if panel.runoff_of_id else math.floor(received / (1 + ratio)),
        "quorum": panel.quorum,
        "pass_ratio": str(panel.pass_ratio),
        "members": members,
        "recusals": recusals,
    }


@transaction.atomic
def create_runoff(actor, panel: Panel, nominee_ids) -> Panel:
    """A run-off (加票) among nominees the closed panel tied: the same experts vote again on
    them only; its result decides their order (recorded like any panel)."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.choose_candidates", panel)
    require(actor, "evaluation.form_panel", panel.campaign)
    chosen = set(record_ids(nominee_ids))
    groups = [{r.nominee.pk for r in group} for group in tie_groups(tally(panel))]
    if len(chosen) < 2 or not any(chosen <= group for group in groups):
        raise ValidationError(_("加票只能在本评审组票数相同的推荐对象之间进行。"))
    if panel.runoffs.filter(state=Panel.State.OPEN).exists():
        raise ValidationError(_("本评审组有尚未结束的加票，请先结束该加票。"))
    # A run-off's result stands: another is held only among exactly the names still level
    # after the earlier ones, so the office cannot repeat a vote until the order suits it.
    group = next(g for g in groups if chosen <= g)
    order, _counted = runoff_order(panel, group)
    if chosen not in order:  # the whole level set, never a part the order would not read
        level = [
            "、".join(n.name for n in Nominee.objects.filter(pk__in=s).order_by("pk"))
            for s in order
            if len(s) > 1
        ]
        raise ValidationError(
            _("已加票决定的名次不再重新投票；只能在加票后仍票数相同的对象之间再次加票：%s")
            % ("；".join(level) or _("无"))
        )
    # Every name of a run-off is judged by the same experts: one who stood aside from any of
    # them (declared, or a conflict) sits the run-off out, so a recusal is never the missing
    # approval that orders the names.
    nominees = list(Nominee.objects.filter(pk__in=chosen))
    recused = set(panel.recusals.filter(nominee_id__in=chosen).values_list("expert_id", flat=True))
    experts = [
        m.expert
        for m in panel.members.select_related("expert__unit")
        if m.expert_id not in recused and not any(conflict(m.expert, n) for n in nominees)
    ]
    if not experts:
        raise ValidationError(_("评审组中没有可以对这些对象加票的专家（均需回避）。"))
    with audit_context(actor, _("组织加票")):
        runoff = Panel.objects.create(
            campaign=panel.campaign,
            category=panel.category,
            name=_("%s（加票）") % panel.name,
            quorum=min(panel.quorum, len(experts)),
            pass_ratio=panel.pass_ratio,
            runoff_of=panel,
        )
        runoff.runoff_nominees.set(chosen)
        for expert in experts:
            PanelMember.objects.create(panel=runoff, expert=expert)
    return runoff


@transaction.atomic
def choose_candidates(actor, panel: Panel, nominee_ids) -> list[Candidate]:
    """The assessment candidates: each passed the threshold; no more than the bound."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.choose_candidates", panel)
    if panel.runoff_of_id:
        raise ValidationError(_("加票只决定票数相同者的名次，考核对象在原评审组确定。"))
    ranked = tally(panel)
    rows = {r.nominee.pk: r for r in ranked}
    chosen = record_ids(nominee_ids)
    limit = bound(panel)
    if len(chosen) > limit:
        raise ValidationError(
            _(
                "考核对象%(n)d个，超过差额比例允许的%(limit)d个（收到%(received)d个÷(1+%(ratio)s)）。"
            )
            % {
                "n": len(chosen),
                "limit": limit,
                "received": len(rows),
                "ratio": panel.campaign.differential_ratio,
            }
        )
    if any(pk not in rows for pk in chosen):
        raise ValidationError(_("所选对象不在本评审组的计票结果中，请刷新页面后重试。"))
    failed = [rows[pk].nominee.name for pk in chosen if not rows[pk].passed]
    if failed:
        raise ValidationError(_("未达到通过比例，不能确定为考核对象：%s") % "、".join(failed))
    _check_order(panel, ranked, set(chosen))
    with audit_context(actor, _("确定考核对象")):
        panel.candidates.all().delete()
        candidates = [
            Candidate.objects.create(panel=panel, nominee=rows[pk].nominee) for pk in chosen
        ]
    if candidates:
        notify(
            _("【评比达标表彰】考核任务：%s") % panel.name,
            _(
                "“%(panel)s”（%(campaign)s）确定了%(n)d个考核对象。请登录系统，在“考核”中"
                "逐一填写考核情况和是否同意推荐。"
            )
            % {"panel": panel.name, "campaign": panel.campaign.name, "n": len(candidates)},
            assessor_emails(),
        )
    return candidates


def _check_order(panel: Panel, ranked, chosen: set[int]) -> None:
    """C-8 step 3: the differential selection is decided by votes, not by the office. The
    candidates are the top of the passed ranking: nobody is taken over a passed nominee who
    stands higher, and a cut through equal standing needs a run-off that ordered them."""
    cut_at = None  # the first standing group not taken whole
    for group in standing_groups(ranked):
        ids = {r.nominee.pk for r in group}
        taken = ids & chosen
        if cut_at is not None:
            if taken:
                above = "、".join(r.nominee.name for r in cut_at if r.nominee.pk not in chosen)
                names = "、".join(r.nominee.name for r in group if r.nominee.pk in taken)
                raise ValidationError(
                    _("考核对象须按评审票数从高到低确定：%(above)s的票数高于%(names)s。")
                    % {"above": above, "names": names}
                )
            continue
        if taken == ids:
            continue
        cut_at = group
        if not taken:
            continue
        names = "、".join(r.nominee.name for r in group)
        order, held = runoff_order(panel, ids)
        if not held:
            raise ValidationError(_("%s票数相同，只选其中一部分须先组织加票决定名次。") % names)
        top: set[int] = set()
        for level in order:
            if len(top) + len(level) > len(taken) and len(top) < len(taken):
                raise ValidationError(_("%s加票后仍票数相同，请再次组织加票。") % names)
            if len(top) >= len(taken):
                break
            top |= level
        if taken != top:
            raise ValidationError(_("%s的名次由加票决定，请按加票结果选择。") % names)
