"""Approval, awards and revocation (C-8 step 6, C-2, C-11). An award of a title that carries
treatment becomes an honour in the honoree registry (``registry.services.honours``), and is
revoked there with the award; the award keeps the link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import organiser_emails
from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.tasks import notify
from laurel.evaluation.models import Approval, Award, PreliminaryList
from laurel.evaluation.queries import (
    listed_for_award,
    provincial_notice_end,
    provincial_notice_missing,
)
from laurel.nominations.models import Nominee
from laurel.public.models import Objection
from laurel.registry.services import honours as registry_honours


@transaction.atomic
def record_approval(actor, campaign, *, document_number: str, approved_on) -> Approval:
    """Record the government's approval; every category's list must have been re-examined."""
    require(actor, "evaluation.approve", campaign)
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
    missing = provincial_notice_missing(campaign)
    if missing:
        raise ValidationError(
            _("以下对象尚未经省级公示期满（不少于%(n)d个工作日）或有异议未办结：%(names)s")
            % {"n": campaign.public_notice_working_days, "names": "、".join(missing)}
        )
    # The day of the approval becomes every certificate's and registry honour's date: one that
    # has come, after the notice it rests on ended (C-8 steps 5-6).
    if approved_on is None:
        raise ValidationError({"approved_on": _("请填写审定日期。")})
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("审定日期不能晚于今天。")})
    notice_ended = provincial_notice_end(campaign)
    if notice_ended is not None and approved_on <= notice_ended:
        raise ValidationError(
            {
                "approved_on": _("审定日期须在省级公示期满（%s）之后。")
                % notice_ended.strftime("%Y-%m-%d")
            }
        )
    with audit_context(actor, _("记录审定")):
        return Approval.objects.create(
            campaign=campaign, document_number=document_number.strip(), approved_on=approved_on
        )


def _certificate_number(campaign, category, sequence: int) -> str:
    return f"{campaign.year}{campaign.pk:03d}{category.sort_order + 1}{sequence:04d}"


@transaction.atomic
def issue_awards(actor, campaign) -> list[Award]:
    """Awards for every name on the approved lists: certificate numbers and the campaign's bonus
    for individuals, plaques for collectives. Needs the approval, and no open objection."""
    require(actor, "evaluation.award", campaign)
    approval = Approval.objects.get(campaign=campaign)
    entries = list(
        listed_for_award(campaign)
        .select_related("nominee__category", "nominee__campaign", "nominee__nominating_unit")
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
            # locked, and asked again: an objection resolved a moment ago withdrew it (C-11)
            state = (
                Nominee.objects.select_for_update()
                .filter(pk=nominee.pk)
                .values_list("state", flat=True)
            )
            if state.first() != Nominee.State.RECEIVED:
                continue
            individual = category.kind == "individual"
            counters[category.pk] = counters.get(category.pk, 0) + 1
            award = Award.objects.create(
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
            nominee.state = Nominee.State.AWARDED
            nominee.save()
            _file_in_registry(actor, award, approval)
            awards.append(award)
    _tell_the_nominating_units(campaign, approval, awards)
    return awards


def _tell_the_nominating_units(campaign, approval: Approval, awards: list[Award]) -> None:
    """One mail to the officers of each nominating unit: whom the decision commends, and that
    certificates, plaques and bonuses follow."""
    by_unit: dict[int, list[str]] = {}
    for award in awards:
        by_unit.setdefault(award.nominee.nominating_unit_id, []).append(award.nominee.name)
    for unit_id, names in by_unit.items():
        notify(
            _("【评比达标表彰】表彰决定已下达：%s") % campaign.name,
            _(
                "%(campaign)s的表彰决定（%(number)s）已下达，本单位推荐的%(names)s受到表彰。"
                "证书、奖牌和奖金的发放请留意省级表彰工作办公室的通知；证书可在公众网站核验。"
            )
            % {
                "campaign": campaign.name,
                "number": approval.document_number,
                "names": "、".join(names),
            },
            organiser_emails([unit_id]),
        )


def _file_in_registry(actor, award: Award, approval: Approval) -> None:
    """An individual award of a category whose title carries treatment (as the plan states it)
    becomes an honour of the awardee in the honoree registry (H-1)."""
    nominee = award.nominee
    category = nominee.category
    if not nominee.is_individual or not category.treatment or not nominee.id_number:
        return
    award.registry_honour = registry_honours.record_award_honour(
        actor,
        registry_honours.Awardee(
            name=nominee.name,
            id_number=nominee.id_number,
            gender=nominee.gender,
            ethnicity=nominee.ethnicity,
            birth_date=nominee.birth_date,
            unit=nominee.nominating_unit,
            unit_name=nominee.work_unit_name,
            position=nominee.position_rank,
            phone=nominee.mobile,
        ),
        title=category.honour_title,
        awarding_body=nominee.campaign.commended_in_name_of,
        document_number=approval.document_number,
        awarded_on=award.issued_on,
        treatment=category.treatment,
        honour=award.registry_honour,
    )
    award.save()


@transaction.atomic
def revoke_award(
    actor, award, *, reason: str, evidence: str, certificate_recovered: bool, bonus_recovered: bool
) -> Award:
    """C-11: revoke with reason and evidence; certificate and bonus recovery recorded. There is
    no substitution: nobody takes the place, and the nominee can never be nominated again in
    this campaign. The registry's honour is revoked with it."""
    award = Award.objects.select_for_update().select_related("nominee").get(pk=award.pk)
    require(actor, "evaluation.revoke_award", award)
    if not reason.strip() or not evidence.strip():
        raise ValidationError(_("撤销表彰须写明原因和依据。"))
    with audit_context(actor, reason.strip()):
        award.state = Award.State.REVOKED
        award.revoked_reason = reason.strip()
        award.revocation_evidence = evidence.strip()
        award.certificate_recovered = certificate_recovered
        award.bonus_recovered = bonus_recovered
        award.save()
        award.nominee.state = Nominee.State.REVOKED
        award.nominee.save()
        if award.registry_honour_id:
            registry_honours.revoke_honour(actor, award.registry_honour, reason.strip())
    return award


@transaction.atomic
def record_recovery(actor, award, *, certificate_recovered: bool, bonus_recovered: bool) -> Award:
    """C-11: the certificate or the bonus of a revoked award recovered after the revocation.
    What was recorded as recovered stays recovered (a return is not undone by a later form)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    require(actor, "evaluation.record_recovery", award)
    if certificate_recovered and not award.certificate_number:
        raise ValidationError(_("该表彰未颁发证书，无证书可收回。"))
    if bonus_recovered and not award.bonus_amount:
        raise ValidationError(_("该表彰未发放奖金，无奖金可收回。"))
    certificate = award.certificate_recovered or certificate_recovered
    bonus = award.bonus_recovered or bonus_recovered
    if (certificate, bonus) == (award.certificate_recovered, award.bonus_recovered):
        raise ValidationError(_("请勾选新收回的证书或奖金。"))
    with audit_context(actor, _("登记收回证书、奖金")):
        award.certificate_recovered = certificate
        award.bonus_recovered = bonus
        award.save()
    return award
