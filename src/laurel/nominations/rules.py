"""Who may do what with nominees: nomination, clearance (C-9), tiered review (C-8 step 2). The
permission vocabulary of this app (laurel.core.permissions)."""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.accounts.queries import answers_clearance_in_laurel
from laurel.campaigns.models import Campaign, NominatingBody
from laurel.campaigns.queries import is_running
from laurel.core.jurisdiction import EVERYTHING, NOTHING, jurisdiction_q
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import (
    in_jurisdiction,
    is_active_user,
    is_clearance_department,
    is_leading_group,
    is_nominating_body,
    is_nominating_unit,
    is_nominator,
    is_office,
    is_reviewing_department,
)
from laurel.nominations import tiers
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.nominations.signals import nominee_readers

EDITABLE = (Nominee.State.DRAFT, Nominee.State.SENT_BACK)


@rules.predicate
def campaign_running(user, obj):
    return is_running(obj)


# A closed campaign's records are read-only (issue 18 §7).
RUNNING = (campaign_running, _("该活动已结束，记录只读。"))


@rules.predicate
def is_editable(user, nominee):
    return nominee.state in EDITABLE


@rules.predicate
def is_submitted(user, nominee):
    return nominee.state == Nominee.State.SUBMITTED


@rules.predicate
def department_has_not_answered(user, nominee):
    """The user's department has not given its opinion at this tier in this round yet."""
    function = tiers.acting_function(user.unit, nominee)
    return not tiers.opinions(nominee).filter(function=function).exists()


@rules.predicate
def awaits_opinion(user, request):
    return request.state in (ClearanceRequest.State.PENDING, ClearanceRequest.State.VERIFYING)


@rules.predicate
def awaits_office_decision(user, request):
    return request.state == ClearanceRequest.State.DISAGREED and not request.office_decision


def _jurisdiction(user):
    return jurisdiction_q(user, Nominee.jurisdiction)


def _own_lists(user, prefix: str = "") -> Q:
    """The lists a user orders (C-8 step 2): the office every list; a region's nominating body
    the list of its own area (its division is the body's); a provincial-level unit its own
    list. Never a list of the level above. ``prefix`` reaches the nominee from another row."""
    if is_office.test(user):
        return EVERYTHING
    if not user.unit_id:
        return NOTHING
    body = f"{prefix}body"
    rows = Q(
        **{f"{body}__unit_id": user.unit_id, f"{body}__kind": NominatingBody.Kind.PROVINCIAL_UNIT}
    )
    if is_nominating_body.test(user):
        rows |= Q(
            **{
                f"{body}__division_id": user.unit.division_id,
                f"{body}__kind": NominatingBody.Kind.REGION,
            }
        )
    return rows


def _path_prefixes(path: str) -> list[str]:
    """'/220000/220100/220102/' → ['/220000/', '/220000/220100/', '/220000/220100/220102/']."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def _entered_by(user) -> Q:
    """The nominees a user enters and sends on (edit, submit, withdraw, delete, clearance),
    within the jurisdiction: the office any; a unit those of its own tree; a region's
    nominating body (a city's, or a county's office working for it) those of a region body
    whose area holds its own — never another body's (a provincial-level unit's branch that
    sits in the city is that unit's, on that unit's quota)."""
    if is_office.test(user):
        return EVERYTHING
    if not user.unit_id:
        return NOTHING
    rows = Q(nominating_unit__path__startswith=user.unit.path)
    if is_nominating_body.test(user):
        rows |= Q(
            body__kind=NominatingBody.Kind.REGION,
            body__division__path__in=_path_prefixes(user.unit.division.path),
        )
    return rows


def may_enter_for(user, unit, body) -> bool:
    """``_entered_by`` for a nominee not yet saved: ``unit`` nominating on ``body``'s list."""
    if is_office.test(user):
        return True
    if user is None or not user.unit_id:
        return False
    if unit.path.startswith(user.unit.path):
        return True
    return (
        is_nominating_body.test(user)
        and body.kind == NominatingBody.Kind.REGION
        and user.unit.division.path.startswith(body.division.path)
    )


def _enters(user) -> Q:
    return _jurisdiction(user) & _entered_by(user)


@rules.predicate
def is_in_play(user, nominee):
    """Still on its body's list in a running campaign: drafted, sent back or under review."""
    return (
        nominee.state in (*EDITABLE, Nominee.State.SUBMITTED)
        and nominee.campaign.status == Campaign.Status.PUBLISHED
    )


def _reviews(user) -> Q:
    return tiers.review_rows(user) & _jurisdiction(user)


def _sends_back(user) -> Q:
    return EVERYTHING if is_office.test(user) else _reviews(user)


# --- nominees ------------------------------------------------------------------------------------

rule("nominations.list_nominees", is_active_user)
object_rule("nominations.view_nominee", Nominee, "view", role=is_active_user)


def _lent(user) -> Q:
    """What an app above lends the user to read beyond the jurisdiction (the experts of an open
    panel its nominees: ``signals.nominee_readers``). Only the record page, the photo and the
    PDF of the forms ask it — never a list, an export, the API or a permission to act."""
    rows = NOTHING
    for _receiver, extra in nominee_readers.send(sender=Nominee, user=user):
        if extra is not None:
            rows |= extra
    return rows


object_rule(
    "nominations.read_full_record",
    Nominee,
    "read",
    role=is_active_user,
    rows=lambda user: _jurisdiction(user) | _lent(user),
    refused=_("未找到该推荐对象，或您无权查看。"),
)
rule(
    "nominations.add_nominee",
    is_nominator | is_office,
    refused=_("只有推荐单位、评选推荐工作机构和省级表彰工作办公室可以申报。"),
)
_ENTERS = is_nominator | is_office
_NOT_EDITABLE = _("“{object}”已上报，不能再修改；如需修改请先撤回。")
object_rule(
    "nominations.edit_nominee",
    Nominee,
    "edit",
    role=_ENTERS,
    rows=_enters,
    when=[RUNNING, (is_editable, _NOT_EDITABLE)],
    refused=_("您没有修改该推荐对象的权限。"),
)
object_rule(
    "nominations.submit_nominee",
    Nominee,
    "submit",
    role=_ENTERS,
    rows=_enters,
    when=[RUNNING, (is_editable, _("“{object}”已上报。"))],
    refused=_("您没有上报该推荐对象的权限。"),
)
object_rule(
    "nominations.withdraw_nominee",
    Nominee,
    "withdraw",
    role=_ENTERS,
    rows=_enters,
    when=[RUNNING, (is_submitted, _("只有已上报的推荐对象可以撤回。"))],
    refused=_("您没有撤回该推荐对象的权限。"),
)
object_rule(
    "nominations.delete_nominee",
    Nominee,
    "delete",
    role=_ENTERS,
    rows=_enters,
    when=[RUNNING, (is_editable, _NOT_EDITABLE)],
    refused=_("您没有删除该推荐对象的权限。"),
)
# The list asks these rows as a column of its own query (an annotation: joins, no subquery):
# ``rows`` may follow single-valued relations only — a multi-valued relation would repeat a
# nominee's row, and a negation across one would answer otherwise than ``restrict`` (test:
# test_the_lists_rankable_column_is_the_rank_rules_rows_and_multiplies_no_row).
object_rule(
    "nominations.rank_nominees",
    Nominee,
    "rank",
    role=is_nominating_body | is_nominating_unit | is_office,
    rows=lambda user: _own_lists(user) & _jurisdiction(user),
    when=[RUNNING, (is_in_play, _("省级已接收或已结束的推荐名单不能再调整排序。"))],
    refused=_("只有本级评选推荐工作机构可以调整本级推荐名单的排序。"),
)
# Which honours a C-5 check found, and where: the office alone (a unit learns only that its
# nominee needs the check, never another person's record).
rule(
    "nominations.view_prior_honours",
    is_office,
    refused=_("以往表彰记录只有省级表彰工作办公室可以查看。"),
)
# Full ID numbers and phone numbers: the people who enter, review and manage nominations.
rule(
    "nominations.view_personal_data",
    ((is_nominator | is_reviewing_department) & in_jurisdiction) | is_office,
)
rule("nominations.view_overview", is_office | is_leading_group)

# --- clearance (征求意见, C-9) ------------------------------------------------------------------

object_rule(
    "nominations.open_clearance",
    Nominee,
    "open_clearance",
    role=_ENTERS,
    rows=_enters,
    when=[RUNNING, (is_editable, _NOT_EDITABLE)],
    refused=_("您没有为该推荐对象征求意见的权限。"),
)


def _asked(user) -> Q:
    return Q(department_id=user.unit_id) if user.unit_id else NOTHING


_WORKS_THE_FILE = is_office | is_nominator | is_reviewing_department | is_leading_group


def _clearance_readers(user) -> Q:
    """A department's opinion on a person is read by the department asked and, inside the
    jurisdiction, by those who work the nominee's file (the office, the nominating side, the
    reviewing departments, the leading group) — never by another department of the area, nor
    by an expert for sitting in the nominee's unit (an expert reads the opinions in the full
    record of a panel's nominee)."""
    rows = _asked(user)
    if _WORKS_THE_FILE.test(user):
        rows |= jurisdiction_q(user, ClearanceRequest.jurisdiction)
    lent = _lent(user)
    if lent is not NOTHING:  # an open panel's experts read its nominees' full record
        rows |= Q(nominee__in=Nominee.objects.filter(lent).values("pk"))
    return rows


object_rule(
    "nominations.view_clearance",
    ClearanceRequest,
    "view",
    role=is_active_user,
    rows=_clearance_readers,
    refused=_("未找到该征求意见，或您无权查看。"),
)
object_rule(
    "nominations.give_clearance_opinion",
    ClearanceRequest,
    "answer",
    role=is_clearance_department,
    rows=_asked,
    when=[RUNNING, (awaits_opinion, _("该部门已出具意见，不能重复填写。"))],
    refused=_("只有承办部门的经办人可以填写该意见。"),
)


@rules.predicate
def department_named(user, request):
    return request.department_id is not None


@rules.predicate
def answers_on_paper(user, request):
    """The department has no account that answers in Laurel — or the office records a letter
    that came on paper anyway."""
    if is_office.test(user):
        return True
    return not answers_clearance_in_laurel(request.department_id)


def _paper_rows(user) -> Q:
    if is_office.test(user):
        return EVERYTHING
    return (
        _own_lists(user, "nominee__")
        & jurisdiction_q(user, ClearanceRequest.jurisdiction)
        & ~Q(nominee__nominating_unit_id=user.unit_id)
    )


object_rule(
    "nominations.record_paper_clearance",
    ClearanceRequest,
    "record_paper",
    role=is_office | is_nominator,
    # The body whose list the nominee is on (or the office) — never the nominating unit itself,
    # which would be vouching for its own candidate.
    rows=lambda user: _paper_rows(user),
    when=[
        RUNNING,
        (awaits_opinion, _("该部门已出具意见，不能重复录入。")),
        (department_named, _("请先由省级表彰工作办公室指定承办部门。")),
        (
            answers_on_paper,
            _(
                "该部门有系统账号，应由其经办人在系统中出具意见；确需录入纸质意见的，请联系省级表彰工作办公室。"
            ),
        ),
    ],
    refused=_("只有推荐单位或省级表彰工作办公室可以录入纸质意见。"),
)
# The scan of a sealed letter carries the department's findings on the person in full: the
# department itself, the body that recorded it (whose list the nominee is on) and the office.
object_rule(
    "nominations.view_opinion_scan",
    ClearanceRequest,
    "view_scan",
    role=is_active_user,
    rows=lambda user: (
        _asked(user)
        | (_own_lists(user, "nominee__") & jurisdiction_q(user, ClearanceRequest.jurisdiction))
    ),
    refused=_("您无权查看该意见的扫描件。"),
)
rule(
    "nominations.decide_clearance",
    is_office,
    when=[RUNNING, (awaits_office_decision, _("只有尚未决定的“不同意”意见需要办公室决定。"))],
    refused=_("只有省级表彰工作办公室可以对不同意见作出决定。"),
)
rule(
    "nominations.assign_clearance_department",
    is_office,
    when=[RUNNING, (awaits_opinion, _("该部门已出具意见，不能再改派。"))],
    refused=_("只有省级表彰工作办公室可以指定承办部门。"),
)

# --- tiered review (C-8 step 2) ------------------------------------------------------------------

object_rule(
    "nominations.review_nominee",
    Nominee,
    "review",
    role=is_reviewing_department,
    rows=_reviews,
    when=[RUNNING, (department_has_not_answered, _("本部门已对“{object}”出具本级审核意见。"))],
    refused=_("该推荐对象当前不在本部门审核。"),
)
# A reviewing department without an account answers on paper: the office records it.
rule(
    "nominations.record_paper_review",
    is_office,
    when=[RUNNING, (is_submitted, _("只有审核中的推荐对象可以录入审核意见。"))],
    refused=_("只有省级表彰工作办公室可以录入纸质审核意见。"),
)
object_rule(
    "nominations.send_back_nominee",
    Nominee,
    "send_back",
    role=is_reviewing_department | is_office,
    rows=_sends_back,
    when=[RUNNING, (is_submitted, _("只有审核中的推荐对象可以退回。"))],
    refused=_("只有当前审核层级的审核部门或省级表彰工作办公室可以退回。"),
)
# Every body's materials at once (the 附件6 sheet of the province, the ZIP of all bodies).
rule(
    "nominations.export_all_bodies",
    is_office,
    refused=_("只有省级表彰工作办公室可以导出全部推荐单位的材料。"),
)
