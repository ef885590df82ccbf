"""Downloads of official documents and the background ZIP export with its progress bar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign, NominatingBody
from laurel.core import permissions
from laurel.core.http import get_visible_or_404, int_param, messages_from_errors, require_perm
from laurel.core.permissions import require
from laurel.documents import decision, docx, official, pdf, services
from laurel.documents.models import ExportJob
from laurel.documents.registry import registration_form
from laurel.evaluation.models import Award
from laurel.nominations.models import Nominee
from laurel.registry.models import Registration

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _nominee(request, pk, action: str = "view") -> Nominee:
    return get_visible_or_404(official.prefetch(Nominee.objects.all()), request.user, pk, action)


@login_required
def nominee_form(request, pk, form):
    """附件2/3 (form=approval), 附件4 (clearance), 附件5 (enterprise) as .docx."""
    nominee = _nominee(request, pk)
    full = request.user.has_perm("nominations.view_personal_data", nominee)
    if form in ("clearance", "enterprise"):
        require(request.user, "documents.read_clearance_forms", nominee)
    if form == "approval":
        document = official.nominee_documents(nominee, full=full)[0]
    elif form == "clearance":
        document = official.clearance_form(nominee)
    elif form == "enterprise" and nominee.is_enterprise:
        document = official.enterprise_form(nominee)
    else:
        raise PermissionDenied(_("没有这种表格。"))
    return _attachment(docx.render(document), f"{document.title}.docx", DOCX)


@login_required
def nominee_booklet(request, pk):
    """All forms of a nominee as one print-ready PDF, 1 or 3 copies (C-12); a panel's experts
    read it too."""
    nominee = _nominee(request, pk, "read")
    full = request.user.has_perm("nominations.view_personal_data", nominee)
    copies = 3 if request.GET.get("copies") == "3" else 1
    documents = official.nominee_documents(nominee, full=full)
    if not request.user.has_perm("documents.read_clearance_forms", nominee):
        documents = documents[:1]  # the approval form only: the opinions are not theirs to read
    try:
        content = pdf.render(documents, copies=copies)
    except pdf.FontsMissing as missing:
        messages.error(request, str(missing))
        return redirect("nominations:detail", nominee.pk)
    name = _("%(name)s-推荐材料-%(copies)d份.pdf") % {"name": nominee.name, "copies": copies}
    return _attachment(content, name, "application/pdf")


def _campaign(request, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.exclude(status=Campaign.Status.DRAFT), pk=pk)


def _approved(request, pk, rule: str) -> Campaign:
    """The campaign, once the office may print its decision documents (after the approval)."""
    require_perm(request.user, rule)
    campaign = _campaign(request, pk)
    refusal = permissions.not_now(request.user, rule, campaign)
    if refusal:
        raise PermissionDenied(refusal)
    return campaign


@login_required
def summary_form(request, pk):
    """附件6 of one body as .docx (the body the user may see)."""
    campaign = _campaign(request, pk)
    bodies = NominatingBody.objects.restrict(request.user, "export").filter(campaign=campaign)
    body_id = int_param(request, "body")
    body = (bodies.filter(pk=body_id).first() if body_id is not None else None) or bodies.first()
    if body is None:
        raise PermissionDenied(_("您没有可导出的推荐单位。"))
    nominees = list(
        Nominee.objects.restrict(request.user)
        .filter(campaign=campaign, body=body)
        .exclude(state__in=[Nominee.State.DRAFT, Nominee.State.WITHDRAWN])  # as in the ZIP
        .select_related("category")
        .order_by("category__sort_order", "rank", "pk")
    )
    full = all(request.user.has_perm("nominations.view_personal_data", n) for n in nominees)
    document = official.summary_form(campaign, body, nominees, full=full)
    return _attachment(docx.render(document), f"{document.title}.docx", DOCX)


def _decision_or_redirect(request, campaign):
    """The decision names who is commended: before the awards are issued there is nobody to
    name, and Laurel prints no decision with an empty list."""
    if not Award.objects.filter(nominee__campaign=campaign).exists():
        messages.error(request, _("尚未颁发表彰，表彰决定的名单为空：请先在“颁发表彰”中颁发。"))
        return None
    return decision.decision(campaign)


@login_required
def decision_document(request, pk):
    campaign = _approved(request, pk, "documents.download_decision")
    document = _decision_or_redirect(request, campaign)
    if document is None:
        return redirect(f"/evaluation/awards/?campaign={campaign.pk}")
    return _attachment(docx.render(document), f"{document.title}.docx", DOCX)


@login_required
def decision_pdf(request, pk):
    """The decision as a print-ready PDF (GB/T 9704-2012 page, grid and page numbers)."""
    campaign = _approved(request, pk, "documents.download_decision")
    document = _decision_or_redirect(request, campaign)
    if document is None:
        return redirect(f"/evaluation/awards/?campaign={campaign.pk}")
    try:
        content = pdf.render([document], duplex=False)
    except pdf.FontsMissing as missing:
        messages.error(request, str(missing))
        return redirect(f"/evaluation/awards/?campaign={campaign.pk}")
    return _attachment(content, f"{document.title}.pdf", "application/pdf")


@login_required
def plaque_list(request, pk):
    document = decision.plaque_list(_approved(request, pk, "documents.download_plaque_list"))
    return _attachment(docx.render(document), f"{document.title}.docx", DOCX)


@login_required
def certificates(request, pk):
    """Every valid certificate of the campaign in one PDF (one page each)."""
    campaign = _approved(request, pk, "documents.download_certificates")
    awards = (
        Award.objects.filter(
            nominee__campaign=campaign, state=Award.State.VALID, certificate_number__isnull=False
        )
        .select_related("nominee__category", "nominee__campaign")
        .order_by("certificate_number")
    )
    number = request.GET.get("number")
    if number:
        awards = awards.filter(certificate_number=number)
    documents = decision.certificate_documents(awards)
    if not documents:
        messages.error(request, _("没有可打印的证书。"))
        return redirect(f"/evaluation/awards/?campaign={campaign.pk}")
    try:
        content = pdf.render(documents, duplex=False)  # one sheet per certificate
    except pdf.FontsMissing as missing:
        messages.error(request, str(missing))
        return redirect(f"/evaluation/awards/?campaign={campaign.pk}")
    return _attachment(content, _("%s-荣誉证书.pdf") % campaign.name, "application/pdf")


@login_required
@require_POST
def export_start(request, pk):
    campaign = _campaign(request, pk)
    body = None
    body_id = int_param(request, "body", request.POST)
    if body_id is not None:
        body = NominatingBody.objects.filter(campaign=campaign, pk=body_id).first()
        if body is None:
            raise PermissionDenied(_("您不能导出该推荐单位的材料。"))
    try:
        job = services.request_export(request.user, campaign, body)
    except ValidationError as error:
        messages_from_errors(request, error=error)
        return redirect(f"{reverse('nominations:list')}?campaign={campaign.pk}")
    return redirect("documents:export", job.pk)


def _job(request, pk) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("campaign", "body"), pk=pk)
    require_perm(request.user, "documents.view_export", job)
    return job


@login_required
def export_status(request, pk):
    job = _job(request, pk)
    context = {"job": job, "stale": services.is_stale(job)}
    if request.headers.get("HX-Request"):
        return render(request, "documents/export.html#progress", context)
    return render(request, "documents/export.html", context)


@login_required
def export_download(request, pk):
    job = _job(request, pk)
    path = services.export_path(job)
    if job.state != ExportJob.State.DONE or not path.exists():
        messages.error(request, _("材料尚未生成完毕，不能下载。"))
        return redirect("documents:export", job.pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)


@login_required
def registration_document(request, pk):
    """The honoree registry's 登记表 of one registration as .docx (printing it unmasks, logged)."""
    registration = get_visible_or_404(Registration.objects.all(), request.user, pk)
    document = registration_form(registration, request.user)
    return _attachment(docx.render(document), f"registration-{registration.pk}.docx", DOCX)
