"""Assessment, preliminary list and the leading group's re-examination (C-8 step 4, C-10)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import leading_group_emails, office_emails
from laurel.campaigns.models import CampaignMember
from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.tasks import notify
from laurel.core.validators import record_ids
from laurel.evaluation.models import Assessment, Candidate, ListEntry, PreliminaryList
from laurel.evaluation.queries import assessor_conflict, ratio_checks
from laurel.nominations.models import Nominee


@transaction.atomic
def record_assessment(actor, nominee: Nominee, *, recommend: bool, findings: str) -> Assessment:
    candidate = Candidate.objects.select_related("nominee__campaign").filter(nominee=nominee)
    candidate = candidate.first()
    if candidate is None:
        require(actor, "evaluation.assess")
        raise ValidationError(_("“%s”不是考核对象。") % nominee)
    require(actor, "evaluation.assess", candidate)
    reason = assessor_conflict(actor, nominee)
    if reason:
        raise ValidationError(
            _("您对“%(name)s”需回避（%(reason)s），不能考核。")
            % {"name": nominee, "reason": reason}
        )
    if not findings.strip():
        raise ValidationError({"findings": _("请填写考核情况。")})
    with audit_context(actor, _("考核")):
        assessment, _created = Assessment.objects.update_or_create(
            nominee=nominee,
            assessor=actor,
            defaults={"recommend": recommend, "findings": findings.strip()},
        )
    return assessment


@transaction.atomic
def draft_preliminary_list(actor, campaign, category, nominee_ids, justifications=None):
    """The office's preliminary list: recommended candidates, no more than the award count;
    an "in principle" share passed needs a written justification."""
    lst, _created = PreliminaryList.objects.get_or_create(campaign=campaign, category=category)
    lst = PreliminaryList.objects.select_for_update().get(pk=lst.pk)
    require(actor, "evaluation.draft_list", lst)
    ids = record_ids(nominee_ids)
    chosen = list(
        Nominee.objects.filter(
            pk__in=ids,
            category=category,
            candidacy__isnull=False,
            state=Nominee.State.RECEIVED,  # not one a founded objection withdrew (C-11)
        )
        .select_related("category")
        .prefetch_related("assessments")
    )
    if len(chosen) != len(set(ids)):
        withdrawn = Nominee.objects.filter(pk__in=ids, state=Nominee.State.WITHDRAWN)
        if withdrawn:
            raise ValidationError(
                _("已撤回的对象不能列入初选名单：%s") % "、".join(n.name for n in withdrawn)
            )
        raise ValidationError(_("初选名单只能从本类别的考核对象中选择。"))
    if len(chosen) > category.award_count:
        raise ValidationError(
            _("初选名单%(n)d个，超过表彰名额%(awards)d个。")
            % {"n": len(chosen), "awards": category.award_count}
        )
    # the team's view, not one member's: more of its assessments for than against
    not_recommended = [
        n.name for n in chosen if sum(1 if a.recommend else -1 for a in n.assessments.all()) <= 0
    ]
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
    with audit_context(actor, _("拟定初选名单")):
        lst.justifications = justifications
        lst.save()
        lst.entries.exclude(nominee__in=chosen).delete()
        for nominee in chosen:
            ListEntry.objects.get_or_create(list=lst, nominee=nominee)
    return lst


@transaction.atomic
def submit_to_leading_group(actor, lst: PreliminaryList) -> PreliminaryList:
    lst = PreliminaryList.objects.select_for_update().get(pk=lst.pk)
    require(actor, "evaluation.draft_list", lst)
    if not lst.entries.exists():
        raise ValidationError(_("只有已拟定的初选名单可以报领导小组复审。"))
    with audit_context(actor, _("报领导小组复审")):
        lst.state = PreliminaryList.State.SUBMITTED
        lst.submitted_at = timezone.now()
        lst.save()
    notify(
        _("【评比达标表彰】请复审初选名单：%s") % lst.category.name,
        _(
            "%(campaign)s %(category)s初选名单（%(n)d个）已报领导小组复审。请登录系统，"
            "在“初选名单复审”中阅读名单及考核情况后出具复审意见。"
        )
        % {
            "campaign": lst.campaign.name,
            "category": lst.category.name,
            "n": lst.entries.count(),
        },
        leading_group_emails(),
    )
    return lst


def _meeting_problems(lst: PreliminaryList, meeting_on, attendees) -> dict[str, str]:
    """The re-examination is the group's decision at a meeting (C-8 step 4): held on a real day
    between the list's submission and today, with more than half of the plan's leading group
    members (附件1-1) present."""
    members = {
        m.pk: m
        for m in CampaignMember.objects.filter(
            campaign=lst.campaign, group=CampaignMember.Group.LEADING_GROUP
        )
    }
    problems = {}
    if not members:
        problems["attendees"] = _(
            "本活动未列出领导小组成员（附件1-1），不能记录复审决定；请先在活动中填写成员名单。"
        )
    else:
        present = [members[pk] for pk in record_ids(attendees) if pk in members]
        if len(record_ids(attendees)) != len(present):
            problems["attendees"] = _("出席成员须是本活动领导小组的成员。")
        elif len(present) * 2 <= len(members):
            problems["attendees"] = _(
                "出席复审会议的领导小组成员%(n)d人，未超过半数（共%(total)d人），不能作出复审决定。"
            ) % {"n": len(present), "total": len(members)}
    today = timezone.localdate()
    submitted = timezone.localdate(lst.submitted_at) if lst.submitted_at else None
    if meeting_on is None:
        problems["meeting_on"] = _("请填写复审会议日期。")
    elif meeting_on > today:
        problems["meeting_on"] = _("复审会议日期不能晚于今天。")
    elif submitted and meeting_on < submitted:
        problems["meeting_on"] = (
            _("复审会议日期不能早于初选名单报领导小组的日期（%s）。") % submitted.isoformat()
        )
    return problems


@transaction.atomic
def leading_group_decide(
    actor, lst: PreliminaryList, *, note: str, meeting_on=None, attendees=(), remove=()
) -> PreliminaryList:
    """Record the leading group's re-examination: the list approved at a meeting of more than
    half its members, possibly removing names (recorded)."""
    lst = PreliminaryList.objects.select_for_update().select_related("campaign").get(pk=lst.pk)
    require(actor, "evaluation.decide_list", lst)
    problems = _meeting_problems(lst, meeting_on, attendees)
    if not note.strip():
        problems["note"] = _("请填写复审意见。")
    if problems:
        raise ValidationError(problems)
    present = list(
        CampaignMember.objects.filter(pk__in=record_ids(attendees)).order_by("sort_order")
    )
    names = "、".join(m.name for m in present)
    reason = _("%(note)s（%(day)s领导小组会议，出席：%(names)s）") % {
        "note": note.strip(),
        "day": meeting_on.isoformat(),
        "names": names,
    }
    with audit_context(actor, reason):
        if remove:
            lst.entries.filter(nominee_id__in=record_ids(remove)).delete()
        lst.state = PreliminaryList.State.APPROVED
        lst.leading_group_note = note.strip()
        lst.meeting_on = meeting_on
        lst.save()
        lst.attendees.set(present)
    notify(
        _("【评比达标表彰】领导小组已复审：%s") % lst.category.name,
        _(
            "%(campaign)s %(category)s初选名单已经领导小组复审（%(n)d个），复审意见：%(note)s。"
            "请登录系统组织省级公示。"
        )
        % {
            "campaign": lst.campaign.name,
            "category": lst.category.name,
            "n": lst.entries.count(),
            "note": lst.leading_group_note,
        },
        office_emails(),
    )
    return lst
