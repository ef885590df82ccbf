"""Provincial evaluation (C-8 step 3): eligibility recheck and the review panel.

Every write is one function: guard → save → audit row."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.evaluation import signals
from laurel.evaluation.models import Candidate, Panel, PanelMember, Recheck, Recusal, Vote
from laurel.nominations import eligibility
from laurel.nominations.models import Nominee


def _ids(values) -> list[int]:
    """Posted record ids as integers; anything else is refused with a message, not a 500."""
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError):
        raise ValidationError(_("所选对象无效，请刷新页面后重试。")) from None


def _require_office(actor) -> None:
    if actor is not None and not actor.has_perm("campaigns.manage_campaigns"):
        raise PermissionDenied(_("只有省级表彰工作办公室可以进行此项操作。"))


@transaction.atomic
def record_recheck(actor, nominee: Nominee, *, eligible: bool, reason: str = "") -> Recheck:
    """Re-run every eligibility check and record the verdict; an ineligible nominee is
    excluded (withdrawn) with the reason, which its body sees on the nominee's page."""
    _require_office(actor)
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.state != Nominee.State.RECEIVED:
        raise ValidationError(_("只有省级已接收的推荐对象可以进行资格复核。"))
    if hasattr(nominee, "recheck"):
        raise ValidationError(_("“%s”已完成资格复核。") % nominee)
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


def pool(panel: Panel):
    """The nominees a panel reviews: received, rechecked eligible, in its category."""
    return Nominee.objects.filter(
        campaign=panel.campaign,
        category=panel.category,
        state=Nominee.State.RECEIVED,
        recheck__eligible=True,
    ).select_related("nominating_unit", "body__unit", "body__division")


def conflict(expert, nominee: Nominee) -> str | None:
    """Why an expert must not vote on a nominee: same unit (or one above the other), or the
    expert belongs to the nominee's nominating body."""
    unit = expert.unit
    if unit is None:
        return None
    own = nominee.nominating_unit
    if unit.path.startswith(own.path) or own.path.startswith(unit.path):
        return _("与推荐对象属同一单位或上下级单位")
    body_unit = nominee.body.unit
    if body_unit is not None and unit.path.startswith(body_unit.path):
        return _("属于推荐对象的推荐单位")
    return None


@transaction.atomic
def create_panel(
    actor, campaign, category, *, name: str, quorum: int, pass_ratio: Decimal, experts
) -> Panel:
    _require_office(actor)
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


def _require_member(actor, panel: Panel) -> None:
    if not panel.members.filter(expert=actor).exists():
        raise PermissionDenied(_("您不是该评审组的专家。"))


@transaction.atomic
def declare_conflict(actor, panel: Panel, nominee: Nominee, reason: str) -> Recusal:
    _require_member(actor, panel)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明需要回避的原因。")})
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
    _require_member(actor, panel)
    if panel.state != Panel.State.OPEN:
        raise ValidationError(_("评审已结束，不能再投票。"))
    if not pool(panel).filter(pk=nominee.pk).exists():
        raise ValidationError(_("“%s”不在本评审组的评审范围内。") % nominee)
    if Recusal.objects.filter(panel=panel, expert=actor, nominee=nominee).exists():
        raise ValidationError(_("您对“%s”需回避，不能投票。") % nominee)
    with audit_context(actor, _("评审投票")):
        vote, _created = Vote.objects.update_or_create(
            panel=panel, expert=actor, nominee=nominee, defaults={"approve": approve, "rank": rank}
        )
    return vote


@transaction.atomic
def close_panel(actor, panel: Panel) -> Panel:
    _require_office(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.state != Panel.State.OPEN:
        raise ValidationError(_("评审组已结束。"))
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


@dataclass
class TallyRow:
    nominee: Nominee
    approvals: int
    voters: int
    recused: int
    mean_rank: float | None
    passed: bool
    tied: bool = False


def required_approvals(ratio: Decimal, voters: int) -> int:
    """Approvals needed among ``voters``. The ratio is stored to three decimals (0.667 for
    two thirds), so the product is rounded to a tenth before rounding up: 0.667 × 3 → 2,
    0.667 × 30 → 20, 0.5 × 3 → 2."""
    product = (Decimal(ratio) * voters).quantize(Decimal("0.1"))
    return math.ceil(product)


def bound(panel: Panel) -> int:
    """C-8 step 3: candidates ≤ received ÷ (1 + differential ratio)."""
    received = pool(panel).count()
    return math.floor(Decimal(received) / (1 + panel.campaign.differential_ratio))


def tally(panel: Panel) -> list[TallyRow]:
    """Approvals per nominee among the experts who voted on it, ranked; equal neighbours are
    flagged as ties. Available once the panel is closed."""
    if panel.state != Panel.State.CLOSED:
        raise ValidationError(_("评审结束前不公开计票结果。"))
    rows = []
    for nominee in pool(panel):
        votes = list(panel.votes.filter(nominee=nominee))
        approvals = sum(v.approve for v in votes)
        ranks = [v.rank for v in votes if v.rank]
        rows.append(
            TallyRow(
                nominee=nominee,
                approvals=approvals,
                voters=len(votes),
                recused=panel.recusals.filter(nominee=nominee).count(),
                mean_rank=sum(ranks) / len(ranks) if ranks else None,
                passed=bool(votes)
                and approvals >= required_approvals(panel.pass_ratio, len(votes)),
            )
        )
    rows.sort(
        key=lambda r: (-r.approvals, r.mean_rank if r.mean_rank is not None else 1e9, r.nominee.pk)
    )
    for before, after in itertools.pairwise(rows):
        if (before.approvals, before.mean_rank) == (after.approvals, after.mean_rank):
            before.tied = after.tied = True
    return rows


@transaction.atomic
def choose_candidates(actor, panel: Panel, nominee_ids) -> list[Candidate]:
    """The assessment candidates: each passed the threshold; no more than the bound."""
    _require_office(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    rows = {r.nominee.pk: r for r in tally(panel)}
    chosen = _ids(nominee_ids)
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


# --- assessment, preliminary list, re-examination (C-8 step 4, C-10) -------------------------


@transaction.atomic
def record_assessment(actor, nominee: Nominee, *, recommend: bool, findings: str):
    from laurel.accounts.roles import Role
    from laurel.evaluation.models import Approval, Assessment

    if actor is not None and not actor.has_role(Role.ASSESSMENT_TEAM):
        raise PermissionDenied(_("只有考核组成员可以填写考核情况。"))
    if not Candidate.objects.filter(nominee=nominee).exists():
        raise ValidationError(_("“%s”不是考核对象。") % nominee)
    if Approval.objects.filter(campaign_id=nominee.campaign_id).exists():
        raise ValidationError(_("该活动已经省政府审定，考核情况不能再修改。"))
    if not findings.strip():
        raise ValidationError({"findings": _("请填写考核情况。")})
    with audit_context(actor, _("考核")):
        assessment, _created = Assessment.objects.update_or_create(
            nominee=nominee,
            assessor=actor,
            defaults={"recommend": recommend, "findings": findings.strip()},
        )
    return assessment


@dataclass
class RatioCheck:
    key: str
    text: str
    count: int
    base: int
    max_ratio: float

    @property
    def limit(self) -> int:
        return math.floor(self.base * self.max_ratio + 1e-9)

    @property
    def ok(self) -> bool:
        return self.count <= self.limit

    def __str__(self):
        return _("%(text)s：%(count)d人，基数%(base)d，上限%(limit)d人") % {
            "text": self.text,
            "count": self.count,
            "base": self.base,
            "limit": self.limit,
        }


def ratio_checks(campaign, category, nominees) -> list[RatioCheck]:
    """C-10 with the numbers: the "in principle" shares of the campaign on this list."""
    from laurel.campaigns.models import Quota
    from laurel.nominations.eligibility import COUNTERS

    checks = []
    for limit in campaign.ratio_limits:
        counter = COUNTERS.get(limit.get("counts", ""))
        if counter is None or (limit.get("category") and limit["category"] != category.key):
            continue
        if limit["base"] == "awards":
            base = category.award_count
        else:
            base = sum(q.places for q in Quota.objects.filter(category=category))
        count = sum(1 for n in nominees if counter(n))
        checks.append(RatioCheck(limit["key"], limit["text"], count, base, limit["max_ratio"]))
    return checks


@transaction.atomic
def draft_preliminary_list(actor, campaign, category, nominee_ids, justifications=None):
    """The office's preliminary list: recommended candidates, no more than the award count;
    an "in principle" share passed needs a written justification."""
    from laurel.evaluation.models import ListEntry, PreliminaryList

    _require_office(actor)
    chosen = list(
        Nominee.objects.filter(
            pk__in=_ids(nominee_ids), category=category, candidacy__isnull=False
        ).select_related("category")
    )
    if len(chosen) != len(set(nominee_ids)):
        raise ValidationError(_("初选名单只能从本类别的考核对象中选择。"))
    if len(chosen) > category.award_count:
        raise ValidationError(
            _("初选名单%(n)d个，超过表彰名额%(awards)d个。")
            % {"n": len(chosen), "awards": category.award_count}
        )
    not_recommended = [n.name for n in chosen if not n.assessments.filter(recommend=True).exists()]
    if not_recommended:
        raise ValidationError(_("未经考核同意，不能列入：%s") % "、".join(not_recommended))
    justifications = {k: v.strip() for k, v in (justifications or {}).items() if v.strip()}
    missing = [
        str(c)
        for c in ratio_checks(campaign, category, chosen)
        if not c.ok and c.key not in justifications
    ]
    if missing:
        raise ValidationError([_("超出原则性比例，须说明理由：%s") % m for m in missing])
    lst, _created = PreliminaryList.objects.get_or_create(campaign=campaign, category=category)
    if lst.state != PreliminaryList.State.DRAFT:
        raise ValidationError(_("初选名单已报领导小组，不能再修改。"))
    with audit_context(actor, _("拟定初选名单")):
        lst.justifications = justifications
        lst.save()
        lst.entries.exclude(nominee__in=chosen).delete()
        for nominee in chosen:
            ListEntry.objects.get_or_create(list=lst, nominee=nominee)
    return lst


@transaction.atomic
def submit_to_leading_group(actor, lst):
    from laurel.evaluation.models import PreliminaryList

    _require_office(actor)
    lst = PreliminaryList.objects.select_for_update().get(pk=lst.pk)
    if lst.state != PreliminaryList.State.DRAFT or not lst.entries.exists():
        raise ValidationError(_("只有已拟定的初选名单可以报领导小组复审。"))
    with audit_context(actor, _("报领导小组复审")):
        lst.state = PreliminaryList.State.SUBMITTED
        lst.save()
    return lst


@transaction.atomic
def leading_group_decide(actor, lst, *, note: str, remove=()):
    """The leading group approves the list, possibly removing names (recorded)."""
    from laurel.accounts.roles import Role
    from laurel.evaluation.models import PreliminaryList

    if actor is not None and not actor.has_role(Role.LEADING_GROUP):
        raise PermissionDenied(_("只有领导小组成员可以复审初选名单。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写复审意见。")})
    lst = PreliminaryList.objects.select_for_update().get(pk=lst.pk)
    if lst.state != PreliminaryList.State.SUBMITTED:
        raise ValidationError(_("该初选名单不在复审中。"))
    with audit_context(actor, note.strip()):
        if remove:
            lst.entries.filter(nominee_id__in=_ids(remove)).delete()
        lst.state = PreliminaryList.State.APPROVED
        lst.leading_group_note = note.strip()
        lst.save()
    return lst


# --- approval, awards, verification, revocation (C-8 step 6, C-2, C-11) ------------------------


@transaction.atomic
def record_approval(actor, campaign, *, document_number: str, approved_on):
    """Record the government's approval; every category's list must have been re-examined."""
    from laurel.evaluation.models import Approval, PreliminaryList

    _require_office(actor)
    if not document_number.strip():
        raise ValidationError({"document_number": _("请填写批准文号。")})
    pending = [
        c.name
        for c in campaign.categories.all()
        if not PreliminaryList.objects.filter(
            campaign=campaign, category=c, state=PreliminaryList.State.APPROVED
        ).exists()
    ]
    if pending:
        raise ValidationError(
            _("以下类别的初选名单尚未经领导小组复审同意：%s") % "、".join(pending)
        )
    if Approval.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("已记录省政府审定。"))
    missing = _provincial_notice_missing(campaign)
    if missing:
        raise ValidationError(
            _("以下对象尚未经省级公示期满（不少于%(n)d个工作日）或有异议未办结：%(names)s")
            % {"n": campaign.public_notice_working_days, "names": "、".join(missing)}
        )
    with audit_context(actor, _("省政府审定")):
        return Approval.objects.create(
            campaign=campaign, document_number=document_number.strip(), approved_on=approved_on
        )


def _provincial_notice_missing(campaign) -> list[str]:
    """C-8 step 5: every name on the lists has been on a provincial notice that has ended,
    and no objection against it is still open."""
    from django.utils import timezone

    from laurel.evaluation.models import ListEntry
    from laurel.public.models import NoticeEntry, Objection, PublicNotice

    today = timezone.localdate()
    missing = []
    for entry in ListEntry.objects.filter(list__campaign=campaign).select_related("nominee"):
        noticed = NoticeEntry.objects.filter(
            nominee=entry.nominee,
            notice__level=PublicNotice.Level.PROVINCE,
            notice__ends_on__lt=today,
        ).exists()
        open_objection = entry.nominee.objections.filter(state__in=Objection.OPEN_STATES).exists()
        if not noticed or open_objection:
            missing.append(entry.nominee.name)
    return missing


def _certificate_number(campaign, category, sequence: int) -> str:
    return f"{campaign.year}{campaign.pk:03d}{category.sort_order + 1}{sequence:04d}"


@transaction.atomic
def issue_awards(actor, campaign) -> list:
    """Awards for every name on the approved lists: certificate numbers and the campaign's bonus
    for individuals, plaques for collectives. Needs the approval, and no open objection."""
    from laurel.evaluation.models import Approval, Award, ListEntry
    from laurel.public.models import Objection

    _require_office(actor)
    approval = Approval.objects.filter(campaign=campaign).first()
    if approval is None:
        raise ValidationError(_("尚未记录省政府审定，不能颁发表彰。"))
    entries = list(
        ListEntry.objects.filter(list__campaign=campaign)
        .select_related("nominee__category")
        .order_by("list__category__sort_order", "nominee__body__sort_order", "nominee__rank")
    )
    open_objections = Objection.objects.filter(
        nominee__in=[e.nominee for e in entries], state__in=Objection.OPEN_STATES
    )
    if open_objections.exists():
        raise ValidationError(_("有%d件异议尚未核查办结，不能颁发表彰。") % open_objections.count())
    awards, counters = [], {}
    with audit_context(actor, _("颁发表彰（%s）") % approval.document_number):
        for entry in entries:
            nominee, category = entry.nominee, entry.nominee.category
            if hasattr(nominee, "award"):
                continue
            individual = category.kind == "individual"
            counters[category.pk] = counters.get(category.pk, 0) + 1
            awards.append(
                Award.objects.create(
                    nominee=nominee,
                    certificate_number=(
                        _certificate_number(campaign, category, counters[category.pk])
                        if category.certificate or individual
                        else None
                    ),
                    plaque=category.plaque,
                    bonus_amount=category.bonus_amount if individual else 0,
                    issued_on=approval.approved_on,
                )
            )
            nominee.state = Nominee.State.AWARDED
            nominee.save()
    if awards:
        ids = [award.pk for award in awards]
        transaction.on_commit(lambda: signals.awards_issued.send(sender=Award, award_ids=ids))
    return awards


@transaction.atomic
def revoke_award(
    actor, award, *, reason: str, evidence: str, certificate_recovered: bool, bonus_recovered: bool
):
    """C-11: revoke with reason and evidence; certificate and bonus recovery recorded. There is
    no substitution: nobody takes the place, and the nominee can never be nominated again in
    this campaign."""
    from laurel.evaluation.models import Award

    _require_office(actor)
    if not reason.strip() or not evidence.strip():
        raise ValidationError(_("撤销表彰须写明原因和依据。"))
    award = Award.objects.select_for_update().select_related("nominee").get(pk=award.pk)
    if award.state == Award.State.REVOKED:
        raise ValidationError(_("该表彰已撤销。"))
    with audit_context(actor, reason.strip()):
        award.state = Award.State.REVOKED
        award.revoked_reason = reason.strip()
        award.revocation_evidence = evidence.strip()
        award.certificate_recovered = certificate_recovered
        award.bonus_recovered = bonus_recovered
        award.save()
        award.nominee.state = Nominee.State.REVOKED
        award.nominee.save()
    transaction.on_commit(lambda: signals.award_revoked.send(sender=Award, award_id=award.pk))
    return award


def verify_certificate(number: str, name: str) -> tuple[str, object]:
    """Public check: ("valid" | "revoked" | "unknown", award or None). The name must match."""
    from laurel.evaluation.models import Award

    award = (
        Award.objects.filter(certificate_number=(number or "").strip())
        .select_related("nominee__category", "nominee__campaign")
        .first()
    )
    if award is None or award.nominee.name != (name or "").strip():
        return "unknown", None
    return award.state, award
