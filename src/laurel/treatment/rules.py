"""Who may do what with treatment (H-7): the permission vocabulary of this app."""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.accounts.queries import signs_registrations_in_laurel
from laurel.core.jurisdiction import EVERYTHING, NOTHING
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import (
    is_active_user,
    is_nominator,
    is_office,
    is_reviewing_department,
)
from laurel.orgs.signing import reviewers_once
from laurel.registry.rules import is_registry_reviewer
from laurel.treatment import routing
from laurel.treatment.models import (
    Entitlement,
    HardshipApplication,
    HardshipOpinion,
    StatusReturn,
)

OFFICE_ONLY = _("只有省级表彰工作办公室可以进行此项操作。")
A = HardshipApplication

# The policy is the office's to set: every number in it (the seeds give none).
rule("treatment.manage_policy", is_office, refused=OFFICE_ONLY)
# The policy, the entitlements and the budget: the office and the departments that review
# honours (H-3), not every reviewing department (a housing bureau reviews campaigns only).
rule("treatment.view_policy", is_office | is_registry_reviewer)
# Recomputing one person's entitlements by hand (the registry's changes do it themselves).
rule("treatment.refresh_entitlements", is_office, refused=OFFICE_ONLY)
# Entitlements: whoever may see the person, within the same jurisdiction filter.
object_rule("treatment.view_entitlement", Entitlement, "view", role=is_active_user)
rule("treatment.view_entitlements", is_office | is_registry_reviewer)

# --- hardship assistance (困难帮扶) -------------------------------------------------------


def _reviewers(application):
    return reviewers_once(application, routing.reviewers)


@rules.predicate
def hardship_is_editable(user, application):
    return application.state in (A.State.DRAFT, A.State.SENT_BACK)


@rules.predicate
def hardship_under_review(user, application):
    return application.state == A.State.SUBMITTED and application.current_tier != A.Tier.PROVINCE


@rules.predicate
def hardship_awaits_approval(user, application):
    return application.state == A.State.SUBMITTED and application.current_tier == A.Tier.PROVINCE


@rules.predicate
def not_prepared_by_user(user, application):
    """Four eyes: the account that prepared an application neither signs a tier's review of it
    nor approves it — another officer of the department does (its unit may be the reviewer)."""
    return application.created_by_id != user.pk


NOT_ONE_OWN = _("该帮扶申请由您本人填报，须由其他经办人审核或批准。")


@rules.predicate
def hardship_awaits_payment(user, application):
    return application.state == A.State.APPROVED


@rules.predicate
def signs_hardship_at_current_tier(user, application):
    return bool(user.unit_id) and any(
        unit is not None and unit.pk == user.unit_id for unit in _reviewers(application).values()
    )


@rules.predicate
def unit_has_not_signed_hardship(user, application):
    """The user's unit has a function of this tier still to sign (a merged bureau performing
    two of them signs twice, one after the other)."""
    signed = HardshipOpinion.objects.filter(
        application=application,
        round=application.round,
        tier=application.current_tier,
        department_id=user.unit_id,
    ).count()
    if not signed:
        return True
    performs = sum(
        1
        for unit in _reviewers(application).values()
        if unit is not None and unit.pk == user.unit_id
    )
    return signed < performs


def _own_applications(user) -> Q:
    """The applications of the user's unit (and the units under it)."""
    unit = getattr(user, "unit", None)
    return Q(applying_unit__path__startswith=unit.path) if unit is not None else NOTHING


def _signed_by(user) -> Q:
    """Applications the user's unit reviews at some tier of their route (frozen at submission;
    H-3, H-4)."""
    if not user.unit_id:
        return NOTHING
    Through = A.reviewing_units.through
    return Q(pk__in=Through.objects.filter(unit_id=user.unit_id).values("hardshipapplication_id"))


def _hardship_rows(user) -> Q:
    """Confidential: the office; the applying unit; the departments on the route — not every
    department of the area (the jurisdiction alone would show them to the organisation
    department of a county for a model worker's application)."""
    if is_office.test(user):
        return EVERYTHING
    return _own_applications(user) | _signed_by(user)


def _hardship_under_review(user) -> Q:
    return Q(state=A.State.SUBMITTED) & ~Q(current_tier=A.Tier.PROVINCE) & _signed_by(user)


# The unit that registers the honoree (or their township / community: H-2) applies.
rule(
    "treatment.apply_hardship",
    is_nominator,
    refused=_("困难帮扶由登记表彰人员的单位或乡镇（街道）申请。"),
)
# The list: the applying units see theirs, the reviewing departments their area's.
rule("treatment.list_hardship", is_nominator | is_reviewing_department | is_office)
# Confidential: never the leading group, the clearance departments, experts or the public.
object_rule(
    "treatment.view_hardship",
    A,
    "view",
    role=is_nominator | is_reviewing_department | is_office,
    rows=_hardship_rows,
)
object_rule(
    "treatment.change_hardship",
    A,
    "edit",
    role=is_nominator,
    rows=_own_applications,
    when=hardship_is_editable,
    refused=_("您没有修改该帮扶申请的权限。"),
    not_now=_("已上报的帮扶申请不能修改。"),
)
object_rule(
    "treatment.submit_hardship",
    A,
    "submit",
    role=is_nominator,
    rows=_own_applications,
    when=hardship_is_editable,
    refused=_("您没有上报该帮扶申请的权限。"),
    not_now=_("该帮扶申请已上报。"),
)
object_rule(
    "treatment.review_hardship",
    A,
    "review",
    role=is_reviewing_department | is_nominator | is_office,
    rows=_hardship_under_review,
    also=signs_hardship_at_current_tier,
    when=[
        (unit_has_not_signed_hardship, _("本单位已出具本级审核意见。")),
        (not_prepared_by_user, NOT_ONE_OWN),
    ],
    refused=_("本级审核不由您所在单位负责。"),
)
rule(
    "treatment.record_hardship_paper_opinion",
    is_office,
    when=[(hardship_under_review, _("只有审核中的帮扶申请可以录入审核意见。"))],
    refused=OFFICE_ONLY,
)
# The province approves (an amount from the office's bands) or refuses.
rule(
    "treatment.approve_hardship",
    is_office,
    when=[
        (hardship_awaits_approval, _("该帮扶申请尚未报到省级，或已审批。")),
        (not_prepared_by_user, NOT_ONE_OWN),
    ],
    refused=_("困难帮扶由省级表彰工作办公室审批。"),
)
rule("treatment.manage_hardship_bands", is_office, refused=OFFICE_ONLY)
# Payments are recorded from the finance office's receipt (finance offices have no accounts).
rule(
    "treatment.record_payment",
    is_office,
    when=[(hardship_awaits_payment, _("只有已批准、尚未发放完毕的帮扶申请可以登记支付。"))],
    refused=OFFICE_ONLY,
)
# Disbursement lists name people with their full ID numbers: the office.
rule("treatment.export_disbursement", is_office, refused=OFFICE_ONLY)

# --- the yearly status review (动态管理) ---------------------------------------------------

R = StatusReturn


@rules.predicate
def return_awaits_report(user, status_return):
    return status_return.state in (R.State.PENDING, R.State.SENT_BACK)


@rules.predicate
def return_awaits_filing(user, status_return):
    return (
        status_return.state == R.State.SUBMITTED and status_return.current_tier == R.Tier.PROVINCE
    )


@rules.predicate
def checks_return_at_current_tier(user, status_return):
    checker = routing.return_checker(status_return)
    return bool(user.unit_id) and checker is not None and checker.pk == user.unit_id


@rules.predicate
def office_types_a_paper_check(user, status_return):
    """The checking department has no account: the office types its sealed answer."""
    checker = routing.return_checker(status_return)
    return (
        is_office.test(user)
        and checker is not None
        and not signs_registrations_in_laurel(checker.pk)
    )


def _checked_by(user) -> Q:
    if not user.unit_id:
        return NOTHING
    Through = R.checking_units.through
    return Q(pk__in=Through.objects.filter(unit_id=user.unit_id).values("statusreturn_id"))


def _own_returns(user) -> Q:
    """The returns of the user's unit (and the units under it)."""
    unit = getattr(user, "unit", None)
    return Q(unit__path__startswith=unit.path) if unit is not None else NOTHING


def _return_rows(user) -> Q:
    """The reporting unit, the departments checking it (frozen when reported) and the office —
    not every department of the area (H-6)."""
    if is_office.test(user):
        return EVERYTHING
    return _own_returns(user) | _checked_by(user)


def _returns_to_check(user) -> Q:
    under_way = Q(state=R.State.SUBMITTED) & ~Q(current_tier=R.Tier.PROVINCE)
    if is_office.test(user):
        return under_way
    return under_way & _checked_by(user)


rule("treatment.manage_status_reviews", is_office, refused=OFFICE_ONLY)
rule("treatment.list_status_returns", is_nominator | is_reviewing_department | is_office)
object_rule(
    "treatment.view_status_return",
    R,
    "view",
    role=is_nominator | is_reviewing_department | is_office,
    rows=_return_rows,
)
object_rule(
    "treatment.report_status",
    R,
    "report",
    role=is_nominator,
    rows=_own_returns,
    when=return_awaits_report,
    refused=_("只有登记该表彰人员的单位可以报送其状态。"),
    not_now=_("该人员的状态已报送。"),
)
rule(
    "treatment.record_paper_return",
    is_office,
    when=[(return_awaits_report, _("该人员的状态已报送。"))],
    refused=OFFICE_ONLY,
)
object_rule(
    "treatment.check_status_return",
    R,
    "check",
    role=is_reviewing_department | is_nominator | is_office,
    rows=_returns_to_check,
    also=checks_return_at_current_tier | office_types_a_paper_check,
    refused=_("本级核实不由您所在单位负责。"),
)
rule(
    "treatment.file_status_return",
    is_office,
    when=[(return_awaits_filing, _("该报送尚未核实到省级，或已归档。"))],
    refused=OFFICE_ONLY,
)
