"""The public site (no login): notices and the objection form, certificate verification, the
honour roll. Nothing here shows an ID number, a phone or a photo."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.http import apply_service_errors
from laurel.evaluation.models import Award
from laurel.evaluation.queries import verify_certificate
from laurel.public.forms import ObjectionForm
from laurel.public.models import PublicNotice
from laurel.public.services import notices as service


def public_notices(request):
    today = timezone.localdate()
    notices = PublicNotice.objects.filter(
        state=PublicNotice.State.PUBLISHED, starts_on__lte=today
    ).select_related("campaign", "publisher")
    return render(request, "site/notice_list.html", {"notices": notices, "today": today})


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
        "site/notice_detail.html",
        {
            "notice": notice,
            "entries": entries,
            "form": form,
            "filed": filed,
            "in_period": in_period,
        },
        status=400 if request.method == "POST" and filed is None else 200,
    )


def verify(request):
    """Public certificate check: number + name → valid / revoked / unknown; shows only the
    name, the honour title and the campaign."""
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
        "site/verify.html",
        {"number": number, "name": name, "result": result, "award": award},
    )


def honour_roll(request):
    """光荣榜 (plan §七(四)): awardees by category with unit and a short deeds text; revoked
    awards disappear. No personal data beyond name, unit and title."""
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
    return render(request, "site/honour_roll.html", {"groups": groups.items()})
