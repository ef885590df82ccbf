"""Who may see and manage campaigns: the permission vocabulary of this app
(laurel.core.permissions)."""

import rules
from django.utils.translation import gettext_lazy as _

from laurel.campaigns.models import Campaign, NominatingBody, Quota
from laurel.campaigns.models.campaign import visible_rows
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import is_active_user, is_nominator, is_office


@rules.predicate
def is_draft(user, campaign):
    return campaign.status == Campaign.Status.DRAFT


@rules.predicate
def is_closed(user, campaign):
    return campaign.status == Campaign.Status.CLOSED


@rules.predicate
def is_published(user, campaign):
    return campaign.status == Campaign.Status.PUBLISHED


rule("campaigns.list_campaigns", is_active_user)
object_rule("campaigns.view_campaign", Campaign, "view", role=is_active_user, rows=visible_rows)
object_rule("campaigns.view_body", NominatingBody, "view", role=is_active_user)
object_rule("campaigns.view_quota", Quota, "view", role=is_active_user)
# Whose inbox shows its quotas and deadline: who nominates against them (the office follows
# every quota on the dashboard instead).
rule("campaigns.work_to_quota", is_nominator)
MANAGERS_ONLY = _("只有省级表彰工作办公室或系统管理员可以维护评选表彰活动。")
# Create, edit, copy, load a definition file: the provincial office.
rule("campaigns.manage_campaigns", is_office, refused=MANAGERS_ONLY)
rule(
    "campaigns.change_campaign",
    is_office,
    when=~is_closed,
    refused=MANAGERS_ONLY,
    not_now=_("该活动已结束，记录只读。"),
)
rule(
    "campaigns.publish_campaign",
    is_office,
    when=is_draft,
    refused=MANAGERS_ONLY,
    not_now=_("只有草稿状态的活动可以发布。"),
)
rule(
    "campaigns.extend_deadline",
    is_office,
    when=is_published,
    refused=MANAGERS_ONLY,
    not_now=_("只有已发布的活动可以延期报送。"),
)
rule(
    "campaigns.close_campaign",
    is_office,
    when=is_published,
    refused=MANAGERS_ONLY,
    not_now=_("只有已发布的活动可以结束。"),
)
