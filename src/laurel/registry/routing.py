"""Who registers (H-2), the route through the tiers (H-4) and who reviews at each (H-3)."""

from __future__ import annotations

import datetime

from laurel.core.models import Division
from laurel.orgs.models import Unit, UnitFunction
from laurel.registry.models import HonourType, Registration

F = UnitFunction.Function
T = Registration.Tier

# H-3: by the type of honour; two or more types → HR & social security leads.
REVIEW_FUNCTIONS = {
    HonourType.PARTY: [F.ORGANIZATION],
    HonourType.MODEL_WORKER: [F.HR_SOCIAL_SECURITY, F.TRADE_UNION],
    HonourType.CIVIL_SERVANT: [F.ORGANIZATION, F.HR_SOCIAL_SECURITY],
    HonourType.OTHER: [F.HR_SOCIAL_SECURITY],
}


def functions_for(honour_types) -> list[str]:
    types = set(honour_types)
    if len(types) != 1:
        return [F.HR_SOCIAL_SECURITY]
    return list(REVIEW_FUNCTIONS[types.pop()])


def registering_unit(unit: Unit | None, *, farmer_or_no_unit: bool, township: Unit | None):
    """H-2: "whoever manages, is responsible"; farmers, people with no fixed unit and people in
    non-public enterprises or social organisations with no supervising authority are registered
    by the township/subdistrict of their household registration."""
    if farmer_or_no_unit or unit is None:
        return township
    if unit.kind in (Unit.Kind.ENTERPRISE, Unit.Kind.SOCIAL_ORGANIZATION) and (
        unit.ownership != Unit.Ownership.STATE_OWNED and unit.parent_id is None
    ):
        return township
    return unit


def supervisor(unit: Unit) -> Unit | None:
    """The supervising (industry) authority that does the initial review: the unit above."""
    if unit.tier == Unit.Tier.TOWNSHIP:
        return None  # a township's own registrations carry its initial review
    return unit.parent


def area_of(division: Division) -> str:
    if division.level == Division.Level.PROVINCE:
        return "province"
    if division.level == Division.Level.COUNTY and not division.directly_administered:
        return "county"
    return "city"


def route_for(unit: Unit) -> list[str]:
    """H-4: unit → supervising authority (or township) → county → city → province; central units
    in the province straight to the province; a provincial unit's people via its supervising
    department to the province."""
    if unit.is_central:
        return [T.PROVINCE]
    tiers = [T.SUPERVISOR] if supervisor(unit) is not None else []
    area = area_of(unit.division)
    if area == "county":
        tiers += [T.COUNTY, T.CITY, T.PROVINCE]
    elif area == "city":
        tiers += [T.CITY, T.PROVINCE]
    else:
        tiers += [T.PROVINCE]
    return tiers


def tier_division(registration: Registration, tier: str) -> Division:
    division = registration.division
    if tier == T.COUNTY:
        return division
    if tier == T.CITY:
        if division.level == Division.Level.COUNTY and not division.directly_administered:
            return division.parent
        return division
    return Division.objects.get(level=Division.Level.PROVINCE, parent__isnull=True)


def reviewers(registration: Registration, tier: str | None = None) -> dict[str, Unit | None]:
    """function → the department reviewing at ``tier`` ("" → the supervising unit)."""
    tier = tier or registration.current_tier
    if tier == T.SUPERVISOR:
        return {"": supervisor(registration.filing_unit)}
    division = tier_division(registration, tier)
    types = [h.honour_type for h in registration.honours.all()]
    return {
        function: Unit.objects.performing(function, division).order_by("pk").first()
        for function in functions_for(types)
    }


def deadline(drive, registration: Registration, tier: str | None = None) -> datetime.date:
    """H-5: when the tier the registration is at must have finished."""
    tier = tier or registration.current_tier or (registration.route or [T.PROVINCE])[0]
    if tier == T.PROVINCE:
        return drive.province_due
    if tier == T.CITY:
        return drive.cities_due
    if tier == T.COUNTY:
        return drive.counties_due
    unit = registration.filing_unit  # the supervisor tier, or not yet submitted
    if unit.is_central:
        return drive.cities_due
    area = area_of(unit.division)
    return {
        "province": drive.provincial_units_due,
        "county": drive.counties_due,
        "city": drive.cities_due,
    }[area]
