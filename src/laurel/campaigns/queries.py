"""Reads of campaigns shared by pages, services and the apps above."""

from __future__ import annotations

from django.db.models import Sum

from laurel.campaigns.domain import CategoryTotal
from laurel.campaigns.models import Campaign, Quota


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
