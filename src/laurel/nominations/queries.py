"""Reads of nominations shared by the pages, the inbox, the documents and the API."""

from __future__ import annotations

from django.db.models import Count

from laurel.campaigns.models import Campaign, NominatingBody, Quota
from laurel.nominations.models import ClearanceRequest, Nominee, ReviewOpinion
from laurel.orgs.models import Unit


def progress_counts(campaign: Campaign) -> dict[tuple[int, int], dict[str, int]]:
    """Nominees per (body, category) and stage; a nominee counts in every stage it has passed
    (awarded and revoked ones passed them all)."""
    rows = (
        Nominee.objects.filter(campaign=campaign)
        .values("body_id", "category_id", "state", "review_tier")
        .annotate(n=Count("pk"))
        .order_by()  # the model's ordering would join bodies and categories for nothing
    )
    passed_all = (Nominee.State.RECEIVED, Nominee.State.AWARDED, Nominee.State.REVOKED)
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        stages = []
        state, tier = row["state"], row["review_tier"]
        if state in (Nominee.State.DRAFT, Nominee.State.SENT_BACK):
            stages.append("drafted")
        if state == Nominee.State.SUBMITTED or state in passed_all:
            stages.append("submitted")
            if state in passed_all or tier in ("city", "province"):
                stages.append("county")
            if state in passed_all or tier == "province":
                stages.append("city")
            if state in passed_all:
                stages.append("province")
        target = counts.setdefault((row["body_id"], row["category_id"]), {})
        for stage in stages:
            target[stage] = target.get(stage, 0) + row["n"]
    return counts


def quota_use(user, campaign: Campaign) -> list[dict]:
    """For each body the user sees and each category: places, used by submitted nominees,
    drafts."""
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


def awaiting_review(user) -> list[Nominee]:
    """Nominees at the user's tier whose current round still lacks the opinion of the user's
    department, oldest first, each with the material deadline as ``due_on``."""
    waiting = []
    candidates = (
        Nominee.objects.restrict(user, "review")
        .select_related("campaign", "category", "body__division", "division", "nominating_unit")
        .order_by("submitted_at", "pk")
    )
    for nominee in candidates:
        if not user.has_perm("nominations.review_nominee", nominee):
            continue  # answered already in this round
        nominee.due_on = nominee.campaign.material_deadline(nominee.body)
        nominee.disagreements = list(earlier_disagreements(nominee))
        waiting.append(nominee)
    return waiting


def owed_opinions(user):
    """The clearance opinions the user's department still owes."""
    return (
        ClearanceRequest.objects.restrict(user, "answer")
        .filter(state__in=[ClearanceRequest.State.PENDING, ClearanceRequest.State.VERIFYING])
        .select_related("nominee")
        .order_by("due_on", "pk")
    )


def disagreements_to_decide():
    return ClearanceRequest.objects.filter(
        state=ClearanceRequest.State.DISAGREED, office_decision=""
    ).select_related("nominee", "department")


def body_for_unit(campaign: Campaign, unit: Unit) -> NominatingBody | None:
    """The campaign body whose quota a unit nominates under: a provincial-level unit body that
    is the unit or one of its supervisors, else the region body whose area holds the unit."""
    bodies = list(campaign.bodies.select_related("division", "unit"))
    for body in bodies:
        if body.unit_id and body.division_id is None and unit.path.startswith(body.unit.path):
            return body
    for body in bodies:
        if body.division_id and unit.division.path.startswith(body.division.path):
            return body
    return None


def places_taken(sender, quota, **kwargs) -> int:
    """``campaigns.signals.places_in_use``: the nominees that hold a place of ``quota``."""
    return Nominee.objects.active().filter(body=quota.body, category=quota.category).count()


def earlier_disagreements(nominee: Nominee):
    """Every "不同意" a tier gave the nominee, all rounds: part of its record for good."""
    return nominee.review_opinions.filter(decision=ReviewOpinion.Decision.DISAGREE).select_related(
        "department"
    )
