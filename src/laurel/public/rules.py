"""Who may do what with public notices and objections (C-8 steps 1 and 5, C-16): the permission
vocabulary of this app (laurel.core.permissions)."""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.campaigns.queries import is_running
from laurel.core.jurisdiction import EVERYTHING, NOTHING, jurisdiction_q
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import (
    is_active_user,
    is_leading_group,
    is_nominating_body,
    is_nominator,
    is_office,
    is_reviewing_department,
)
from laurel.public.models import Objection, PublicNotice


@rules.predicate
def campaign_running(user, obj):
    return is_running(obj)


# A closed campaign's records are read-only (issue 18 §7).
RUNNING = (campaign_running, _("该活动已结束，记录只读。"))


@rules.predicate
def notice_has_run(user, notice):
    """Published, and its whole period is over: it may be closed."""
    return notice.state == PublicNotice.State.PUBLISHED and notice.has_run()


@rules.predicate
def notice_is_running_or_due(user, notice):
    """Published, and not yet past its end: it can still be taken down."""
    return notice.state == PublicNotice.State.PUBLISHED and not notice.has_run()


@rules.predicate
def objection_is_open(user, objection):
    return objection.state in Objection.OPEN_STATES


def _handles(user) -> Q:
    """Whose objections: the office, every objection (a provincial notice's objections belong
    to it alone); a nominating body, those raised on the unit notices of its area."""
    if is_office.test(user):
        return EVERYTHING
    return (
        Q(notice__level=PublicNotice.Level.UNIT)
        & jurisdiction_q(user, Objection.jurisdiction)
        & ~_own_units_nominee(user)
    )


def _own_units_nominee(user) -> Q:
    """An objection to a nominee of the user's own unit: the unit does not check itself (a
    body's own unit's nominee is checked by the office)."""
    return Q(nominee__nominating_unit_id=user.unit_id) if user.unit_id else NOTHING


rule("public.list_notices", is_active_user)
object_rule("public.view_notice", PublicNotice, "view", role=is_active_user)
# A unit notice is organised by the nominating unit or body (C-8 step 1); the provincial notice
# by the office (step 5).
rule(
    "public.organise_notice",
    is_nominator | is_office,
    when=[RUNNING],
    refused=_("您没有发布公示的权限。"),
)
rule(
    "public.publish_provincial_notice",
    is_office,
    when=[RUNNING],
    refused=_("只有省级表彰工作办公室可以发布省级公示。"),
)


def _organises(user) -> Q:
    """Whose notices: the office every notice; a nominator the unit notices of its area."""
    if is_office.test(user):
        return EVERYTHING
    return Q(level=PublicNotice.Level.UNIT) & jurisdiction_q(user, PublicNotice.jurisdiction)


object_rule(
    "public.close_notice",
    PublicNotice,
    "close",
    role=is_nominator | is_office,
    rows=_organises,
    when=[
        RUNNING,
        (notice_has_run, _("公示期满前不能结束公示；确需撤下的，请撤销公示（撤销后作废）。")),
    ],
    refused=_("您没有结束该公示的权限。"),
)
object_rule(
    "public.cancel_notice",
    PublicNotice,
    "cancel",
    role=is_nominator | is_office,
    rows=_organises,
    when=[RUNNING, (notice_is_running_or_due, _("该公示已结束或已撤销。"))],
    refused=_("您没有撤销该公示的权限。"),
)
# An objection's text often names the one who raised it: those who handle or verify it, and
# those who decide on the nominee (the reviewing departments, the leading group) read it; the
# nominee's own unit, a clearance department or an expert of the nominee's unit does not (they
# see the outcome on the nominee's record).
_READS_OBJECTIONS = is_office | is_leading_group | is_nominating_body | is_reviewing_department


def _reads_objection(user) -> Q:
    rows = Q(assigned_to=user.pk)  # the verifier it was given to
    if is_office.test(user):
        return EVERYTHING
    if _READS_OBJECTIONS.test(user):
        rows |= jurisdiction_q(user, Objection.jurisdiction) & ~_own_units_nominee(user)
    return rows


object_rule(
    "public.view_objection",
    Objection,
    "view",
    role=is_active_user,
    rows=_reads_objection,
    refused=_("未找到该异议，或您无权查看。"),
)
object_rule(
    "public.handle_objection",
    Objection,
    "handle",
    role=is_office | is_nominating_body,
    rows=_handles,
    when=[RUNNING, (objection_is_open, _("该异议已办结。"))],
    refused=_("您没有核查该异议的权限。"),
)
# A founded objection on a unit notice withdraws a nominee still in its body's hands (a draft,
# sent back, under review below the province); one the province has received is the office's
# to withdraw (C-8: the body's verdict does not undo the province's work).
rule(
    "public.withdraw_received_nominee",
    is_office,
    refused=_("该对象已由省级接收：异议属实的，请报省级表彰工作办公室处理。"),
)
# The objector's name and contacts: the one who handles the objection, nobody else.
object_rule(
    "public.view_objector",
    Objection,
    "view_objector",
    role=is_office | is_nominating_body,
    rows=_handles,
    refused=_("异议人的身份和联系方式只有负责核查的单位可以查看。"),
)
