"""Writes of the documents app: export jobs (one function per state change)."""

from __future__ import annotations

import datetime
import logging
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.permissions import require
from laurel.documents import docx, official, pdf
from laurel.documents.models import STALE_AFTER_SECONDS, ExportJob
from laurel.documents.tasks import build_export
from laurel.nominations.models import Nominee

EXPORT_DIR = Path(settings.VAR_DIR) / "exports"
logger = logging.getLogger(__name__)


def export_path(job: ExportJob) -> Path:
    """The job's file, named by its id *and* creation time: after a database is restored or
    recreated, ids repeat, and an older file must never pass for a new job's."""
    return EXPORT_DIR / f"{job.pk}-{job.created_at:%Y%m%d%H%M%S%f}.zip"


@transaction.atomic
def request_export(actor, campaign, body=None) -> ExportJob:
    """Queue a ZIP of a body's (or, for the office, every body's) documents."""
    if body is None:
        require(actor, "nominations.export_all_bodies")
    else:
        if body.campaign_id != campaign.pk:
            raise PermissionDenied(_("您不能导出该推荐单位的材料。"))
        require(actor, "documents.export_body", body)
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()  # one at a time
    waiting = ExportJob.objects.filter(
        requested_by=actor, state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING]
    )
    busy = [job for job in waiting if not is_stale(job)]  # an interrupted job holds no place
    if len(busy) >= MAX_WAITING_EXPORTS:
        raise ValidationError(
            _("您已有%(count)d个导出任务正在排队或生成，请待其完成后再发起。")
            % {"count": len(busy)}
        )
    job = ExportJob.objects.create(
        campaign=campaign,
        body=body,
        requested_by=actor,
        requested_as=ExportJob.standing_of(actor),
    )

    transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return job


MAX_WAITING_EXPORTS = 3  # a body's ZIP is minutes of a task worker: no one queues dozens


def is_stale(job: ExportJob) -> bool:
    if job.state not in (ExportJob.State.QUEUED, ExportJob.State.RUNNING):
        return False
    return timezone.now() - job.updated_at > datetime.timedelta(seconds=STALE_AFTER_SECONDS)


def _nominees(job: ExportJob):
    queryset = (
        Nominee.objects.restrict(job.requested_by)
        .filter(campaign=job.campaign)
        .exclude(state__in=[Nominee.State.DRAFT, Nominee.State.WITHDRAWN])
        .order_by("body__sort_order", "category__sort_order", "rank", "pk")
    )
    if job.body_id:
        queryset = queryset.filter(body_id=job.body_id)
    return official.prefetch(queryset)


def _safe(text: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' else c for c in text).strip() or "_"


def entry_name(document, owner: str, name: str = "") -> str:
    """A ZIP entry a clerk recognises: 单位-姓名-附件3.docx (附件6: 推荐单位-附件6.docx)."""
    form = document.key.split("-", 1)[0]  # form2 … form6
    label = f"附件{form.removeprefix('form')}" if form.startswith("form") else document.key
    parts = [_safe(owner), _safe(name), label] if name else [_safe(owner), label]
    return "-".join(parts) + ".docx"


def run_export(job_id: int) -> str:
    """Build the ZIP: per nominee its forms (.docx) and its print booklet (PDF), per body the
    summary sheet (附件6, .docx). Written to a temporary name and renamed when complete, so a
    failed or interrupted job never leaves a file that could be served."""
    job = ExportJob.objects.select_related("campaign", "body", "requested_by").get(pk=job_id)
    if job.state != ExportJob.State.QUEUED:
        return job.state
    user = job.requested_by
    nominees = list(_nominees(job))
    # every nominee is rendered twice: on its own, then in its body's bound booklet
    job.state, job.total, job.progress = ExportJob.State.RUNNING, 2 * len(nominees) + 1, 0
    job.save(update_fields=["state", "total", "progress", "updated_at"])
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    final = export_path(job)
    partial = final.with_suffix(".zip.part")
    try:
        pdf.check_fonts()
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            by_body: dict = {}
            for index, nominee in enumerate(nominees, start=1):
                full = user.has_perm("nominations.view_personal_data", nominee)
                # the record number keeps two people of one name (and rank) apart
                folder = (
                    f"{_safe(nominee.body.name)}/"
                    f"{nominee.rank:03d}-{_safe(nominee.name)}-{nominee.pk}"
                )
                documents = official.nominee_documents(nominee, full=full)
                if not user.has_perm("documents.read_clearance_forms", nominee):
                    documents = documents[:1]  # the opinions are not the requester's to read
                unit = nominee.nominating_unit.name
                for document in documents:
                    archive.writestr(
                        f"{folder}/{entry_name(document, unit, nominee.name)}",
                        docx.render(document),
                    )
                archive.writestr(
                    f"{folder}/{_safe(unit)}-{_safe(nominee.name)}-打印本.pdf",
                    pdf.render(documents),
                )
                by_body.setdefault(nominee.body, []).append((nominee, full, len(documents)))
                job.progress = index
                job.save(update_fields=["progress", "updated_at"])
            for body, members in by_body.items():
                full = all(full for _n, full, _forms in members)
                in_body = [n for n, _full, _forms in members]
                summary = official.summary_form(job.campaign, body, in_body, full=full)
                archive.writestr(
                    f"{_safe(body.name)}/{entry_name(summary, body.name)}", docx.render(summary)
                )
                # the whole body bound as one, printed double-sided (C-12)
                archive.writestr(
                    f"{_safe(body.name)}/{_safe(body.name)}-合订本.pdf",
                    pdf.render(
                        official.body_booklet(
                            job.campaign,
                            body,
                            in_body,
                            full=full,
                            forms={n.pk: forms for n, _full, forms in members},
                        )
                    ),
                )
                job.progress += len(in_body)
                job.save(update_fields=["progress", "updated_at"])
            archive.writestr(
                "README.txt",
                _("导出人：%(user)s\n导出时间：%(time)s\n活动：%(campaign)s\n")
                % {
                    "user": user.get_full_name() or user.get_username(),
                    "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                    "campaign": job.campaign.name,
                },
            )
        os.replace(partial, final)
    except Exception as error:  # any failure ends the job with its message
        logger.exception("export job %s failed", job.pk)
        partial.unlink(missing_ok=True)
        job.state = ExportJob.State.FAILED
        job.error = (
            str(error)
            if isinstance(error, pdf.FontsMissing)
            else _("生成材料时出错：%s。请稍后重试，或联系系统管理员。") % type(error).__name__
        )
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at", "updated_at"])
        return job.state
    name = job.body.name if job.body else job.campaign.short_name or job.campaign.name
    job.state = ExportJob.State.DONE
    job.progress = job.total
    job.file_name = f"{_safe(name)}-材料.zip"
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "progress", "file_name", "finished_at", "updated_at"])
    return job.state
