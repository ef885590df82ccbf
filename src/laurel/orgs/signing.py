"""Under which function a unit signs at a review tier (nominees, registrations, hardship
applications alike). A unit performing two of a tier's functions (a merged bureau) signs each
in turn; the page names the function it signs under, so that a repeated submission is refused
as a repeat instead of signing the other function unasked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from laurel.orgs.models import UnitFunction


def _in_order(functions) -> list[str]:
    """The functions in one order everywhere (a frozen panel read back from PostgreSQL's jsonb
    has lost its keys' order)."""
    order = {function: index for index, function in enumerate(UnitFunction.Function.values)}
    return sorted(functions, key=lambda function: order.get(function, len(order)))


def signing_function(mine: list[str], answered: set[str], posted: str = "") -> str | None:
    """``mine``: the tier's functions the unit performs, in the tier's order; ``answered``: the
    functions already signed at this tier in this round; ``posted``: the function the page
    named (empty from a batch or the API). None: the unit does not sign here (or not under
    the posted function)."""
    mine = _in_order(mine)
    if not mine:
        return None
    if posted:
        return posted if posted in mine else None
    if len(mine) > 1 and answered.intersection(mine):
        raise ValidationError(
            _("本单位承担本级多项审核职能，已出具其中一项：请在该页面上按所示职能出具另一项意见。")
        )
    return next((function for function in mine if function not in answered), mine[0])


def next_function(mine: list[str], answered: set[str]) -> str:
    """What the page names: the unit's first function not signed yet ("" when none)."""
    mine = _in_order(mine)
    return next((function for function in mine if function not in answered), "")


def functions_of(unit_id: int | None, reviewers: dict) -> list[str]:
    """The functions of a tier (``reviewers``: function → unit) that the unit performs."""
    return [f for f, unit in reviewers.items() if unit is not None and unit.pk == unit_id]


def page_function(unit, reviewers, answered) -> tuple[str, str]:
    """(function, label) a review form names: a merged bureau's next function to sign; ("", "")
    for any other unit. ``reviewers`` and ``answered`` are callables, asked only for a unit
    with two functions or more (the one that can be a merged bureau)."""
    if unit is None or len(unit.function_codes) < 2:
        return "", ""
    mine = functions_of(unit.pk, reviewers())
    function = next_function(mine, answered()) if len(mine) > 1 else ""
    return function, (UnitFunction.Function(function).label if function else "")


def tier_page_function(unit, obj, compute) -> tuple[str, str]:
    """``page_function`` for a record signed tier by tier with its opinions in ``obj.opinions``
    (``round``, ``tier``, ``function``: registrations, hardship applications); ``compute(obj)``
    gives its current tier's reviewers."""
    return page_function(
        unit,
        lambda: compute(obj),
        lambda: set(
            obj.opinions.filter(round=obj.round, tier=obj.current_tier).values_list(
                "function", flat=True
            )
        ),
    )


def reviewers_once(obj, compute) -> dict:
    """``compute(obj)`` (a tier's reviewers) once per object, round and tier: the predicates of
    one permission check ask it twice, and an inbox asks them for every row."""
    key = (obj.round, obj.current_tier)
    cached = getattr(obj, "_laurel_reviewers", None)
    if cached is None or cached[0] != key:
        cached = (key, compute(obj))
        obj._laurel_reviewers = cached
    return cached[1]
