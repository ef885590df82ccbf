"""Procedure steps a nominee must have passed before it moves up (C-8 step 1): clearance by
the departments (C-9), the unit public notice and its objections. The notice belongs to the
``public`` app above this one; it answers through the signal ``procedure_problems``."""

from django.utils.translation import gettext as _

from laurel.campaigns.clearance import requirements
from laurel.nominations import eligibility
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.nominations.signals import procedure_problems as procedure_signal
from laurel.nominations.signals import review_holds as review_signal
from laurel.nominations.validation import completeness_problems


def procedure_problems(nominee: Nominee) -> list[str]:
    problems = clearance_problems(nominee)
    for _receiver, found in procedure_signal.send(sender=Nominee, nominee=nominee):
        problems += found
    return problems


def clearance_problems(nominee: Nominee) -> list[str]:
    """What is still missing before the nominee may move up. Every department the nominee's
    profile requires is asked; and an answer once given binds, whatever the profile says now:
    a 不同意 or a 需核实 is not shed by changing the unit's nature or ownership (C-9). A request
    no longer required and not answered yet does not hold the nominee (a profile corrected);
    should its department answer 不同意 later, the review stops at the next agreement
    (``services.review`` asks ``review_problems`` at each one)."""
    problems = []
    have = {c.function: c for c in nominee.clearances.select_related("department")}
    required = [requirement.function for requirement in requirements(nominee)]
    answered = [
        f
        for f, request in have.items()
        if f not in required
        and (request.state != ClearanceRequest.State.PENDING or request.office_decision)
    ]
    for function in [*required, *answered]:
        request = have.get(function)
        label = request.function_label if request else function
        if request is None:
            problems.append(_("尚未征求%s的意见。") % _function_label(nominee, function))
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


def review_problems(nominee: Nominee) -> list[str]:
    """What holds an agreement at any review tier: an answer that binds (a 不同意 the office has
    not decided, its stop, a 需核实 still open) and an objection still open. Not what was never
    asked: a clearance rule the office changes after publishing applies to what is submitted
    next, not to what is already under review."""
    problems = []
    for request in nominee.clearances.select_related("department"):
        label = request.function_label
        if request.office_decision == ClearanceRequest.Decision.STOP:
            problems.append(_("%s不同意，办公室已决定不予推荐。") % label)
        elif request.state == ClearanceRequest.State.DISAGREED and not request.settled:
            problems.append(_("%s不同意，待办公室决定。") % label)
        elif request.state == ClearanceRequest.State.VERIFYING:
            problems.append(_("%s的意见为需核实，尚未回复。") % label)
    for _receiver, found in review_signal.send(sender=Nominee, nominee=nominee):
        problems += found
    return problems


def _function_label(nominee: Nominee, function: str) -> str:
    return ClearanceRequest(nominee=nominee, function=function).function_label


def submission_problems(nominee: Nominee) -> tuple[list, list, list, list]:
    """(incomplete fields, blocking findings, warnings still without a justification,
    procedure steps still missing: clearance, unit notice, open objections)."""
    findings = eligibility.findings_for(nominee)
    return (
        completeness_problems(nominee),
        [f for f in findings if f.blocking],
        eligibility.unjustified(nominee, findings),
        procedure_problems(nominee),
    )
