"""Who may do what in the honoree registry (H-2 … H-6): the permission vocabulary of this app
(laurel.core.permissions)."""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.core.jurisdiction import jurisdiction_q
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import (
    in_jurisdiction,
    is_active_user,
    is_nominator,
    is_office,
    is_reviewing_department,
)
from laurel.orgs.models import UnitFunction
from laurel.orgs.signing import reviewers_once
from laurel.registry import routing
from laurel.registry.models import Person, Registration, RegistrationOpinion

OFFICE_ONLY = _("只有省级表彰工作办公室可以进行此项操作。")


def _reviewers(registration):
    return reviewers_once(registration, routing.reviewers)


def _unit_functions(user) -> frozenset[str]:
    """The functions the user's unit performs, once per request's user object."""
    if not user.unit_id:
        return frozenset()
    cached = user.__dict__.get("_unit_functions")
    if cached is None or cached[0] != user.unit_id:
        functions = frozenset(
            UnitFunction.objects.filter(unit_id=user.unit_id).values_list("function", flat=True)
        )
        cached = (user.unit_id, functions)
        user.__dict__["_unit_functions"] = cached
    return cached[1]


def _route_functions(obj) -> set[str]:
    """The functions that review ``obj``'s honours (H-3): a registration's route by the types
    of its honours; a person's, any of the routes its honours took (HR & social security
    always: it leads mixed registrations and every other type)."""
    if isinstance(obj, Registration):
        return set(routing.functions_for([h.honour_type for h in obj.honours.all()]))
    if isinstance(obj, Person):
        route = {UnitFunction.Function.HR_SOCIAL_SECURITY}
        for honour_type in set(obj.honours.values_list("honour_type", flat=True)):
            route.update(routing.functions_for([honour_type]))
        return route
    return set(REGISTRY_FUNCTIONS)


# The departments that review honours (H-3): organization, HR & social security, the trade
# union. A reviewing department of another function (a housing bureau reviewing a campaign's
# nominees) has no part in the registry.
REGISTRY_FUNCTIONS = frozenset(
    function for functions in routing.REVIEW_FUNCTIONS.values() for function in functions
)


@rules.predicate
def reviews_honours(user, obj=None) -> bool:
    """H-3, H-6 "whoever reviews, is responsible": the user's unit performs a function that
    reviews honours — of ``obj``'s types when one is given (a registration, a person)."""
    functions = _unit_functions(user)
    if not functions & REGISTRY_FUNCTIONS:
        return False
    return obj is None or bool(functions & _route_functions(obj))


is_registry_reviewer = is_reviewing_department & reviews_honours


@rules.predicate
def is_editable(user, registration):
    return registration.state in (Registration.State.DRAFT, Registration.State.SENT_BACK)


@rules.predicate
def signs_at_current_tier(user, registration):
    """The user's unit is one of the departments that sign at the registration's current tier
    (the supervising unit, or the departments of the honour's type: H-3, H-4)."""
    return bool(user.unit_id) and any(
        unit is not None and unit.pk == user.unit_id for unit in _reviewers(registration).values()
    )


@rules.predicate
def unit_has_not_signed(user, registration):
    """The user's unit has a function of this tier still to sign (a merged bureau performing
    two of them signs twice, one after the other)."""
    signed = RegistrationOpinion.objects.filter(
        registration=registration,
        round=registration.round,
        tier=registration.current_tier,
        department_id=user.unit_id,
    ).count()
    if not signed:
        return True
    performs = sum(
        1
        for unit in _reviewers(registration).values()
        if unit is not None and unit.pk == user.unit_id
    )
    return signed < performs


@rules.predicate
def not_prepared_by_user(user, registration):
    """Four eyes (H-6 "谁审核、谁负责"): the account that entered or submitted a registration
    does not sign a tier's review of it — another officer of the department does (or the office
    records the department's paper opinion)."""
    return user.pk not in (registration.created_by_id, registration.submitted_by_id)


@rules.predicate
def drive_is_open(user, registration):
    return registration.drive.status == registration.drive.Status.OPEN


DRIVE_CLOSED = _("该统计登记工作已结束，登记表不能再修改或上报。")


@rules.predicate
def is_filing_unit(user, registration):
    return (
        registration is not None
        and bool(user.unit_id)
        and user.unit_id == registration.filing_unit_id
    )


@rules.predicate
def supervises_filing_unit(user, registration):
    """The supervising unit that signs the initial review (H-3) reads what it reviews."""
    if registration is None:
        return False
    supervisor = routing.supervisor(registration.filing_unit)
    return bool(user.unit_id) and supervisor is not None and supervisor.pk == user.unit_id


@rules.predicate
def is_not_classified(user, registration):
    return registration is not None and not registration.classified


@rules.predicate
def is_under_review(user, registration):
    return registration.state == Registration.State.SUBMITTED


# A reviewing department without an account answers on paper: the office records it.
rule(
    "registry.record_paper_opinion",
    is_office,
    when=[(is_under_review, _("只有审核中的登记表可以录入审核意见。"))],
    refused=OFFICE_ONLY,
)


def _editable_rows(user) -> Q:
    """A draft in the user's area — but a classified person's (H-6) only for the unit that
    files it and the office: the form spells out what every other page de-sensitises."""
    area = jurisdiction_q(user, Registration.jurisdiction)
    if is_office.test(user):
        return area
    return area & (Q(classified=False) | Q(filing_unit_id=user.unit_id))


def _under_review(user) -> Q:
    return Q(state=Registration.State.SUBMITTED) & jurisdiction_q(user, Registration.jurisdiction)


# Who registers (H-2) and who signs an initial review: a unit's officer or a nominating body.
is_registrar = is_nominator

rule("registry.search_people", is_office | is_registry_reviewer | is_registrar)
object_rule("registry.view_person", Person, "view", role=is_active_user)
# Full ID numbers and phones: the departments of the area that review the person's honours
# (H-3) and the office; every unmasking is written to the audit trail (services.privacy.unmask).
rule(
    "registry.view_personal_data",
    (is_registry_reviewer & in_jurisdiction) | is_office,
    refused=_("您没有查看完整身份证号码和电话的权限。"),
)
# Classified people (H-6) in full, and exports with full ID numbers: the provincial office.
rule(
    "registry.view_classified",
    is_office,
    refused=_("涉密人员的信息只有省级表彰工作办公室可以查看。"),
)
# Evidence (the commendation document, a personnel-file page) names the person and often
# carries the ID number: the filing unit that uploaded it, the office, and — unless the person
# is classified (H-6) — the departments of the area that review its honours and the
# supervising unit.
rule(
    "registry.view_evidence",
    is_office
    | is_filing_unit
    | (
        is_not_classified
        & ((is_registry_reviewer & in_jurisdiction) | (is_registrar & supervises_filing_unit))
    ),
    refused=_("您无权查看该登记表的佐证材料。"),
)


@rules.predicate
def drive_takes_contacts(user, drive):
    return drive.status == drive.Status.OPEN


# 附件5, a unit's responsible person and contact (H-5): while the drive is open.
rule(
    "registry.submit_contact",
    is_registrar | is_office,
    when=drive_takes_contacts,
    refused=_("您没有登记的权限。"),
    not_now=_("该统计登记工作已结束，不能再报送负责人员联系表。"),
)
rule("registry.export_in_full", is_office, refused=OFFICE_ONLY)
rule("registry.manage_drives", is_office, refused=OFFICE_ONLY)
rule(
    "registry.import_database",
    is_office,
    refused=_("只有省级表彰工作办公室可以批量导入数据库。"),
)
rule("registry.view_statistics", is_office | is_registry_reviewer)
rule(
    "registry.add_registration",
    is_registrar | is_office,
    refused=_("您没有登记的权限。"),
)
object_rule("registry.view_registration", Registration, "view", role=is_active_user)
object_rule(
    "registry.change_registration",
    Registration,
    "edit",
    role=is_registrar | is_office,
    rows=_editable_rows,
    when=[(is_editable, _("已上报的登记表不能修改。")), (drive_is_open, DRIVE_CLOSED)],
    refused=_("您没有修改该登记表的权限。"),
)
object_rule(
    "registry.submit_registration",
    Registration,
    "submit",
    role=is_registrar | is_office,
    rows=_editable_rows,
    when=[(is_editable, _("该登记表已上报。")), (drive_is_open, DRIVE_CLOSED)],
    refused=_("您没有上报该登记表的权限。"),
)
object_rule(
    "registry.review_registration",
    Registration,
    "review",
    role=is_reviewing_department | is_registrar | is_office,
    rows=_under_review,
    also=signs_at_current_tier,
    when=[
        (unit_has_not_signed, _("本单位已出具本级审核意见。")),
        (
            not_prepared_by_user,
            _("该登记表由您本人填报或上报，须由本单位其他人员审核（双人复核）。"),
        ),
    ],
    refused=_("本级审核不由您所在单位负责。"),
)
