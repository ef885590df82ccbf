"""The tiers of review (C-8 step 2) and who reviews at each: county → city → province, each
tier with the opinions of its reviewing departments (人社 and 住建 by default: the review rows of
附件2/附件3). Which tiers apply follows the nominee's level (附件2 note 7): a city-level nominee
skips the county row, and provincial-level units submit straight to the province.

Reads only; ``rules.py`` builds "may review" from :func:`review_rows`, the services record the
opinions."""

from __future__ import annotations

from django.db.models import Q

from laurel.campaigns.models import Campaign, NominatingBody
from laurel.campaigns.queries import DEFAULT_REVIEW_FUNCTIONS, review_functions
from laurel.core.jurisdiction import NOTHING
from laurel.core.models import Division
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.orgs import signing
from laurel.orgs.models import Unit

DEFAULT_FUNCTIONS = DEFAULT_REVIEW_FUNCTIONS
TIER_LABELS = ReviewOpinion.TIERS


def tiers_for(nominee: Nominee) -> list[str]:
    if nominee.body.kind == NominatingBody.Kind.PROVINCIAL_UNIT:
        return ["province"]
    if nominee.level == "county":
        return ["county", "city", "province"]
    return ["city", "province"]


def tier_division(nominee: Nominee, tier: str) -> Division:
    if tier == "county":
        return nominee.division
    if tier == "city":
        return nominee.body.division
    return Division.objects.get(level=Division.Level.PROVINCE, parent__isnull=True)


def functions_for(nominee: Nominee) -> list[str]:
    return review_functions(nominee.campaign)


def reviewers(nominee: Nominee, tier: str | None = None) -> dict[str, Unit | None]:
    """function → the department that reviews at ``tier`` (the current one by default): the
    first active unit with that function in the tier's division."""
    division = tier_division(nominee, tier or nominee.review_tier)
    return {
        function: Unit.objects.performing(function, division).order_by("pk").first()
        for function in functions_for(nominee)
    }


def unit_tier(unit: Unit | None) -> str | None:
    """The tier a department works at, from its division."""
    if unit is None:
        return None
    division = unit.division
    if division.level == Division.Level.PROVINCE:
        return "province"
    if division.level == Division.Level.COUNTY and not division.directly_administered:
        return "county"
    return "city"


def user_tier(user) -> str | None:
    return unit_tier(user.unit) if user.unit_id else None


def functions_reviewed_by(unit: Unit) -> set[str]:
    """The functions under which ``unit`` is *the* reviewing department of its division (the
    first active unit performing the function there, as :func:`reviewers` picks it)."""
    return {
        function
        for function in unit.function_codes
        if Unit.objects.performing(function, unit.division).order_by("pk").first() == unit
    }


def review_rows(user) -> Q:
    """The nominees ``user``'s department reviews now: submitted, at the tier of its division,
    in that division, in a campaign that asks one of the functions it reviews under."""
    unit = user.unit if user.unit_id else None
    tier = unit_tier(unit)
    functions = functions_reviewed_by(unit) if unit is not None else set()
    if tier is None or not functions:
        return NOTHING
    campaigns = [
        pk
        for pk, asked in Campaign.objects.values_list("pk", "review_functions")
        if functions & set(asked or DEFAULT_FUNCTIONS)
    ]
    rows = Q(state=Nominee.State.SUBMITTED, review_tier=tier, campaign_id__in=campaigns)
    if tier == "county":
        return rows & Q(division_id=unit.division_id)
    if tier == "city":
        return rows & Q(body__division_id=unit.division_id)
    return rows


def functions_of(unit: Unit, nominee: Nominee) -> list[str]:
    """The functions of the nominee's current tier that ``unit`` performs (two for a merged
    bureau)."""
    return signing.functions_of(unit.pk, reviewers(nominee))


def acting_function(unit: Unit, nominee: Nominee) -> str | None:
    """The function under which ``unit`` reviews the nominee at its current tier: a unit that
    performs two of the tier's functions (a merged bureau) answers each in turn — the first it
    has not answered yet in this round."""
    mine = functions_of(unit, nominee)
    if len(mine) > 1:
        answered = set(opinions(nominee).values_list("function", flat=True))
        return signing.next_function(mine, answered) or mine[0]
    return mine[0] if mine else None


def opinions(nominee: Nominee, tier: str | None = None):
    return nominee.review_opinions.filter(
        round=nominee.review_round, tier=tier or nominee.review_tier
    )
