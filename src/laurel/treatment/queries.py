"""Reads of the treatment app shared by pages and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from laurel.core.permissions import within_area
from laurel.treatment.models import Entitlement, HardshipApplication, Payment, Policy


def policy_in_force(on: datetime.date | None = None) -> Policy | None:
    on = on or timezone.localdate()
    return Policy.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def entitlements(user, *, listing: bool = True):
    """The entitlements ``user`` may see (the jurisdiction filter of the registry). In a list
    (``listing``) a classified person (H-6) does not appear at all for anyone but the office —
    a row in its place, its dates and amount would narrow them down; sums (the budget) count
    them."""
    rows = within_area(user, "treatment.view_entitlements", Entitlement.objects.all())
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


def hardship_applications(user, *, listing: bool = True):
    """The hardship applications ``user`` may see (the jurisdiction filter); in lists, a
    classified person's (H-6) only for the office, as with entitlements."""
    rows = HardshipApplication.objects.restrict(user)
    if listing and not user.has_perm("registry.view_classified"):
        rows = rows.exclude(person__classified=True)
    return rows.select_related("person", "applying_unit", "band").annotate(
        paid_total=Coalesce(Sum("payments__amount"), Decimal("0.00"))
    )


def hardship_history(user, person, *, but=None):
    """The person's earlier applications the user may see, with what was approved and paid
    (a repeat application is judged with them)."""
    rows = hardship_applications(user, listing=False).filter(person=person)
    if but is not None:
        rows = rows.exclude(pk=but.pk)
    return rows.order_by("-pk")


def payments(user):
    rows = Payment.objects.filter(application__in=HardshipApplication.objects.restrict(user))
    if not user.has_perm("registry.view_classified"):
        rows = rows.exclude(application__person__classified=True)
    return rows.select_related("application__person", "application__applying_unit")


def disbursement(user, payer_name: str | None = None):
    """Approved applications still to be paid (all or one finance office's), for the office."""
    rows = hardship_applications(user, listing=False).filter(
        state=HardshipApplication.State.APPROVED
    )
    if payer_name:
        rows = rows.filter(payer_name=payer_name)
    return rows.order_by("payer_name", "division__path", "pk")


def hardship_year(user, year: int):
    """Per finance office: what was approved (by approval date) and paid (by payment date) in
    ``year``."""
    approved = (
        HardshipApplication.objects.restrict(user)
        .filter(approved_on__year=year)
        .order_by()
        .values("payer_name")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    paid = (
        Payment.objects.filter(application__in=HardshipApplication.objects.restrict(user))
        .filter(paid_on__year=year)
        .order_by()
        .values("payer_name")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    zero = Decimal("0.00")
    lines: dict[str, dict] = {}
    for key, rows in (("approved", approved), ("paid", paid)):
        for row in rows:
            line = lines.setdefault(
                row["payer_name"],
                {"approved": 0, "approved_amount": zero, "paid": 0, "paid_amount": zero},
            )
            line[key], line[f"{key}_amount"] = row["n"], row["total"]
    return sorted(lines.items())
