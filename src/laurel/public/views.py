from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign
from laurel.core.http import (
    apply_service_errors,
    get_visible_or_404,
    list_export,
    messages_from_errors,
    paginate,
    require_perm,
    wants_xlsx,
)
from laurel.core.permissions import within_area
from laurel.nominations.models import Nominee
from laurel.public.forms import NoticeForm, ResolveForm
from laurel.public.models import Objection, PublicNotice
from laurel.public.services import notices as service


def objections_inbox_section(user):
    """Inbox: objections the user handles that are still to verify."""
    if not user.has_perm("public.handle_objection"):
        return None
    open_items = (
        Objection.objects.restrict(user, "handle")
        .filter(state__in=Objection.OPEN_STATES)
        .select_related("nominee", "notice")
        .order_by("filed_at")[:50]
    )
    if not open_items:
        return None
    return {"template": "public/inbox_objections.html", "context": {"objections": open_items}}


# --- management (login) -----------------------------------------------------------------------


@login_required
def notice_list(request):
    require_perm(request.user, "public.list_notices")
    notices = PublicNotice.objects.restrict(request.user).select_related("campaign", "publisher")
    campaigns = Campaign.objects.restrict(request.user).filter(status=Campaign.Status.PUBLISHED)
    if wants_xlsx(request):
        return list_export(
            _("公示"),
            [_("标题"), _("公示单位"), _("层级"), _("开始日期"), _("截止日期"), _("状态")],
            (
                (
                    n.title,
                    str(n.publisher or ""),
                    n.get_level_display(),
                    n.starts_on.isoformat(),
                    n.ends_on.isoformat(),
                    n.get_state_display(),
                )
                for n in notices
            ),
            "notices.xlsx",
        )
    return render(
        request,
        "public/manage_list.html",
        {
            "page": paginate(request, notices),
            "campaigns": campaigns,
            "can_add": request.user.has_perm("public.organise_notice"),
        },
    )


@login_required
def notice_create(request, campaign_pk):
    require_perm(request.user, "public.organise_notice")
    campaign = Campaign.objects.restrict(request.user).filter(pk=campaign_pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动。"))
    nominees = list(
        within_area(request.user, "public.organise_notice", Nominee.objects.all())
        .filter(campaign=campaign)
        .exclude(state=Nominee.State.WITHDRAWN)
        .select_related("category")
    )
    levels = [(PublicNotice.Level.UNIT, PublicNotice.Level.UNIT.label)]
    if request.user.has_perm("public.publish_provincial_notice"):
        levels.append((PublicNotice.Level.PROVINCE, PublicNotice.Level.PROVINCE.label))
    form = NoticeForm(
        request.POST or None,
        nominees=nominees,
        levels=levels,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        chosen = [n for n in nominees if str(n.pk) in form.cleaned_data["nominees"]]
        try:
            notice = service.create_notice(
                request.user,
                campaign,
                level=form.cleaned_data["level"],
                nominees=chosen,
                starts_on=form.cleaned_data["starts_on"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已发布公示，公示期%(n)d个工作日，至%(end)s结束。")
                % {"n": notice.working_days, "end": notice.ends_on.isoformat()},
            )
            return redirect("public:manage_notice", pk=notice.pk)
    return render(
        request,
        "public/notice_form.html",
        {"form": form, "campaign": campaign, "has_nominees": bool(nominees)},
    )


@login_required
def manage_notice(request, pk):
    notice = get_visible_or_404(PublicNotice.objects.select_related("campaign"), request.user, pk)
    objections = Objection.objects.restrict(request.user).filter(notice=notice)
    if wants_xlsx(request):
        return list_export(
            _("异议：%s") % notice.title,
            [_("受理编号"), _("推荐对象"), _("提出时间"), _("状态"), _("办结时间")],
            (
                (
                    o.reference,
                    o.nominee.name,
                    timezone.localtime(o.filed_at).strftime("%Y-%m-%d %H:%M"),
                    o.get_state_display(),
                    timezone.localtime(o.resolved_at).strftime("%Y-%m-%d %H:%M")
                    if o.resolved_at
                    else "",
                )
                for o in objections.select_related("nominee").order_by("filed_at")
            ),
            "objections.xlsx",
        )
    return render(
        request,
        "public/manage_notice.html",
        {
            "notice": notice,
            "entries": notice.entries.select_related("nominee"),
            "objections": objections,
            "may_close": request.user.has_perm("public.close_notice", notice),
            "may_cancel": request.user.has_perm("public.cancel_notice", notice),
        },
    )


@login_required
@require_POST
def notice_close(request, pk):
    notice = get_visible_or_404(PublicNotice.objects.all(), request.user, pk)
    try:
        service.close_notice(request.user, notice, request.POST.get("note", ""))
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("公示已结束。"))
    return redirect("public:manage_notice", pk=pk)


@login_required
@require_POST
def notice_cancel(request, pk):
    notice = get_visible_or_404(PublicNotice.objects.all(), request.user, pk)
    try:
        service.cancel_notice(request.user, notice, request.POST.get("reason", ""))
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("公示已撤销（作废）；如需继续推荐，请重新公示满规定的工作日。"))
    return redirect("public:manage_notice", pk=pk)


@login_required
def objection_detail(request, pk):
    objection = get_visible_or_404(
        Objection.objects.select_related("nominee", "notice", "assigned_to"), request.user, pk
    )
    form = ResolveForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "assign":
                service.assign_objection(request.user, objection, request.user)
                messages.success(request, _("已由您负责核查。"))
                return redirect("public:objection", pk=pk)
            if form.is_valid():
                service.resolve_objection(
                    request.user,
                    objection,
                    founded=form.cleaned_data["founded"] == "1",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("异议已办结。"))
                return redirect("public:objection", pk=pk)
        except ValidationError as error:
            messages_from_errors(request, error=error)
    return render(
        request,
        "public/objection_detail.html",
        {
            "objection": objection,
            "form": form,
            "may_handle": request.user.has_perm("public.handle_objection", objection),
        },
    )
