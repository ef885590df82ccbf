"""Where a hardship application goes: the registration's route (H-4) from the applying unit,
the departments of the person's honour types at each tier (H-3), and the province's office at
the end, which approves (reads only)."""

from __future__ import annotations

import datetime

from laurel.orgs.models import Unit, UnitFunction
from laurel.registry import routing as registry_routing
from laurel.registry.models import Honour
from laurel.treatment.models import HardshipApplication

T = HardshipApplication.Tier


def route_for(unit: Unit) -> list[str]:
    """The registration's route: the province's tier is the office's approval."""
    return list(registry_routing.route_for(unit))


def reviewers(application: HardshipApplication, tier: str | None = None) -> dict[str, Unit | None]:
    """function → the department signing at ``tier`` ("" → the supervising unit), as frozen when
    the application was submitted. Nobody signs at the province: the office approves there
    (``services.hardship.approve``)."""
    tier = tier or application.current_tier
    if tier == T.PROVINCE or not tier:
        return {}
    frozen = (application.panel or {}).get(tier)
    if frozen is not None:
        units = Unit.objects.in_bulk([pk for pk in frozen.values() if pk])
        return {function: units.get(pk) for function, pk in frozen.items()}
    return panel_at(application, tier)


def panel_at(application: HardshipApplication, tier: str) -> dict[str, Unit | None]:
    """Who signs at ``tier`` now: the supervising unit, or the departments of the types of the
    honours the person holds (H-3)."""
    if tier == T.SUPERVISOR:
        return {"": registry_routing.supervisor(application.applying_unit)}
    division = registry_routing.tier_division(application, tier)
    types = [
        h.honour_type for h in application.person.honours.all() if h.status == Honour.Status.HELD
    ]
    return {
        function: Unit.objects.performing(function, division).order_by("pk").first()
        for function in registry_routing.functions_for(types)
    }


def freeze_panel(application: HardshipApplication) -> list[Unit]:
    """Fix who signs at each tier of the route (at submission); returns those units."""
    panel, units = {}, []
    for tier in application.route:
        if tier == T.PROVINCE:
            continue
        signers = panel_at(application, tier)
        panel[tier] = {function: unit.pk if unit else None for function, unit in signers.items()}
        units += [unit for unit in signers.values() if unit is not None]
    application.panel = panel
    return units


def return_route(unit: Unit | None) -> list[str]:
    """A status return goes the registration's way; a person without a registering unit (an
    import from before Laurel) is checked by the province itself."""
    return list(registry_routing.route_for(unit)) if unit is not None else [T.PROVINCE]


def return_checker(status_return, tier: str | None = None) -> Unit | None:
    """Who checks a status return at ``tier``: as frozen when it was reported, else who would
    now — the supervising unit, then the HR and social security department of the county and
    the city (treatment is theirs, whatever the honour); nobody at the province, where the
    office files it."""
    tier = tier or status_return.current_tier
    frozen = (status_return.panel or {}).get(tier, "unset")
    if frozen != "unset":
        return Unit.objects.filter(pk=frozen).first() if frozen else None
    return checker_now(status_return, tier)


def checker_now(status_return, tier: str) -> Unit | None:
    if tier == T.SUPERVISOR:
        return registry_routing.supervisor(status_return.unit) if status_return.unit else None
    if tier in (T.COUNTY, T.CITY):
        division = registry_routing.tier_division(status_return, tier)
        return (
            Unit.objects.performing(UnitFunction.Function.HR_SOCIAL_SECURITY, division)
            .order_by("pk")
            .first()
        )
    return None


def freeze_checkers(status_return) -> list[Unit]:
    """At reporting: the route from the unit as it is now, without a tier that has nobody to
    check it (it would never move on), and who checks at each tier."""
    route = return_route(status_return.unit)
    panel, units, kept = {}, [], []
    for tier in route:
        if tier == T.PROVINCE:
            kept.append(tier)
            continue
        checker = checker_now(status_return, tier)
        if checker is None:
            continue
        panel[tier] = checker.pk
        units.append(checker)
        kept.append(tier)
    status_return.route, status_return.panel = kept, panel
    return units


def return_deadline(review, status_return) -> datetime.date:
    tier = status_return.current_tier
    if status_return.state in ("pending", "sent_back") or not tier:
        return review.units_due
    return {
        T.SUPERVISOR: review.units_due,
        T.COUNTY: review.counties_due,
        T.CITY: review.cities_due,
    }.get(tier, review.province_due)
