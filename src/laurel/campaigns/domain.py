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


# The plan's minimums (C-3: the differential ratio; C-8: the public notices' working days): once
# a campaign is published its participants rely on them, so a change may raise them, never lower
# them (a page edit or a definition loaded again alike).
MINIMUMS = ("differential_ratio", "public_notice_working_days")


def lowered_minimums(before: dict, after: dict) -> dict[str, str]:
    """{field: message} for each minimum ``after`` sets below ``before`` (a published plan)."""
    out = {}
    if Decimal(str(after["differential_ratio"])) < Decimal(str(before["differential_ratio"])):
        out["differential_ratio"] = _(
            "活动已发布，差额比例只能提高，不能低于已发布的%s%%（C-3）。"
        ) % format_percent(Decimal(str(before["differential_ratio"])))
    if after["public_notice_working_days"] < before["public_notice_working_days"]:
        out["public_notice_working_days"] = (
            _("活动已发布，公示期只能延长，不能少于已发布的%d个工作日（C-8）。")
            % before["public_notice_working_days"]
        )
    return out
