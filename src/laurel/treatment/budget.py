"""What each level of finance must budget for treatment in a year (H-7: 将有关待遇落实所需经费
列入同级财政预算), from the entitlements: reads only, one GROUP BY over the year's entitlements
(by treatment, area, amount and exact dates — few distinct values), the periods counted in
Python per group. Amounts are Decimal yuan."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from laurel.core.models import Division
from laurel.treatment.models import Treatment

LEVEL_OF_PAYER = {
    Treatment.Payer.PROVINCE: Division.Level.PROVINCE,
    Treatment.Payer.CITY: Division.Level.PREFECTURE,
    Treatment.Payer.COUNTY: Division.Level.COUNTY,
}


def _in_force(starts, ends, day) -> bool:
    return starts <= day and (ends is None or day < ends)


def periods_in_year(period: str, starts: datetime.date, ends: datetime.date | None, year: int):
    """How many times a treatment falls due in ``year`` for an entitlement running from
    ``starts`` until ``ends`` (exclusive). A period is paid by the entitlement in force on its
    first day — the 1st of each month, 1 January for a yearly one — so that when one
    entitlement takes over from another (a new policy version, retirement) the period is
    counted once. A one-off falls due in the year it starts."""
    if period == Treatment.Period.ONCE:
        return int(starts.year == year)
    if period == Treatment.Period.YEAR:
        return int(_in_force(starts, ends, datetime.date(year, 1, 1)))
    return sum(_in_force(starts, ends, datetime.date(year, month, 1)) for month in range(1, 13))


@dataclass
class Line:
    payer: str  # 省级财政 / 长春市财政 / 南关区财政
    payer_level: str
    treatment: str
    people: int
    times: int
    amount: Decimal


@dataclass
class Budget:
    year: int
    lines: list[Line]
    by_city: list[tuple[str, Decimal]]
    by_treatment: list[tuple[str, Decimal]]
    total: Decimal


RANK = {Division.Level.PROVINCE: 0, Division.Level.PREFECTURE: 1, Division.Level.COUNTY: 2}


def payer_names(divisions, division_ids) -> dict[tuple[int, str], tuple[str, str]]:
    """(the person's division, payer level) → (the finance office that pays, its level): the
    person's county's, city's or the province's; an honoree of a higher level's unit (a
    provincial unit's, a city's own) is paid by that level."""
    names = {}
    for pk in division_ids:
        for payer, level in LEVEL_OF_PAYER.items():
            node = divisions.get(pk)
            while node is not None and node.parent_id and RANK[node.level] > RANK[level]:
                node = divisions.get(node.parent_id)
            if node is None or node.level == Division.Level.PROVINCE:
                names[(pk, payer)] = (_("省级财政"), Treatment.Payer.PROVINCE)
            else:
                level_of = {v: k for k, v in LEVEL_OF_PAYER.items()}[node.level]
                names[(pk, payer)] = (_("%s财政") % node.name, level_of)
    return names


def _city_names(divisions, division_ids) -> dict[int, str]:
    out = {}
    for pk in division_ids:
        node = divisions.get(pk)
        while node is not None and node.level == Division.Level.COUNTY and node.parent_id:
            node = divisions.get(node.parent_id)
        if node is not None and node.level == Division.Level.PROVINCE:
            out[pk] = _("省直单位")  # people of provincial (and central) units: no city
        else:
            out[pk] = node.name if node is not None else ""
    return out


def year_budget(entitlements, year: int) -> Budget:
    """``entitlements``: the rows the user may see (``queries.entitlements``)."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    rows = (
        entitlements.filter(starts_on__lt=after)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first))
        .order_by()
        .values("treatment_id", "person__division_id", "amount", "starts_on", "ends_on")
        .annotate(n=Count("pk"))
    )
    treatments = {t.pk: t for t in Treatment.objects.all()}
    groups = list(rows)
    divisions = {g["person__division_id"] for g in groups}
    every = {d.pk: d for d in Division.objects.only("pk", "name", "level", "parent_id")}
    payers, cities = payer_names(every, divisions), _city_names(every, divisions)
    lines: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal("0.00")])
    by_city: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    by_treatment: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for group in groups:
        treatment = treatments[group["treatment_id"]]
        times = periods_in_year(treatment.period, group["starts_on"], group["ends_on"], year)
        if not times:
            continue
        money = (group["amount"] or Decimal("0.00")) * times * group["n"]
        division = group["person__division_id"]
        payer_name, payer_level = payers[(division, treatment.payer)]
        key = (payer_name, payer_level, treatment.sort_order, treatment.name)
        line = lines[key]
        line[0] += group["n"]
        line[1] += times * group["n"]
        line[2] += money
        by_city[cities[division]] += money
        by_treatment[treatment.name] += money
    ordered = sorted(
        lines.items(),
        key=lambda item: (
            list(LEVEL_OF_PAYER).index(item[0][1]),
            item[0][0],
            item[0][2],
        ),
    )
    return Budget(
        year=year,
        lines=[
            Line(payer, Treatment.Payer(level).label, name, people, times, amount)
            for (payer, level, _order, name), (people, times, amount) in ordered
        ],
        by_city=sorted(by_city.items(), key=lambda kv: -kv[1]),
        by_treatment=sorted(by_treatment.items(), key=lambda kv: -kv[1]),
        total=sum((line[2] for line in lines.values()), Decimal("0.00")),
    )
