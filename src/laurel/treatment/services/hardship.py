"""Hardship assistance (困难帮扶, H-7) from the application to the payment. One function per
state change: permission → guard → save → audit row. Confidential throughout: nothing here is
ever publicly noticed, and every read of the evidence is logged (``open_evidence``)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import signs_registrations_in_laurel
from laurel.core import audit
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog, Division
from laurel.core.permissions import in_area, require
from laurel.core.uploads import store_document
from laurel.core.validators import validate_opinion_date
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.signing import functions_of, signing_function
from laurel.registry.models import Honour, Person
from laurel.treatment import budget, routing
from laurel.treatment.models import (
    Cause,
    HardshipApplication,
    HardshipBand,
    HardshipEvidence,
    HardshipOpinion,
    Payment,
)

A = HardshipApplication
FIELDS = ("household_size", "income_per_head", "causes", "circumstances")
# Until paid, an application is the person's open one: a second waits for it.
OPEN_STATES = (A.State.DRAFT, A.State.SUBMITTED, A.State.SENT_BACK, A.State.APPROVED)


def may_apply_for(unit: Unit, person: Person) -> bool:
    """H-2: the unit that registers the person, or the township (subdistrict) of their area or
    of their household registration — for farmers and people without a unit."""
    if person.unit_id and unit.pk == person.unit_id:
        return True
    return unit.tier == Unit.Tier.TOWNSHIP and unit.division_id in (
        person.division_id,
        person.household_division_id,
    )


def _eligible(person: Person) -> None:
    """Living, holding an honour, and not classified (H-6: handled offline, as the secrecy
    rules require)."""
    if not person.living:
        raise ValidationError(_("该表彰人员已去世，不能申请或批准困难帮扶。"))
    if not person.honours.filter(status=Honour.Status.HELD).exists():
        raise ValidationError(_("该表彰人员的荣誉均已撤销，不能申请或批准困难帮扶。"))
    if person.classified:
        raise ValidationError(_("涉密人员的困难帮扶按保密规定线下办理，不在系统中申请。"))


def _still_payable(person: Person, paid_on: datetime.date) -> None:
    """H-6, H-7, C-11: what is left of an approved amount is not paid once every honour of the
    person is revoked (a receipt dated before the revocation still records money that left),
    nor recorded here for a person classified since (handled offline)."""
    if person.classified:
        raise ValidationError(_("该表彰人员已列为涉密人员，帮扶资金支付按保密规定线下登记。"))
    if person.honours.filter(status=Honour.Status.HELD).exists():
        return
    revoked = person.honours.exclude(revoked_on=None).order_by("-revoked_on").first()
    if revoked is None:
        raise ValidationError(_("该表彰人员的荣誉均已撤销，不再发放帮扶资金。"))
    if paid_on >= revoked.revoked_on:
        raise ValidationError(
            {
                "paid_on": _(
                    "该表彰人员的荣誉已于%s撤销，此后不再发放帮扶资金；撤销前已支付的，"
                    "按凭证上的支付日期登记。"
                )
                % revoked.revoked_on.isoformat()
            }
        )


def _set_fields(application: HardshipApplication, fields: dict) -> None:
    for key, value in fields.items():
        if key not in FIELDS:
            raise TypeError(key)
        setattr(application, key, value)
    causes = [c for c in dict.fromkeys(application.causes or []) if c]
    unknown = [c for c in causes if c not in Cause.values]
    if unknown or not causes:
        raise ValidationError({"causes": _("请选择困难原因（因病、因残、因灾、失业或其他）。")})
    application.causes = causes
    application.circumstances = (application.circumstances or "").strip()
    if not application.circumstances:
        raise ValidationError({"circumstances": _("请填写困难情况说明。")})
    application.full_clean(
        exclude=["person", "applying_unit", "division", "created_by", "band", "route"]
    )


@transaction.atomic
def create_application(actor, person: Person, unit: Unit, **fields) -> HardshipApplication:
    """An application for a filed ``person`` by ``unit``: the unit that registers them, or the
    township or community of their area (H-2) — any unit of the actor's that may see them."""
    require(actor, "treatment.apply_hardship")
    if actor is not None:
        if actor.unit_id != unit.pk:
            raise PermissionDenied(_("只能以本人所在单位的名义申请。"))
        if not in_area(actor, "treatment.apply_hardship", person):
            raise PermissionDenied(_("只能为本单位（本地区）登记的表彰人员申请困难帮扶。"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not may_apply_for(unit, person):
        raise PermissionDenied(
            _("困难帮扶由登记该表彰人员的单位，或其所在地、户籍地的乡镇（街道）申请（H-2）。")
        )
    _eligible(person)
    if A.objects.filter(person=person, state__in=OPEN_STATES).exists():
        raise ValidationError(
            _("该表彰人员已有一份尚未办结的帮扶申请，请在原申请上修改或等待审批。")
        )
    application = A(
        person=person,
        applying_unit=unit,
        division=unit.division,
        route=routing.route_for(unit),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        household_size=fields.get("household_size") or 0,
        income_per_head=fields.get("income_per_head"),
    )
    _set_fields(application, fields)
    with audit_context(actor, _("新建困难帮扶申请")):
        application.save()
    return application


@transaction.atomic
def update_application(actor, application: HardshipApplication, **fields) -> HardshipApplication:
    application = A.objects.select_for_update().get(pk=application.pk)
    require(actor, "treatment.change_hardship", application)
    _set_fields(application, fields)
    with audit_context(actor, _("修改困难帮扶申请")):
        application.save()
    return application


@transaction.atomic
def add_evidence(actor, application: HardshipApplication, upload, title: str):
    application = A.objects.select_for_update().get(pk=application.pk)
    require(actor, "treatment.change_hardship", application)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写材料名称。")})
    path, content_type, size = store_document(upload, "hardship")
    with audit_context(actor, _("上传帮扶证明材料")):
        return HardshipEvidence.objects.create(
            application=application,
            title=title[:100],
            file=path,
            content_type=content_type,
            size=size,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )


def open_evidence(actor, evidence: HardshipEvidence) -> HardshipEvidence:
    """Who opened whose hardship evidence, when (H-6: as an unmasking)."""
    _log_view(actor, evidence.application, _("帮扶证明材料"), evidence.title)
    return evidence


def open_opinion_scan(actor, opinion: HardshipOpinion) -> HardshipOpinion:
    _log_view(actor, opinion.application, _("纸质审核意见扫描件"), str(opinion.department))
    return opinion


def _log_view(actor, application, label, what: str) -> None:
    require(actor, "treatment.view_hardship", application)
    if application.classified:
        require(actor, "registry.view_classified")
    with audit_context(actor, _("查看%s") % label):
        audit.record(
            application, AuditLog.Action.VIEW, [{"field": "evidence", "label": label, "new": what}]
        )


@transaction.atomic
def submit_application(actor, application: HardshipApplication) -> HardshipApplication:
    application = A.objects.select_for_update().get(pk=application.pk)
    require(actor, "treatment.submit_hardship", application)
    if not application.evidence_files.exists():
        raise ValidationError(_("请先上传证明材料（诊断证明、残疾证、受灾证明、收入证明等）。"))
    _eligible(application.person)
    application.route = routing.route_for(application.applying_unit)
    units = routing.freeze_panel(application)
    _refuse_missing_signers(application)
    with audit_context(actor, _("上报困难帮扶申请")):
        application.reviewing_units.add(*units)
        application.state = A.State.SUBMITTED
        application.current_tier = application.route[0]
        application.round += 1
        application.submitted_at = timezone.now()
        application.save()
    return application


def _refuse_missing_signers(application: HardshipApplication) -> None:
    """Every tier's signers exist before the application goes up: a function nobody performs
    (a county trade-union federation never entered, or deactivated) would hold it at that tier
    for good — no account to sign, no unit whose paper opinion the office could enter."""
    missing = [
        (tier, function)
        for tier, panel in application.panel.items()
        for function, unit in panel.items()
        if unit is None
    ]
    if missing:
        names = "、".join(
            f"{A.Tier(tier).label}{UnitFunction.Function(function).label if function else ''}"
            for tier, function in missing
        )
        raise ValidationError(
            _(
                "以下审核部门尚未录入系统，申请无法逐级审核：%s。请联系省级表彰工作办公室录入后再上报。"
            )
            % names
        )


def _opinions(application):
    return application.opinions.filter(round=application.round, tier=application.current_tier)


def paper_departments(application: HardshipApplication) -> dict:
    """The departments of the current tier without an account that have not answered yet."""
    if application.state != A.State.SUBMITTED:
        return {}
    answered = set(_opinions(application).values_list("function", flat=True))
    return {
        function: unit
        for function, unit in routing.reviewers(application).items()
        if unit is not None
        and function not in answered
        and not signs_registrations_in_laurel(unit.pk)
    }


def _check_decision(decision: str, text: str) -> None:
    if decision not in HardshipOpinion.Decision.values:
        raise ValidationError({"decision": _("请选择审核意见。")})
    if decision != HardshipOpinion.Decision.AGREE and not text.strip():
        raise ValidationError({"text": _("退回或不予帮扶须写明理由。")})


@transaction.atomic
def record_opinion(
    actor,
    application: HardshipApplication,
    *,
    decision: str,
    text: str = "",
    officer_name="",
    function: str = "",
    round: int | None = None,  # the round the page showed (the field of the application)
) -> HardshipApplication:
    """A department's opinion at the current tier, given online today. ``function``: the one
    the page named (a merged bureau signs each of its two in turn, ``orgs.signing``)."""
    application = A.objects.select_for_update().get(pk=application.pk)
    if application.state != A.State.SUBMITTED or application.current_tier == A.Tier.PROVINCE:
        raise ValidationError(_("该帮扶申请不在本级审核中。"))
    if round is not None and round != application.round:
        raise ValidationError(
            _(
                "该帮扶申请已退回修改并重新上报（第%(now)d轮），您打开的页面是第%(seen)d轮的，"
                "请刷新页面阅读后再审核。"
            )
            % {"now": application.round, "seen": round}
        )
    require(actor, "treatment.review_hardship", application)
    expected = routing.reviewers(application)
    answered = set(_opinions(application).values_list("function", flat=True))
    if actor is None:
        pending = [(f, u) for f, u in expected.items() if u is not None and f not in answered]
        if not pending:
            raise ValidationError(_("本级没有待审核的部门。"))
        function, department = pending[0]
    else:
        mine = functions_of(actor.unit_id, expected)
        function = signing_function(mine, answered, function)
        if function is None:
            raise PermissionDenied(_("本级审核不由您所在单位负责。"))
        department = expected[function]
        if function in answered:
            raise ValidationError(_("本单位已出具本级审核意见。"))
    _check_decision(decision, text)
    officer = (officer_name or "").strip() or (
        (actor.get_full_name() or actor.get_username()) if actor is not None else _("经办人")
    )
    with audit_context(actor, text.strip() or _("审核同意")):
        return _save_opinion(
            actor,
            application,
            HardshipOpinion(
                function=function,
                department=department,
                decision=decision,
                text=text.strip(),
                officer_name=officer[:50],
                decided_on=timezone.localdate(),
            ),
        )


@transaction.atomic
def record_paper_opinion(
    actor,
    application: HardshipApplication,
    *,
    function: str,
    decision: str,
    text: str,
    officer_name: str,
    decided_on: datetime.date | None,
    scan,
) -> HardshipApplication:
    """A department without an account answered on paper with its seal: the office records the
    signer, the letter's date, the conclusion and the scan."""
    application = A.objects.select_for_update().get(pk=application.pk)
    require(actor, "treatment.record_hardship_paper_opinion", application)
    department = paper_departments(application).get(function)
    if department is None:
        raise ValidationError(
            {"function": _("本层级没有需要录入纸质意见的该部门（已有账号或已出具意见）。")}
        )
    _check_decision(decision, text)
    if not officer_name.strip():
        raise ValidationError({"officer_name": _("请填写签发人姓名。")})
    submitted = application.submitted_at
    decided_on = validate_opinion_date(
        decided_on,
        earliest=timezone.localdate(submitted) if submitted else None,
        earliest_label=_("上报日期"),
        on_paper=True,
    )
    path, content_type, _size = store_document(scan, "opinions", field="scan")
    with audit_context(actor, _("录入纸质审核意见（%s）") % department):
        return _save_opinion(
            actor,
            application,
            HardshipOpinion(
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


def _save_opinion(actor, application, opinion: HardshipOpinion) -> HardshipApplication:
    opinion.application = application
    opinion.round = application.round
    opinion.tier = application.current_tier
    opinion.decided_by = actor if actor is not None and actor.is_authenticated else None
    opinion.save()
    if opinion.decision == HardshipOpinion.Decision.SEND_BACK:
        application.state = A.State.SENT_BACK
        application.current_tier = ""
        application.save()
        return application
    if opinion.decision == HardshipOpinion.Decision.REJECT:
        application.state = A.State.REJECTED
        application.current_tier = ""
        application.save()
        return application
    agreed = set(_opinions(application).values_list("function", flat=True))
    if set(routing.reviewers(application)) - agreed:
        return application  # another department of this tier still has to sign
    route = application.route
    application.current_tier = route[route.index(application.current_tier) + 1]
    application.save()
    return application


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("请填写金额（元）。")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("金额应大于0元。")})
    return amount


def payer_office(division: Division, payer: str) -> str:
    """The finance office of ``payer``'s level for a person of ``division``."""
    every = {d.pk: d for d in Division.objects.only("pk", "name", "level", "parent_id")}
    return budget.payer_names(every, [division.pk])[(division.pk, payer)][0]


@transaction.atomic
def approve(
    actor,
    application: HardshipApplication,
    *,
    band: HardshipBand,
    amount,
    payer: str,
    approval_number: str = "",
) -> HardshipApplication:
    """The province approves an amount within one of the office's bands, paid by the finance
    office of ``payer``'s level for the person's area."""
    application = A.objects.select_for_update().select_related("person").get(pk=application.pk)
    require(actor, "treatment.approve_hardship", application)
    _eligible(application.person)
    approval_number = (approval_number or "").strip()
    if not approval_number:
        raise ValidationError({"approval_number": _("请填写批准文号。")})
    band = HardshipBand.objects.filter(pk=band.pk, active=True).first() if band else None
    if band is None:
        raise ValidationError({"band": _("请选择启用中的帮扶档次。")})
    amount = _amount(amount, "amount")
    if not band.low <= amount <= band.high:
        raise ValidationError(
            {
                "amount": _("批准金额应在“%(band)s”的范围内（%(low)s—%(high)s元）。")
                % {"band": band.name, "low": band.low, "high": band.high}
            }
        )
    if payer not in A.Payer.values:
        raise ValidationError({"payer": _("请选择经费承担的财政层级。")})
    application.band = band
    application.amount = amount
    application.payer = payer
    application.payer_name = payer_office(application.person.division, payer)
    application.approved_on = timezone.localdate()
    application.approval_number = approval_number[:100]
    application.state = A.State.APPROVED
    application.current_tier = ""
    with audit_context(
        actor, _("批准困难帮扶：%(band)s，%(amount)s元") % {"band": band.name, "amount": amount}
    ):
        application.save()
    return application


@transaction.atomic
def refuse(actor, application: HardshipApplication, *, decision: str, text: str):
    """The province sends the application back or refuses it, with its reasons (recorded as
    the province's opinion)."""
    application = A.objects.select_for_update().get(pk=application.pk)
    require(actor, "treatment.approve_hardship", application)
    if decision == HardshipOpinion.Decision.AGREE:
        raise ValidationError({"decision": _("批准请填写帮扶档次和金额。")})
    _check_decision(decision, text)
    department = actor.unit if actor is not None and actor.unit_id else None
    if department is None:
        raise ValidationError(_("您的账号没有所属单位，不能出具省级意见。"))
    with audit_context(actor, text.strip()):
        return _save_opinion(
            actor,
            application,
            HardshipOpinion(
                function="",
                department=department,
                decision=decision,
                text=text.strip(),
                officer_name=(actor.get_full_name() or actor.get_username())[:50],
                decided_on=timezone.localdate(),
            ),
        )


def paid(application: HardshipApplication) -> Decimal:
    return application.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def record_payment(
    actor, application: HardshipApplication, *, paid_on: datetime.date, amount, reference: str
) -> Payment:
    """A payment as the finance office's receipt states it: never before the approval, never in
    the future, never more than what remains of the approved amount; paid in full, the
    application is 已发放."""
    application = A.objects.select_for_update().select_related("person").get(pk=application.pk)
    require(actor, "treatment.record_payment", application)
    if not application.person.living:
        raise ValidationError(
            _("该表彰人员已去世，不能登记支付；如需向家属发放，请按规定另行办理。")
        )
    amount = _amount(amount, "amount")
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("请填写支付凭证号。")})
    if paid_on is None:
        raise ValidationError({"paid_on": _("请填写支付日期。")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("支付日期不能晚于今天。")})
    if paid_on < application.approved_on:
        raise ValidationError(
            {"paid_on": _("支付日期早于批准日期（%s），请核对。") % application.approved_on}
        )
    _still_payable(application.person, paid_on)
    remaining = application.amount - paid(application)
    if amount > remaining:
        raise ValidationError({"amount": _("支付金额超过尚未支付的批准金额（%s元）。") % remaining})
    if Payment.objects.filter(reference=reference, payer_name=application.payer_name).exists():
        raise ValidationError(
            {"reference": _("该支付凭证号已在%s登记过。") % application.payer_name}
        )
    with audit_context(actor, _("登记帮扶资金支付：%s元") % amount):
        payment = Payment.objects.create(
            application=application,
            paid_on=paid_on,
            amount=amount,
            reference=reference[:100],
            payer_name=application.payer_name,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if amount == remaining:
            application.state = A.State.PAID
            application.save()
    return payment


@transaction.atomic
def save_band(actor, band: HardshipBand | None = None, **fields) -> HardshipBand:
    require(actor, "treatment.manage_hardship_bands")
    band = band or HardshipBand()
    before = (band.name, band.low, band.high) if band.pk else None
    for key, value in fields.items():
        if key not in ("name", "low", "high", "description", "active", "sort_order"):
            raise TypeError(key)
        setattr(band, key, value)
    if band.low is not None and band.high is not None and band.high < band.low:
        raise ValidationError({"high": _("最高金额不能低于最低金额。")})
    band.full_clean()
    used = A.objects.filter(band_id=band.pk).exclude(approved_on__isnull=True)
    if before is not None and before != (band.name, band.low, band.high) and used.exists():
        raise ValidationError(_("已有批准的申请使用该档次，不能修改名称和金额；可停用后新增档次。"))
    with audit_context(actor, _("设置帮扶档次")):
        band.save()
    return band
