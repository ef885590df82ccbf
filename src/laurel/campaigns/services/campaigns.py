"""Writes to campaigns: one function per change (guard → save → audit row)."""

from __future__ import annotations

import datetime
import re
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from laurel.campaigns.domain import MINIMUMS, lowered_minimums
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
from laurel.campaigns.services.definitions import definition_data, section_problems
from laurel.campaigns.signals import places_in_use, reservation_shortfalls, unfinished_business
from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.services import upsert

CAMPAIGN_FIELDS = (
    "name",
    "short_name",
    "decision_subject",
    "certificate_achievement",
    "decision_addressees",
    "decision_copy_to",
    "decision_printed_by",
    "approval_label",
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


def _reason_once_published(campaign: Campaign, reason: str, changed: bool) -> None:
    """Units nominate under a published plan: a change to it says why (the audit row keeps
    it). Saving a page unchanged needs no reason."""
    if changed and not campaign.is_draft and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("活动已发布，修改活动、类别、阶段日期、名额或推荐单位须写明原因。")}
        )


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
                campaign=campaign, key=key, name=str(name), sort_order=order
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
        sort_order=(last or 0) + 1,
    )
    phase.full_clean()
    with audit_context(actor, reason or _("增加工作阶段")):
        phase.save()
    return phase


@transaction.atomic
def update_campaign(actor, campaign: Campaign, *, reason: str = "", **fields) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_changeable(actor, campaign)
    before = {key: getattr(campaign, key) for key in MINIMUMS}
    changed = False
    for key, value in fields.items():
        if key not in CAMPAIGN_FIELDS:
            raise TypeError(key)
        changed |= _differs(getattr(campaign, key), value)
        setattr(campaign, key, value)
    campaign.full_clean()
    if campaign.status != Campaign.Status.DRAFT:
        lowered = lowered_minimums(before, {key: getattr(campaign, key) for key in MINIMUMS})
        if lowered:
            raise ValidationError(lowered)
    _reason_once_published(campaign, reason, changed)
    with audit_context(actor, reason):
        campaign.save()
        _refuse_if_quotas_short(campaign)
    return campaign


@transaction.atomic
def update_category(actor, category: AwardCategory, *, reason: str = "", **fields):
    category = AwardCategory.objects.select_for_update().get(pk=category.pk)
    _require_changeable(actor, category.campaign)
    changed = False
    for key, value in fields.items():
        if key not in CATEGORY_FIELDS:
            raise TypeError(key)
        changed |= _differs(getattr(category, key), value)
        setattr(category, key, value)
    _reason_once_published(category.campaign, reason, changed)
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
    campaign = phase.campaign
    _reason_once_published(
        campaign, reason, (phase.starts_on, phase.ends_on) != (starts_on, ends_on)
    )
    if (
        not campaign.is_draft
        and phase.key == "material_deadline"
        and phase.ends_on
        and (ends_on is None or ends_on < phase.ends_on)
    ):
        raise ValidationError(
            {
                "ends_on": _(
                    "活动已发布，材料报送截止日期（%s）只能推后，不能提前或清空：推荐单位正按它准备材料。"
                )
                % phase.ends_on.isoformat()
            }
        )
    with audit_context(actor, reason):
        phase.starts_on, phase.ends_on = starts_on, ends_on
        phase.save()
        _refuse_what_a_file_would_refuse(phase.campaign, "phases")
    return phase


def _differs(old, new) -> bool:
    """A field the page sent differs from the saved one (a model instance against its key)."""
    if hasattr(old, "pk") and hasattr(new, "pk"):
        return old.pk != new.pk
    if isinstance(old, str) and isinstance(new, str):  # the form strips what a file kept
        return old.strip() != new.strip()
    return old != new


def _refuse_what_a_file_would_refuse(campaign: Campaign, section: str) -> None:
    """Inside a transaction: undo a change made on a page (by raising) that the definition
    loader would refuse in a file — phases out of order, bodies that overlap — so that a
    campaign built in the pages exports to a file that loads again."""
    problems = section_problems(campaign, section, definition_data(campaign).get(section, []))
    if problems:
        raise ValidationError([p.message for p in problems])


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
    _reason_once_published(
        campaign, reason, any(quotas[pk].places != value for pk, value in places.items())
    )
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
                errors += _shortfalls(quota)
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
    _reason_once_published(campaign, reason, changed=True)
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
        _refuse_what_a_file_would_refuse(campaign, "bodies")
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
            decision_subject="",
            certificate_achievement="",
            decision_addressees=source.decision_addressees,
            decision_copy_to=source.decision_copy_to,
            decision_printed_by=source.decision_printed_by,
            approval_label=source.approval_label,
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


# --- the plan's rules, edited in the pages (issue 20): the same checks as a definition file ---


def _lock_for_rules(actor, campaign: Campaign, reason: str) -> Campaign:
    """The campaign locked for a change of its rules; once published, the office says why
    (units have started nominating under the rules it changes)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_changeable(actor, campaign)
    if not campaign.is_draft and not (reason or "").strip():
        raise ValidationError({"reason": _("活动已发布，修改评选条件或规则须写明原因。")})
    return campaign


def _refuse_problems(campaign: Campaign, section: str, value, label: str, keep=None) -> None:
    problems = section_problems(campaign, section, value)
    if keep is not None:
        problems = [p for p in problems if keep(p)]
    if problems:
        raise ValidationError(
            [
                _("%(label)s：%(message)s")
                % {"label": _row_label(label, p.path, section), "message": p.message}
                for p in problems
            ]
        )


def _row_label(label: str, path: str, section: str) -> str:
    """“比例要求第2行” for ``ratio_limits[1].text``: where the problem is, in the page's words."""
    match = re.match(re.escape(section) + r"\[(\d+)\]", path)
    if match:
        return _("%(label)s第%(row)d行") % {"label": label, "row": int(match.group(1)) + 1}
    return label


@transaction.atomic
def set_eligibility(actor, campaign: Campaign, value: dict, reason: str = "") -> Campaign:
    """The eligibility parameters (C-5 … C-7): who may not be nominated, years of service, clean
    record since."""
    campaign = _lock_for_rules(actor, campaign, reason)
    _refuse_problems(campaign, "eligibility", value, _("评选条件参数"))
    with audit_context(actor, reason):
        campaign.eligibility = value
        campaign.save()
    return campaign


@transaction.atomic
def set_ratio_limits(actor, campaign: Campaign, rows: list[dict], reason: str = "") -> Campaign:
    """The plan's "in principle" shares (C-10); each row keeps its key, new rows get one."""
    campaign = _lock_for_rules(actor, campaign, reason)
    keys = [row["key"] for row in rows if row.get("key")]
    if len(keys) != len(set(keys)):
        raise ValidationError(_("比例要求中有重复的条目，请刷新页面后重新填写。"))
    # A new limit gets a key of its own, never one a deleted limit had: a nominee's
    # justification is kept under its limit's key and must not answer a different limit later.
    for row in rows:
        if not row.get("key"):
            row["key"] = f"limit-{secrets.token_hex(4)}"
    _refuse_problems(campaign, "ratio_limits", rows, _("比例要求"))
    with audit_context(actor, reason):
        campaign.ratio_limits = rows
        campaign.save()
    return campaign


@transaction.atomic
def set_clearance_rules(actor, campaign: Campaign, rows: list[dict], reason: str = "") -> Campaign:
    """Which departments are consulted on which nominees (C-9); no rows means the default rules
    written from C-9 and the notes of 附件4 and 附件5."""
    campaign = _lock_for_rules(actor, campaign, reason)
    if rows:
        _refuse_problems(campaign, "clearance", rows, _("征求意见规则"))
    with audit_context(actor, reason):
        campaign.clearance_rules = rows
        campaign.save()
    return campaign


@transaction.atomic
def set_conditions(actor, category: AwardCategory, texts: list[str], reason: str = ""):
    """A category's achievement conditions (C-6, C-7), numbered in the order given."""
    campaign = _lock_for_rules(actor, category.campaign, reason)
    texts = [t.strip() for t in texts if t and t.strip()]
    if len(texts) != len(set(texts)):
        raise ValidationError(_("%s：有重复的条件。") % category.name)
    # A condition keeps its row while its words stay, wherever it moves: the nominees that
    # claimed it keep claiming the same words. One that nominees claimed cannot go.
    existing = {c.text: c for c in category.conditions.all()}
    with audit_context(actor, reason):
        for condition in existing.values():
            if condition.text not in texts:
                try:
                    with transaction.atomic():
                        condition.delete()
                except ProtectedError:
                    raise ValidationError(
                        _(
                            "%(category)s：第%(number)d条“%(text)s”已有推荐对象选用，"
                            "不能删除或改写。"
                        )
                        % {
                            "category": category.name,
                            "number": condition.number,
                            "text": condition.text[:40],
                        }
                    ) from None
        kept = [existing[t] for t in texts if t in existing]
        for offset, condition in enumerate(kept, start=1000):  # out of the way first
            AchievementCondition.objects.filter(pk=condition.pk).update(number=offset)
        for number, text in enumerate(texts, start=1):
            if text in existing:
                condition = existing[text]
                condition.refresh_from_db()
                condition.number = number
                condition.save()
            else:
                AchievementCondition.objects.create(category=category, number=number, text=text)
    return campaign


@transaction.atomic
def set_members(actor, campaign: Campaign, rows: list[dict], reason: str = "") -> Campaign:
    """The leading group and its office (附件1): duty, name, unit and position, in order."""
    campaign = _lock_for_rules(actor, campaign, reason)
    groups = {
        key: [
            {k: row[k] for k in ("duty", "name", "position")}
            for row in rows
            if row["group"] == group
        ]
        for group, key in (
            (CampaignMember.Group.LEADING_GROUP, "leading_group"),
            (CampaignMember.Group.OFFICE, "office"),
        )
    }
    for key, value in groups.items():
        _refuse_problems(
            campaign, key, value, str(dict(CampaignMember.Group.choices)[_group_of(key)])
        )
    keep = set()
    with audit_context(actor, reason):
        for key, members in groups.items():
            for order, member in enumerate(members):
                keep.add(
                    upsert(
                        CampaignMember,
                        {"campaign": campaign, "group": _group_of(key), "sort_order": order},
                        member,
                    ).pk
                )
        for member in campaign.members.exclude(pk__in=keep):
            member.delete()
    return campaign


def _group_of(key: str) -> str:
    return {
        "leading_group": CampaignMember.Group.LEADING_GROUP,
        "office": CampaignMember.Group.OFFICE,
    }[key]


@transaction.atomic
def set_reservations(actor, campaign: Campaign, rows: list[dict], reason: str = "") -> Campaign:
    """Sub-quotas reserved inside a body's quota (单列名额, e.g. 公主岭市 inside 长春市):
    rows of quota, name, division (optional) and places. Refused as a whole when a body's
    reserved places exceed its quota."""
    campaign = _lock_for_rules(actor, campaign, reason)
    quotas = {
        q.pk: q
        for q in Quota.objects.filter(body__campaign=campaign).select_related(
            "body__division", "category"
        )
    }
    errors, wanted, seen = [], {}, set()
    for index, row in enumerate(rows, start=1):
        quota = quotas.get(getattr(row["quota"], "pk", row["quota"]))
        if quota is None:
            errors.append(_("单列名额第%d行：名额不属于本活动。") % index)
            continue
        division = row.get("division")
        if division is None:
            errors.append(_("单列名额第%d行：请填写单列对象的行政区划代码。") % index)
            continue
        area = quota.body.division
        if area is not None and not division.path.startswith(area.path):
            errors.append(
                _("单列名额第%(row)d行：%(division)s不在%(body)s的行政区域内。")
                % {"row": index, "division": division, "body": quota.body}
            )
            continue
        name = (row.get("name") or "").strip()
        if (quota.pk, name) in seen:
            errors.append(
                _("单列名额第%(row)d行：%(body)s已有名为“%(name)s”的单列对象。")
                % {"row": index, "body": quota.body, "name": name}
            )
            continue
        seen.add((quota.pk, name))
        wanted.setdefault(quota.pk, []).append(
            {"name": name, "division": row.get("division"), "places": row["places"]}
        )
    for pk, items in wanted.items():
        quota = quotas[pk]
        total = sum(item["places"] for item in items)
        if total > quota.places:
            errors.append(
                _("%(body)s·%(category)s：单列名额合计%(reserved)d个，超过该单位名额%(places)d个。")
                % {
                    "body": quota.body,
                    "category": quota.category,
                    "reserved": total,
                    "places": quota.places,
                }
            )
    if errors:
        raise ValidationError(errors)
    keep = set()
    with audit_context(actor, reason):
        touched = set(wanted)
        for pk, items in wanted.items():
            for item in items:
                keep.add(
                    upsert(
                        QuotaReservation,
                        {"quota_id": pk, "name": item["name"]},
                        {"division": item["division"], "places": item["places"]},
                    ).pk
                )
        for reservation in QuotaReservation.objects.filter(quota__body__campaign=campaign).exclude(
            pk__in=keep
        ):
            touched.add(reservation.quota_id)
            reservation.delete()
        short = [problem for pk in sorted(touched) for problem in _shortfalls(quotas[pk])]
        if short:
            raise ValidationError(short)
    return campaign


def _shortfalls(quota: Quota) -> list[str]:
    """What ``quota``'s places and reserved sub-quotas leave short of the nominees holding
    them (answered by nominations; inside the transaction, so a refusal undoes the change)."""
    return [
        problem
        for _receiver, answer in reservation_shortfalls.send(sender=Quota, quota=quota)
        for problem in answer
    ]
