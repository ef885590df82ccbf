"""Pure rules of a campaign definition (no database writes)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


def required_nominees(award_count: int, ratio: Decimal) -> int:
    """C-3: nominees must exceed awards by the differential ratio: ⌈awards × (1 + ratio)⌉."""
    return math.ceil(Decimal(award_count) * (1 + Decimal(ratio)))


@dataclass(frozen=True)
class CategoryTotal:
    name: str
    award_count: int
    allocated: int
    ratio: Decimal

    @property
    def required(self) -> int:
        return required_nominees(self.award_count, self.ratio)

    @property
    def ok(self) -> bool:
        return self.allocated >= self.required

    @property
    def actual_ratio(self) -> Decimal | None:
        if not self.award_count:
            return None
        return (Decimal(self.allocated) / self.award_count - 1).quantize(Decimal("0.001"))

    def problem(self) -> str | None:
        if self.ok:
            return None
        return _(
            "%(name)s：各推荐单位名额合计%(allocated)d个，少于表彰名额%(awards)d个×（1＋差额比例"
            "%(percent)s%%）＝%(required)d个，还差%(missing)d个。"
        ) % {
            "name": self.name,
            "allocated": self.allocated,
            "awards": self.award_count,
            "percent": format_percent(self.ratio),
            "required": self.required,
            "missing": self.required - self.allocated,
        }


def format_percent(ratio: Decimal) -> str:
    value = (Decimal(ratio) * 100).normalize()
    return f"{value:f}"
