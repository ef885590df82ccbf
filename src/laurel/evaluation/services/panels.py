"""The eligibility recheck and the review panel (C-8 step 3): guard → save → audit row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.validators import record_ids
from laurel.evaluation.models import Candidate, Panel, PanelMember, Recheck, Recusal, Vote
from laurel.evaluation.queries import bound, conflict, pool, tally
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
    return recheck


@transaction.atomic
def create_panel(
    actor, campaign, category, *, name: str, quorum: int, pass_ratio: Decimal, experts
) -> Panel:
    require(actor, "evaluation.form_panel", campaign)
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
    if Recusal.objects.filter(panel=panel, expert=actor, nominee=nominee).exists():
        raise ValidationError(_("您对“%s”需回避，不能投票。") % nominee)
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
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.close_panel", panel)
    voters = panel.votes.values("expert").distinct().count()
    if voters < panel.quorum:
        raise ValidationError(
            _("参加投票的专家%(n)d人，少于规定的%(q)d人，不能结束评审。")
            % {"n": voters, "q": panel.quorum}
        )
    with audit_context(actor, _("结束评审")):
        panel.state = Panel.State.CLOSED
        panel.save()
    return panel


@transaction.atomic
def choose_candidates(actor, panel: Panel, nominee_ids) -> list[Candidate]:
    """The assessment candidates: each passed the threshold; no more than the bound."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    require(actor, "evaluation.choose_candidates", panel)
    rows = {r.nominee.pk: r for r in tally(panel)}
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
    failed = [rows[pk].nominee.name for pk in chosen if pk not in rows or not rows[pk].passed]
    if failed:
        raise ValidationError(_("未达到通过比例，不能确定为考核对象：%s") % "、".join(failed))
    with audit_context(actor, _("确定考核对象")):
        panel.candidates.all().delete()
        return [Candidate.objects.create(panel=panel, nominee=rows[pk].nominee) for pk in chosen]
