"""H-6: personal data shown masked unless the role may see it; every unmasking is logged; the
classified are shown de-sensitised to everyone but the provincial office."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from laurel.core import audit
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog

HIDDEN = "（涉密，已脱密）"


@dataclass
class Shown:
    """What a user may see of a person (or a registration)."""

    name: str
    id_number: str
    phone: str
    unit_name: str
    position: str
    desensitised: bool
    full: bool


def shown(user, record, *, unmasked: bool = False) -> Shown:
    """``unmasked`` only after :func:`unmask` logged it."""
    if record.classified and not user.has_perm("registry.view_classified"):
        surname = record.name[:1]
        return Shown(f"{surname}**", "", "", HIDDEN, HIDDEN, True, False)
    full = unmasked and user.has_perm("registry.view_personal_data", record)
    return Shown(
        record.name,
        record.id_number if full else record.id_masked,
        record.phone if full else record.phone_masked,
        record.unit_name,
        record.position,
        False,
        full,
    )


def unmask(actor, record, reason: str = "") -> Shown:
    """Show the full ID number and phone, and write who saw whose, when, to the audit trail."""
    if not actor.has_perm("registry.view_personal_data", record):
        raise PermissionDenied(_("您没有查看完整身份证号码和电话的权限。"))
    if record.classified and not actor.has_perm("registry.view_classified"):
        raise PermissionDenied(_("涉密人员的信息只有省级表彰工作办公室可以查看。"))
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
    from django.contrib.contenttypes.models import ContentType

    from laurel.core.audit import current_request_id

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
