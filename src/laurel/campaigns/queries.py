"""Reads of campaigns shared by pages, services and the apps above."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext as _

from laurel.campaigns.domain import CategoryTotal
from laurel.campaigns.models import Campaign, Quota
from laurel.core.models import Division
from laurel.orgs.models import Unit, UnitFunction

# Who reviews at each tier when the plan does not say: 人社 and 住建 (附件2, 附件3).
DEFAULT_REVIEW_FUNCTIONS = [UnitFunction.Function.HR_SOCIAL_SECURITY, UnitFunction.Function.HOUSING]


def category_totals(campaign: Campaign) -> list[CategoryTotal]:
    """Allocated places per category against awards × (1 + ratio), in one query."""
    allocated = dict(
        Quota.objects.filter(category__campaign=campaign)
        .values_list("category_id")
        .annotate(total=Sum("places"))
    )
    return [
        CategoryTotal(c.name, c.award_count, allocated.get(c.pk, 0), campaign.differential_ratio)
        for c in campaign.categories.all()
    ]


def quota_problems(campaign: Campaign) -> list[str]:
    return [t.problem() for t in category_totals(campaign) if not t.ok]


def review_functions(campaign: Campaign) -> list[str]:
    return list(campaign.review_functions or DEFAULT_REVIEW_FUNCTIONS)


def review_department_gaps(campaign: Campaign) -> list[str]:
    """C-8 step 2: the review functions no department performs at the province or in a region
    body's area (the city tier). A nominee would wait there for an opinion nobody can give;
    the office sets the department up (单位管理) before the nominees reach that tier. (County
    departments are many and looked up as a nominee arrives.)"""
    labels = dict(UnitFunction.Function.choices)
    places = list(Division.objects.filter(level=Division.Level.PROVINCE, parent__isnull=True))
    places += [b.division for b in campaign.bodies.select_related("division") if b.division_id]
    gaps = []
    for function in review_functions(campaign):
        served = set(
            Unit.objects.performing(function)
            .filter(division__in=places)
            .values_list("division_id", flat=True)
        )
        for division in places:
            if division.pk not in served:
                gaps.append(
                    _("%(division)s没有承担“%(function)s”审核职能的部门，该级审核将无人办理。")
                    % {"division": division.name, "function": labels.get(function, function)}
                )
    return gaps


def campaign_of(obj) -> Campaign | None:
    """The campaign a record belongs to (a nominee, a clearance request, a notice, an objection,
    a panel, a list …), or None when it has none yet."""
    for _step in range(3):
        if obj is None or isinstance(obj, Campaign):
            return obj
        for link in ("campaign", "nominee", "notice"):
            if getattr(obj, f"{link}_id", None) is not None:
                obj = getattr(obj, link)
                break
        else:
            return None
    return obj if isinstance(obj, Campaign) else None


def is_running(obj) -> bool:
    """Its campaign is published and not closed (records may change); no campaign: yes."""
    campaign = campaign_of(obj)
    return campaign is None or campaign.status == Campaign.Status.PUBLISHED
