"""Clearance rules (C-9): which departments must give an opinion on a nominee.

The rules are data: the campaign's ``clearance_rules`` (from its definition file), or the
default rows in ``campaigns/data/clearance-default.yaml`` written from C-9 and the notes of
附件4 and 附件5."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "clearance-default.yaml"
SECTOR_AUTHORITY = "sector_authority"


@cache
def default_rules() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Requirement:
    function: str
    rule: str


def _profile(nominee) -> tuple[set[str], str, str]:
    """(what the nominee is for the rules, its nature, its ownership)."""
    if nominee.kind == "collective":
        return {"collective"}, nominee.collective_type, nominee.ownership
    roles = {"individual"}
    if nominee.is_enterprise_head:
        roles.add("enterprise_head")
    return roles, nominee.unit_nature, nominee.ownership


def requirements(nominee, rules=None) -> list[Requirement]:
    """The departments to consult, each with the first rule that requires it, in rule order."""
    rules = rules if rules is not None else (nominee.campaign.clearance_rules or default_rules())
    roles, nature, ownership = _profile(nominee)
    found: dict[str, Requirement] = {}
    for row in rules:
        if not roles.intersection(row.get("applies_to", [])):
            continue
        if "natures" in row and nature not in row["natures"]:
            continue
        if "ownership" in row and ownership not in row["ownership"]:
            continue
        for function in row["departments"]:
            found.setdefault(function, Requirement(function, row["rule"]))
    return list(found.values())
