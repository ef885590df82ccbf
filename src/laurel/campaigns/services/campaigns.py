"""Writes to campaigns: one function per change (guard → save → audit row)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from laurel.campaigns.models import (
    AchievementCondition,
    AwardCategory,
    Campaign,
    CampaignMember,
    CampaignPhase,
    NominatingBody,
    Quota,
    QuotaReservation,
)
from laurel.campaigns.queries import quota_problems
from laurel.campaigns.signals import places_in_use, unfinished_business
from laurel.core.audit import audit_context
from laurel.core.permissions import require

CAMPAIGN_FIELDS = (
    "name",
    "short_name",
    "year",
    "commended_in_name_of",
    "organisers",
    "office_unit",
    "differential_ratio",
    "public_notice_working_days",
    "profile_max_chars",
    "deeds_max_chars",
)
CATEGORY_FIELDS = (
    "name",
    "honour_title",
    "form_title",
    "treatment",
    "commendation_level",
    "award_count",
    "plaque",
    "certificate",
    "bonus_amount",
)


def _require_manager(actor) -> None:
    require(actor, "campaigns.manage_campaigns")


def _require_changeable(actor, campaign: Campaign) -> None:
    """The office changes a campaign until it closes; a closed campaign is read-only."""
    require(actor, "campaigns.change_campaign", campaign)


# The steps every plan has, created with a campaign made in the pages (their dates are set on
# the edit page; publishing needs the material deadline's).
STANDARD_PHASES = (
    ("start", _lazy("启动")),
    ("material_deadline", _lazy("材料报送截止")),
    ("end", _lazy("评选表彰结束")),
)


@transaction.atomic
def create_campaign(actor, *, slug: str, reason: str = "", **fields) -> Campaign:
    _require_manager(actor)
    if Campaign.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("标识“%s”已被其他活动使用。") % slug})
    campaign = Campaign(slug=slug, **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    campaign.full_clean()
    with audit_context(actor, reason):
        campaign.save()
        for order, (key, name) in enumerate(STANDARD_PHASES):
            CampaignPhase.objects.create(
                campaign=campaign, key=key, name=str(name), sort_order=order * 10
            )
    return campaign


@transaction.atomic
def add_phase(
    actor, campaign: Campaign, *, name: str, starts_on=None, ends_on=None, reason: str = ""
) -> CampaignPhase:
    """A step of the plan beyond the standard ones (推荐单位公示, 专家评审 …), with its dates."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_changeable(actor, campaign)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写阶段名称。")})
    if campaign.phases.filter(name=name).exists():
        raise ValidationError({"name": _("已有名为“%s”的阶段。") % name})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("截止日期早于开始日期。")})
    last = campaign.phases.order_by("-sort_order").values_list("sort_order", flat=True).first()
    key = f"phase-{campaign.phases.count() + 1}"
    while campaign.phases.filter(key=key).exists():
        key += "x"
    phase = CampaignPhase(
        campaign=campaign,
        key=key,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        sort_order=(last or 0) + 10,
    )
    phase.full_clean()
    with audit_context(actor, reason or _("增加工作阶段")):
        phase.save()
    return phase


@transaction.atomic
def update_campaign(actor, campaign: Campaign, *, reason: str = "", **fields) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_changeable(actor, campaign)
    for key, value in fields.items():
        if key not in CAMPAIGN_FIELDS:
            raise TypeError(key)
        setattr(campaign, key, value)
    campaign.full_clean()
    with audit_context(actor, reason):
        campaign.save()
        _refuse_if_quotas_short(campaign)
    return campaign


@transaction.atomic
def update_category(actor, category: AwardCategory, *, reason: str = "", **fields):
    category = AwardCategory.objects.select_for_update().get(pk=category.pk)
    _require_changeable(actor, category.campaign)
    for key, value in fields.items():
        if key not in CATEGORY_FIELDS:
            raise TypeError(key)
        setattr(category, key, value)
    category.full_clean()
    with audit_context(actor, reason):
        category.save()
        _refuse_if_quotas_short(category.campaign)
    return category


@transaction.atomic
def set_phase_dates(actor, phase: CampaignPhase, starts_on, ends_on, reason: str = ""):
    phase = CampaignPhase.objects.select_for_update().get(pk=phase.pk)
    _require_changeable(actor, phase.campaign)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("截止日期早于开始日期。")})
    with audit_context(actor, reason):
        phase.starts_on, phase.ends_on = starts_on, ends_on
        phase.save()
    return phase


def _refuse_if_quotas_short(campaign: Campaign) -> None:
    """Inside a transaction: undo the change (by raising) when a category falls short (C-3)."""
    if campaign.status == Campaign.Status.DRAFT and not campaign.bodies.exists():
        return
    problems = quota_problems(campaign)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def set_quotas(actor, campaign: Campaign, places: dict[int, int], reason: str = "") -> list[Quota]:
    """Set several quotas at once (quota id → places). Refused as a whole when a category's
    total falls below awards × (1 + differential ratio), or below a reserved sub-quota."""
    _require_changeable(actor, campaign)
    quotas = {
        q.pk: q
        for q in Quota.objects.select_for_update()
        .filter(category__campaign=campaign, pk__in=places)
        .select_related("body", "category")
    }
    unknown = set(places) - quotas.keys()
    if unknown:
        raise ValidationError(_("名额表中有不属于本活动的条目。"))
    errors = []
    with audit_context(actor, reason):
        for pk, value in places.items():
            quota = quotas[pk]
            if value < 0:
                errors.append(
                    _("%(quota)s：名额不能为负数。") % {"quota": f"{quota.body}·{quota.category}"}
                )
                continue
            reserved = sum(r.places for r in quota.reservations.all())
            if value < reserved:
                errors.append(
                    _("%(body)s·%(category)s：名额%(places)d个少于其中单列的%(reserved)d个。")
                    % {
                        "body": quota.body,
                        "category": quota.category,
                        "places": value,
                        "reserved": reserved,
                    }
                )
                continue
            taken = max(
                (int(n) for _r, n in places_in_use.send(sender=Quota, quota=quota)), default=0
            )
            if value < taken:
                errors.append(
                    _("%(body)s·%(category)s：已上报%(taken)d个，名额不能少于已上报的数量。")
                    % {"body": quota.body, "category": quota.category, "taken": taken}
                )
                continue
            if quota.places != value:
                quota.places = value
                quota.save()
        if errors:
            raise ValidationError(errors)
        _refuse_if_quotas_short(campaign)
    return list(quotas.values())


@transaction.atomic
def extend_deadline(actor, body: NominatingBody, until: datetime.date, reason: str):
    """Give one body more time to submit its nominees: a later date, with the reason on the
    record. Never shortens what the plan grants."""
    require(actor, "campaigns.extend_deadline", body.campaign)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明延期的原因。")})
    deadline = body.campaign.material_deadline()
    if deadline and until <= deadline:
        raise ValidationError(
            {"until": _("延期日期须晚于活动规定的截止日期（%s）。") % deadline.isoformat()}
        )
    body = NominatingBody.objects.select_for_update().get(pk=body.pk)
    with audit_context(actor, reason.strip()):
        body.deadline_extended_to = until
        body.save()
    return body


@transaction.atomic
def add_category(actor, campaign: Campaign, *, key: str, kind: str, reason: str = "", **fields):
    _require_changeable(actor, campaign)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("活动已发布，不能增加表彰类别。"))
    if campaign.categories.filter(key=key).exists():
        raise ValidationError({"key": _("标识“%s”已被本活动的其他类别使用。") % key})
    category = AwardCategory(
        campaign=campaign,
        key=key,
        kind=kind,
        sort_order=campaign.categories.count(),
        **{k: v for k, v in fields.items() if k in CATEGORY_FIELDS},
    )
    category.full_clean()
    with audit_context(actor, reason):
        category.save()
        for body in campaign.bodies.all():
            Quota.objects.create(body=body, category=category, places=0)
    return category


@transaction.atomic
def add_body(
    actor, campaign: Campaign, *, key: str, name: str, division=None, unit=None, reason: str = ""
) -> NominatingBody:
    _require_changeable(actor, campaign)
    if division is None and unit is None:
        raise ValidationError(_("推荐单位须指定行政区划或承办单位。"))
    if campaign.bodies.filter(key=key).exists():
        raise ValidationError({"key": _("标识“%s”已被本活动的其他推荐单位使用。") % key})
    body = NominatingBody(
        campaign=campaign,
        key=key,
        name=name,
        division=division,
        unit=unit,
        kind=NominatingBody.Kind.REGION if division else NominatingBody.Kind.PROVINCIAL_UNIT,
        sort_order=campaign.bodies.count(),
    )
    body.full_clean()
    with audit_context(actor, reason):
        body.save()
        for category in campaign.categories.all():
            Quota.objects.create(body=body, category=category, places=0)
    return body


@transaction.atomic
def publish_campaign(actor, campaign: Campaign, reason: str = "") -> Campaign:
    """Draft → published: nominating bodies now see their quotas and deadlines."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, "campaigns.publish_campaign", campaign)
    problems = []
    if not campaign.categories.exists():
        problems.append(_("活动还没有表彰类别。"))
    if not campaign.bodies.exists():
        problems.append(_("活动还没有推荐单位。"))
    if not campaign.phases.filter(key="material_deadline", ends_on__isnull=False).exists():
        problems.append(_("请先设定“推荐材料报送截止”日期（阶段标识 material_deadline）。"))
    problems += quota_problems(campaign)
    if problems:
        raise ValidationError(problems)
    with audit_context(actor, reason or _("发布活动")):
        campaign.status = Campaign.Status.PUBLISHED
        campaign.save()
    return campaign


@transaction.atomic
def close_campaign(actor, campaign: Campaign, reason: str) -> Campaign:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写结束活动的原因。")})
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, "campaigns.close_campaign", campaign)
    unfinished = [
        item
        for _receiver, answer in unfinished_business.send(sender=Campaign, campaign=campaign)
        for item in answer
    ]
    if unfinished:
        raise ValidationError([_("活动还有未办结的事项，暂不能结束："), *unfinished])
    with audit_context(actor, reason):
        campaign.status = Campaign.Status.CLOSED
        campaign.save()
    return campaign


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _years_later(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def shift_dates(value, years: int):
    """``value`` (the JSON of a plan's rules) with every ISO date moved by ``years``."""
    if isinstance(value, dict):
        return {key: shift_dates(item, years) for key, item in value.items()}
    if isinstance(value, list):
        return [shift_dates(item, years) for item in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return _years_later(datetime.date.fromisoformat(value), years).isoformat()
        except ValueError:
            return value
    return value


@transaction.atomic
def copy_campaign(actor, source: Campaign, *, slug: str, name: str, year: int) -> Campaign:
    """A new draft with everything of ``source``: categories, conditions, bodies, quotas,
    reserved sub-quotas, members and phases. Every date — the phases' and the eligibility
    rules' (service counted to, clean record since …) — moves by the years between the two
    plans (issue 20: a copy kept last year's eligibility dates and no page changed them); the
    office checks them on the edit page before publishing."""
    years = year - source.year
    _require_manager(actor)
    if Campaign.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("标识“%s”已被其他活动使用。") % slug})
    with audit_context(actor, _("复制自“%s”") % source.name):
        copy = Campaign.objects.create(
            slug=slug,
            name=name,
            year=year,
            short_name="",
            commended_in_name_of=source.commended_in_name_of,
            organisers=source.organisers,
            office_unit=source.office_unit,
            differential_ratio=Decimal(source.differential_ratio),
            public_notice_working_days=source.public_notice_working_days,
            profile_max_chars=source.profile_max_chars,
            deeds_max_chars=source.deeds_max_chars,
            eligibility=shift_dates(source.eligibility, years),
            ratio_limits=source.ratio_limits,
            clearance_rules=source.clearance_rules,
            clearance_departments=source.clearance_departments,
            withdrawal_after_disagreement=source.withdrawal_after_disagreement,
            review_functions=source.review_functions,
            definition_version=source.definition_version,
        )
        for phase in source.phases.all():
            CampaignPhase.objects.create(
                campaign=copy,
                key=phase.key,
                name=phase.name,
                sort_order=phase.sort_order,
                starts_on=_years_later(phase.starts_on, years),
                ends_on=_years_later(phase.ends_on, years),
            )
        for member in source.members.all():
            CampaignMember.objects.create(
                campaign=copy,
                group=member.group,
                duty=member.duty,
                name=member.name,
                position=member.position,
                sort_order=member.sort_order,
            )
        categories = {}
        for category in source.categories.prefetch_related("conditions"):
            categories[category.pk] = AwardCategory.objects.create(
                campaign=copy,
                key=category.key,
                kind=category.kind,
                sort_order=category.sort_order,
                **{f: getattr(category, f) for f in CATEGORY_FIELDS},
            )
            for condition in category.conditions.all():
                AchievementCondition.objects.create(
                    category=categories[category.pk], number=condition.number, text=condition.text
                )
        for body in source.bodies.prefetch_related("quotas__reservations"):
            new_body = NominatingBody.objects.create(
                campaign=copy,
                key=body.key,
                name=body.name,
                kind=body.kind,
                division=body.division,
                unit=body.unit,
                sort_order=body.sort_order,
            )
            for quota in body.quotas.all():
                new_quota = Quota.objects.create(
                    body=new_body, category=categories[quota.category_id], places=quota.places
                )
                for reserve in quota.reservations.all():
                    QuotaReservation.objects.create(
                        quota=new_quota,
                        name=reserve.name,
                        division=reserve.division,
                        places=reserve.places,
                    )
    return copy
