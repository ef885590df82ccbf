from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign
from laurel.core.http import (
    apply_service_errors,
    get_visible_or_404,
    messages_from_errors,
    paginate,
)
from laurel.nominations.models import Nominee
from laurel.public.forms import NoticeForm, ObjectionForm, ResolveForm
from laurel.public.models import Objection, PublicNotice
from laurel.public.services import notices as service


def objections_inbox_section(user):
    """Inbox: objections in the user's jurisdiction still to verify."""
    if not user.has_role("provincial_office", "system_admin", "nominating_body", "nominating_unit"):
        return None
    open_items = (
        Objection.objects.restrict(user)
        .filter(state__in=Objection.OPEN_STATES)
        .select_related("nominee", "notice")
        .order_by("filed_at")[:50]
    )
    if not open_items:
        return None
    return {"template": "public/inbox_objections.html", "context": {"objections": open_items}}


# --- the public pages (no login) --------------------------------------------------------------


def public_notices(request):
    today = timezone.localdate()
    notices = PublicNotice.objects.filter(
        state=PublicNotice.State.PUBLISHED, starts_on__lte=today
    ).select_related("campaign", "publisher")
    return render(request, "public/notice_list.html", {"notices": notices, "today": today})


def public_notice(request, pk):
    notice = (
        PublicNotice.objects.filter(
            pk=pk, state=PublicNotice.State.PUBLISHED, starts_on__lte=timezone.localdate()
        )
        .select_related("campaign", "publisher")
        .first()
    )
    if notice is None:
        raise Http404(_("该公示不存在或已结束。"))
    entries = list(notice.entries.select_related("nominee__category", "nominee__nominating_unit"))
    form = ObjectionForm(request.POST or None, entries=entries)
    filed = None
    if request.method == "POST" and form.is_valid():
        try:
            filed = service.file_objection(
                notice,
                form.cleaned_data["nominee"],
                form.cleaned_data["content"],
                form.cleaned_data["contact"],
                client_key=request.META.get("REMOTE_ADDR", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = ObjectionForm(entries=entries)
    in_period = notice.starts_on <= timezone.localdate() <= notice.ends_on
    return render(
        request,
        "public/notice_detail.html",
        {
            "notice": notice,
            "entries": entries,
            "form": form,
            "filed": filed,
            "in_period": in_period,
        },
        status=400 if request.method == "POST" and filed is None else 200,
    )


# --- management (login) -----------------------------------------------------------------------


@login_required
def notice_list(request):
    notices = PublicNotice.objects.restrict(request.user).select_related("campaign", "publisher")
    campaigns = Campaign.objects.visible_to(request.user).filter(status=Campaign.Status.PUBLISHED)
    return render(
        request,
        "public/manage_list.html",
        {
            "page": paginate(request, notices),
            "campaigns": campaigns,
            "can_add": request.user.has_perm("nominations.add_nominee"),
        },
    )


@login_required
def notice_create(request, campaign_pk):
    if not request.user.has_perm("nominations.add_nominee"):
        raise PermissionDenied(_("您没有发布公示的权限。"))
    campaign = Campaign.objects.visible_to(request.user).filter(pk=campaign_pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动。"))
    nominees = list(
        Nominee.objects.restrict(request.user)
        .filter(campaign=campaign)
        .exclude(state=Nominee.State.WITHDRAWN)
        .select_related("category")
    )
    levels = [(PublicNotice.Level.UNIT, PublicNotice.Level.UNIT.label)]
    if request.user.has_perm("campaigns.manage_campaigns"):
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
    return render(request, "public/notice_form.html", {"form": form, "campaign": campaign})


@login_required
def manage_notice(request, pk):
    notice = get_visible_or_404(PublicNotice.objects.select_related("campaign"), request.user, pk)
    return render(
        request,
        "public/manage_notice.html",
        {
            "notice": notice,
            "entries": notice.entries.select_related("nominee"),
            "objections": Objection.objects.restrict(request.user).filter(notice=notice),
        },
    )


@login_required
@require_POST
def notice_close(request, pk):
    notice = get_visible_or_404(PublicNotice.objects.all(), request.user, pk)
    try:
        service.close_notice(request.user, notice, request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("公示已结束。"))
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
    return render(request, "public/objection_detail.html", {"objection": objection, "form": form})


def verify(request):
    """Public certificate check: number + name → valid / revoked / unknown; shows only the
    name, the honour title and the campaign."""
    from laurel.evaluation.services import verify_certificate

    number = request.GET.get("number", "").strip()[:30]
    name = request.GET.get("name", "").strip()[:50]
    result = award = None
    if number or name:
        if service.rate_limited(request.META.get("REMOTE_ADDR", ""), "verify", 30):
            result = "limited"
        else:
            result, award = verify_certificate(number, name)
    return render(
        request,
        "public/verify.html",
        {"number": number, "name": name, "result": result, "award": award},
    )


def honour_roll(request):
    """光荣榜 (plan §七(四)): awardees by category with unit and a short deeds text; revoked
    awards disappear. No personal data beyond name, unit and title."""
    from laurel.evaluation.models import Award

    awards = (
        Award.objects.filter(state=Award.State.VALID)
        .select_related("nominee__category", "nominee__campaign", "nominee__nominating_unit")
        .order_by("nominee__campaign__pk", "nominee__category__sort_order", "pk")
    )
    groups: dict = {}
    for award in awards:
        nominee = award.nominee
        key = (nominee.campaign, nominee.category)
        groups.setdefault(key, []).append(
            {
                "name": nominee.name,
                "unit": nominee.work_unit_name
                or nominee.parent_unit_name
                or nominee.nominating_unit.name,
                "summary": service.summary_of(nominee.deeds, 80),
            }
        )
    return render(request, "public/honour_roll.html", {"groups": groups.items()})
