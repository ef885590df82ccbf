"""Reads of the registry shared by the pages, the API and the apps above (campaigns read prior
honours from here, C-5)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from laurel.core import crypto
from laurel.core.db import startswith
from laurel.core.models import Division
from laurel.core.permissions import within_area
from laurel.registry import routing
from laurel.registry.models import Drive, Honour, Person, Registration


@dataclass(frozen=True)
class PriorHonour:
    """An honour someone already holds, as the eligibility checks of a campaign read it."""

    title: str
    level: str  # "national" or "provincial"
    awarded_on: datetime.date | None
    source: str


def prior_honours(id_numbers: Iterable[str]) -> dict[str, list[PriorHonour]]:
    """C-5: the honours each of these people holds, found by the keyed hash of the ID number.
    Honours recorded from this system's own campaign awards are left out: the campaigns know
    their awardees first-hand."""
    id_numbers = [n for n in id_numbers if n]
    by_hash = {h: n for n in id_numbers for h in crypto.lookup_hashes(n)}
    found: dict[str, list[PriorHonour]] = {n: [] for n in id_numbers}
    if not by_hash:
        return found
    honours = (
        Honour.objects.filter(person__id_hash__in=list(by_hash), status=Honour.Status.HELD)
        .exclude(origin=Honour.Origin.AWARD)
        .select_related("person")
    )
    for honour in honours:
        source = f"{honour.awarding_body} {honour.document_number}".strip()
        found[by_hash[honour.person.id_hash]].append(
            PriorHonour(honour.title, honour.level, honour.awarded_on, source)
        )
    return found


def search_people(
    queryset,
    *,
    see_classified=True,
    name="",
    id_number="",
    unit="",
    division=None,
    kind="",
    year=None,
):
    """The registry search of the pages and the API, on a queryset already restricted to the
    user: name by prefix (an index range), ID number exactly (keyed hash), unit by part.

    Without ``see_classified`` (everyone but the office) classified people are found only by
    their exact ID number: in a list sorted by name, or narrowed by name, unit, area or year,
    their place spells them out (issue 19)."""
    if not see_classified and not id_number:
        queryset = queryset.exclude(classified=True)
    narrowed = name or unit or division or kind or year
    if not see_classified and id_number and narrowed:
        # A classified person found by the number is found whatever else is asked: a name,
        # unit, area or year that could drop them would answer, one letter at a time, what
        # their row hides (H-6). The criteria narrow the others only.
        found = queryset.filter(id_hash__in=crypto.lookup_hashes(id_number), classified=True)
        others = search_people(
            queryset.exclude(classified=True),
            name=name,
            id_number=id_number,
            unit=unit,
            division=division,
            kind=kind,
            year=year,
        )
        return queryset.filter(
            Q(pk__in=list(found.values_list("pk", flat=True))) | Q(pk__in=others.values("pk"))
        )
    if name:
        queryset = startswith(queryset, "name", name.strip())
    if id_number:
        queryset = queryset.filter(id_hash__in=crypto.lookup_hashes(id_number))
    if unit:
        queryset = queryset.filter(unit_name__contains=unit.strip())
    if division:
        path = Division.objects.filter(pk=division).values_list("path", flat=True).first()
        queryset = queryset.filter(division__path__startswith=path or "-")
    if kind:
        queryset = queryset.filter(honours__kind=kind)
    if year:
        queryset = queryset.filter(honours__awarded_on__year=year)
    if kind or year:
        queryset = queryset.distinct()
    return queryset


def people_of(user):
    """The people a user finds in the registry's search: those their searching roles see (a
    registrar on the leading group searches its own unit's people, not the province's)."""
    return within_area(user, "registry.search_people", Person.objects.all())


def division_names() -> dict[int, str]:
    """Full names of all divisions (a division's ``full_name`` walks its parents one query at a
    time); reference data, kept five minutes in the cache."""
    return cache.get_or_set("registry:division-names", _division_names, 300)


def _division_names() -> dict[int, str]:
    return {d.pk: name for d, name in Division.objects.full_names().items()}


def overdue(drive: Drive, today: datetime.date | None = None) -> list[Registration]:
    """Registrations still at a tier whose deadline has passed (H-5), for the office."""
    today = today or timezone.localdate()
    pending = Registration.objects.filter(
        drive=drive,
        state__in=[
            Registration.State.DRAFT,
            Registration.State.SUBMITTED,
            Registration.State.SENT_BACK,
        ],
    ).select_related("filing_unit__division", "division")
    return [r for r in pending if routing.deadline(drive, r) < today]


def routing_in_use(sender, unit, **kwargs) -> bool:
    """``orgs.signals.routing_in_use``: a registration ``unit`` filed is under review (its
    supervising unit, its tiers and its route follow where the unit sits, H-3, H-4)."""
    return Registration.objects.filter(
        filing_unit=unit,
        state__in=[Registration.State.SUBMITTED, Registration.State.SENT_BACK],
    ).exists()
