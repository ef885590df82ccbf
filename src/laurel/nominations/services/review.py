"""Tiered review (C-8 step 2): county → city → province, each tier with the opinions of its
reviewing departments (人社 and 住建 by default: the review rows of 附件2/附件3). Which tiers
apply follows the nominee's level (附件2 note 7): a city-level nominee skips the county row, and
provincial-level units submit straight to the province."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.roles import Role
from laurel.campaigns.models import NominatingBody
from laurel.core.audit import audit_context
from laurel.core.models import Division
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.orgs.models import Unit, UnitFunction

DEFAULT_FUNCTIONS = [UnitFunction.Function.HR_SOCIAL_SECURITY, UnitFunction.Function.HOUSING]
TIER_LABELS = {"county": _("县级"), "city": _("市级"), "province": _("省级")}


def tiers_for(nominee: Nominee) -> list[str]:
    if nominee.body.kind == NominatingBody.Kind.PROVINCIAL_UNIT:
        return ["province"]
    if nominee.level == "county":
        return ["county", "city", "province"]
    return ["city", "province"]


def tier_division(nominee: Nominee, tier: str) -> Division:
    if tier == "county":
        return nominee.division
    if tier == "city":
        return nominee.body.division
    return Division.objects.get(level=Division.Level.PROVINCE, parent__isnull=True)


def functions_for(nominee: Nominee) -> list[str]:
    return list(nominee.campaign.review_functions or DEFAULT_FUNCTIONS)


def reviewers(nominee: Nominee, tier: str | None = None) -> dict[str, Unit | None]:
    """function → the department that reviews at ``tier`` (the current one by default)."""
    division = tier_division(nominee, tier or nominee.review_tier)
    return {
        function: Unit.objects.performing(function, division).order_by("pk").first()
        for function in functions_for(nominee)
    }


def user_tier(user) -> str | None:
    """The tier a reviewing department works at, from its division."""
    if user.unit_id is None:
        return None
    division = user.unit.division
    if division.level == Division.Level.PROVINCE:
        return "province"
    if division.level == Division.Level.COUNTY and not division.directly_administered:
        return "county"
    return "city"


def opinions(nominee: Nominee, tier: str | None = None):
    return nominee.review_opinions.filter(
        round=nominee.review_round, tier=tier or nominee.review_tier
    )


def _acting_function(actor, nominee: Nominee) -> str:
    """The function under which ``actor`` reviews the nominee at its current tier."""
    if actor is None:
        return next(iter(reviewers(nominee)))
    if not actor.has_role(Role.REVIEWING_DEPARTMENT):
        raise PermissionDenied(_("只有审核部门可以出具审核意见。"))
    for function, unit in reviewers(nominee).items():
        if unit is not None and unit.pk == actor.unit_id:
            return function
    raise PermissionDenied(_("该推荐对象当前不在本部门审核。"))


@transaction.atomic
def record_review(
    actor,
    nominee: Nominee,
    *,
    decision: str,
    text: str = "",
    officer_name: str = "",
    decided_on: datetime.date | None = None,
    function: str | None = None,
) -> Nominee:
    """A department's opinion at the current tier; when every department of the tier agrees,
    the nominee moves up (or is received by the province)."""
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.state != Nominee.State.SUBMITTED:
        raise ValidationError(_("“%s”不在审核中。") % nominee)
    function = function or _acting_function(actor, nominee)
    if decision not in ReviewOpinion.Decision.values:
        raise ValidationError({"decision": _("请选择同意或不同意。")})
    if decision == ReviewOpinion.Decision.DISAGREE and not text.strip():
        raise ValidationError({"text": _("不同意时须写明理由。")})
    officer_name = officer_name.strip() or (actor.full_name if actor is not None else "")
    if not officer_name:
        raise ValidationError({"officer_name": _("请填写经办人姓名。")})
    if opinions(nominee).filter(function=function).exists():
        raise ValidationError(_("本部门已对“%s”出具本级审核意见。") % nominee)
    departments = reviewers(nominee)
    with audit_context(actor, _("%s审核意见") % TIER_LABELS[nominee.review_tier]):
        ReviewOpinion.objects.create(
            nominee=nominee,
            round=nominee.review_round,
            tier=nominee.review_tier,
            function=function,
            department=departments[function] or actor.unit,
            decision=decision,
            text=text.strip(),
            officer_name=officer_name,
            decided_on=decided_on or timezone.localdate(),
            decided_by=actor,
        )
        agreed = set(
            opinions(nominee)
            .filter(decision=ReviewOpinion.Decision.AGREE)
            .values_list("function", flat=True)
        )
        if agreed >= set(departments):
            tiers = tiers_for(nominee)
            index = tiers.index(nominee.review_tier)
            if index + 1 < len(tiers):
                nominee.review_tier = tiers[index + 1]
                nominee.save()
                notify_reviewers(nominee)
            else:
                nominee.state = Nominee.State.RECEIVED
                nominee.save()
    return nominee


@transaction.atomic
def send_back(actor, nominee: Nominee, reason: str) -> Nominee:
    """From any review tier back to the nominating unit for changes; history is kept."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回原因。")})
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.state != Nominee.State.SUBMITTED:
        raise ValidationError(_("只有审核中的推荐对象可以退回。"))
    if actor is not None and not actor.has_role(Role.PROVINCIAL_OFFICE, Role.SYSTEM_ADMIN):
        _acting_function(actor, nominee)  # only a reviewer of the current tier
    with audit_context(actor, reason.strip()):
        nominee.state = Nominee.State.SENT_BACK
        nominee.review_tier = ""
        nominee.save()
    recipients = (
        [nominee.created_by.email] if nominee.created_by and nominee.created_by.email else []
    )
    if recipients:
        from laurel.nominations.tasks import send_notice

        subject = _("【评比达标表彰】推荐对象被退回修改：%s") % nominee.name
        body = _("“%(name)s”被退回修改，原因：%(reason)s") % {
            "name": nominee.name,
            "reason": reason,
        }
        transaction.on_commit(lambda: send_notice.enqueue(subject, body, recipients))
    return nominee


def notify_reviewers(nominee: Nominee) -> None:
    """After commit, mail the reviewing departments of the nominee's current tier."""
    from laurel.accounts.models import User
    from laurel.nominations.tasks import send_notice

    units = [u.pk for u in reviewers(nominee).values() if u is not None]
    recipients = list(
        User.objects.filter(
            unit_id__in=units, is_active=True, role_assignments__role=Role.REVIEWING_DEPARTMENT
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    subject = _("【评比达标表彰】待审核：%s") % nominee.name
    body = _("“%(name)s”（%(category)s）已报送%(tier)s审核，请登录系统办理。") % {
        "name": nominee.name,
        "category": nominee.category.name,
        "tier": TIER_LABELS[nominee.review_tier],
    }
    transaction.on_commit(lambda: send_notice.enqueue(subject, body, recipients))
