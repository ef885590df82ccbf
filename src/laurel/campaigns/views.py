from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.domain import CategoryTotal
from laurel.campaigns.forms import (
    CampaignForm,
    CategoryForm,
    CopyForm,
    DefinitionUploadForm,
    NewBodyForm,
    NewCategoryForm,
    QuotaTableForm,
)
from laurel.campaigns.models import Campaign, CampaignPhase, NominatingBody, Quota
from laurel.campaigns.queries import category_totals
from laurel.campaigns.services import campaigns as campaign_service
from laurel.campaigns.services.definitions import DefinitionError, load_definition
from laurel.core.http import apply_service_errors, messages_from_errors, require_perm
from laurel.core.models import AuditLog
from laurel.core.text import parse_date


def _campaign_or_404(request, pk):
    campaign = Campaign.objects.restrict(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动，或您无权查看。"))
    return campaign


def quota_inbox_section(user):
    """Inbox: the quotas and deadlines of the user's bodies in published campaigns."""
    if not user.has_perm("campaigns.work_to_quota"):
        return None
    quotas = (
        Quota.objects.restrict(user)
        .filter(body__campaign__status=Campaign.Status.PUBLISHED, places__gt=0)
        .select_related("body__campaign", "category")
        .prefetch_related("reservations")
        .order_by("body__campaign__name", "body__sort_order", "category__sort_order")
    )
    if not quotas:
        return None
    deadlines = dict(
        CampaignPhase.objects.filter(
            campaign__in={q.body.campaign_id for q in quotas}, key="material_deadline"
        ).values_list("campaign_id", "ends_on")
    )
    for quota in quotas:
        quota.deadline = deadlines.get(quota.body.campaign_id)
    return {"template": "campaigns/inbox_quotas.html", "context": {"quotas": quotas}}


@login_required
def campaign_list(request):
    require_perm(request.user, "campaigns.list_campaigns")
    campaigns = Campaign.objects.restrict(request.user)
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns,
            "can_manage": request.user.has_perm("campaigns.manage_campaigns"),
        },
    )


@login_required
def campaign_detail(request, pk):
    campaign = _campaign_or_404(request, pk)
    manage = request.user.has_perm("campaigns.manage_campaigns")
    bodies = NominatingBody.objects.restrict(request.user).filter(campaign=campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "categories": campaign.categories.prefetch_related("conditions"),
            "phases": campaign.phases.all(),
            "members": campaign.members.all(),
            "bodies": bodies.select_related("division", "unit"),
            "totals": category_totals(campaign),
            "can_manage": manage,
            "can_dashboard": request.user.has_perm("nominations.view_overview"),
            "may_publish": request.user.has_perm("campaigns.publish_campaign", campaign),
            "may_close": request.user.has_perm("campaigns.close_campaign", campaign),
            "may_extend": request.user.has_perm("campaigns.extend_deadline", campaign),
            "deadline": campaign.material_deadline(),
            "audit_rows": AuditLog.objects.for_object(campaign)[:100] if manage else [],
            "copy_form": CopyForm(initial={"year": campaign.year + 1, "name": campaign.name}),
            "category_form": NewCategoryForm(prefix="cat"),
            "body_form": NewBodyForm(prefix="body"),
        },
    )


@login_required
def campaign_create(request):
    require_perm(request.user, "campaigns.manage_campaigns")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_service.create_campaign(
                request.user, slug=form.cleaned_data["slug"], **form.values()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已新建活动（草稿）：%s") % campaign)
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "title": _("新建活动")})


@login_required
def campaign_edit(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    categories = list(campaign.categories.all())
    phases = list(campaign.phases.all())
    data = request.POST or None
    form = CampaignForm(data, instance=campaign)
    category_forms = [CategoryForm(data, instance=c, prefix=f"c{c.pk}") for c in categories]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in category_forms):
        try:
            with transaction.atomic():  # the whole page is saved, or nothing
                _save_edit(request, campaign, form, category_forms, phases)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_edit.html",
        {"campaign": campaign, "form": form, "category_forms": category_forms, "phases": phases},
    )


def _save_edit(request, campaign, form, category_forms, phases):
    campaign_service.update_campaign(request.user, campaign, **form.values())
    for category_form in category_forms:
        campaign_service.update_category(
            request.user, category_form.instance, **category_form.values()
        )
    for phase in phases:
        campaign_service.set_phase_dates(
            request.user,
            phase,
            _parse_date(request.POST.get(f"p{phase.pk}-starts_on")),
            _parse_date(request.POST.get(f"p{phase.pk}-ends_on")),
        )


@login_required
@require_POST
def phase_add(request, pk):
    """A step of the plan beyond the standard ones, with its dates."""
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    try:
        campaign_service.add_phase(
            request.user,
            campaign,
            name=request.POST.get("name", "")[:60],
            starts_on=_form_date(request.POST.get("starts_on"), "starts_on"),
            ends_on=_form_date(request.POST.get("ends_on"), "ends_on"),
        )
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("已增加工作阶段。"))
    return redirect("campaigns:edit", pk=campaign.pk)


def _form_date(value, field: str):
    """A date typed into the form, or None when left empty; anything else is refused."""
    try:
        day = _parse_date(value)
    except (ValueError, ValidationError):
        day = None
    if value and day is None:
        raise ValidationError({field: _("日期“%s”格式不对，应为“2026-03-01”。") % value})
    return day


def _parse_date(value):
    return parse_date(value) if value else None


@login_required
def quota_edit(request, pk):
    """The quota table with live totals: htmx posts every change for a preview (nothing saved);
    the save button posts for real."""
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    quotas = (
        Quota.objects.filter(body__campaign=campaign)
        .select_related("body", "category")
        .prefetch_related("reservations")
        .order_by("body__sort_order", "category__sort_order")
    )
    form = QuotaTableForm(request.POST or None, quotas=quotas)
    categories = list(campaign.categories.all())
    if request.method == "POST":
        valid = form.is_valid()
        if request.htmx:
            totals = _preview_totals(campaign, categories, form) if valid else None
            return render(
                request,
                "campaigns/quota_edit.html#quota-totals",
                {"totals": totals, "form": form},
            )
        if valid:
            try:
                campaign_service.set_quotas(
                    request.user, campaign, form.places(), form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("推荐名额已保存。"))
                return redirect("campaigns:detail", pk=campaign.pk)
    rows = {}
    for quota in quotas:
        rows.setdefault(quota.body, []).append(form[f"q{quota.pk}"])
    return render(
        request,
        "campaigns/quota_edit.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows.items(),
            "categories": categories,
            "totals": category_totals(campaign),
        },
    )


def _preview_totals(campaign, categories, form) -> list[CategoryTotal]:
    sums = {c.pk: 0 for c in categories}
    for quota in form.quotas:
        sums[quota.category_id] += form.cleaned_data[f"q{quota.pk}"]
    return [
        CategoryTotal(c.name, c.award_count, sums[c.pk], campaign.differential_ratio)
        for c in categories
    ]


@login_required
@require_POST
def campaign_publish(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    try:
        campaign_service.publish_campaign(request.user, campaign)
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("活动已发布，各推荐单位现在可以看到名额和截止日期。"))
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def campaign_close(request, pk):
    """The campaign ends: its records are read-only from now on (reason recorded)."""
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    try:
        campaign_service.close_campaign(request.user, campaign, request.POST.get("reason", ""))
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(request, _("活动已结束，各项记录转为只读。"))
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def body_deadline(request, pk):
    """The office gives one body more time to submit (date and reason recorded)."""
    require_perm(request.user, "campaigns.extend_deadline")
    body = get_object_or_404(NominatingBody.objects.select_related("campaign"), pk=pk)
    try:
        until = parse_date(request.POST.get("until", ""))
        campaign_service.extend_deadline(request.user, body, until, request.POST.get("reason", ""))
    except ValidationError as error:
        messages_from_errors(request, error=error)
    else:
        messages.success(
            request, _("已将%(body)s的报送截止延至%(day)s。") % {"body": body, "day": until}
        )
    return redirect("campaigns:detail", pk=body.campaign_id)


@login_required
@require_POST
def campaign_copy(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            copy = campaign_service.copy_campaign(request.user, campaign, **form.cleaned_data)
        except ValidationError as error:
            messages_from_errors(request, error=error)
        else:
            messages.success(request, _("已复制为新活动（草稿），请设定新的日期和名额。"))
            return redirect("campaigns:detail", pk=copy.pk)
    else:
        messages_from_errors(request, form)
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def category_add(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    form = NewCategoryForm(request.POST, prefix="cat")
    _add(request, form, lambda data: campaign_service.add_category(request.user, campaign, **data))
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def body_add(request, pk):
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    form = NewBodyForm(request.POST, prefix="body")
    _add(request, form, lambda data: campaign_service.add_body(request.user, campaign, **data))
    return redirect("campaigns:detail", pk=pk)


def _add(request, form, create):
    if form.is_valid():
        try:
            created = create(form.cleaned_data)
        except ValidationError as error:
            messages_from_errors(request, error=error)
        else:
            messages.success(request, _("已添加：%s") % created)
        return
    messages_from_errors(request, form)


@login_required
def definition_import(request):
    """Upload a definition file: preview the changes (nothing saved) or load it."""
    require_perm(request.user, "campaigns.manage_campaigns")
    form = DefinitionUploadForm(request.POST or None, request.FILES or None)
    result = problems = None
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        dry_run = request.POST.get("action") != "apply"
        try:
            result = load_definition(request.user, text, source=name, dry_run=dry_run)
        except DefinitionError as error:
            problems = [str(p) for p in error.problems]
        else:
            if not dry_run:
                messages.success(request, _("已装载：%s") % result.campaign.name)
                return redirect("campaigns:detail", pk=result.campaign.pk)
    return render(
        request,
        "campaigns/definition_import.html",
        {"form": form, "result": result, "problems": problems},
    )
