"""H-6: every unmasking of an ID number or phone, and every export in full, writes an audit row
(who saw whose, when)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from laurel.core import audit
from laurel.core.audit import audit_context, current_request_id
from laurel.core.models import AuditLog
from laurel.core.permissions import require
from laurel.core.validators import mask_resident_id, normalize_resident_id
from laurel.registry.models import Person
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


def log_id_search(actor, id_number: str, found: int) -> None:
    """A search by exact ID number: one audit row (who looked for which number, masked, and how
    many people it found) — a unit testing numbers against the registry shows up."""
    if actor is None or not actor.is_authenticated:
        return
    AuditLog.objects.create(
        actor=actor,
        actor_repr=str(actor),
        action=AuditLog.Action.VIEW,
        content_type=ContentType.objects.get_for_model(Person),
        object_id="search",
        object_repr=_("按身份证号码查询：%(number)s（%(found)d人）")
        % {"number": mask_resident_id(normalize_resident_id(id_number)), "found": found},
        changes=[{"field": "id_number", "label": _("身份证号码查询"), "new": found}],
        reason=_("按身份证号码精确查询表彰人员"),
        request_id=current_request_id(),
    )
