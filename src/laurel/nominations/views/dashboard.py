"""The quota dashboard of a campaign: places and nominees at each stage, per body (C-4)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from laurel.campaigns.models import Campaign
from laurel.core.http import require_perm
from laurel.core.spreadsheets import workbook_bytes
from laurel.nominations import dashboard as quota_dashboard


@login_required
def dashboard(request, pk):
    require_perm(request.user, "nominations.view_overview")
    campaign = Campaign.objects.restrict(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动。"))
    data = quota_dashboard.build(campaign, request.user)
    if request.GET.get("format") == "xlsx":
        header = [_("推荐单位"), _("类别"), _("分配名额"), _("其中单列")] + [
            str(label) for _key, label in quota_dashboard.STAGES
        ]
        content = workbook_bytes(
            [
                (
                    _("名额"),
                    f"{campaign.name} — {_('推荐名额')}",
                    header,
                    quota_dashboard.export_rows(data),
                )
            ]
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"quota-{campaign.slug}.xlsx"
        )
        return response
    return render(request, "nominations/dashboard.html", {"campaign": campaign, **data})
