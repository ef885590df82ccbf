"""The office's treatment pages (H-7): the policy with its versions, loaded from a file with a
dry run and a diff first; the entitlements, filtered by jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.definitions import DefinitionError
from laurel.core.http import (
    int_param,
    list_export,
    paginate,
    require_perm,
    text_param,
    wants_xlsx,
)
from laurel.core.models import Division
from laurel.registry import privacy
from laurel.treatment import budget as budgets
from laurel.treatment import queries
from laurel.treatment.forms import PolicyForm
from laurel.treatment.models import Policy, Treatment
from laurel.treatment.services.policies import load_policy


@login_required
def policies(request):
    require_perm(request.user, "treatment.view_policy")
    form = PolicyForm(request.POST or None, request.FILES or None)
    preview = problems = None
    if request.method == "POST":
        require_perm(request.user, "treatment.manage_policy")
        if form.is_valid():
            text = form.cleaned_data["text"]
            source = (form.cleaned_data.get("source") or request.POST.get("source", ""))[:200]
            confirm = request.POST.get("action") == "apply"
            try:
                result = load_policy(request.user, text, source, dry_run=not confirm)
            except DefinitionError as error:
                problems = [str(p) for p in error.problems]
            else:
                if confirm:
                    messages.success(
                        request, _("已装载“%s”，正在重新核定待遇资格。") % result.policy
                    )
                    return redirect("treatment:policies")
                preview = {"changes": result.changes, "text": text, "source": source}
    versions = list(Policy.objects.prefetch_related("treatments"))
    return render(
        request,
        "treatment/policies.html",
        {
            "versions": versions,
            "in_force": queries.policy_in_force(),
            "form": form,
            "preview": preview,
            "problems": problems,
            "can_manage": request.user.has_perm("treatment.manage_policy"),
        },
    )


@login_required
def entitlements(request):
    require_perm(request.user, "treatment.view_entitlements")
    rows = queries.entitlements(request.user)
    state = text_param(request, "state") or "open"
    if state == "open":
        rows = queries.running(rows)
    elif state == "ended":
        rows = rows.filter(ends_on__lte=timezone.localdate())
    key = text_param(request, "treatment")
    if key:
        rows = rows.filter(treatment__key=key)
    rows = rows.order_by("person__division__path", "person__name", "treatment__sort_order", "pk")
    if wants_xlsx(request):
        return list_export(
            _("待遇资格"),
            [
                _("姓名"),
                _("所属地区"),
                _("待遇"),
                _("标准（元）"),
                _("周期"),
                _("经费承担"),
                _("起始日期"),
                _("终止日期"),
                _("终止原因"),
                _("依据荣誉"),
            ],
            (
                [
                    row.name,
                    row.area,
                    e.treatment.name,
                    e.amount,
                    e.treatment.get_period_display(),
                    e.treatment.get_payer_display(),
                    e.starts_on,
                    e.ends_on,
                    e.end_reason,
                    row.honour,
                ]
                for e, row in _shown(request.user, rows.iterator(chunk_size=2000))
            ),
            "entitlements.xlsx",
        )
    policy = queries.policy_in_force()
    page = paginate(request, rows)
    return render(
        request,
        "treatment/entitlements.html",
        {
            "page": page,
            "rows": list(_shown(request.user, page.object_list)),
            "state": state,
            "treatments": Treatment.objects.filter(policy=policy) if policy else [],
            "key": key,
        },
    )


@dataclass
class _Row:
    name: str
    area: str
    honour: str
    link: bool


def _shown(user, entitlements):
    """Each entitlement with its person as the user may see them (classified people are left
    out of lists for all but the office: ``queries.entitlements``); area names from one query."""
    areas = {d.pk: name for d, name in Division.objects.full_names().items()}
    for entitlement in entitlements:
        person = entitlement.person
        seen = privacy.shown(user, person)
        if seen.desensitised:  # not reached through queries.entitlements; kept as a guard
            yield entitlement, _Row(seen.name, privacy.HIDDEN, privacy.HIDDEN, False)
        else:
            area = areas.get(person.division_id, "")
            yield entitlement, _Row(person.name, area, entitlement.honour.title, True)


@login_required
def budget(request):
    """A year's budget per paying finance office and treatment, with charts by city and by
    treatment, within the user's jurisdiction."""
    require_perm(request.user, "treatment.view_entitlements")
    this_year = timezone.localdate().year
    year = int_param(request, "year") or this_year
    if not 2000 <= year <= this_year + 5:
        year = this_year
    result = budgets.year_budget(queries.entitlements(request.user, listing=False), year)
    hardship = queries.hardship_year(request.user, year)
    if wants_xlsx(request) and text_param(request, "part") == "hardship":
        return list_export(
            _("%d年困难帮扶资金") % year,
            [
                _("支付财政部门"),
                _("批准人数"),
                _("批准金额（元）"),
                _("支付笔数"),
                _("已支付（元）"),
            ],
            (
                [name, line["approved"], line["approved_amount"], line["paid"], line["paid_amount"]]
                for name, line in hardship
            ),
            f"treatment-hardship-{year}.xlsx",
        )
    if wants_xlsx(request):
        return list_export(
            _("%d年待遇经费") % year,
            [
                _("经费承担"),
                _("层级"),
                _("待遇"),
                _("人数"),
                _("人次（月、年、次）"),
                _("金额（元）"),
            ],
            (
                [line.payer, line.payer_level, line.treatment, line.people, line.times, line.amount]
                for line in result.lines
            ),
            f"treatment-budget-{year}.xlsx",
        )
    charts = []
    for title, rows in ((_("按市（州）"), result.by_city), (_("按待遇"), result.by_treatment)):
        top = max((amount for _label, amount in rows), default=0) or 1
        charts.append(
            {
                "title": title,
                "rows": [(label, amount, round(amount * 400 / top)) for label, amount in rows[:40]],
                "height": 22 * min(len(rows), 40) + 4,
            }
        )
    return render(
        request,
        "treatment/budget.html",
        {
            "budget": result,
            "hardship": hardship,
            "charts": charts,
            "years": range(this_year + 1, this_year - 5, -1),
            "policy": queries.policy_in_force(),
        },
    )
