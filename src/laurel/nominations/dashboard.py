"""The quota dashboard: per body and category, allocated places and nominees at each stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from laurel.campaigns.models import Campaign, NominatingBody, Quota
from laurel.campaigns.queries import category_totals
from laurel.nominations.queries import progress_counts

STAGES = [
    ("drafted", _("起草中")),
    ("submitted", _("已上报")),
    ("county", _("县级审核通过")),
    ("city", _("市级审核通过")),
    ("province", _("省级审核通过")),
]


@dataclass
class Cell:
    quota: Quota
    stages: dict[str, int] = field(default_factory=dict)

    @property
    def reserved(self) -> int:
        return sum(r.places for r in self.quota.reservations.all())


@dataclass
class Row:
    body: NominatingBody
    cells: list[Cell]


def build(campaign: Campaign, user) -> dict:
    categories = list(campaign.categories.all())
    bodies = NominatingBody.objects.restrict(user).filter(campaign=campaign)
    quotas = {
        (q.body_id, q.category_id): q
        for q in Quota.objects.filter(body__in=bodies).prefetch_related("reservations")
    }
    counts = progress_counts(campaign)
    rows = []
    for body in bodies.select_related("division", "unit"):
        cells = []
        for category in categories:
            quota = quotas.get((body.pk, category.pk)) or Quota(body=body, category=category)
            stage_counts = counts.get((body.pk, category.pk), {})
            cells.append(Cell(quota, {key: stage_counts.get(key, 0) for key, _label in STAGES}))
        rows.append(Row(body, cells))
    largest = max((c.quota.places for r in rows for c in r.cells), default=0) or 1
    return {
        "categories": categories,
        "rows": rows,
        "totals": category_totals(campaign),
        "stages": STAGES,
        "chart_max": largest,
    }


def export_rows(data: dict) -> list[list]:
    rows = []
    for row in data["rows"]:
        for category, cell in zip(data["categories"], row.cells, strict=True):
            rows.append(
                [row.body.name, category.name, cell.quota.places, cell.reserved]
                + [cell.stages[key] for key, _label in STAGES]
            )
    return rows
