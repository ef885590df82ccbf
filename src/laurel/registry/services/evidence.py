"""Evidence uploads: PDF, JPEG or PNG recognised by their content (not the file name; nothing
else carried inside, ``core.uploads``), at most 10 MB, stored under a random name; served only
to those who may see the registration."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.uploads import store_document
from laurel.registry.models import Evidence, Registration


@transaction.atomic
def add_evidence(actor, registration: Registration, upload, title: str) -> Evidence:
    require(actor, "registry.change_registration", registration)
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写材料名称。")})
    path, content_type, size = store_document(upload, "evidence")
    with audit_context(actor, _("上传佐证材料")):
        return Evidence.objects.create(
            registration=registration,
            title=title.strip(),
            file=path,
            content_type=content_type,
            size=size,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
