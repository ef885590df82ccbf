"""Clearance (征求意见, C-9): a department's opinion on a nominee, the office's decision after a
disagreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurel.campaigns.models import Campaign
from laurel.core import permissions
from laurel.core.http import (
    apply_service_errors,
    get_visible_or_404,
    list_export,
    messages_from_errors,
    paginate,
    require_perm,
    scan_response,
    wants_xlsx,
)
from laurel.nominations.forms import (
    ClearanceOpinionForm,
    OfficeDecisionForm,
    PaperOpinionForm,
    ReassignForm,
)
from laurel.nominations.models import ClearanceRequest
from laurel.nominations.queries import (
    disagreements_to_decide,
    owed_opinions,
    personal_data,
    visible_clearances,
)
from laurel.nominations.services import clearance as service
from laurel.nominations.views.nominees import nominee_or_404


def clearance_inbox_section(user):
    """Inbox: opinions the user's department owes; for the office, disagreements to decide."""
    owed = (
        list(owed_opinions(user)[:50])
        if user.has_perm("nominations.give_clearance_opinion")
        else []
    )
    decide = (
        list(disagreements_to_decide()[:50])
        if user.has_perm("nominations.decide_clearance")
        else []
    )
    if not owed and not decide:
        return None
    return {
        "template": "nominations/inbox_clearance.html",
        "context": {"owed": owed, "decide": decide},
    }


@login_required
def clearance_list(request):
    """Every clearance request the user may see: the office chasing departments that have not
    answered (their letters printed and sent again), a body following its nominees'. Filtered by
    campaign and state; exported as .xlsx with the same rows."""
    require_perm(request.user, "nominations.view_clearance")
    campaigns = list(Campaign.objects.restrict(request.user).exclude(status=Campaign.Status.DRAFT))
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    campaign = campaign or (campaigns[0] if campaigns else None)
    state = request.GET.get("state", "")
    if state not in ClearanceRequest.State.values:
        state = ""
    items = visible_clearances(request.user, campaign, state) if campaign else []
    if wants_xlsx(request):
        return list_export(
            _("征求意见"),
            [
                _("推荐对象"),
                _("推荐单位"),
                _("征求意见部门"),
                _("承办单位"),
                _("征求意见日期"),
                _("回复期限"),
                _("状态"),
                _("经办人"),
                _("出具日期"),
            ],
            (
                (
                    item.nominee.name,
                    item.nominee.body.name,
                    item.function_label,
                    item.department.name if item.department_id else "",
                    item.opened_on.isoformat() if item.opened_on else "",
                    item.due_on.isoformat() if item.due_on else "",
                    item.get_state_display(),
                    item.officer_name,
                    item.decided_on.isoformat() if item.decided_on else "",
                )
                for item in items
            ),
            "clearance.xlsx",
        )
    return render(
        request,
        "nominations/clearance_list.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "state": state,
            "states": ClearanceRequest.State.choices,
            "page": paginate(request, items) if campaign else None,
        },
    )


def _clearance(request, pk) -> ClearanceRequest:
    return get_visible_or_404(
        ClearanceRequest.objects.select_related("nominee", "department"), request.user, pk
    )


@login_required
@require_POST
def clearance_open(request, pk):
    nominee = nominee_or_404(request, pk)
    try:
        created = service.open_clearances(request.user, nominee)
    except ValidationError as error:
        messages_from_errors(request, error=error)
        return redirect("nominations:detail", pk=pk)
    missing = [c for c in created if c.department_id is None]
    messages.success(request, _("已向%d个部门征求意见。") % (len(created) - len(missing)))
    for item in missing:
        messages.warning(
            request, _("未找到%s，请联系省级表彰工作办公室指定承办部门。") % item.function_label
        )
    return redirect("nominations:detail", pk=pk)


@login_required
def clearance_detail(request, pk):
    item = _clearance(request, pk)
    user = request.user
    may_answer = user.has_perm("nominations.give_clearance_opinion", item)
    form = ClearanceOpinionForm(request.POST or None, initial={"officer_name": user.full_name})
    refusal = None
    if request.method == "POST":
        refusal = permissions.not_now(user, "nominations.give_clearance_opinion", item)
        if refusal:
            messages.error(request, refusal)
        elif form.is_valid():
            try:
                service.record_opinion(user, item, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("意见已提交。"))
                return redirect("pages:inbox")
    # The department asked sees the number it vets; everyone else as the nominee's page shows.
    asked = user.has_perm("nominations.give_clearance_opinion")
    asked = asked and ClearanceRequest.objects.restrict(user, "answer").filter(pk=pk).exists()
    see_all = asked or user.has_perm("nominations.view_personal_data", item.nominee)
    return render(
        request,
        "nominations/clearance_detail.html",
        {
            "item": item,
            "nominee": item.nominee,
            "id_number": personal_data(item.nominee, see_all).id_number,
            "form": form,
            "may_answer": may_answer,
            "decision_form": OfficeDecisionForm(),
            "may_decide": user.has_perm("nominations.decide_clearance", item),
            "may_reassign": user.has_perm("nominations.assign_clearance_department", item),
            "may_record_paper": user.has_perm("nominations.record_paper_clearance", item),
            "paper_form": PaperOpinionForm(prefix="paper"),
            "reassign_form": ReassignForm(request=item, prefix="reassign"),
        },
    )


@login_required
@require_POST
def clearance_reassign(request, pk):
    """The office names or re-routes the department, with the reason (audited)."""
    require_perm(request.user, "nominations.assign_clearance_department")
    item = _clearance(request, pk)
    form = ReassignForm(request.POST, request=item, prefix="reassign")
    if form.is_valid():
        try:
            service.assign_department(
                request.user,
                item,
                form.cleaned_data["department"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages_from_errors(request, error=error)
        else:
            messages.success(request, _("已改派承办部门：%s") % form.cleaned_data["department"])
    else:
        messages_from_errors(request, form)
    return redirect("nominations:clearance", pk=pk)


@login_required
@require_POST
def clearance_decide(request, pk):
    require_perm(request.user, "nominations.decide_clearance")
    item = _clearance(request, pk)
    form = OfficeDecisionForm(request.POST)
    if form.is_valid():
        try:
            service.decide_disagreement(
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


@login_required
def clearance_paper(request, pk):
    """The body or the office records an opinion the department gave on paper."""
    item = _clearance(request, pk)
    require_perm(request.user, "nominations.record_paper_clearance", item)
    form = PaperOpinionForm(request.POST or None, request.FILES or None, prefix="paper")
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            service.record_paper_opinion(request.user, item, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("纸质意见已录入。"))
            return redirect("nominations:clearance", pk=pk)
    return render(
        request,
        "nominations/clearance_paper.html",
        {"item": item, "nominee": item.nominee, "form": form},
    )


@login_required
def clearance_scan(request, pk):
    """The scan of a paper opinion, to whoever may see the request."""
    item = _clearance(request, pk)
    if not request.user.has_perm("nominations.view_opinion_scan", item):
        raise Http404(_("该意见没有扫描件，或您无权查看。"))
    return scan_response(item, f"{item.nominee.name}-{item.function_label}-纸质意见")
