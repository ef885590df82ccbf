"""Approval, awards (certificates, plaques, bonuses with totals) and revocation (C-8 step 6,
C-2, C-11)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from laurel.core.http import int_param, messages_from_errors
from laurel.evaluation.interfaces.spreadsheets import award_workbook, body_totals
from laurel.evaluation.models import Approval, Award
from laurel.evaluation.services import awards as service
from laurel.evaluation.views.panels import office_campaign

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _award(request, campaign) -> Award:
    """The award the form names, of this campaign."""
    award = Award.objects.filter(
        pk=int_param(request, "award", request.POST), nominee__campaign=campaign
    ).first()
    if award is None:
        raise ValidationError(_("请选择表彰。"))
    return award


def _post(request, campaign) -> None:
    action = request.POST.get("action")
    if action == "approve":
        try:
            approved_on = datetime.date.fromisoformat(request.POST.get("approved_on", ""))
        except ValueError:
            raise ValidationError({"approved_on": _("请填写批准日期（YYYY-MM-DD）。")}) from None
        service.record_approval(
            request.user,
            campaign,
            document_number=request.POST.get("document_number", ""),
            approved_on=approved_on,
        )
        messages.success(request, _("已记录审定结果。"))
    elif action == "issue":
        issued = service.issue_awards(request.user, campaign)
        messages.success(request, _("已颁发表彰%d项。") % len(issued))
    elif action == "revoke":
        award = _award(request, campaign)
        service.revoke_award(
            request.user,
            award,
            reason=request.POST.get("reason", ""),
            evidence=request.POST.get("evidence", ""),
            certificate_recovered=bool(request.POST.get("certificate_recovered")),
            bonus_recovered=bool(request.POST.get("bonus_recovered")),
        )
        messages.success(request, _("已撤销表彰：%s") % award)
    elif action == "recover":
        award = _award(request, campaign)
        service.record_recovery(
            request.user,
            award,
            certificate_recovered=bool(request.POST.get("certificate_recovered")),
            bonus_recovered=bool(request.POST.get("bonus_recovered")),
        )
        messages.success(request, _("已登记收回情况：%s") % award)


@login_required
def awards(request):
    campaigns, campaign = office_campaign(request, "evaluation.view_awards")
    if request.method == "POST" and campaign is not None:
        try:
            _post(request, campaign)
        except ValidationError as error:
            messages_from_errors(request, error=error)
        return redirect(f"{reverse('evaluation:awards')}?campaign={campaign.pk}")
    if campaign is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(award_workbook(campaign, request.user), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"awards-{campaign.slug}.xlsx"
        )
        return response
    items = (
        Award.objects.filter(nominee__campaign=campaign)
        .select_related("nominee__category", "nominee__body")
        .order_by("nominee__category__sort_order", "nominee__body__sort_order", "nominee__rank")
        if campaign
        else Award.objects.none()
    )
    totals = body_totals(campaign) if campaign else []
    return render(
        request,
        "evaluation/awards.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "awards": items,
            "totals": totals,
            "grand_total": sum(t["total"] for t in totals),
            "grand_people": sum(t["people"] for t in totals),
            "approval": Approval.objects.filter(campaign=campaign).first() if campaign else None,
        },
    )
