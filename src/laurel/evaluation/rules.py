"""Who may do what in the provincial evaluation (C-8 steps 3–6, C-11): the permission vocabulary
of this app (laurel.core.permissions)."""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.campaigns.models import Campaign
from laurel.campaigns.queries import is_running
from laurel.core.jurisdiction import EVERYTHING
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import (
    is_assessor,
    is_leading_group,
    is_office,
    is_panel_expert,
)
from laurel.evaluation.models import Approval, Award, Candidate, Panel, PreliminaryList
from laurel.nominations.models import Nominee

OFFICE_ONLY = _("只有省级表彰工作办公室可以进行此项操作。")


@rules.predicate
def campaign_running(user, obj):
    return is_running(obj)


# A closed campaign's records are read-only (issue 18 §7).
RUNNING = (campaign_running, _("该活动已结束，记录只读。"))


@rules.predicate
def received_and_not_rechecked(user, nominee):
    return nominee.state == Nominee.State.RECEIVED and not hasattr(nominee, "recheck")


@rules.predicate
def panel_is_open(user, panel):
    return panel.state == Panel.State.OPEN


@rules.predicate
def panel_is_closed(user, panel):
    return panel.state == Panel.State.CLOSED


@rules.predicate
def round_not_approved(user, obj):
    """The government has not approved the round yet (a campaign, or a row that belongs to one)."""
    if isinstance(obj, Campaign):
        campaign = obj
    elif isinstance(obj, Candidate):
        campaign = obj.nominee.campaign
    else:
        campaign = obj.campaign
    return not Approval.objects.filter(campaign=campaign).exists()


@rules.predicate
def round_approved(user, campaign):
    return Approval.objects.filter(campaign=campaign).exists()


@rules.predicate
def list_is_draft(user, lst):
    return lst.state == PreliminaryList.State.DRAFT


@rules.predicate
def list_is_submitted(user, lst):
    return lst.state == PreliminaryList.State.SUBMITTED


@rules.predicate
def list_not_yet_submitted(user, obj):
    """The category's preliminary list (of a panel, or of a candidate's nominee) is still the
    office's draft: once it went to the leading group, the candidates and their assessments are
    what the leading group read (C-8 step 4)."""
    if isinstance(obj, Candidate):
        campaign_id, category_id = obj.nominee.campaign_id, obj.nominee.category_id
    else:
        campaign_id, category_id = obj.campaign_id, obj.category_id
    return (
        not PreliminaryList.objects.filter(campaign_id=campaign_id, category_id=category_id)
        .exclude(state=PreliminaryList.State.DRAFT)
        .exists()
    )


@rules.predicate
def award_is_valid(user, award):
    return award.state == Award.State.VALID


# --- recheck and panels (C-8 step 3) ------------------------------------------------------------

rule("evaluation.view_evaluation", is_office, refused=OFFICE_ONLY)
rule(
    "evaluation.recheck_nominee",
    is_office,
    when=[
        RUNNING,
        (received_and_not_rechecked, _("只有省级已接收、尚未复核的推荐对象可以进行资格复核。")),
    ],
    refused=OFFICE_ONLY,
)
rule(
    "evaluation.form_panel",
    is_office,
    when=[RUNNING, (round_not_approved, _("该活动已经审定，不能再组建评审组。"))],
    refused=OFFICE_ONLY,
)
rule("evaluation.view_panel", is_office, refused=OFFICE_ONLY)
rule(
    "evaluation.close_panel",
    is_office,
    when=[RUNNING, (panel_is_open, _("评审组已结束。"))],
    refused=OFFICE_ONLY,
)
rule(
    "evaluation.choose_candidates",
    is_office,
    when=[
        RUNNING,
        (round_not_approved, _("该活动已经审定，考核对象不能再变动。")),
        (
            list_not_yet_submitted,
            _("本类别初选名单已报领导小组复审，考核对象不能再变动。"),
        ),
        (panel_is_closed, _("评审结束前不公开计票结果。")),
    ],
    refused=OFFICE_ONLY,
)


def _member_of(user):
    return Q(members__expert=user)


# The experts of a panel: they see its ballot; while it is open they vote and declare conflicts.
object_rule(
    "evaluation.sit_on_panel",
    Panel,
    "sit",
    role=is_panel_expert,
    rows=_member_of,
    refused=_("您不是该评审组的专家。"),
)
object_rule(
    "evaluation.vote",
    Panel,
    "vote",
    role=is_panel_expert,
    rows=_member_of,
    when=[RUNNING, (panel_is_open, _("评审已结束，不能再投票。"))],
    refused=_("您不是该评审组的专家。"),
)
object_rule(
    "evaluation.declare_conflict",
    Panel,
    "declare_conflict",
    role=is_panel_expert,
    rows=_member_of,
    when=[RUNNING, (panel_is_open, _("评审已结束，不能再申报回避。"))],
    refused=_("您不是该评审组的专家。"),
)

# --- assessment, preliminary list, re-examination (C-8 step 4) ----------------------------------

object_rule(
    "evaluation.assess",
    Candidate,
    "assess",
    role=is_assessor,
    rows=lambda user: EVERYTHING,
    when=[
        RUNNING,
        (round_not_approved, _("该活动已经审定，考核情况不能再修改。")),
        (list_not_yet_submitted, _("初选名单已报领导小组复审，考核情况不能再修改。")),
    ],
    refused=_("只有考核组成员可以填写考核情况。"),
)
rule(
    "evaluation.view_list",
    is_office | is_leading_group,
    refused=_("您没有查看初选名单的权限。"),
)
rule(
    "evaluation.draft_list",
    is_office,
    when=[RUNNING, (list_is_draft, _("初选名单已报领导小组，不能再修改。"))],
    refused=OFFICE_ONLY,
)
rule(
    "evaluation.decide_list",
    is_leading_group,
    when=[RUNNING, (list_is_submitted, _("该初选名单不在复审中。"))],
    refused=_("只有领导小组成员可以复审初选名单。"),
)

# --- approval, awards, revocation (C-8 step 6, C-2, C-11) ---------------------------------------

rule("evaluation.view_awards", is_office, refused=OFFICE_ONLY)
rule(
    "evaluation.approve",
    is_office,
    when=[RUNNING, (round_not_approved, _("已记录审定结果。"))],
    refused=OFFICE_ONLY,
)
rule(
    "evaluation.award",
    is_office,
    when=[RUNNING, (round_approved, _("尚未记录审定结果，不能颁发表彰。"))],
    refused=OFFICE_ONLY,
)


@rules.predicate
def award_is_revoked(user, award):
    return award.state == Award.State.REVOKED


# C-11: the certificate and the bonus of a revoked award are recovered, often weeks later.
rule(
    "evaluation.record_recovery",
    is_office,
    when=award_is_revoked,
    refused=OFFICE_ONLY,
    not_now=_("只有已撤销的表彰登记证书、奖金的收回情况。"),
)
rule(
    "evaluation.revoke_award",
    is_office,
    when=award_is_valid,
    refused=OFFICE_ONLY,
    not_now=_("该表彰已撤销。"),
)
