"""Tiered review (C-8 step 2): each tier's reviewing departments give their opinions; when all
agree the nominee moves up (nominations.tiers says which tiers and departments)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import reviewer_emails
from laurel.core.audit import audit_context
from laurel.core.permissions import refusal, require
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.nominations.tasks import send_notice
from laurel.nominations.tiers import (
    TIER_LABELS,
    acting_function,
    opinions,
    reviewers,
    tiers_for,
)


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
    the nominee moves up (or is received by the province). ``actor=None`` (the system, with
    ``function``) records for a department without an account."""
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.state != Nominee.State.SUBMITTED:
        raise ValidationError(_("“%s”不在审核中。") % nominee)
    require(actor, "nominations.review_nominee", nominee)
    departments = reviewers(nominee)
    if actor is not None:
        function = acting_function(actor.unit, nominee)
        if function is None:  # the rule's rows and the routing disagree: refuse, never guess
            raise PermissionDenied(refusal("nominations.review_nominee"))
    function = function or next(iter(departments))
    if decision not in ReviewOpinion.Decision.values:
        raise ValidationError({"decision": _("请选择同意或不同意。")})
    if decision == ReviewOpinion.Decision.DISAGREE and not text.strip():
        raise ValidationError({"text": _("不同意时须写明理由。")})
    officer_name = officer_name.strip() or (actor.full_name if actor is not None else "")
    if not officer_name:
        raise ValidationError({"officer_name": _("请填写经办人姓名。")})
    if opinions(nominee).filter(function=function).exists():
        raise ValidationError(_("本部门已对“%s”出具本级审核意见。") % nominee)
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
    require(actor, "nominations.send_back_nominee", nominee)
    with audit_context(actor, reason.strip()):
        nominee.state = Nominee.State.SENT_BACK
        nominee.review_tier = ""
        nominee.sent_back_reason = reason.strip()
        nominee.sent_back_by = _sender(actor, nominee)
        nominee.sent_back_at = timezone.now()
        nominee.save()
    recipients = (
        [nominee.created_by.email] if nominee.created_by and nominee.created_by.email else []
    )
    if recipients:
        subject = _("【评比达标表彰】推荐对象被退回修改：%s") % nominee.name
        body = _("“%(name)s”被退回修改，原因：%(reason)s") % {
            "name": nominee.name,
            "reason": reason,
        }
        transaction.on_commit(lambda: send_notice.enqueue(subject, body, recipients))
    return nominee


def _sender(actor, nominee: Nominee) -> str:
    """Who sent it back, as the unit reads it: the department (and tier), not a person."""
    if actor is None or actor.unit is None:
        return str(_("省级表彰工作办公室"))
    return actor.unit.name


def notify_reviewers(nominee: Nominee) -> None:
    """After commit, mail the reviewing departments of the nominee's current tier."""
    units = [u.pk for u in reviewers(nominee).values() if u is not None]
    recipients = sorted(set(reviewer_emails(units)))
    if not recipients:
        return
    subject = _("【评比达标表彰】待审核：%s") % nominee.name
    body = _("“%(name)s”（%(category)s）已报送%(tier)s审核，请登录系统办理。") % {
        "name": nominee.name,
        "category": nominee.category.name,
        "tier": TIER_LABELS[nominee.review_tier],
    }
    transaction.on_commit(lambda: send_notice.enqueue(subject, body, recipients))
