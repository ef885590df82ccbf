"""Evidence uploads: PDF, JPEG or PNG recognised by their content (not the file name; nothing
else carried inside, ``core.uploads``), at most 10 MB, stored under a random name; served only
to those who may see the registration."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.permissions import require
from laurel.core.uploads import check_document
from laurel.registry.models import Evidence, Registration

MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_evidence(actor, registration: Registration, upload, title: str) -> Evidence:
    require(actor, "registry.change_registration", registration)
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写材料名称。")})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {"file": _("文件不能超过10 MB（当前%.1f MB）。") % (upload.size / 2**20)}
        )
    content = upload.read()
    content_type, extension = check_document(content)
    path = default_storage.save(f"evidence/{uuid.uuid4().hex}.{extension}", ContentFile(content))
    with audit_context(actor, _("上传佐证材料")):
        return Evidence.objects.create(
            registration=registration,
            title=title.strip(),
            file=path,
            content_type=content_type,
            size=len(content),
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
