"""Clearance (征求意见, C-9): open the requests the rules require, record each department's
opinion, and let the office decide on a disagreement."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import clearance_emails
from laurel.campaigns.clearance import SECTOR_AUTHORITY, requirements
from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.tasks import notify
from laurel.core.uploads import store_document
from laurel.core.validators import validate_opinion_date
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.orgs.models import Unit, UnitFunction

# Consulted where an enterprise (or social organisation) is registered (C-9: 注册地); every other
# department — organisation/personnel, discipline inspection, public security — by management
# authority (按干部管理权限): at the level of government that manages the nominee's unit.
REGISTRATION_FUNCTIONS = {
    UnitFunction.Function.ECOLOGY_ENVIRONMENT,
    UnitFunction.Function.HR_SOCIAL_SECURITY,
    UnitFunction.Function.TAX,
    UnitFunction.Function.MARKET_REGULATION,
    UnitFunction.Function.EMERGENCY_MANAGEMENT,
    UnitFunction.Function.UNITED_FRONT,
    UnitFunction.Function.FEDERATION_INDUSTRY_COMMERCE,
    UnitFunction.Function.AUDIT,
    UnitFunction.Function.CIVIL_AFFAIRS,
}


def routing_of(nominee: Nominee, function: str) -> str:
    declared = {d["key"]: d for d in nominee.campaign.clearance_departments}
    if function in declared:
        return declared[function].get("routing", "management")
    return "registration" if function in REGISTRATION_FUNCTIONS else "management"


def route_department(nominee: Nominee, function: str) -> Unit | None:
    """The department that answers for ``function``, found from the unit tree — never from a
    field the nominator fills in: by management authority, the level of government the
    nominating unit belongs to (a provincial department's cadre → the provincial departments;
    a city bureau's → the city's); for the registration-place departments, where the unit is
    registered. Then up the line of administration to the province."""
    if function == SECTOR_AUTHORITY:
        return nominee.body.unit
    unit = nominee.nominating_unit
    division = unit.division
    if routing_of(nominee, function) == "registration":
        division = unit.location_division or unit.division
    while division is not None:
        unit = Unit.objects.performing(function, division).order_by("pk").first()
        if unit is not None:
            return unit
        division = division.parent
    return None


@transaction.atomic
def open_clearances(
    actor, nominee: Nominee, *, on: datetime.date | None = None
) -> list[ClearanceRequest]:
    """Create the requests the campaign's rules require and that do not exist yet, dated
    today (``on``: a past campaign rebuilt by the system, as the demo's; never from a page)."""
    if on is not None and actor is not None:
        raise ValueError("only the system dates clearance requests in the past")
    require(actor, "nominations.open_clearance", nominee)
    # the body's own last day (an extension included), as ``reopen_for_another_person``
    due_on = nominee.campaign.material_deadline(nominee.body)
    existing = set(nominee.clearances.values_list("function", flat=True))
    created = []
    with audit_context(actor, _("征求意见")):
        for requirement in requirements(nominee):
            if requirement.function in existing:
                continue
            created.append(
                ClearanceRequest.objects.create(
                    nominee=nominee,
                    function=requirement.function,
                    rule=requirement.rule,
                    department=route_department(nominee, requirement.function),
                    due_on=due_on,
                    opened_on=on or timezone.localdate(),
                )
            )
    for request in created:
        if request.department_id is None:
            continue
        notify(
            _("【评比达标表彰】征求意见：%s") % nominee.name,
            _(
                "请对“%(name)s”（%(category)s，%(unit)s）出具%(function)s意见，回复期限："
                "%(due)s。请登录系统办理；没有系统账号的，请以盖章函件回复推荐单位。"
            )
            % {
                "name": nominee.name,
                "category": nominee.category.name,
                "unit": nominee.nominating_unit.name,
                "function": request.function_label,
                "due": request.due_on.isoformat() if request.due_on else _("未定"),
            },
            clearance_emails([request.department_id]),
        )
    return created


@transaction.atomic
def assign_department(
    actor, request: ClearanceRequest, unit: Unit, reason: str = ""
) -> ClearanceRequest:
    """The office names the department — where none was found, or re-routes one that the
    routing got wrong — with the reason on the record. Only before the department answered."""
    if not reason.strip():
        raise ValidationError({"reason": _("请写明指定或改派承办部门的原因。")})
    request = ClearanceRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, "nominations.assign_clearance_department", request)
    if request.function != SECTOR_AUTHORITY and request.function not in unit.function_codes:
        raise ValidationError(
            {
                "department": _("“%(unit)s”不承担%(function)s职能。")
                % {"unit": unit, "function": request.function_label}
            }
        )
    with audit_context(actor, reason.strip()):
        request.department = unit
        request.save()
    return request


@transaction.atomic
def record_opinion(
    actor,
    request: ClearanceRequest,
    *,
    state: str,
    opinion: str,
    officer_name: str,
    decided_on: datetime.date | None = None,
) -> ClearanceRequest:
    """The department's officer records its opinion (the electronic seal)."""
    request = ClearanceRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, "nominations.give_clearance_opinion", request)
    decided_on = _check_opinion(request, state, opinion, officer_name, decided_on)
    with audit_context(actor, _("出具征求意见")):
        _answer(request, actor, state, opinion, officer_name, decided_on)
        # An answer in Laurel after a paper one (需核实 on paper, then the department's
        # account answers): it is no longer the paper opinion, nor its scan.
        request.on_paper = False
        request.scan_file = request.scan_type = ""
        request.save()
    return request


def _check_opinion(request, state, opinion, officer_name, decided_on) -> datetime.date:
    """The opinion's own rules, the same online and on paper; its date as given or today."""
    if state not in {
        ClearanceRequest.State.AGREED,
        ClearanceRequest.State.DISAGREED,
        ClearanceRequest.State.VERIFYING,
    }:
        raise ValidationError({"state": _("请选择同意、不同意或需核实。")})
    if state != ClearanceRequest.State.AGREED and not opinion.strip():
        raise ValidationError({"opinion": _("不同意或需核实时须写明理由。")})
    if not officer_name.strip():
        raise ValidationError({"officer_name": _("请填写经办人姓名。")})
    return validate_opinion_date(
        decided_on, earliest=request.opened_on, earliest_label=_("征求意见的日期")
    )


def reopen_for_another_person(actor, nominee: Nominee) -> list[ClearanceRequest]:
    """The nominee's name or ID number changed after departments answered (C-9): an opinion
    vouches for the person it was asked about, so every answered request the profile requires
    is asked again, dated today; the earlier answer stays in the audit trail. An answer of a
    department no longer required stays as given (a 不同意 there still binds,
    ``procedure.clearance_problems``: a name changed and changed back does not clear it).
    Called by ``save_draft``."""
    reopened = []
    # the body's own last day (an extension included): a request asked again after the
    # plan's deadline is not overdue on arrival where the body was given more time
    due_on = nominee.campaign.material_deadline(nominee.body)
    required = [requirement.function for requirement in requirements(nominee)]
    answered = (
        nominee.clearances.select_for_update()
        .filter(function__in=required)
        .exclude(state=ClearanceRequest.State.PENDING, office_decision="")
    )
    with audit_context(actor, _("姓名或身份证号码已改动，重新征求意见")):
        for request in answered:
            request.state = ClearanceRequest.State.PENDING
            request.opinion = request.officer_name = request.office_note = ""
            request.office_decision = ClearanceRequest.Decision.NONE
            request.decided_on = request.decided_by = None
            request.on_paper = False
            request.scan_file = request.scan_type = ""
            request.opened_on = timezone.localdate()
            request.due_on = max(filter(None, (request.due_on, due_on)), default=None)
            request.save()
            reopened.append(request)
    departments = [r.department_id for r in reopened if r.department_id]
    if departments:
        notify(
            _("【评比达标表彰】重新征求意见：%s") % nominee.name,
            _(
                "“%(name)s”（%(category)s，%(unit)s）的姓名或身份证号码已改动，原意见不再适用，"
                "请重新出具意见。请登录系统办理；没有系统账号的，请以盖章函件回复推荐单位。"
            )
            % {
                "name": nominee.name,
                "category": nominee.category.name,
                "unit": nominee.nominating_unit.name,
            },
            clearance_emails(departments),
        )
    return reopened


def _answer(request, actor, state, opinion, officer_name, decided_on) -> None:
    request.state = state
    request.opinion = opinion.strip()
    request.officer_name = officer_name.strip()
    request.decided_on = decided_on
    request.decided_by = actor


@transaction.atomic
def record_paper_opinion(
    actor,
    request: ClearanceRequest,
    *,
    state: str,
    opinion: str,
    officer_name: str,
    decided_on: datetime.date | None,
    scan,
) -> ClearanceRequest:
    """An opinion the department gave on paper with its seal (it has no account): the body
    whose list the nominee is on, or the office, records the signer, the letter's date, the
    conclusion and the scan of the letter. Shown as 纸质意见 with the scan; audited."""
    request = ClearanceRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, "nominations.record_paper_clearance", request)
    validate_opinion_date(decided_on, on_paper=True)  # typed as it stands on the letter
    decided_on = _check_opinion(request, state, opinion, officer_name, decided_on)
    path, content_type, _size = store_document(scan, "opinions", field="scan")
    with audit_context(actor, _("录入纸质征求意见（%s）") % request.department):
        _answer(request, actor, state, opinion, officer_name, decided_on)
        request.on_paper = True
        request.scan_file = path
        request.scan_type = content_type
        request.save()
    return request


@transaction.atomic
def decide_disagreement(actor, request: ClearanceRequest, *, proceed: bool, note: str):
    """After a department disagrees, the office decides: go on, or stop the nominee."""
    require(actor, "nominations.decide_clearance")
    if not note.strip():
        raise ValidationError({"note": _("请写明决定的理由。")})
    request = ClearanceRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, "nominations.decide_clearance", request)
    with audit_context(actor, note):
        request.office_decision = (
            ClearanceRequest.Decision.PROCEED if proceed else ClearanceRequest.Decision.STOP
        )
        request.office_note = note.strip()
        request.save()
        if not proceed:
            nominee = Nominee.objects.select_for_update().get(pk=request.nominee_id)
            if nominee.state in (Nominee.State.AWARDED, Nominee.State.REVOKED):
                # a commendation is taken back only by revocation (C-11: certificate and
                # bonus recovered), never by a clearance decision
                raise ValidationError(
                    _(
                        "该对象已受表彰：须由省级表彰工作办公室依程序撤销表彰，不能以征求意见决定撤回。"
                    )
                )
            nominee.state = Nominee.State.WITHDRAWN
            nominee.save()
    return request
