"""Who may read reference data, keep the working-day calendar and read the audit trail."""

from django.utils.translation import gettext_lazy as _

from laurel.core.permissions import rule
from laurel.core.predicates import is_active_user, is_office

rule("core.view_reference", is_active_user)
rule(
    "core.manage_calendar",
    is_office,
    refused=_("只有系统管理员或省级表彰工作办公室可以维护工作日历。"),
)
rule("core.view_audit_log", is_office)
