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
