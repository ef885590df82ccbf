"""Which treatments a person is due on a date (H-7), from their honours and the policy in
force: pure computation over loaded rows, shared by the services and the budget."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from laurel.registry.models import Honour, Level, Person
from laurel.treatment.models import Treatment

LEVEL_RANK = {Level.NATIONAL: 2, Level.PROVINCIAL: 1}


@dataclass(frozen=True)
class Due:
    treatment: Treatment
    honour: Honour
    amount: Decimal | None

    @property
    def key(self) -> tuple:
        return (self.treatment.pk, self.honour.pk, self.amount)


def birthday(birth: datetime.date, years: int) -> datetime.date:
    """The day a person born on ``birth`` turns ``years`` (29 February: 1 March)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return datetime.date(birth.year + years, 3, 1)


def age_on(birth: datetime.date | None, on: datetime.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def amount_for(treatment: Treatment, level: str) -> Decimal | None:
    value = treatment.amounts.get(level)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def held_on(honour: Honour, on: datetime.date) -> bool:
    """Held on ``on``: not revoked, or revoked only later (a revocation without a date — from
    before dates were recorded — counts from ever)."""
    if honour.status == Honour.Status.HELD:
        return True
    return honour.revoked_on is not None and on < honour.revoked_on


def honour_qualifies(treatment: Treatment, honour: Honour, on: datetime.date) -> bool:
    if honour.awarded_on > on or not held_on(honour, on) or honour.level not in treatment.amounts:
        return False
    if treatment.kinds and honour.kind not in treatment.kinds:
        return False
    return not (treatment.awarded_since and honour.awarded_on < treatment.awarded_since)


def living_on(person: Person, on: datetime.date) -> bool:
    """Living on ``on``: a death recorded without a date counts from ever."""
    return person.living or (person.died_on is not None and on < person.died_on)


def retired_on(person: Person, on: datetime.date) -> bool:
    return person.retired and (person.retired_on is None or on >= person.retired_on)


def person_entitled(treatment: Treatment, person: Person, on: datetime.date) -> bool:
    """The person's side of the conditions on ``on`` (living, retired or working, age); the
    reason when not is :func:`person_refusal` — this one is asked a million times a recompute."""
    if not living_on(person, on):
        return False
    if treatment.status != Treatment.Status.ANY:
        if (treatment.status == Treatment.Status.RETIRED) != retired_on(person, on):
            return False
    if treatment.min_age is not None:
        age = age_on(person.birth_date, on)
        return age is not None and age >= treatment.min_age
    return True


def person_refusal(treatment: Treatment, person: Person, on: datetime.date) -> str | None:
    """Why the person is not entitled on ``on`` whatever their honours, or None."""
    if not living_on(person, on):
        return _("已去世")
    retired = retired_on(person, on)
    if treatment.status == Treatment.Status.RETIRED and not retired:
        return _("未离退休")
    if treatment.status == Treatment.Status.WORKING and retired:
        return _("已离退休")
    if treatment.min_age is not None:
        age = age_on(person.birth_date, on)
        if age is None or age < treatment.min_age:
            return _("未满%d周岁") % treatment.min_age
    return None


def due(person: Person, honours: list[Honour], treatments: list[Treatment], on: datetime.date):
    """The entitlements due: a one-off for each qualifying honour; an allowance or service once
    per treatment, for the honour of the highest level (就高不重复; the earliest if equal)."""
    found: list[Due] = []
    for treatment in treatments:
        qualifying = [h for h in honours if honour_qualifies(treatment, h, on)]
        if not qualifying or not person_entitled(treatment, person, on):
            continue
        if not treatment.per_honour:
            qualifying = [
                min(
                    qualifying,
                    key=lambda h: (
                        -(amount_for(treatment, h.level) or 0),
                        -LEVEL_RANK.get(h.level, 0),
                        h.awarded_on,
                        h.pk,
                    ),
                )
            ]
        found += [Due(treatment, h, amount_for(treatment, h.level)) for h in qualifying]
    return found
