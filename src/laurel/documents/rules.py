"""Who may print and export which official documents (C-12): the permission vocabulary of this
app (laurel.core.permissions)."""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.campaigns.models import NominatingBody
from laurel.core.permissions import object_rule, rule
from laurel.core.predicates import is_active_user, is_office
from laurel.documents.models import ExportJob
from laurel.evaluation.models import Approval

OFFICE_ONLY = _("只有省级表彰工作办公室可以进行此项操作。")


@rules.predicate
def round_approved(user, campaign):
    return Approval.objects.filter(campaign=campaign).exists()


# A body's materials (附件2–6 of its nominees, as a ZIP or the 附件6 sheet): whoever sees the
# body; every body's at once: the office.
object_rule(
    "documents.export_body",
    NominatingBody,
    "export",
    role=is_active_user,
    refused=_("您不能导出该推荐单位的材料。"),
)


@rules.predicate
def reads_every_clearance(user, nominee) -> bool:
    return all(user.has_perm("nominations.view_clearance", c) for c in nominee.clearances.all())


# 附件4 and 附件5 carry the departments' opinions on the person: only for those who may read
# every one of them (the department asked, those who work the file, a panel's experts) — in a
# download, a booklet, a body's ZIP and its bound volume alike.
rule(
    "documents.read_clearance_forms",
    is_active_user & reads_every_clearance,
    refused=_("征求意见表载有各部门对推荐对象的意见，您无权查看。"),
)
# The decision, the certificates and the plaque list exist once the government has approved.
for name in ("download_decision", "download_certificates", "download_plaque_list"):
    rule(
        f"documents.{name}",
        is_office,
        when=round_approved,
        refused=OFFICE_ONLY,
        not_now=_("尚未记录审定结果，不能生成表彰决定、证书和奖牌名单。"),
    )


@rules.predicate
def still_may_export(user, job) -> bool:
    """The requester may still export what the job holds: a role or unit changed since the job
    was queued takes its ZIP away (the ZIP was built with the rights of then: full ID numbers,
    the departments' opinions), whatever the requester may export now."""
    if job.requested_as != ExportJob.standing_of(user):
        return False
    if job.body_id is None:
        return user.has_perm("nominations.export_all_bodies")
    return user.has_perm("documents.export_body", job.body)


object_rule(
    "documents.view_export",
    ExportJob,
    "view",
    role=is_active_user,
    rows=lambda user: Q(requested_by_id=user.pk),
    also=still_may_export,
    refused=_("只能查看本人发起、且本人现在仍可导出的导出任务。"),
)
