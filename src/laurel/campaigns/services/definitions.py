"""Campaign definition files (format 1): parse YAML keeping the line of every key, validate
against the JSON schema in ``campaigns/schema``, resolve units and divisions, check the quotas
(C-3), and apply idempotently. Every problem names its line and key, in Chinese.
See docs/campaign-format.md."""

from __future__ import annotations

import datetime
import itertools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from laurel.campaigns.clearance import SECTOR_AUTHORITY
from laurel.campaigns.domain import MINIMUMS, CategoryTotal, lowered_minimums
from laurel.campaigns.models import (
    AchievementCondition,
    AwardCategory,
    Campaign,
    CampaignMember,
    CampaignPhase,
    NominatingBody,
    Quota,
    QuotaReservation,
)
from laurel.campaigns.signals import body_in_use, places_in_use, reservation_shortfalls
from laurel.core.audit import audit_context
from laurel.core.definitions import (  # noqa: F401 (re-exported: load_campaign, views)
    Definition,
    DefinitionError,
    Path_,
    Problem,
    format_path,
    parse,
    schema_problems,
)
from laurel.core.models import AuditLog, Division
from laurel.core.permissions import require
from laurel.core.services import upsert
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.services.units import grant_function

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "campaign-v1.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@dataclass
class ApplyResult:
    campaign: Campaign
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False


def validate_schema(definition: Definition) -> list[Problem]:
    return schema_problems(definition, SCHEMA)


# --- references and rules --------------------------------------------------------------------


@dataclass
class Resolved:
    units: dict[Path_, Unit] = field(default_factory=dict)
    divisions: dict[Path_, Division] = field(default_factory=dict)
    dates: dict[Path_, datetime.date] = field(default_factory=dict)


def _date(definition, resolved, path, problems):
    text = _get(definition.data, path)
    if text is None:
        return None
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(definition.problem(path, _("“%s”不是有效日期。") % text))
        return None
    resolved.dates[path] = value
    return value


def _get(data, path):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _unique(definition, items, path, problems, key="key"):
    seen = set()
    for index, item in enumerate(items):
        if item[key] in seen:
            problems.append(definition.problem((*path, index, key), _("“%s”重复。") % item[key]))
        seen.add(item[key])


def resolve(definition: Definition) -> tuple[Resolved, list[Problem]]:
    data, problems, resolved = definition.data, [], Resolved()
    unit_names = set()
    division_codes = set()
    for body in data["bodies"]:
        if "unit" in body:
            unit_names.add(body["unit"])
        if "division" in body:
            division_codes.add(str(body["division"]))
        for reserve in body.get("reserved", []):
            if "division" in reserve:
                division_codes.add(str(reserve["division"]))
    if "office_unit" in data:
        unit_names.add(data["office_unit"])
    for department in data.get("clearance_departments", []):
        unit_names.update(department.get("units", []))
    units = {u.name: u for u in Unit.objects.filter(name__in=unit_names)}
    divisions = {d.code: d for d in Division.objects.filter(code__in=division_codes)}

    def unit(path):
        name = _get(data, path)
        if name is None:
            return
        if name not in units:
            problems.append(
                definition.problem(
                    path, _("单位“%s”不存在，请先在“单位管理”中建立（名称须为全称）。") % name
                )
            )
        else:
            resolved.units[path] = units[name]

    def division(path):
        code = _get(data, path)
        if code is None:
            return
        if str(code) not in divisions:
            problems.append(definition.problem(path, _("行政区划代码“%s”不存在。") % code))
        else:
            resolved.divisions[path] = divisions[str(code)]

    unit(("office_unit",))
    _clearance_departments(definition, data, units, resolved, problems)
    categories = {c["key"]: c for c in data["categories"]}
    _unique(definition, data["categories"], ("categories",), problems)
    _unique(definition, data["bodies"], ("bodies",), problems)
    _unique(definition, data.get("phases", []), ("phases",), problems)
    for index in range(len(data.get("phases", []))):
        starts = _date(definition, resolved, ("phases", index, "starts_on"), problems)
        ends = _date(definition, resolved, ("phases", index, "ends_on"), problems)
        if starts and ends and ends < starts:
            problems.append(
                definition.problem(("phases", index, "ends_on"), _("截止日期早于开始日期。"))
            )
    _phases_in_order(definition, data, resolved, problems)
    _unique(definition, data["bodies"], ("bodies",), problems, key="name")
    _unique(definition, data.get("ratio_limits", []), ("ratio_limits",), problems)
    for index, limit in enumerate(data.get("ratio_limits", [])):
        if "counts" not in limit:
            problems.append(
                definition.problem(
                    ("ratio_limits", index),
                    _("比例限制“%s”没有写明 counts（计算哪些推荐对象），不会被检查。")
                    % limit["key"],
                )
            )
    for section in ("collective", "individual"):
        for key in ("clean_record_since", "service_as_of"):
            _date(definition, resolved, ("eligibility", section, key), problems)
    for index, limit in enumerate(data.get("ratio_limits", [])):
        if "category" in limit and limit["category"] not in categories:
            problems.append(
                definition.problem(
                    ("ratio_limits", index, "category"),
                    _("未定义的表彰类别“%s”。") % limit["category"],
                )
            )

    totals = dict.fromkeys(categories, 0)
    for index, body in enumerate(data["bodies"]):
        base = ("bodies", index)
        unit((*base, "unit"))
        division((*base, "division"))
        for key, places in body["quotas"].items():
            if key not in categories:
                problems.append(
                    definition.problem((*base, "quotas", key), _("未定义的表彰类别“%s”。") % key)
                )
            else:
                totals[key] += places
        reserved_sum = dict.fromkeys(categories, 0)
        for r_index, reserve in enumerate(body.get("reserved", [])):
            r_base = (*base, "reserved", r_index)
            division((*r_base, "division"))
            for key, places in reserve["quotas"].items():
                if key not in categories:
                    problems.append(
                        definition.problem(
                            (*r_base, "quotas", key), _("未定义的表彰类别“%s”。") % key
                        )
                    )
                else:
                    reserved_sum[key] += places
        for key, places in reserved_sum.items():
            if places > body["quotas"].get(key, 0):
                problems.append(
                    definition.problem(
                        (*base, "reserved"),
                        _("单列名额（%(reserved)d）超过本单位%(category)s名额（%(places)d）。")
                        % {
                            "reserved": places,
                            "category": categories[key]["name"],
                            "places": body["quotas"].get(key, 0),
                        },
                    )
                )
    _bodies_do_not_overlap(definition, data, resolved, problems)
    ratio = Decimal(str(data["differential_ratio"]))
    for index, category in enumerate(data["categories"]):
        total = CategoryTotal(category["name"], category["awards"], totals[category["key"]], ratio)
        if not total.ok:
            problems.append(definition.problem(("categories", index, "awards"), total.problem()))
    return resolved, sorted(problems, key=lambda p: (p.line or 0, p.path))


def _phases_in_order(definition, data, resolved, problems) -> None:
    """The work runs start → material deadline → end, and none of it before the year ahead of
    the campaign's (a plan of 2023 may start in December 2022; a date typed with the wrong year
    would close the nominations at once, or never)."""
    year = int(data["year"])
    first_day = datetime.date(year - 1, 1, 1)
    dated = {}
    for index, phase in enumerate(data.get("phases", [])):
        for date_key in ("starts_on", "ends_on"):
            day = resolved.dates.get(("phases", index, date_key))
            if day is None:
                continue
            if day < first_day:
                problems.append(
                    definition.problem(
                        ("phases", index, date_key),
                        _(
                            "“%(day)s”早于%(first)d年，与活动年度（%(year)d年）相差过远，请核对年份。"
                        )
                        % {"day": day.isoformat(), "first": first_day.year, "year": year},
                    )
                )
            dated.setdefault(phase["key"], (index, date_key, day, phase["name"]))
    order = ["start", "material_deadline", "end"]
    present = [dated[key] for key in order if key in dated]
    for (_i, _f, earlier, before), (index, date_key, later, _n) in itertools.pairwise(present):
        if later < earlier:
            problems.append(
                definition.problem(
                    ("phases", index, date_key),
                    _(
                        "“%(later)s”早于前一阶段（%(phase)s）的“%(earlier)s”：阶段须依次为启动、"
                        "推荐材料报送截止、表彰工作结束。"
                    )
                    % {
                        "later": later.isoformat(),
                        "phase": before,
                        "earlier": earlier.isoformat(),
                    },
                )
            )


def _nested(one, other) -> bool:
    """Two divisions or unit trees (by ``path``) that are the same or one inside the other."""
    return one.path.startswith(other.path) or other.path.startswith(one.path)


def _bodies_do_not_overlap(definition, data, resolved, problems) -> None:
    """Every unit nominates under exactly one body (C-3, C-4): a region body's area is a city
    (州) or a directly administered area — a county's nominees are reviewed at the city tier,
    the province's own units nominate as provincial-level unit bodies — and no two bodies share
    an area or a unit tree. A reserved place lies inside its body's area, or nobody can take it
    (C-5). Otherwise the quotas would add up (C-3) to places nobody can use."""
    regions, unit_bodies = [], []
    for index, body in enumerate(data["bodies"]):
        base = ("bodies", index)
        division = resolved.divisions.get((*base, "division"))
        unit = resolved.units.get((*base, "unit"))
        if division is not None:
            level = division.level
            if level == Division.Level.PROVINCE or (
                level == Division.Level.COUNTY and not division.directly_administered
            ):
                problems.append(
                    definition.problem(
                        (*base, "division"),
                        _(
                            "推荐单位的地区须为市（州）或省直管地区，“%(name)s”是%(level)s区划"
                            "（省直单位以 unit 列出，县级由所在市（州）推荐）。"
                        )
                        % {"name": division.name, "level": division.get_level_display()},
                    )
                )
            for other_index, other in regions:
                if _nested(division, other):
                    problems.append(
                        definition.problem(
                            (*base, "division"),
                            _(
                                "“%(name)s”与第%(n)d个推荐单位（%(other)s）的地区重叠："
                                "一个地区只能属于一个推荐单位。"
                            )
                            % {"name": division.name, "n": other_index + 1, "other": other.name},
                        )
                    )
            regions.append((index, division))
            if unit is not None and not unit.division.path.startswith(division.path):
                problems.append(
                    definition.problem(
                        (*base, "unit"),
                        _("单位“%(unit)s”不在本推荐单位的地区（%(area)s）内。")
                        % {"unit": unit.name, "area": division.name},
                    )
                )
            for r_index in range(len(body.get("reserved", []))):
                place = resolved.divisions.get((*base, "reserved", r_index, "division"))
                if place is not None and not place.path.startswith(division.path):
                    problems.append(
                        definition.problem(
                            (*base, "reserved", r_index, "division"),
                            _(
                                "单列名额的地区“%(place)s”不在本推荐单位的地区（%(area)s）内，"
                                "该名额将无人能用。"
                            )
                            % {"place": place.name, "area": division.name},
                        )
                    )
        elif unit is not None:
            for other_index, other in unit_bodies:
                if _nested(unit, other):
                    problems.append(
                        definition.problem(
                            (*base, "unit"),
                            _(
                                "“%(name)s”与第%(n)d个推荐单位（%(other)s）相同或有隶属关系："
                                "一个单位只能在一个推荐单位下推荐。"
                            )
                            % {"name": unit.name, "n": other_index + 1, "other": other.name},
                        )
                    )
            unit_bodies.append((index, unit))


def _clearance_departments(definition, data, units, resolved, problems) -> None:
    """Departments named in the clearance rules: a standard unit function, the nominee's
    sector authority, or one the plan declares itself (with the units that perform it)."""
    standard = set(UnitFunction.Function.values) | {SECTOR_AUTHORITY}
    declared = {}
    for index, department in enumerate(data.get("clearance_departments", [])):
        path = ("clearance_departments", index)
        if department["key"] in standard:
            problems.append(
                definition.problem(
                    (*path, "key"),
                    _("“%s”是标准职能，无需声明，可直接在征求意见规则中使用。") % department["key"],
                )
            )
        elif department["key"] in declared:
            problems.append(
                definition.problem((*path, "key"), _("部门“%s”重复声明。") % department["key"])
            )
        declared[department["key"]] = department
        for u_index, name in enumerate(department.get("units", [])):
            if name not in units:
                problems.append(
                    definition.problem(
                        (*path, "units", u_index),
                        _("单位“%s”不存在，请先在“单位管理”中建立（名称须为全称）。") % name,
                    )
                )
            else:
                resolved.units[(*path, "units", u_index)] = units[name]
    for index, row in enumerate(data.get("clearance", [])):
        for d_index, key in enumerate(row["departments"]):
            if key not in standard and key not in declared:
                problems.append(
                    definition.problem(
                        ("clearance", index, "departments", d_index),
                        _(
                            "部门“%s”既不是标准职能，也未在 clearance_departments 中声明"
                            "（名称、路由方式、承办单位）。"
                        )
                        % key,
                    )
                )


# --- applying ---------------------------------------------------------------------------------


def _sync_children(queryset, keep_pks: set, protected_message: str, problems: list[Problem]):
    for row in queryset.exclude(pk__in=keep_pks):
        try:
            row.delete()
        except ProtectedError:
            problems.append(Problem(None, "", protected_message % {"name": row}))


def _apply(definition: Definition, resolved: Resolved) -> tuple[Campaign, list[Problem]]:
    data, problems = definition.data, []
    limits = data.get("text_limits", {})
    values = {
        "name": data["name"],
        "short_name": data.get("short_name", ""),
        "decision_subject": data.get("decision_subject", ""),
        "certificate_achievement": data.get("certificate_achievement", ""),
        "decision_addressees": data.get("decision_addressees", ""),
        "decision_copy_to": data.get("decision_copy_to", ""),
        "decision_printed_by": data.get("decision_printed_by", ""),
        "approval_label": data.get("approval_label", ""),
        "year": data["year"],
        "commended_in_name_of": data["commended_in_name_of"],
        "organisers": data["organisers"],
        "office_unit": resolved.units.get(("office_unit",)),
        "differential_ratio": Decimal(str(data["differential_ratio"])),
        "public_notice_working_days": data.get("public_notice_working_days", 5),
        "profile_max_chars": limits.get("profile", 300),
        "deeds_max_chars": limits.get("deeds", 800),
        "eligibility": data.get("eligibility", {}),
        "ratio_limits": data.get("ratio_limits", []),
        "clearance_rules": data.get("clearance", []),
        "withdrawal_after_disagreement": data.get("withdrawal_after_disagreement", "review_again"),
        "clearance_departments": [
            {
                "key": d["key"],
                "name": d["name"],
                "routing": d.get("routing", "management"),
            }
            for d in data.get("clearance_departments", [])
        ],
        "review_functions": data.get("review_functions", []),
        "definition_version": data["format"],
    }
    if definition.source:
        values["source_name"] = definition.source[:200]
    existing = Campaign.objects.filter(slug=data["slug"]).first()
    if existing is not None and existing.status == Campaign.Status.CLOSED:
        return existing, [
            definition.problem(("slug",), _("该活动已结束，记录只读，不能重新装载。"))
        ]
    if existing is not None and existing.status != Campaign.Status.DRAFT:
        before = {key: getattr(existing, key) for key in MINIMUMS}
        lowered = lowered_minimums(before, values)
        if lowered:
            return existing, [definition.problem((key,), text) for key, text in lowered.items()]
    campaign = upsert(Campaign, {"slug": data["slug"]}, values)
    locked = campaign.status != Campaign.Status.DRAFT
    for index, department in enumerate(data.get("clearance_departments", [])):
        for u_index in range(len(department.get("units", []))):
            unit = resolved.units[("clearance_departments", index, "units", u_index)]
            grant_function(None, unit, department["key"])

    published_deadline = campaign.material_deadline() if locked else None
    if published_deadline is not None:
        given = next(
            (
                (index, resolved.dates.get(("phases", index, "ends_on")))
                for index, phase in enumerate(data.get("phases", []))
                if phase["key"] == "material_deadline"
            ),
            (None, None),
        )
        if given[1] is None or given[1] < published_deadline:
            # As on the page: units prepare their materials by the published deadline.
            problems.append(
                definition.problem(
                    ("phases", given[0], "ends_on") if given[0] is not None else ("phases",),
                    _("活动已发布，材料报送截止日期（%s）只能推后，不能提前或删去。")
                    % published_deadline.isoformat(),
                )
            )
    keep = set()
    for index, phase in enumerate(data.get("phases", [])):
        keep.add(
            upsert(
                CampaignPhase,
                {"campaign": campaign, "key": phase["key"]},
                {
                    "name": phase["name"],
                    "starts_on": resolved.dates.get(("phases", index, "starts_on")),
                    "ends_on": resolved.dates.get(("phases", index, "ends_on")),
                    "sort_order": index,
                },
            ).pk
        )
    _sync_children(campaign.phases.all(), keep, _("阶段“%(name)s”无法删除。"), problems)

    keep = set()
    for group, key in (
        (CampaignMember.Group.LEADING_GROUP, "leading_group"),
        (CampaignMember.Group.OFFICE, "office"),
    ):
        for index, member in enumerate(data.get(key, [])):
            keep.add(
                upsert(
                    CampaignMember,
                    {"campaign": campaign, "group": group, "sort_order": index},
                    {
                        "duty": member["duty"],
                        "name": member["name"],
                        "position": member["position"],
                    },
                ).pk
            )
    _sync_children(campaign.members.all(), keep, _("成员“%(name)s”无法删除。"), problems)

    kinds_before = dict(campaign.categories.values_list("key", "kind")) if locked else {}
    categories = {}
    for index, item in enumerate(data["categories"]):
        prize = item.get("prize", {})
        if item["key"] in kinds_before and kinds_before[item["key"]] != item["kind"]:
            # A published category's kind decides its forms, its bonus and every nominee's
            # kind: the pages never change it, nor does a file loaded again.
            problems.append(
                definition.problem(
                    ("categories", index, "kind"),
                    _("活动已发布，不能改变表彰类别“%s”的类型（集体或个人）。") % item["name"],
                )
            )
        category = upsert(
            AwardCategory,
            {"campaign": campaign, "key": item["key"]},
            {
                "kind": item["kind"],
                "name": item["name"],
                "honour_title": item["honour_title"],
                "form_title": item.get("form_title", ""),
                "treatment": item.get("treatment", ""),
                "commendation_level": item.get("commendation_level", "省级"),
                "award_count": item["awards"],
                "plaque": prize.get("plaque", False),
                "certificate": prize.get("certificate", False),
                "bonus_amount": Decimal(str(prize.get("bonus", 0))).quantize(Decimal("0.01")),
                "sort_order": index,
            },
        )
        categories[item["key"]] = category
        texts = item.get("achievement_conditions", [])
        for number, text in enumerate(texts, start=1):
            upsert(AchievementCondition, {"category": category, "number": number}, {"text": text})
        category.conditions.filter(number__gt=len(texts)).delete()
    removed = campaign.categories.exclude(pk__in=[c.pk for c in categories.values()])
    if locked and removed.exists():
        problems.append(Problem(None, "categories", _("活动已发布，不能删除表彰类别。")))
    _sync_children(removed, set(), _("表彰类别“%(name)s”已有数据，无法删除。"), problems)

    bodies_before = (
        {b.key: (b.division_id, b.unit_id, b) for b in campaign.bodies.all()} if locked else {}
    )
    keep_bodies = set()
    for index, item in enumerate(data["bodies"]):
        base = ("bodies", index)
        if item["key"] in bodies_before:
            division_id, unit_id, existing = bodies_before[item["key"]]
            division = resolved.divisions.get((*base, "division"))
            unit = resolved.units.get((*base, "unit"))
            moved = (division_id, unit_id) != (
                division.pk if division else None,
                unit.pk if unit else None,
            )
            if moved and _holds_nominees(existing):
                # Its nominees' jurisdiction and review route follow the body's area and unit.
                problems.append(
                    definition.problem(
                        base,
                        _("活动已发布，推荐单位“%s”已有推荐对象，不能改变其地区或单位。")
                        % item["name"],
                    )
                )
        body = upsert(
            NominatingBody,
            {"campaign": campaign, "key": item["key"]},
            {
                "name": item["name"],
                "kind": (
                    NominatingBody.Kind.REGION
                    if (*base, "division") in resolved.divisions
                    else NominatingBody.Kind.PROVINCIAL_UNIT
                ),
                "division": resolved.divisions.get((*base, "division")),
                "unit": resolved.units.get((*base, "unit")),
                "sort_order": index,
            },
        )
        keep_bodies.add(body.pk)
        for key, category in categories.items():
            quota = upsert(
                Quota,
                {"body": body, "category": category},
                {"places": item["quotas"].get(key, 0)},
            )
            taken = max(
                (int(n) for _r, n in places_in_use.send(sender=Quota, quota=quota)), default=0
            )
            if quota.places < taken:  # C-4: never fewer places than nominees hold
                problems.append(
                    definition.problem(
                        (*base, "quotas", key),
                        _("%(body)s·%(category)s：已上报%(taken)d个，名额不能少于已上报的数量。")
                        % {"body": body.name, "category": category.name, "taken": taken},
                    )
                )
            keep = set()
            for r_index, reserve in enumerate(item.get("reserved", [])):
                places = reserve["quotas"].get(key, 0)
                if not places:
                    continue
                keep.add(
                    upsert(
                        QuotaReservation,
                        {"quota": quota, "name": reserve["name"]},
                        {
                            "places": places,
                            "division": resolved.divisions.get(
                                (*base, "reserved", r_index, "division")
                            ),
                        },
                    ).pk
                )
            quota.reservations.exclude(pk__in=keep).delete()
            for message in (
                problem
                for _receiver, answer in reservation_shortfalls.send(sender=Quota, quota=quota)
                for problem in answer
            ):
                problems.append(definition.problem((*base, "reserved"), message))
    removed = campaign.bodies.exclude(pk__in=keep_bodies)
    if locked and removed.exists():
        problems.append(Problem(None, "bodies", _("活动已发布，不能删除推荐单位。")))
    _sync_children(removed, set(), _("推荐单位“%(name)s”已有数据，无法删除。"), problems)
    return campaign, problems


def describe(row: AuditLog) -> str:
    kind = row.content_type.model_class()._meta.verbose_name if row.content_type else ""
    line = f"{row.get_action_display()} {kind}：{row.object_repr}"
    if row.action != AuditLog.Action.CREATE and row.changes:
        details = "；".join(
            f"{c['label']} {c['old'] if c['old'] not in (None, '') else '（空）'} → "
            f"{c['new'] if c['new'] not in (None, '') else '（空）'}"
            for c in row.changes
        )
        line += f"（{details}）"
    return line


def _holds_nominees(body) -> bool:
    return any(answer for _receiver, answer in body_in_use.send(sender=NominatingBody, body=body))


def load_definition(actor, text: str, source: str = "", dry_run: bool = False) -> ApplyResult:
    """Parse, validate and apply a definition; with ``dry_run`` nothing is kept.

    Raises :class:`DefinitionError` listing every problem; nothing is saved then.
    """
    definition = parse(text, source)
    problems = validate_schema(definition)
    if problems:
        raise DefinitionError(problems)
    resolved, problems = resolve(definition)
    if problems:
        raise DefinitionError(problems)
    require(actor, "campaigns.manage_campaigns")
    reason = _("装载活动定义文件 %s") % (source or data_slug(definition))
    with transaction.atomic():
        mark = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with audit_context(actor, reason):
            campaign, problems = _apply(definition, resolved)
        if problems:
            transaction.set_rollback(True)
            raise DefinitionError(problems)
        rows = AuditLog.objects.filter(id__gt=mark).select_related("content_type").order_by("id")
        changes = [describe(row) for row in rows]
        if dry_run:
            transaction.set_rollback(True)
    return ApplyResult(campaign, changes, dry_run)


def data_slug(definition: Definition) -> str:
    return str(definition.data.get("slug", ""))


# --- the campaign as a definition (export, and the loader's checks for the pages) ------------


def _bonus(amount) -> int | float:
    value = Decimal(amount or 0)
    return int(value) if value == value.to_integral_value() else float(value)


def definition_data(campaign: Campaign) -> dict:
    """The campaign as the data of a definition file: loading it back changes nothing."""
    data: dict[str, Any] = {
        "format": campaign.definition_version or 1,
        "slug": campaign.slug,
        "name": campaign.name,
    }
    if campaign.short_name:
        data["short_name"] = campaign.short_name
    if campaign.decision_subject:
        data["decision_subject"] = campaign.decision_subject
    if campaign.certificate_achievement:
        data["certificate_achievement"] = campaign.certificate_achievement
    for key in ("decision_addressees", "decision_copy_to", "decision_printed_by", "approval_label"):
        if getattr(campaign, key):
            data[key] = getattr(campaign, key)
    data.update(
        {
            "year": campaign.year,
            "commended_in_name_of": campaign.commended_in_name_of,
            "organisers": campaign.organisers,
        }
    )
    if campaign.office_unit_id:
        data["office_unit"] = campaign.office_unit.name
    data.update(
        {
            "differential_ratio": float(campaign.differential_ratio),
            "public_notice_working_days": campaign.public_notice_working_days,
            "text_limits": {
                "profile": campaign.profile_max_chars,
                "deeds": campaign.deeds_max_chars,
            },
        }
    )
    phases = []
    for phase in campaign.phases.order_by("sort_order", "pk"):
        item = {"key": phase.key, "name": phase.name}
        if phase.starts_on:
            item["starts_on"] = phase.starts_on.isoformat()
        if phase.ends_on:
            item["ends_on"] = phase.ends_on.isoformat()
        phases.append(item)
    data["phases"] = phases
    for group, key in (
        (CampaignMember.Group.LEADING_GROUP, "leading_group"),
        (CampaignMember.Group.OFFICE, "office"),
    ):
        members = campaign.members.filter(group=group).order_by("sort_order", "pk")
        data[key] = [{"duty": m.duty, "name": m.name, "position": m.position} for m in members]
    categories = []
    for category in campaign.categories.order_by("sort_order", "pk").prefetch_related("conditions"):
        item = {
            "key": category.key,
            "kind": str(category.kind),
            "name": category.name,
            "honour_title": category.honour_title,
        }
        if category.form_title:
            item["form_title"] = category.form_title
        if category.treatment:
            item["treatment"] = category.treatment
        item["commendation_level"] = category.commendation_level
        item["awards"] = category.award_count
        prize = {}
        if category.plaque:
            prize["plaque"] = True
        if category.certificate:
            prize["certificate"] = True
        if category.bonus_amount:
            prize["bonus"] = _bonus(category.bonus_amount)
        if prize:
            item["prize"] = prize
        item["achievement_conditions"] = [
            c.text for c in sorted(category.conditions.all(), key=lambda c: c.number)
        ]
        categories.append(item)
    data["categories"] = categories
    if campaign.eligibility:
        data["eligibility"] = campaign.eligibility
    if campaign.ratio_limits:
        data["ratio_limits"] = campaign.ratio_limits
    keys = {c["key"] for c in categories}
    bodies = []
    for body in (
        campaign.bodies.order_by("sort_order", "pk")
        .select_related("division", "unit")
        .prefetch_related("quotas__category", "quotas__reservations__division")
    ):
        item = {"key": body.key, "name": body.name}
        if body.division_id:
            item["division"] = body.division.code
        if body.unit_id:
            item["unit"] = body.unit.name
        quotas = sorted(body.quotas.all(), key=lambda q: (q.category.sort_order, q.category_id))
        item["quotas"] = {q.category.key: q.places for q in quotas if q.category.key in keys}
        reserved: dict[tuple, dict] = {}
        for quota in quotas:
            for reserve in quota.reservations.all():
                entry = reserved.setdefault(
                    (reserve.name, reserve.division.code if reserve.division_id else None),
                    {"name": reserve.name, "quotas": {}},
                )
                if reserve.division_id:
                    entry["division"] = reserve.division.code
                entry["quotas"][quota.category.key] = reserve.places
        if reserved:
            item["reserved"] = [
                {k: entry[k] for k in ("name", "division", "quotas") if k in entry}
                for entry in reserved.values()
            ]
        bodies.append(item)
    data["bodies"] = bodies
    if campaign.clearance_rules:
        data["clearance"] = campaign.clearance_rules
    if campaign.review_functions:
        data["review_functions"] = campaign.review_functions
    if campaign.clearance_departments:
        departments = []
        for department in campaign.clearance_departments:
            item = dict(department)
            units = sorted(
                UnitFunction.objects.filter(function=department["key"]).values_list(
                    "unit__name", flat=True
                )
            )
            if units:
                item["units"] = units
            departments.append(item)
        data["clearance_departments"] = departments
    data["withdrawal_after_disagreement"] = str(campaign.withdrawal_after_disagreement)
    return data


def definition_text(campaign: Campaign) -> str:
    """The campaign as a definition file (YAML), to keep, edit and load again."""
    header = _("# 活动定义文件（格式 1，见 docs/campaign-format.md），由系统导出：%s\n") % (
        campaign.name
    )
    return header + yaml.safe_dump(
        definition_data(campaign), allow_unicode=True, sort_keys=False, width=100
    )


def section_problems(campaign: Campaign, section: str, value) -> list[Problem]:
    """The loader's checks (schema, references, quotas) on the campaign with ``section``
    replaced by ``value``, kept to the problems inside that section: what a page that edits
    one part of a plan must refuse, with the same words as a file would get."""
    data = definition_data(campaign)
    data[section] = value
    definition = Definition(data, {}, "")
    problems = validate_schema(definition)
    if not problems:
        _resolved, problems = resolve(definition)

    def inside(problem: Problem) -> bool:
        return problem.path == section or problem.path.startswith((f"{section}[", f"{section}."))

    return [p for p in problems if inside(p)]
