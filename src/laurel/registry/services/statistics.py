"""Rebuilds the precomputed statistics of the honoree database (a task after each filing)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from laurel.core.models import CodeItem, Division
from laurel.registry.models import Honour, Person, StatisticCell, StatisticRollup
from laurel.registry.statistics import HONOUR_DIMENSIONS, PERSON_DIMENSIONS, city_of

REFRESH_LOCK = 0x4C61_7572  # "Laur": the advisory lock of a statistics refresh


def refresh() -> int:
    """Rebuild the precomputed counts in one transaction (GROUP BY per dimension), and from
    them each division's whole page (``StatisticRollup``)."""

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
        if connection.vendor == "postgresql":
            # several task workers may refresh at once: one at a time (the rollups are unique
            # per division; the second waits and then writes its own, newer counts)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
        StatisticCell.objects.all().delete()
        StatisticCell.objects.bulk_create(
            [
                StatisticCell(division_id=d, dimension=dim, value=v, count=n, refreshed_at=now)
                for d, dim, v, n in cells
            ],
            batch_size=5000,
        )
        StatisticRollup.objects.all().delete()
        StatisticRollup.objects.bulk_create(
            [
                StatisticRollup(division_id=division, tables=tables, refreshed_at=now)
                for division, tables in rollups(cells).items()
            ],
            batch_size=500,
        )
    return len(cells)


def rollups(cells, divisions=None, names=None) -> dict[int, dict]:
    """Each division's tables: the cells of the division and of every division under it (what
    ``restrict`` shows a user whose jurisdiction it is), summed. ``divisions`` ({pk: division})
    and ``names`` (ethnicity code → name) are read here unless given (the migration gives its
    own)."""
    if divisions is None:
        divisions = {d.pk: d for d in Division.objects.all()}
    if names is None:
        names = dict(CodeItem.objects.of("ethnicity").values_list("code", "name"))
    by_path = {d.path: d.pk for d in divisions.values()}
    lines: dict[int, list[int]] = {}  # a division → itself and the divisions above it
    out: dict[int, dict] = {}
    for division_id, dimension, value, count in cells:
        if division_id not in lines:
            parts = divisions[division_id].path.strip("/").split("/")
            prefixes = ("/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts)))
            lines[division_id] = [by_path[p] for p in prefixes if p in by_path]
        city = city_of(divisions, division_id) if dimension == "level" else None
        for above in lines[division_id]:
            tables = out.setdefault(above, {"counts": {}, "city": {}, "names": {"ethnicity": {}}})
            bucket = tables["counts"].setdefault(dimension, {})
            bucket[value] = bucket.get(value, 0) + count
            if city is not None:
                tables["city"][city] = tables["city"].get(city, 0) + count
            if dimension == "ethnicity" and value in names:
                tables["names"]["ethnicity"][value] = names[value]
    return out
