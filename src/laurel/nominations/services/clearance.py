"""Clearance (征求意见, C-9): open the requests the rules require, record each department's
opinion, and let the office decide on a disagreement."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.roles import Role
from laurel.campaigns.clearance import SECTOR_AUTHORITY, requirements
from laurel.core.audit import audit_context
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.orgs.models import Unit


def route_department(nominee: Nominee, function: str) -> Unit | None:
    """The department of the right locality: where the collective sits or the individual's unit
    is (place of registration), then up the line of administration to the province."""
    if function == SECTOR_AUTHORITY:
        return nominee.body.unit
    start = nominee.unit_division or nominee.division
    division = start
    while division is not None:
        unit = Unit.objects.performing(function, division).order_by("pk").first()
        if unit is not None:
            return unit
        division = division.parent
    return None


def _is_office(actor) -> bool:
    return (
        actor is None
        or actor.is_superuser
        or actor.has_role(Role.PROVINCIAL_OFFICE, Role.SYSTEM_ADMIN)
    )


@transaction.atomic
def open_clearances(actor, nominee: Nominee) -> list[ClearanceRequest]:
    """Create the requests the campaign's rules require and that do not exist yet."""
    if actor is not None and not actor.has_perm("nominations.change_nominee", nominee):
        raise PermissionDenied(_("您没有为该推荐对象征求意见的权限。"))
    deadline = nominee.campaign.phases.filter(key="material_deadline").first()
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
                    due_on=deadline.ends_on if deadline else None,
                )
            )
    return created


@transaction.atomic
def assign_department(
    actor, request: ClearanceRequest, unit: Unit, reason: str = ""
) -> ClearanceRequest:
    """The office names the department where none was found automatically."""
    if not _is_office(actor):
        raise PermissionDenied(_("只有省级表彰工作办公室可以指定承办部门。"))
    request = ClearanceRequest.objects.select_for_update().get(pk=request.pk)
    with audit_context(actor, reason or _("指定承办部门")):
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
    if actor is not None and not (
        actor.unit_id == request.department_id and actor.has_role(Role.CLEARANCE_DEPARTMENT)
    ):
        raise PermissionDenied(_("只有承办部门的经办人可以填写该意见。"))
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
    if request.state in (ClearanceRequest.State.AGREED, ClearanceRequest.State.DISAGREED):
        raise ValidationError(_("该部门已出具意见，不能重复填写。"))
    with audit_context(actor, _("出具征求意见")):
        request.state = state
        request.opinion = opinion.strip()
        request.officer_name = officer_name.strip()
        request.decided_on = decided_on or timezone.localdate()
        request.decided_by = actor
        request.save()
    return request


@transaction.atomic
def decide_disagreement(actor, request: ClearanceRequest, *, proceed: bool, note: str):
    """After a department disagrees, the office decides: go on, or stop the nominee."""
    if not _is_office(actor):
        raise PermissionDenied(_("只有省级表彰工作办公室可以对不同意见作出决定。"))
    if not note.strip():
        raise ValidationError({"note": _("请写明决定的理由。")})
    request = ClearanceRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ClearanceRequest.State.DISAGREED or request.office_decision:
        raise ValidationError(_("只有尚未决定的“不同意”意见需要办公室决定。"))
    with audit_context(actor, note):
        request.office_decision = (
            ClearanceRequest.Decision.PROCEED if proceed else ClearanceRequest.Decision.STOP
        )
        request.office_note = note.strip()
        request.save()
        if not proceed:
            nominee = Nominee.objects.select_for_update().get(pk=request.nominee_id)
            nominee.state = Nominee.State.WITHDRAWN
            nominee.save()
    return request


def clearance_problems(nominee: Nominee) -> list[str]:
    """What is still missing before the nominee may move up."""
    problems = []
    have = {c.function: c for c in nominee.clearances.select_related("department")}
    for requirement in requirements(nominee):
        request = have.get(requirement.function)
        label = request.function_label if request else requirement.function
        if request is None:
            problems.append(_("尚未征求%s的意见。") % _function_label(requirement.function))
        elif request.office_decision == ClearanceRequest.Decision.STOP:
            problems.append(_("%s不同意，办公室已决定不予推荐。") % label)
        elif request.state == ClearanceRequest.State.DISAGREED and not request.settled:
            problems.append(_("%s不同意，待办公室决定。") % label)
        elif not request.settled:
            problems.append(
                _("%(dept)s的意见尚未回复（%(state)s）。")
                % {
                    "dept": request.department or label,
                    "state": request.get_state_display(),
                }
            )
    return problems


def _function_label(function: str) -> str:
    return ClearanceRequest(function=function).function_label
