from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from laurel.campaigns.clearance import default_rules
from laurel.campaigns.domain import CategoryTotal
from laurel.campaigns.forms import (
    CampaignForm,
    CategoryForm,
    ClearanceRuleForm,
    ClearanceRuleFormSet,
    ClearanceUseDefaultForm,
    ConditionsForm,
    CopyForm,
    DefinitionUploadForm,
    EligibilityForm,
    MemberFormSet,
    NewBodyForm,
    NewCategoryForm,
    QuotaTableForm,
    RatioLimitForm,
    RatioLimitFormSet,
    ReservationFormSet,
    RulesReasonMixin,
    department_choices,
)
from laurel.campaigns.models import (
    Campaign,
    CampaignPhase,
    NominatingBody,
    Quota,
    QuotaReservation,
)
from laurel.campaigns.queries import category_totals, review_department_gaps
from laurel.campaigns.services import campaigns as campaign_service
from laurel.campaigns.services.definitions import (
    DefinitionError,
    definition_text,
    load_definition,
)
from laurel.core.http import apply_service_errors, messages_from_errors, require_perm
from laurel.core.models import AuditLog
from laurel.core.text import parse_date


def _campaign_or_404(request, pk):
    campaign = Campaign.objects.restrict(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("未找到该活动，或您无权查看。"))
    return campaign


def quota_inbox_section(user):
    """Inbox: the quotas and deadlines of the user's bodies in published campaigns whose
    material deadline (the body's, if the office extended it) has not passed."""
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
    today = timezone.localdate()
    current = []
    for quota in quotas:
        deadline = deadlines.get(quota.body.campaign_id)
        extended = quota.body.deadline_extended_to
        quota.deadline = max(filter(None, (deadline, extended)), default=None)
        if quota.deadline is None or quota.deadline >= today:
            current.append(quota)
    if not current:
        return None
    return {"template": "campaigns/inbox_quotas.html", "context": {"quotas": current}}


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
            "review_gaps": review_department_gaps(campaign) if manage else [],
            "can_manage": manage,
            "can_dashboard": request.user.has_perm("nominations.view_overview"),
            "may_publish": request.user.has_perm("campaigns.publish_campaign", campaign),
            "may_close": request.user.has_perm("campaigns.close_campaign", campaign),
            "may_extend": request.user.has_perm("campaigns.extend_deadline", campaign),
            "may_add_body": manage and request.user.has_perm("campaigns.change_campaign", campaign),
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
    reason = form.cleaned_data.get("reason", "")
    campaign_service.update_campaign(request.user, campaign, reason=reason, **form.values())
    for category_form in category_forms:
        campaign_service.update_category(
            request.user, category_form.instance, reason=reason, **category_form.values()
        )
    for phase in phases:
        campaign_service.set_phase_dates(
            request.user,
            phase,
            _parse_date(request.POST.get(f"p{phase.pk}-starts_on")),
            _parse_date(request.POST.get(f"p{phase.pk}-ends_on")),
            reason=reason,
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


# --- the plan's rules (issue 20): eligibility, conditions, C-10, clearance, members, sub-quotas


RULE_SECTIONS = (
    "eligibility",
    "conditions",
    "ratio_limits",
    "clearance",
    "members",
    "reservations",
)


def _rules_forms(campaign, section, data):
    """Every section's forms; only the posted ``section`` is bound (the others show what is
    saved)."""

    def bound(name):
        return data if section == name else None

    categories = list(campaign.categories.prefetch_related("conditions"))
    quotas = list(
        Quota.objects.filter(body__campaign=campaign)
        .select_related("body", "category")
        .order_by("body__sort_order", "category__sort_order")
    )
    reservations = QuotaReservation.objects.filter(quota__body__campaign=campaign).select_related(
        "division"
    )
    rules = campaign.clearance_rules or list(default_rules())
    return {
        "eligibility": EligibilityForm(
            bound("eligibility"),
            initial=EligibilityForm.initial_from(campaign.eligibility or {}),
            prefix="elig",
        ),
        "conditions": ConditionsForm(bound("conditions"), categories=categories, prefix="cond"),
        "ratio_limits": RatioLimitFormSet(
            bound("ratio_limits"),
            initial=[RatioLimitForm.initial_from(limit) for limit in campaign.ratio_limits],
            prefix="ratio",
            form_kwargs={"categories": categories},
        ),
        "ratio_reason": RulesReasonMixin(bound("ratio_limits"), prefix="ratio-r"),
        "clearance": ClearanceRuleFormSet(
            bound("clearance"),
            initial=[ClearanceRuleForm.initial_from(row) for row in rules],
            prefix="clear",
            form_kwargs={"departments": department_choices(campaign)},
        ),
        "clearance_default": ClearanceUseDefaultForm(
            bound("clearance"),
            initial={"use_default": not campaign.clearance_rules},
            prefix="clear-d",
        ),
        "members": MemberFormSet(
            bound("members"),
            initial=[
                {"group": m.group, "duty": m.duty, "name": m.name, "position": m.position}
                for m in campaign.members.all()
            ],
            prefix="member",
        ),
        "members_reason": RulesReasonMixin(bound("members"), prefix="member-r"),
        "reservations": ReservationFormSet(
            bound("reservations"),
            initial=[
                {
                    "quota": str(r.quota_id),
                    "name": r.name,
                    "division": r.division.code if r.division_id else "",
                    "places": r.places,
                }
                for r in reservations
            ],
            prefix="reserve",
            form_kwargs={"quotas": quotas},
        ),
        "reservations_reason": RulesReasonMixin(bound("reservations"), prefix="reserve-r"),
    }


def _rows(formset) -> list[dict]:
    """The rows of a valid formset that are kept: filled in and not ticked for deletion."""
    return [
        form.value() if hasattr(form, "value") else dict(form.cleaned_data)
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _save_rules(request, campaign, section, forms) -> bool:
    """Save one section; False (with the problems on the page) when something is refused."""
    user = request.user
    if section == "eligibility":
        form = forms["eligibility"]
        checked = [form]
    elif section == "conditions":
        form = forms["conditions"]
        checked = [form]
    elif section == "clearance":
        form = forms["clearance_default"]
        checked = (
            [form]
            if form.is_valid() and form.cleaned_data["use_default"]
            else [
                form,
                forms["clearance"],
            ]
        )
        if len(checked) == 1 and forms["clearance"].has_changed():
            # the rows were edited with the default still ticked: say so, keep what was typed
            form.add_error(
                "use_default",
                _("您修改了下面的规则，但仍勾选了“使用系统默认规则”；请取消勾选后再保存。"),
            )
    else:
        form = forms[{"ratio_limits": "ratio_reason"}.get(section, f"{section}_reason")]
        checked = [form, forms[section]]
    if not all(f.is_valid() for f in checked):
        for f in checked:
            if hasattr(f, "non_form_errors"):
                for error in f.non_form_errors():
                    messages.error(request, error)
                _row_errors(request, RULE_TITLES[section], f)
        messages.error(request, _("有填写错误，请按提示修改；未保存任何内容。"))
        return False
    reason = form.cleaned_data.get("reason", "")
    try:
        with transaction.atomic():
            if section == "eligibility":
                campaign_service.set_eligibility(user, campaign, form.value(), reason)
            elif section == "conditions":
                for category in form.categories:
                    # a category added since the page was loaded is left as it is
                    if form.add_prefix(f"c{category.pk}") in request.POST:
                        campaign_service.set_conditions(
                            user, category, form.lines(category), reason
                        )
            elif section == "ratio_limits":
                campaign_service.set_ratio_limits(user, campaign, _rows(forms[section]), reason)
            elif section == "clearance":
                rows = [] if form.cleaned_data["use_default"] else _rows(forms["clearance"])
                campaign_service.set_clearance_rules(user, campaign, rows, reason)
            elif section == "members":
                campaign_service.set_members(user, campaign, _rows(forms[section]), reason)
            elif section == "reservations":
                campaign_service.set_reservations(user, campaign, _rows(forms[section]), reason)
    except ValidationError as error:
        apply_service_errors(form, error)
        messages_from_errors(request, error=error)
        messages.error(request, _("未保存任何内容。"))
        return False
    return True


def _row_errors(request, title, formset) -> None:
    """Each wrong cell of a table of rows as a message naming its row and column."""
    for number, form in enumerate(formset.forms, start=1):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(
                    request,
                    _("%(title)s第%(row)d行 %(label)s：%(error)s")
                    % {"title": title, "row": number, "label": label, "error": error},
                )


RULE_TITLES = {
    "eligibility": _lazy("评选条件参数"),
    "conditions": _lazy("先进事迹条件"),
    "ratio_limits": _lazy("比例要求（原则上）"),
    "clearance": _lazy("征求意见规则"),
    "members": _lazy("领导小组及办公室成员"),
    "reservations": _lazy("单列名额"),
}


@login_required
def campaign_rules(request, pk):
    """The parts of a plan beyond its names and numbers, each saved on its own with the checks
    a definition file gets."""
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    section = request.POST.get("section") if request.method == "POST" else None
    if section is not None and section not in RULE_SECTIONS:
        raise Http404(_("没有这一部分。"))
    forms = _rules_forms(campaign, section, request.POST or None)
    if section is not None:
        if _save_rules(request, campaign, section, forms):
            messages.success(request, _("已保存：%s") % RULE_TITLES[section])
            return redirect(reverse("campaigns:rules", args=[campaign.pk]) + f"#{section}")
    return render(
        request,
        "campaigns/campaign_rules.html",
        {
            "campaign": campaign,
            "forms": forms,
            "may_change": request.user.has_perm("campaigns.change_campaign", campaign),
            "titles": RULE_TITLES,
        },
    )


@login_required
def definition_export(request, pk):
    """The campaign as a definition file, to keep, edit and load again (next year's plan)."""
    require_perm(request.user, "campaigns.manage_campaigns")
    campaign = _campaign_or_404(request, pk)
    response = HttpResponse(
        definition_text(campaign).encode("utf-8"), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{campaign.slug}.yaml")
    return response
