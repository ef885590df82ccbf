"""The nominee list, the nominee's page and its form, and the changes of state a nominating unit
makes: submit, withdraw, delete, rank."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign, NominatingBody
from laurel.core.http import (
    apply_service_errors,
    get_visible_or_404,
    int_param,
    messages_from_errors,
    paginate,
    require_perm,
    text_param,
)
from laurel.core.models import AuditLog
from laurel.core.text import escape
from laurel.nominations import eligibility, tiers
from laurel.nominations.forms import (
    NewNomineeForm,
    ReasonForm,
    ReviewForm,
)
from laurel.nominations.models import Nominee
from laurel.nominations.procedure import submission_problems
from laurel.nominations.queries import (
    earlier_disagreements,
    personal_data,
    quota_use,
    rankable_column,
    record_facts,
)
from laurel.nominations.services import nominees as service
from laurel.nominations.signals import record_sections
from laurel.orgs.signing import page_function


def drafts_inbox_section(user):
    """Inbox: the user's nominees still in draft."""
    if not user.has_perm("nominations.add_nominee"):
        return None
    editable = Nominee.objects.restrict(user, "edit").filter(
        campaign__status=Campaign.Status.PUBLISHED
    )
    sent_back = list(
        editable.filter(state=Nominee.State.SENT_BACK)
        .select_related("campaign", "category")
        .order_by("-sent_back_at", "-pk")[:50]
    )
    drafts = list(
        editable.filter(state=Nominee.State.DRAFT)
        .select_related("campaign", "category")
        .order_by("-pk")[:20]
    )
    if not drafts and not sent_back:
        return None
    return {
        "template": "nominations/inbox_drafts.html",
        "context": {"drafts": drafts, "sent_back": sent_back},
    }


def _export_context(user, campaign) -> dict:
    """Who may export every document as a ZIP: the office (all bodies) or a body's users."""
    if campaign is None:
        return {"can_export": False}
    if user.has_perm("nominations.export_all_bodies"):
        return {"can_export": True, "export_body": None}
    body = (
        NominatingBody.objects.restrict(user)
        .filter(campaign=campaign)
        .order_by("sort_order")
        .first()
    )
    return {"can_export": body is not None, "export_body": body}


def _nominee_rows(request, page, can_rank: bool) -> str:
    """The table rows of a page of nominees, written with ``core.text.escape``: the office's
    busiest page on submission day, where fifty rows through the template engine (or
    ``format_html``, or a model's ``get_…_display``) cost more than the rest of the page (issue
    22; docs/performance.md)."""
    detail = escape(reverse("nominations:detail", args=[0])[:-2])  # ".../0/" → ".../"
    states = {value: escape(label) for value, label in Nominee.State.choices}
    mover = ""
    if can_rank:
        mover = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
            f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'
            f'<button name="direction" value="up" aria-label="{escape(_("上移"))}">↑</button>'
            f'<button name="direction" value="down" aria-label="{escape(_("下移"))}">↓</button>'
            "</form>"
        )

    def row(n):
        hints = ""
        if n.blocking_count:
            text = escape(_("不符合 %(c)s") % {"c": n.blocking_count})
            hints += f'<span class="tag warn">{text}</span>'
        if n.warning_count:
            text = escape(_("需说明 %(c)s") % {"c": n.warning_count})
            hints += f'<span class="tag">{text}</span>'
        ranking = ""
        if can_rank:
            form = (
                f'<form method="post" action="{detail}{int(n.pk)}/move/" class="inline">{mover}'
                if n.rankable
                else ""
            )
            ranking = f"<td>{form}</td>"
        unit = escape(n.nominating_unit.name) if n.nominating_unit_id else ""
        return (
            f'<tr><td>{escape(n.rank)}</td><td><a href="{detail}{int(n.pk)}/">{escape(n.name)}'
            f"</a></td><td>{escape(n.category.name)}</td><td>{escape(n.body.name)}</td>"
            f'<td>{unit}</td><td><span class="tag{" ok" if n.is_in_review else ""}">'
            f"{states.get(n.state, escape(n.state))}</span></td><td>{hints}</td>{ranking}</tr>"
        )

    return mark_safe("\n".join(row(n) for n in page))  # every value escaped as written in


def _quota_rows(quota_use: list[dict]) -> str:
    """The rows of the quota table: every body and category the user sees (hundreds for the
    office), written as the nominee rows are."""

    def row(u):
        submitted = escape(u["submitted"])
        if u["full"]:
            submitted = f'<span class="tag warn">{submitted}</span>'
        return (
            f"<tr><td>{escape(u['body'])}</td><td>{escape(u['category'])}</td>"
            f"<td>{escape(u['places'])}</td><td>{submitted}</td><td>{escape(u['drafted'])}</td></tr>"
        )

    return mark_safe(  # every value escaped as written in
        "\n".join(row(u) for u in quota_use if u["places"] or u["submitted"] or u["drafted"])
    )


def visible_campaigns(user):
    return Campaign.objects.restrict(user).filter(status=Campaign.Status.PUBLISHED)


@login_required
def nominee_list(request):
    require_perm(request.user, "nominations.list_nominees")
    campaigns = list(visible_campaigns(request.user))
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    campaign = campaign or (campaigns[0] if campaigns else None)
    nominees = (
        Nominee.objects.restrict(request.user)
        .filter(campaign=campaign)
        .select_related("category", "body", "nominating_unit")
        .order_by("body__sort_order", "category__sort_order", "rank", "pk")
    )
    query = text_param(request, "q")
    if query:
        nominees = nominees.filter(name__icontains=query)
    if request.GET.get("state") in Nominee.State.values:
        nominees = nominees.filter(state=request.GET["state"])
    if int_param(request, "category") is not None:
        nominees = nominees.filter(category_id=int_param(request, "category"))
    # whether the user may move each row: a column of the rows' query, not a second query
    rankable = rankable_column(request.user)
    page = paginate(request, nominees, narrow=True, annotate={"rankable": rankable})
    for nominee in page:  # every row is of this campaign: one instance, not fifty joined in
        nominee.campaign = campaign
    findings = eligibility.findings_for_many(page)
    for nominee in page:
        found = findings[nominee.pk]
        nominee.blocking_count = sum(1 for f in found if f.blocking)
        nominee.warning_count = len(found) - nominee.blocking_count
    rankable = any(nominee.rankable for nominee in page)
    use = quota_use(request.user, campaign) if campaign else []
    return render(
        request,
        "nominations/nominee_list.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "page": page,
            "q": query,
            "states": Nominee.State.choices,
            "quota_rows": _quota_rows(use),
            "rows": _nominee_rows(request, page, bool(rankable)),
            "can_add": request.user.has_perm("nominations.add_nominee"),
            **_export_context(request.user, campaign),
            "can_rank": bool(rankable),
        },
    )


@login_required
def nominee_create(request, campaign_pk):
    require_perm(request.user, "nominations.add_nominee")
    campaign = visible_campaigns(request.user).filter(pk=campaign_pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动，或活动尚未发布。"))
    form = NewNomineeForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            nominee = service.create_nominee(
                request.user,
                campaign,
                form.cleaned_data["category"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已建立草稿，请继续填写推荐审批表。"))
            return redirect("nominations:edit", pk=nominee.pk)
    return render(request, "nominations/nominee_new.html", {"form": form, "campaign": campaign})


def nominee_or_404(request, pk, action: str = "view") -> Nominee:
    """``action="read"``: the record page, photo and PDF, which a panel's experts read too."""
    return get_visible_or_404(
        Nominee.objects.select_related(
            "campaign", "category", "body", "nominating_unit", "division"
        ),
        request.user,
        pk,
        action,
    )


def status_panel(nominee: Nominee) -> dict:
    incomplete, blocking, unjustified, procedure = submission_problems(nominee)
    findings = eligibility.findings_for(nominee)
    return {
        "nominee": nominee,
        "incomplete": incomplete,
        "findings": findings,
        "blocking": blocking,
        "unjustified": unjustified,
        "procedure": procedure,
        "clearances": nominee.clearances.select_related("department"),
        "ready": not (incomplete or blocking or unjustified or procedure),
        "warning_rows": [
            (f, nominee.justifications.get(f.code, "")) for f in findings if not f.blocking
        ],
    }


def _review_form(user, nominee) -> dict:
    """The review form, naming the function the user's unit signs under next (a merged bureau
    performing two of the tier's functions signs each in turn)."""
    function, label = "", ""
    if nominee.is_in_review:
        function, label = page_function(
            user.unit,
            lambda: tiers.reviewers(nominee),
            lambda: set(tiers.opinions(nominee).values_list("function", flat=True)),
        )
    form = ReviewForm(
        initial={
            "officer_name": user.full_name,
            "function": function,
            "review_round": nominee.review_round,
        }
    )
    return {"review_form": form, "review_function_label": label}


@login_required
def nominee_detail(request, pk):
    nominee = nominee_or_404(request, pk, "read")
    user = request.user
    see_all = user.has_perm("nominations.view_personal_data", nominee)
    shown = personal_data(nominee, see_all)
    return render(
        request,
        "nominations/nominee_detail.html",
        {
            **status_panel(nominee),
            "shown": shown,
            "shown_in_full": see_all,
            "facts": record_facts(nominee, shown),
            "resume": nominee.resume.all(),
            "records": nominee.records.all(),
            "claims": nominee.claims.select_related("condition"),
            "audit_rows": AuditLog.objects.for_object(nominee)[:200] if see_all else [],
            "reason_form": ReasonForm(),
            "review_opinions": nominee.review_opinions.select_related("department"),
            "disagreements": earlier_disagreements(nominee),
            "tiers": [tiers.TIER_LABELS[t] for t in tiers.tiers_for(nominee)],
            **_review_form(user, nominee),
            "record_sections": [
                section
                for _receiver, section in record_sections.send(
                    sender=Nominee, nominee=nominee, user=user
                )
                if section
            ],
        },
    )


def submit(request, nominee):
    try:
        service.submit_nominee(request.user, nominee)
    except ValidationError as error:
        messages_from_errors(request, error=error)
        return redirect("nominations:edit", pk=nominee.pk)
    messages.success(request, _("已上报。"))
    return redirect("nominations:detail", pk=nominee.pk)


@login_required
@require_POST
def nominee_submit(request, pk):
    nominee = nominee_or_404(request, pk)
    require_perm(request.user, "nominations.submit_nominee")
    return submit(request, nominee)


@login_required
@require_POST
def nominee_withdraw(request, pk):
    nominee = nominee_or_404(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect("nominations:detail", pk=pk)
    try:
        service.withdraw_nominee(request.user, nominee, form.cleaned_data["reason"])
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已撤回为草稿，名额已释放。"))
    return redirect("nominations:detail", pk=pk)


@login_required
@require_POST
def nominee_delete(request, pk):
    nominee = nominee_or_404(request, pk)
    campaign = nominee.campaign_id
    try:
        service.delete_draft(request.user, nominee)
    except ValidationError as error:
        messages_from_errors(request, error=error)
        return redirect("nominations:detail", pk=pk)
    messages.success(request, _("已删除草稿。"))
    return redirect(f"{reverse('nominations:list')}?campaign={campaign}")


@login_required
@require_POST
def nominee_move(request, pk):
    nominee = nominee_or_404(request, pk)
    require_perm(request.user, "nominations.rank_nominees", nominee)
    service.move_nominee(request.user, nominee, -1 if request.POST.get("direction") == "up" else 1)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = f"{reverse('nominations:list')}?campaign={nominee.campaign_id}"
    return redirect(target)


@login_required
def nominee_photo(request, pk):
    nominee = nominee_or_404(request, pk, "read")
    if not nominee.photo or not default_storage.exists(nominee.photo):
        raise Http404(_("没有照片。"))
    response = FileResponse(default_storage.open(nominee.photo, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
