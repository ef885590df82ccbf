"""Reads of the treatment app shared by pages and the API."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from laurel.treatment.models import Entitlement, Policy


def policy_in_force(on: datetime.date | None = None) -> Policy | None:
    on = on or timezone.localdate()
    return Policy.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def entitlements(user, *, listing: bool = True):
    """The entitlements ``user`` may see (the jurisdiction filter of the registry). In a list
    (``listing``) a classified person (H-6) does not appear at all for anyone but the office —
    a row in its place, its dates and amount would narrow them down; sums (the budget) count
    them."""
    rows = Entitlement.objects.restrict(user)
    if listing and not user.has_perm("registry.view_classified"):
        rows = rows.exclude(person__classified=True)
    return rows.select_related("person", "honour", "treatment", "treatment__policy")


def running(rows, on: datetime.date | None = None):
    """Not ended on ``on`` (today): running, or to start under a version not yet in force."""
    on = on or timezone.localdate()
    return rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def person_entitlements(user, person):
    return (
        entitlements(user)
        .filter(person=person)
        .order_by("ends_on", "treatment__sort_order", "starts_on")
    )
