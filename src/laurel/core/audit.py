"""Append-only audit trail.

Every model that inherits :class:`AuditedModel` is recorded on create, update and delete by the
signal handlers below, so no code path (service, management command, shell) changes such a row
without leaving an :class:`~laurel.core.models.AuditLog` entry. Services name the actor and the
reason with :func:`audit_context`; web requests set the actor and request id in middleware.

Bulk operations (``bulk_create``, ``QuerySet.update``) bypass signals: code that uses them must
call :func:`record` itself.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_actor: ContextVar[Any] = ContextVar("laurel_audit_actor", default=None)
_reason: ContextVar[str] = ContextVar("laurel_audit_reason", default="")
_request_id: ContextVar[str] = ContextVar("laurel_audit_request_id", default="")

MASKED = "******"


@contextlib.contextmanager
def audit_context(actor=None, reason: str = "", request_id: str | None = None):
    """Attribute every audited write inside the block to ``actor`` with ``reason``."""
    tokens = [(_actor, _actor.set(actor)), (_reason, _reason.set(reason or ""))]
    if request_id is not None:
        tokens.append((_request_id, _request_id.set(request_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current_actor():
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


def set_request_context(actor=None, request_id: str = ""):
    """For middleware: returns tokens to pass to :func:`reset_request_context`."""
    return (_actor.set(actor), _request_id.set(request_id))


def reset_request_context(tokens) -> None:
    actor_token, request_token = tokens
    _request_id.reset(request_token)
    _actor.reset(actor_token)


class AuditedModel(models.Model):
    """Mixin: writes to this model are recorded in the audit trail.

    ``audit_exclude`` names fields not worth recording (denormalised paths, timestamps);
    ``audit_mask`` names fields whose values must never be copied into the log (passwords,
    ID numbers); ``audit_state_field`` names the field whose change is a state transition;
    ``audit_parent`` (a property) returns the object whose page shows this row's changes.
    """

    audit_exclude: tuple[str, ...] = ()
    audit_mask: tuple[str, ...] = ()
    audit_state_field: str | None = None
    # Fields holding a code of a code table (民族 "01"): {field name: table key}, shown by name.
    audit_code_tables: dict[str, str] = {}

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # the loaded values are the attributes (the diff reads only the audited names): one
        # dict, not a getattr per field on every row a page loads; fields left deferred are
        # read from the database only if the row is saved (_pre_save)
        instance._audit_snapshot = dict(zip(field_names, values, strict=True))
        return instance

    @property
    def audit_parent(self):
        return None

    def _audit_fields(self):
        for field in self._meta.concrete_fields:
            if field.primary_key or field.name in self.audit_exclude:
                continue
            yield field

    def _audit_raw_values(self) -> dict[str, Any]:
        return {f.attname: getattr(self, f.attname, None) for f in self._audit_fields()}


def _display(instance: AuditedModel, field, raw) -> Any:
    if raw is None or raw == "":
        return raw
    if field.name in instance.audit_mask:
        return MASKED
    # A model names the values of a field without choices (a department's function, a tier):
    # ``audit_display_<field>(raw)`` gives the words the audit trail shows.
    hook = getattr(instance, f"audit_display_{field.name}", None)
    if hook is not None:
        return str(hook(raw))
    if field.is_relation:
        if field.is_cached(instance):
            cached = field.get_cached_value(instance)
            if cached is not None and cached.pk == raw:
                return str(cached)
        related = field.related_model._default_manager.filter(pk=raw).first()
        return str(related) if related is not None else str(raw)
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if field.name in instance.audit_code_tables:
        from .models import CodeItem

        table = instance.audit_code_tables[field.name]
        name = CodeItem.objects.of(table).filter(code=raw).values_list("name", flat=True).first()
        return name or raw
    return _jsonable(raw)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


# Words for fields declared without a Chinese name (the audit log is read by the office, not by
# developers): a few common ones; a relation otherwise takes its model's name.
FIELD_WORDS = {
    "sort_order": gettext_lazy("排序"),
    "decided_by": gettext_lazy("决定人"),
    "created_by": gettext_lazy("创建人"),
    "uploaded_by": gettext_lazy("上传人"),
    "id_hash": gettext_lazy("身份证号码"),
    "id_cipher": gettext_lazy("身份证号码"),
    "phone_cipher": gettext_lazy("联系电话"),
    "assessor": gettext_lazy("考核人"),
    "expert": gettext_lazy("评审专家"),
}


def field_label(field) -> str:
    """The field's name as the office reads it: its Chinese verbose name, else a known word,
    else (a relation) the related model's name."""
    label = str(field.verbose_name)
    if label.isascii():
        if field.name in FIELD_WORDS:
            return str(FIELD_WORDS[field.name])
        if field.is_relation and field.related_model is not None:
            return str(field.related_model._meta.verbose_name)
    return label


def _diff(instance: AuditedModel, old: dict | None, new: dict) -> list[dict]:
    changes = []
    for field in instance._audit_fields():
        before = None if old is None else old.get(field.attname)
        after = new.get(field.attname)
        if old is not None and before == after:
            continue
        if old is None and after in (None, "", {}, []):
            continue
        changes.append(
            {
                "field": field.name,
                "label": field_label(field),
                "old": _display(instance, field, before),
                "new": _display(instance, field, after),
            }
        )
    return changes


def record(instance, action: str, changes: list[dict] | None = None, reason: str | None = None):
    """Write one audit row for ``instance``. Used by the signal handlers and by bulk paths."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditLog

    actor = _actor.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    parent = getattr(instance, "audit_parent", None)
    return AuditLog.objects.create(
        actor=actor,
        actor_repr=str(actor) if actor is not None else _("系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        parent_content_type=(
            ContentType.objects.get_for_model(type(parent)) if parent is not None else None
        ),
        parent_object_id=str(parent.pk) if parent is not None else "",
        changes=changes or [],
        reason=_reason.get() if reason is None else reason,
        request_id=_request_id.get(),
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    if instance._state.adding:
        return
    if hasattr(instance, "_audit_snapshot"):
        snapshot = instance._audit_snapshot
        missing = [f.attname for f in instance._audit_fields() if f.attname not in (snapshot or {})]
        if snapshot is not None and missing:  # loaded with deferred fields: their stored
            stored = type(instance)._default_manager.filter(pk=instance.pk).values(*missing)
            snapshot.update(stored.first() or {})  # values, for the "old" side
        return
    # Saved without being loaded first: read the stored row so the diff has an "old" side.
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    instance._audit_snapshot = stored._audit_raw_values() if stored else None


def _post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    from .models import AuditLog

    new = instance._audit_raw_values()
    old = None if created else getattr(instance, "_audit_snapshot", None)
    changes = _diff(instance, old, new)
    instance._audit_snapshot = new
    if created:
        record(instance, AuditLog.Action.CREATE, changes)
        return
    if not changes:
        return
    state_field = instance.audit_state_field
    action = (
        AuditLog.Action.TRANSITION
        if state_field and any(c["field"] == state_field for c in changes)
        else AuditLog.Action.UPDATE
    )
    record(instance, action, changes)


def _pre_delete(sender, instance, **kwargs):
    """A row loaded with deferred fields: their stored values, for the record of the delete
    (and its name in the log)."""
    if not isinstance(instance, AuditedModel):
        return
    deferred = instance.get_deferred_fields()
    if deferred:  # read now: after the delete neither the log nor str(instance) could
        instance.refresh_from_db(fields=list(deferred))
        snapshot = getattr(instance, "_audit_snapshot", None)
        if snapshot is not None:
            snapshot.update({name: getattr(instance, name) for name in deferred})


def _post_delete(sender, instance, **kwargs):
    if not isinstance(instance, AuditedModel):
        return
    from .models import AuditLog

    old = getattr(instance, "_audit_snapshot", None) or instance._audit_raw_values()
    changes = [
        {
            "field": f.name,
            "label": field_label(f),
            "old": _display(instance, f, old.get(f.attname)),
            "new": None,
        }
        for f in instance._audit_fields()
        if old.get(f.attname) not in (None, "")
    ]
    record(instance, AuditLog.Action.DELETE, changes)


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="laurel_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="laurel_audit_post_save")
    pre_delete.connect(_pre_delete, dispatch_uid="laurel_audit_pre_delete")
    post_delete.connect(_post_delete, dispatch_uid="laurel_audit_post_delete")
