"""附件6 pages: the import template, importing nominees with a row-by-row report (all rows or
only the valid ones), the body's and the province's summary sheet."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from laurel.campaigns.models import Campaign, NominatingBody
from laurel.core.http import int_param, require_perm
from laurel.core.models import CodeNames
from laurel.nominations.interfaces.spreadsheets import (
    MAX_UPLOAD,
    parse_workbook,
    workbook,
)
from laurel.nominations.models import Nominee
from laurel.nominations.queries import body_for_unit, summary_row
from laurel.nominations.services import nominees as service

IMPORT_DIR = Path(settings.VAR_DIR) / "imports"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _campaign(request, pk) -> Campaign:
    campaign = Campaign.objects.restrict(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动，或您无权查看。"))
    return campaign


@login_required
def template_view(request, campaign_pk):
    require_perm(request.user, "nominations.add_nominee")
    campaign = _campaign(request, campaign_pk)
    unit = request.user.unit
    body = body_for_unit(campaign, unit) if unit else None
    content = workbook(
        campaign, body.name if body else "", [(c, []) for c in campaign.categories.all()]
    )
    return _xlsx_response(content, f"template-{campaign.slug}.xlsx")


@login_required
def export_view(request, campaign_pk):
    """The body's 附件6 summary sheet (full ID numbers only for those who may see them)."""
    require_perm(request.user, "nominations.list_nominees")
    campaign = _campaign(request, campaign_pk)
    bodies = NominatingBody.objects.restrict(request.user).filter(campaign=campaign)
    if request.GET.get("body") == "all" and request.user.has_perm("nominations.export_all_bodies"):
        return _campaign_summary(request, campaign)
    body_id = int_param(request, "body")
    body = bodies.filter(pk=body_id).first() if body_id is not None else None
    body = body or bodies.first()
    if body is None:
        raise PermissionDenied(_("您没有可导出的推荐单位。"))
    sheets = []
    codes = CodeNames()
    for category in campaign.categories.all():
        nominees = (
            Nominee.objects.restrict(request.user)
            .filter(body=body, category=category)
            .exclude(state=Nominee.State.WITHDRAWN)
            .order_by("rank", "pk")
        )
        rows = [
            summary_row(i, n, request.user.has_perm("nominations.view_personal_data", n), codes)
            for i, n in enumerate(nominees, start=1)
        ]
        sheets.append((category, rows))
    return _xlsx_response(
        workbook(campaign, body.name, sheets), f"summary-{campaign.slug}-{body.key}.xlsx"
    )


def _campaign_summary(request, campaign):
    """附件6 for the whole campaign (the office): every body's rows, the body in 备注."""
    sheets = []
    codes = CodeNames()
    for category in campaign.categories.all():
        nominees = (
            Nominee.objects.restrict(request.user)
            .filter(campaign=campaign, category=category)
            .exclude(state__in=[Nominee.State.WITHDRAWN, Nominee.State.DRAFT])
            .select_related("body")
            .order_by("body__sort_order", "rank", "pk")
        )
        rows = []
        for index, nominee in enumerate(nominees, start=1):
            full = request.user.has_perm("nominations.view_personal_data", nominee)
            row = summary_row(index, nominee, full, codes)
            note_column = 13 if nominee.is_individual else 7
            row[note_column] = "；".join(x for x in (nominee.body.name, row[note_column]) if x)
            rows.append(row)
        sheets.append((category, rows))
    return _xlsx_response(
        workbook(campaign, _("全部推荐单位"), sheets), f"summary-{campaign.slug}-all.xlsx"
    )


def _stash(request, content: bytes) -> str:
    IMPORT_DIR.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    (IMPORT_DIR / f"{token}.xlsx").write_bytes(content)
    request.session["nominations_import"] = token
    return token


def _unstash(request, token: str) -> bytes | None:
    if not token or request.session.get("nominations_import") != token or not token.isalnum():
        return None
    path = IMPORT_DIR / f"{token}.xlsx"
    return path.read_bytes() if path.exists() else None


@login_required
def import_view(request, campaign_pk):
    require_perm(request.user, "nominations.add_nominee")
    campaign = _campaign(request, campaign_pk)
    categories = list(campaign.categories.all())
    context = {"campaign": campaign, "categories": categories}
    if request.method != "POST":
        return render(request, "nominations/import.html", context)
    category = next((c for c in categories if str(c.pk) == request.POST.get("category")), None)
    if category is None:
        messages.error(request, _("请选择类别。"))
        return render(request, "nominations/import.html", context)
    token = request.POST.get("token", "")
    if token:
        content = _unstash(request, token)
        if content is None:
            messages.error(request, _("导入文件已过期，请重新上传。"))
            return render(request, "nominations/import.html", context)
    else:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的 .xlsx 文件。"))
            return render(request, "nominations/import.html", context)
        if upload.size > MAX_UPLOAD:
            messages.error(request, _("文件不能超过10 MB。"))
            return render(request, "nominations/import.html", context)
        content = upload.read()
    rows, fatal = parse_workbook(content, campaign, category)
    valid = [r for r in rows if not r.errors]
    errors = fatal + [e for r in rows for e in r.errors]
    save_valid = token and request.POST.get("action") == "save_valid"
    if (rows and not errors) or (save_valid and valid):
        try:
            saved = service.import_rows(request.user, campaign, category, [r.values for r in valid])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
            return render(request, "nominations/import.html", context)
        messages.success(
            request, _("已导入%d个推荐对象（草稿），请逐个补全审批表后上报。") % len(saved)
        )
        return redirect(f"{reverse('nominations:list')}?campaign={campaign.pk}")
    context.update(
        {
            "category": category,
            "errors": errors,
            "valid_count": len(valid),
            "row_count": len(rows),
            "token": _stash(request, content) if valid else "",
        }
    )
    return render(request, "nominations/import.html", context)
