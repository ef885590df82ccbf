"""Where a hardship application goes: the registration's route (H-4) from the applying unit,
the departments of the person's honour types at each tier (H-3), and the province's office at
the end, which approves (reads only)."""

from __future__ import annotations

from laurel.orgs.models import Unit
from laurel.registry import routing as registry_routing
from laurel.treatment.models import HardshipApplication

T = HardshipApplication.Tier


def route_for(unit: Unit) -> list[str]:
    """The registration's route: the province's tier is the office's approval."""
    return list(registry_routing.route_for(unit))


def reviewers(application: HardshipApplication, tier: str | None = None) -> dict[str, Unit | None]:
    """function → the department signing at ``tier`` ("" → the supervising unit). Nobody signs
    at the province: the office approves there (``services.hardship.approve``)."""
    tier = tier or application.current_tier
    if tier == T.PROVINCE or not tier:
        return {}
    if tier == T.SUPERVISOR:
        return {"": registry_routing.supervisor(application.applying_unit)}
    division = registry_routing.tier_division(application, tier)
    types = [h.honour_type for h in application.person.honours.all()]
    return {
        function: Unit.objects.performing(function, division).order_by("pk").first()
        for function in registry_routing.functions_for(types)
    }
