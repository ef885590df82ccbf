"""H-6: every unmasking of an ID number or phone, and every export in full, writes an audit row
(who saw whose, when)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from laurel.core import audit
from laurel.core.audit import audit_context, current_request_id
from laurel.core.models import AuditLog
from laurel.core.permissions import require
from laurel.registry.privacy import Shown, shown


def unmask(actor, record, reason: str = "") -> Shown:
    """Show the full ID number and phone, and write who saw whose, when, to the audit trail."""
    require(actor, "registry.view_personal_data", record)
    if record.classified:
        require(actor, "registry.view_classified")
    reason = reason or _("查看完整身份证号码和联系电话")
    with audit_context(actor, reason):
        audit.record(
            record,
            AuditLog.Action.VIEW,
            [{"field": "id_number", "label": _("身份证号码、联系电话")}],
        )
    return shown(actor, record, unmasked=True)


def log_full_export(actor, model, count: int) -> None:
    """An export carrying full ID numbers and phones: one audit row (who, how many, when)."""

    AuditLog.objects.create(
        actor=actor if actor.is_authenticated else None,
        actor_repr=str(actor),
        action=AuditLog.Action.VIEW,
        content_type=ContentType.objects.get_for_model(model),
        object_id="export",
        object_repr=_("导出完整身份证号码和联系电话（%d条）") % count,
        changes=[{"field": "id_number", "label": _("身份证号码、联系电话"), "new": count}],
        reason=_("导出汇总表"),
        request_id=current_request_id(),
    )
