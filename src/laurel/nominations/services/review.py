"""Tiered review (C-8 step 2): each tier's reviewing departments give their opinions; when all
agree the nominee moves up (nominations.tiers says which tiers and departments)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import answers_review_in_laurel, reviewer_emails
from laurel.core.audit import audit_context
from laurel.core.permissions import refusal, require
from laurel.core.uploads import store_document
from laurel.core.validators import validate_opinion_date
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.nominations.procedure import review_problems
from laurel.nominations.tasks import send_notice
from laurel.nominations.tiers import (
    TIER_LABELS,
    functions_of,
    opinions,
    reviewers,
    tiers_for,
)
from laurel.orgs.models import UnitFunction
from laurel.orgs.signing import signing_function


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
    review_round: int | None = None,
) -> Nominee:
    """A department's opinion at the current tier; when every department of the tier agrees,
    the nominee moves up (or is received by the province). ``actor=None`` (the system, with
    ``function``) records for a department without an account."""
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    if nominee.state != Nominee.State.SUBMITTED:
        raise ValidationError(_("“%s”不在审核中。") % nominee)
    if review_round is not None and review_round != nominee.review_round:
        raise ValidationError(
            _(
                "“%(name)s”已退回修改并重新上报（第%(now)d轮），您打开的页面是第%(seen)d轮的，"
                "请刷新页面阅读后再审核。"
            )
            % {"name": nominee, "now": nominee.review_round, "seen": review_round}
        )
    require(actor, "nominations.review_nominee", nominee)
    departments = reviewers(nominee)
    if actor is not None:
        answered = set(opinions(nominee).values_list("function", flat=True))
        function = signing_function(functions_of(actor.unit, nominee), answered, function or "")
        if function is None:  # the rule's rows and the routing disagree: refuse, never guess
            raise PermissionDenied(refusal("nominations.review_nominee"))
    function = function or next(iter(departments))
    department = departments.get(function) or (actor.unit if actor is not None else None)
    if department is None:  # the campaign asks a function no department performs here
        raise ValidationError(
            _("%(tier)s没有承担“%(function)s”审核职能的部门，请先在“单位管理”中设置。")
            % {
                "tier": TIER_LABELS[nominee.review_tier],
                "function": dict(UnitFunction.Function.choices).get(function, function),
            }
        )
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
        _save_opinion(
            actor,
            nominee,
            ReviewOpinion(
                function=function,
                department=department,
                decision=decision,
                text=text.strip(),
                officer_name=officer_name,
                decided_on=decided_on or timezone.localdate(),
            ),
        )
    return nominee


@transaction.atomic
def record_paper_review(
    actor,
    nominee: Nominee,
    *,
    function: str,
    decision: str,
    text: str,
    officer_name: str,
    decided_on: datetime.date | None,
    scan,
) -> Nominee:
    """A reviewing department without an account gave its opinion at the current tier on paper
    with its seal: the office records the signer, the letter's date, the conclusion and the
    scan. Shown as 纸质意见 with the scan; it moves the nominee up like any opinion."""
    nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
    require(actor, "nominations.record_paper_review", nominee)
    departments = reviewers(nominee)
    department = departments.get(function)
    if department is None:
        raise ValidationError({"function": _("本层级没有该审核部门，请核对。")})
    if answers_review_in_laurel(department.pk):
        raise ValidationError(
            {"function": _("“%s”有系统账号，应由其经办人在系统中出具审核意见。") % department}
        )
    if opinions(nominee).filter(function=function).exists():
        raise ValidationError({"function": _("“%s”已出具本级审核意见。") % department})
    if decision not in ReviewOpinion.Decision.values:
        raise ValidationError({"decision": _("请选择同意或不同意。")})
    if decision == ReviewOpinion.Decision.DISAGREE and not text.strip():
        raise ValidationError({"text": _("不同意时须写明理由。")})
    if not officer_name.strip():
        raise ValidationError({"officer_name": _("请填写签发人姓名。")})
    decided_on = validate_opinion_date(
        decided_on,
        earliest=timezone.localdate(nominee.submitted_at) if nominee.submitted_at else None,
        earliest_label=_("上报日期"),
        on_paper=True,
    )
    _refuse_agreement_while_held(nominee, decision)  # before the scan is stored
    path, content_type, _size = store_document(scan, "opinions", field="scan")
    with audit_context(
        actor,
        _("录入纸质审核意见（%(tier)s %(unit)s）")
        % {"tier": TIER_LABELS[nominee.review_tier], "unit": department},
    ):
        _save_opinion(
            actor,
            nominee,
            ReviewOpinion(
                function=function,
                department=department,
                decision=decision,
                text=text.strip(),
                officer_name=officer_name.strip(),
                decided_on=decided_on,
                on_paper=True,
                scan_file=path,
                scan_type=content_type,
            ),
        )
    return nominee


def paper_review_departments(nominee: Nominee) -> dict:
    """The departments of the current tier that have no account and have not answered yet."""
    answered = set(opinions(nominee).values_list("function", flat=True))
    return {
        function: unit
        for function, unit in reviewers(nominee).items()
        if unit is not None and function not in answered and not answers_review_in_laurel(unit.pk)
    }


def _refuse_agreement_while_held(nominee: Nominee, decision: str) -> None:
    """An objection raised since the submission (on a new unit notice after a send-back), or a
    department's binding answer, is settled before any tier agrees (C-8 step 1, C-9)."""
    if decision != ReviewOpinion.Decision.AGREE:
        return
    problems = review_problems(nominee)
    if problems:
        raise ValidationError(
            [
                _("“%(name)s”尚不能同意：%(problem)s") % {"name": nominee, "problem": problem}
                for problem in problems
            ]
        )


def _save_opinion(actor, nominee: Nominee, opinion: ReviewOpinion) -> None:
    """Save one opinion of the current tier; when every department of the tier agrees, the
    nominee moves up (or is received by the province)."""
    departments = reviewers(nominee)
    _refuse_agreement_while_held(nominee, opinion.decision)
    opinion.nominee = nominee
    opinion.round = nominee.review_round
    opinion.tier = nominee.review_tier
    opinion.decided_by = actor
    opinion.save()
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
