"""Clearance (征求意见, C-9): open the requests the rules require, record each department's
opinion, and let the office decide on a disagreement."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.campaigns.clearance import SECTOR_AUTHORITY, requirements
from laurel.core.audit import audit_context
from laurel.core.permissions import require
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


@transaction.atomic
def open_clearances(actor, nominee: Nominee) -> list[ClearanceRequest]:
    """Create the requests the campaign's rules require and that do not exist yet."""
    require(actor, "nominations.open_clearance", nominee)
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
    require(actor, "nominations.assign_clearance_department")
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
    require(actor, "nominations.give_clearance_opinion", request)
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
            nominee.state = Nominee.State.WITHDRAWN
            nominee.save()
    return request
