"""Rebuilds the precomputed statistics of the honoree database (a task after each filing)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from laurel.registry.models import Honour, Person, StatisticCell
from laurel.registry.statistics import HONOUR_DIMENSIONS, PERSON_DIMENSIONS


def refresh() -> int:
    """Rebuild the precomputed counts in one transaction (GROUP BY per dimension)."""

    now = timezone.now()
    cells = []
    honours = Honour.objects.all()
    for dimension, field in HONOUR_DIMENSIONS.items():
        for row in honours.values("person__division", field).annotate(n=Count("pk")):
            cells.append((row["person__division"], dimension, row[field] or "", row["n"]))
    for row in (
        honours.annotate(year=ExtractYear("awarded_on"))
        .values("person__division", "year")
        .annotate(n=Count("pk"))
    ):
        cells.append((row["person__division"], "year", str(row["year"]), row["n"]))
    for dimension, field in PERSON_DIMENSIONS.items():
        for row in Person.objects.values("division", field).annotate(n=Count("pk")):
            cells.append((row["division"], dimension, row[field] or "", row["n"]))
    with transaction.atomic():
        StatisticCell.objects.all().delete()
        StatisticCell.objects.bulk_create(
            [
                StatisticCell(division_id=d, dimension=dim, value=v, count=n, refreshed_at=now)
                for d, dim, v, n in cells
            ],
            batch_size=5000,
        )
    return len(cells)
