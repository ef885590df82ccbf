from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign, NominatingBody, Quota
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
from laurel.core.validators import mask_phone, mask_resident_id
from laurel.nominations import eligibility
from laurel.nominations.forms import (
    ConditionsForm,
    NewNomineeForm,
    NomineeForm,
    ReasonForm,
    RecordFormSet,
    ResumeFormSet,
    formset_rows,
    initial_rows,
)
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as service


def progress_counts(campaign):
    """Dashboard provider: nominees per body, category and stage (a nominee counts in every
    stage it has passed)."""
    rows = (
        Nominee.objects.filter(campaign=campaign)
        .values("body_id", "category_id", "state", "review_tier")
        .annotate(n=Count("pk"))
        .order_by()  # the model's ordering would join bodies and categories for nothing
    )
    counts = {}
    for row in rows:
        stages = []
        state, tier = row["state"], row["review_tier"]
        if state in (Nominee.State.DRAFT, Nominee.State.SENT_BACK):
            stages.append("drafted")
        if state in (Nominee.State.SUBMITTED, Nominee.State.RECEIVED):
            stages.append("submitted")
            if state == Nominee.State.RECEIVED or tier in ("city", "province"):
                stages.append("county")
            if state == Nominee.State.RECEIVED or tier == "province":
                stages.append("city")
            if state == Nominee.State.RECEIVED:
                stages.append("province")
        target = counts.setdefault((row["body_id"], row["category_id"]), {})
        for stage in stages:
            target[stage] = target.get(stage, 0) + row["n"]
    return counts


def drafts_inbox_section(user):
    """Inbox: the user's nominees still in draft."""
    if not user.has_perm("nominations.add_nominee"):
        return None
    drafts = (
        Nominee.objects.restrict(user)
        .filter(state=Nominee.State.DRAFT, campaign__status=Campaign.Status.PUBLISHED)
        .select_related("campaign", "category")
        .order_by("-pk")[:20]
    )
    if not drafts:
        return None
    return {"template": "nominations/inbox_drafts.html", "context": {"drafts": drafts}}


def _export_context(user, campaign) -> dict:
    """Who may export every document as a ZIP: the office (all bodies) or a body's users."""
    if campaign is None:
        return {"can_export": False}
    if user.has_perm("campaigns.manage_campaigns"):
        return {"can_export": True, "export_body": None}
    from laurel.documents.services import visible_bodies

    body = visible_bodies(user, campaign).order_by("sort_order").first()
    return {"can_export": body is not None, "export_body": body}


def _visible_campaigns(user):
    return Campaign.objects.visible_to(user).filter(status=Campaign.Status.PUBLISHED)


def _quota_use(user, campaign):
    """For each visible body and category: places, used by submitted nominees, drafts."""
    bodies = NominatingBody.objects.restrict(user).filter(campaign=campaign)
    counts = progress_counts(campaign)
    rows = []
    for quota in (
        Quota.objects.filter(body__in=bodies)
        .select_related("body", "category")
        .order_by("body__sort_order", "category__sort_order")
    ):
        used = counts.get((quota.body_id, quota.category_id), {})
        rows.append(
            {
                "quota": quota,
                "submitted": used.get("submitted", 0),
                "drafted": used.get("drafted", 0),
                "full": used.get("submitted", 0) >= quota.places,
            }
        )
    return rows


@login_required
def nominee_list(request):
    require_perm(request.user, "nominations.list_nominees")
    campaigns = list(_visible_campaigns(request.user))
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    campaign = campaign or (campaigns[0] if campaigns else None)
    nominees = (
        Nominee.objects.restrict(request.user)
        .filter(campaign=campaign)
        .select_related("category", "body", "nominating_unit", "campaign")
        .prefetch_related("claims", "records", "category__conditions")
        .order_by("body__sort_order", "category__sort_order", "rank", "pk")
    )
    query = text_param(request, "q")
    if query:
        nominees = nominees.filter(name__icontains=query)
    if request.GET.get("state") in Nominee.State.values:
        nominees = nominees.filter(state=request.GET["state"])
    if int_param(request, "category") is not None:
        nominees = nominees.filter(category_id=int_param(request, "category"))
    page = paginate(request, nominees, narrow=True)
    findings = eligibility.findings_for_many(page)
    for nominee in page:
        found = findings[nominee.pk]
        nominee.blocking_count = sum(1 for f in found if f.blocking)
        nominee.warning_count = len(found) - nominee.blocking_count
    return render(
        request,
        "nominations/nominee_list.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "page": page,
            "q": query,
            "states": Nominee.State.choices,
            "quota_use": _quota_use(request.user, campaign) if campaign else [],
            "can_add": request.user.has_perm("nominations.add_nominee"),
            **_export_context(request.user, campaign),
            "can_rank": any(
                request.user.has_perm("nominations.rank_nominees", n) for n in page[:1]
            ),
        },
    )


@login_required
def nominee_create(request, campaign_pk):
    require_perm(request.user, "nominations.add_nominee")
    campaign = _visible_campaigns(request.user).filter(pk=campaign_pk).first()
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


def _nominee(request, pk):
    return get_visible_or_404(
        Nominee.objects.select_related(
            "campaign", "category", "body", "nominating_unit", "division"
        ),
        request.user,
        pk,
    )


def _panel(nominee):
    incomplete, blocking, unjustified, procedure = service.submission_problems(nominee)
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


@login_required
def nominee_detail(request, pk):
    from laurel.documents.official import is_enterprise

    nominee = _nominee(request, pk)
    see_all = request.user.has_perm("nominations.view_personal_data", nominee)
    return render(
        request,
        "nominations/nominee_detail.html",
        {
            **_panel(nominee),
            "id_number": nominee.id_number if see_all else mask_resident_id(nominee.id_number),
            "mobile": nominee.mobile if see_all else mask_phone(nominee.mobile),
            "can_change": request.user.has_perm("nominations.change_nominee", nominee),
            "is_enterprise": is_enterprise(nominee),
            "audit_rows": AuditLog.objects.for_object(nominee)[:200] if see_all else [],
            "reason_form": ReasonForm(),
            **_review_context(request, nominee),
        },
    )


def _review_context(request, nominee):
    from laurel.nominations.forms import ReviewForm
    from laurel.nominations.services import review

    can_review = can_send_back = False
    if nominee.state == Nominee.State.SUBMITTED:
        units = {u.pk for u in review.reviewers(nominee).values() if u is not None}
        is_reviewer = (
            request.user.has_role("reviewing_department") and request.user.unit_id in units
        )
        can_review = (
            is_reviewer
            and not review.opinions(nominee).filter(department_id=request.user.unit_id).exists()
        )
        can_send_back = is_reviewer or request.user.has_perm("campaigns.manage_campaigns")
    return {
        "review_opinions": nominee.review_opinions.select_related("department"),
        "tiers": [review.TIER_LABELS[t] for t in review.tiers_for(nominee)],
        "can_review": can_review,
        "can_send_back": can_send_back,
        "review_form": ReviewForm(initial={"officer_name": request.user.full_name}),
    }


def _edit_forms(request, nominee):
    """The page's forms. Résumé and records are replaced as a whole on save, so a bound
    formset takes only what was posted (blank rows are skipped), never the stored rows."""
    bound = request.method == "POST"
    data = request.POST if bound else None
    files = request.FILES if bound else None
    form = NomineeForm(data, instance=nominee, kind=nominee.kind, campaign=nominee.campaign)
    fields = ("date", "issuer", "text", "level", "treatment")

    def initial(queryset, names):
        return None if bound else initial_rows(queryset, names)

    resume = ResumeFormSet(
        data,
        prefix="resume",
        initial=initial(nominee.resume.order_by("sort_order"), ("start", "end", "text")),
    )
    awards = RecordFormSet(
        data, prefix="award", initial=initial(nominee.records.filter(kind="award"), fields)
    )
    punishments = RecordFormSet(
        data,
        prefix="punishment",
        initial=initial(nominee.records.filter(kind="punishment"), fields),
    )
    conditions = ConditionsForm(
        data,
        category=nominee.category,
        initial={"conditions": [str(c.condition_id) for c in nominee.claims.all()]},
    )
    return form, resume, awards, punishments, conditions, files


def _save_all(request, nominee, form, resume, awards, punishments, conditions, files):
    user = request.user
    with transaction.atomic():  # the whole form is saved, or nothing
        service.save_draft(user, nominee, **form.values())
        if nominee.is_individual:
            service.set_resume(user, nominee, formset_rows(resume))
        service.set_records(user, nominee, "award", formset_rows(awards))
        service.set_records(user, nominee, "punishment", formset_rows(punishments))
        service.set_conditions(user, nominee, conditions.cleaned_data["conditions"])
        for key, value in request.POST.items():
            if key.startswith("justify-"):
                code = key.removeprefix("justify-")
                if value.strip() != (nominee.justifications.get(code) or ""):
                    service.set_justification(user, nominee, code, value)
        if files and files.get("photo"):
            service.set_photo(user, nominee, files["photo"])


@login_required
def nominee_edit(request, pk):
    nominee = _nominee(request, pk)
    require_perm(request.user, "nominations.change_nominee", nominee)
    if nominee.state not in (Nominee.State.DRAFT, Nominee.State.SENT_BACK):
        messages.error(request, _("已上报的推荐对象不能修改；如需修改请先撤回。"))
        return redirect("nominations:detail", pk=pk)
    form, resume, awards, punishments, conditions, files = _edit_forms(request, nominee)
    forms_valid = False
    if request.method == "POST":
        forms_valid = all(f.is_valid() for f in (form, resume, awards, punishments, conditions))
        if forms_valid:
            try:
                _save_all(request, nominee, form, resume, awards, punishments, conditions, files)
            except ValidationError as error:
                forms_valid = False
                apply_service_errors(form, error)
        nominee = _nominee(request, pk)
        if request.htmx:  # autosave: report, keep the page as the user has it
            return render(
                request,
                "nominations/_status.html",
                {**_panel(nominee), "autosaved": forms_valid, "form": form},
            )
        if forms_valid:
            messages.success(request, _("已保存草稿。"))
            if request.POST.get("then") == "submit":
                return _submit(request, nominee)
            return redirect("nominations:edit", pk=pk)
    return render(
        request,
        "nominations/nominee_edit.html",
        {
            **_panel(nominee),
            "form": form,
            "sections": list(form.sections(nominee.kind)),
            "resume": resume,
            "awards": awards,
            "punishments": punishments,
            "conditions": conditions,
        },
    )


def _submit(request, nominee):
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
    nominee = _nominee(request, pk)
    require_perm(request.user, "nominations.change_nominee", nominee)
    return _submit(request, nominee)


@login_required
@require_POST
def nominee_withdraw(request, pk):
    nominee = _nominee(request, pk)
    require_perm(request.user, "nominations.change_nominee", nominee)
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
    nominee = _nominee(request, pk)
    require_perm(request.user, "nominations.change_nominee", nominee)
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
    nominee = _nominee(request, pk)
    require_perm(request.user, "nominations.rank_nominees", nominee)
    service.move_nominee(request.user, nominee, -1 if request.POST.get("direction") == "up" else 1)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = f"{reverse('nominations:list')}?campaign={nominee.campaign_id}"
    return redirect(target)


@login_required
def nominee_photo(request, pk):
    nominee = _nominee(request, pk)
    if not nominee.photo or not default_storage.exists(nominee.photo):
        raise Http404(_("没有照片。"))
    response = FileResponse(default_storage.open(nominee.photo, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- clearance (征求意见) ----------------------------------------------------------------------


def clearance_inbox_section(user):
    """Inbox: opinions the user's department owes; for the office, disagreements to decide."""
    from laurel.nominations.models import ClearanceRequest

    owed = []
    if user.unit_id and user.has_role("clearance_department"):
        owed = list(
            ClearanceRequest.objects.filter(
                department_id=user.unit_id,
                state__in=[ClearanceRequest.State.PENDING, ClearanceRequest.State.VERIFYING],
            )
            .select_related("nominee")
            .order_by("due_on", "pk")[:50]
        )
    decide = []
    if user.has_perm("campaigns.manage_campaigns"):
        decide = list(
            ClearanceRequest.objects.filter(
                state=ClearanceRequest.State.DISAGREED, office_decision=""
            ).select_related("nominee", "department")[:50]
        )
    if not owed and not decide:
        return None
    return {
        "template": "nominations/inbox_clearance.html",
        "context": {"owed": owed, "decide": decide},
    }


def _clearance(request, pk):
    from laurel.nominations.models import ClearanceRequest

    item = ClearanceRequest.objects.select_related("nominee", "department").filter(pk=pk).first()
    visible = item is not None and (
        (request.user.unit_id and item.department_id == request.user.unit_id)
        or ClearanceRequest.objects.restrict(request.user).filter(pk=pk).exists()
    )
    if not visible:
        raise Http404(_("未找到该征求意见，或您无权查看。"))
    return item


@login_required
@require_POST
def clearance_open(request, pk):
    from laurel.nominations.services.clearance import open_clearances

    nominee = _nominee(request, pk)
    require_perm(request.user, "nominations.change_nominee", nominee)
    created = open_clearances(request.user, nominee)
    missing = [c for c in created if c.department_id is None]
    messages.success(request, _("已向%d个部门征求意见。") % (len(created) - len(missing)))
    for item in missing:
        messages.warning(
            request, _("未找到%s，请联系省级表彰工作办公室指定承办部门。") % item.function_label
        )
    return redirect("nominations:detail", pk=pk)


@login_required
def clearance_detail(request, pk):
    from laurel.nominations.forms import ClearanceOpinionForm, OfficeDecisionForm
    from laurel.nominations.services import clearance as clearance_service

    item = _clearance(request, pk)
    is_department = request.user.unit_id == item.department_id and request.user.has_role(
        "clearance_department"
    )
    form = ClearanceOpinionForm(
        request.POST or None, initial={"officer_name": request.user.full_name}
    )
    if request.method == "POST" and is_department and form.is_valid():
        try:
            clearance_service.record_opinion(request.user, item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("意见已提交。"))
            return redirect("accounts:inbox")
    return render(
        request,
        "nominations/clearance_detail.html",
        {
            "item": item,
            "nominee": item.nominee,
            "id_number": (
                item.nominee.id_number
                if is_department
                or request.user.has_perm("nominations.view_personal_data", item.nominee)
                else mask_resident_id(item.nominee.id_number)
            ),
            "form": form,
            "is_department": is_department,
            "decision_form": OfficeDecisionForm(),
            "can_decide": request.user.has_perm("campaigns.manage_campaigns"),
        },
    )


@login_required
@require_POST
def clearance_decide(request, pk):
    from laurel.nominations.forms import OfficeDecisionForm
    from laurel.nominations.services import clearance as clearance_service

    require_perm(request.user, "campaigns.manage_campaigns")
    item = _clearance(request, pk)
    form = OfficeDecisionForm(request.POST)
    if form.is_valid():
        try:
            clearance_service.decide_disagreement(
                request.user,
                item,
                proceed=form.cleaned_data["proceed"] == "1",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages_from_errors(request, error=error)
        else:
            messages.success(request, _("已记录办公室决定。"))
    else:
        messages_from_errors(request, form)
    return redirect("nominations:clearance", pk=pk)


# --- tiered review (C-8 step 2) -----------------------------------------------------------------


def _awaiting_review(user):
    """Nominees at the user's tier whose current round lacks the user's department's opinion."""
    from laurel.nominations.services import review

    tier = review.user_tier(user)
    if tier is None or not user.has_role("reviewing_department"):
        return []
    candidates = (
        Nominee.objects.restrict(user)
        .filter(state=Nominee.State.SUBMITTED, review_tier=tier)
        .select_related("campaign", "category", "body__division", "division", "nominating_unit")
        .order_by("submitted_at", "pk")
    )
    waiting = []
    for nominee in candidates:
        departments = review.reviewers(nominee)
        mine = [
            f for f, unit in departments.items() if unit is not None and unit.pk == user.unit_id
        ]
        if mine and not review.opinions(nominee).filter(function__in=mine).exists():
            deadline = nominee.campaign.phase("material_deadline")
            nominee.due_on = deadline.ends_on if deadline else None
            waiting.append(nominee)
    return waiting


def review_inbox_section(user):
    waiting = _awaiting_review(user)
    if not waiting:
        return None
    return {
        "template": "nominations/inbox_review.html",
        "context": {"nominees": waiting[:50], "count": len(waiting)},
    }


@login_required
def review_list(request):
    """The reviewer's list, oldest first; approve several at once with one opinion."""
    from laurel.nominations.forms import ReviewForm
    from laurel.nominations.services import review

    waiting = _awaiting_review(request.user)
    form = ReviewForm(request.POST or None, initial={"officer_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        chosen = [n for n in waiting if str(n.pk) in request.POST.getlist("nominees")]
        if not chosen:
            messages.error(request, _("请至少勾选一个推荐对象。"))
        else:
            try:
                with transaction.atomic():
                    for nominee in chosen:
                        review.record_review(request.user, nominee, **form.cleaned_data)
            except ValidationError as error:
                messages_from_errors(request, error=error)
            else:
                messages.success(request, _("已对%d个推荐对象出具审核意见。") % len(chosen))
                return redirect("nominations:review")
    return render(request, "nominations/review_list.html", {"waiting": waiting, "form": form})


@login_required
@require_POST
def review_record(request, pk):
    from laurel.nominations.forms import ReviewForm
    from laurel.nominations.services import review

    nominee = _nominee(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect("nominations:detail", pk=pk)
    try:
        review.record_review(request.user, nominee, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("审核意见已提交。"))
    return redirect("nominations:detail", pk=pk)


@login_required
@require_POST
def review_send_back(request, pk):
    from laurel.nominations.services import review

    nominee = _nominee(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect("nominations:detail", pk=pk)
    try:
        review.send_back(request.user, nominee, form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("已退回申报单位修改。"))
    return redirect("nominations:detail", pk=pk)


@login_required
def overview(request):
    """The office's view of a campaign: per body, nominees by state against the quota; items
    past the material deadline; send-backs with their reasons."""
    require_perm(request.user, "campaigns.view_dashboard")
    campaigns = list(
        Campaign.objects.visible_to(request.user).exclude(status=Campaign.Status.DRAFT)
    )
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    campaign = campaign or (campaigns[0] if campaigns else None)
    if campaign is None:
        return render(request, "nominations/overview.html", {"campaigns": campaigns})
    states = [
        ("draft", _("草稿")),
        ("county", _("县级审核")),
        ("city", _("市级审核")),
        ("province", _("省级审核")),
        ("sent_back", _("退回修改")),
        ("received", _("省级已接收")),
        ("withdrawn", _("已撤回")),
    ]
    quotas = {}
    for quota in Quota.objects.filter(body__campaign=campaign).select_related("body"):
        quotas[quota.body] = quotas.get(quota.body, 0) + quota.places
    table = {body: dict.fromkeys(key for key, _label in states) for body in quotas}
    for row in (
        Nominee.objects.filter(campaign=campaign)
        .values("body_id", "state", "review_tier")
        .annotate(n=Count("pk"))
    ):
        body = next(b for b in table if b.pk == row["body_id"])
        key = row["review_tier"] if row["state"] == Nominee.State.SUBMITTED else row["state"]
        if key in table[body]:
            table[body][key] = (table[body][key] or 0) + row["n"]
    deadline = campaign.phase("material_deadline")
    today = timezone.localdate()
    overdue = []
    if deadline and deadline.ends_on and deadline.ends_on < today:
        overdue = list(
            Nominee.objects.filter(campaign=campaign, state=Nominee.State.SUBMITTED)
            .select_related("body")
            .order_by("submitted_at")
        )
    sent_back = []
    for nominee in Nominee.objects.filter(
        campaign=campaign, state=Nominee.State.SENT_BACK
    ).select_related("body"):
        row = (
            AuditLog.objects.filter(
                content_type__model="nominee",
                object_id=str(nominee.pk),
                action=AuditLog.Action.TRANSITION,
            )
            .order_by("-id")
            .first()
        )
        sent_back.append((nominee, row))
    return render(
        request,
        "nominations/overview.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "states": states,
            "rows": [
                (body, quotas[body], [table[body][k] or 0 for k, _l in states])
                for body in sorted(table, key=lambda b: b.sort_order)
            ],
            "overdue": overdue,
            "deadline": deadline,
            "sent_back": sent_back,
        },
    )
