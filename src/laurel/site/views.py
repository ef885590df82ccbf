"""The public site (no login): notices and the objection form, certificate verification, the
honour roll. Nothing here shows an ID number, a phone or a photo."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.campaigns.models import Campaign
from laurel.core.http import apply_service_errors, paginate, text_param
from laurel.core.throttle import client_ip
from laurel.evaluation.models import Award
from laurel.evaluation.queries import verify_certificate
from laurel.public.forms import ObjectionForm
from laurel.public.models import NoticeEntry, Objection, PublicNotice
from laurel.public.services import notices as service


def home(request):
    """The public home: notices (with how many run today), objection look-up, the honour roll
    and certificate verification — what a citizen opens on a phone."""
    today = timezone.localdate()
    current = PublicNotice.objects.filter(
        state=PublicNotice.State.PUBLISHED,
        starts_on__lte=today,
        ends_on__gte=today,
        campaign__status=Campaign.Status.PUBLISHED,
    ).count()
    return render(request, "site/home.html", {"current": current})


def public_notices(request):
    """The notices running today; ended ones are in the archive."""
    today = timezone.localdate()
    notices = PublicNotice.objects.filter(
        state=PublicNotice.State.PUBLISHED,
        starts_on__lte=today,
        ends_on__gte=today,
        campaign__status=Campaign.Status.PUBLISHED,
    ).select_related("campaign", "publisher")
    return render(request, "site/notice_list.html", {"notices": notices, "today": today})


def notice_archive(request):
    """Notices whose period has ended, and those taken down (void): no objection form."""
    today = timezone.localdate()
    notices = (
        PublicNotice.objects.filter(starts_on__lte=today)
        .exclude(state=PublicNotice.State.PUBLISHED, ends_on__gte=today)
        .select_related("campaign", "publisher")
    )
    return render(request, "site/notice_archive.html", {"page": paginate(request, notices)})


def public_notice(request, pk):
    notice = (
        PublicNotice.objects.filter(pk=pk, starts_on__lte=timezone.localdate())
        .select_related("campaign", "publisher")
        .first()
    )
    if notice is None:
        raise Http404(_("该公示不存在或尚未开始。"))
    entries = []
    if not notice.is_cancelled:
        entries = list(
            notice.entries.select_related("nominee").defer(
                "id_number", "nominee__id_number", "nominee__mobile"
            )
        )
    form = ObjectionForm(request.POST or None, entries=entries)
    filed = None
    if request.method == "POST" and form.is_valid():
        try:
            filed = service.file_objection(
                notice,
                form.cleaned_data["nominee"],
                form.cleaned_data["content"],
                form.cleaned_data["contact"],
                client_key=client_ip(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = ObjectionForm(entries=entries)
    in_period = notice.is_running()
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
    name, the honour title and the campaign. Asked by POST: a person's name never goes into
    an address (browser history, proxy and server logs)."""
    # A certificate's QR code opens the page with its number filled in (GET): the number alone
    # answers nothing; the name is typed on the page and posted.
    number = (
        request.POST.get("number", "")
        if request.method == "POST"
        else request.GET.get("number", "")
    ).strip()[:30]
    name = request.POST.get("name", "").strip()[:50] if request.method == "POST" else ""
    result = award = None
    if request.method == "POST" and (number or name):
        if service.rate_limited(client_ip(request), "verify", 30):
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
    query = text_param(request, "q")[:50]
    awards = (
        Award.objects.filter(state=Award.State.VALID)
        .select_related("nominee__category", "nominee__campaign", "nominee__nominating_unit")
        .order_by("-nominee__campaign__pk", "nominee__category__sort_order", "pk")
    )
    if query:
        awards = awards.filter(
            Q(nominee__name__contains=query)
            | Q(nominee__work_unit_name__contains=query)
            | Q(nominee__parent_unit_name__contains=query)
            | Q(nominee__nominating_unit__name__contains=query)
        )
    page = paginate(request, awards, per_page=50)
    groups: dict = {}
    for award in page:
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
    return render(
        request,
        "site/honour_roll.html",
        {"groups": groups.items(), "page": page, "q": query},
    )


def objection_outcome(request):
    """Whoever filed an objection looks its outcome up by the reference number on the receipt:
    the state and the date it was settled, nothing of the objector or of the verification."""
    reference = text_param(request, "reference")[:20].upper()
    objection = None
    limited = False
    if reference:
        if service.rate_limited(client_ip(request), "outcome", 30):
            limited = True
        else:
            objection = (
                Objection.objects.filter(reference=reference)
                .select_related("notice", "nominee")
                .first()
            )
    # whom the objection is about, as the notice named them (a person changed on the nominee
    # since is not the one the public read of, nor theirs to learn)
    named = ""
    if objection is not None:
        named = (
            NoticeEntry.objects.filter(notice=objection.notice_id, nominee=objection.nominee_id)
            .values_list("name", flat=True)
            .first()
        ) or objection.nominee.name
    return render(
        request,
        "site/objection_outcome.html",
        {"reference": reference, "objection": objection, "named": named, "limited": limited},
    )
