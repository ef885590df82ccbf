"""Eligibility findings (C-5, C-6, C-7, C-10): each rule is a named check.

A finding is either blocking, or an "in principle" warning that needs a written justification
before the nominee can go on. The checks read the campaign's parameters (docs/campaign-format.md),
so another plan with other numbers needs no code change. They run live on the form, again at
submission and at every later stage."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.campaigns.models import AchievementCondition, Quota
from laurel.core import crypto
from laurel.core.findings import BLOCKING, WARNING, Finding
from laurel.core.text import format_year_month
from laurel.nominations.models import ClaimedCondition, Nominee, NomineeRecord
from laurel.registry import queries as registry_queries
from laurel.registry.queries import PriorHonour

CHECKS: list[Callable] = []


def check(function: Callable) -> Callable:
    CHECKS.append(function)
    return function


# --- prior honours: this system's own past awardees, and the honoree registry.


def prior_honours(nominee) -> list[PriorHonour]:
    """The honours this nominee already holds (read once a page by :func:`findings_for_many`)."""
    cached = getattr(nominee, "_prior_honours", None)
    if cached is not None:
        return cached
    return _prior_honours_of([nominee])[nominee.pk]


def _prior_honours_many(nominees) -> None:
    for nominee, honours in zip(nominees, _prior_honours_of(nominees).values(), strict=True):
        nominee._prior_honours = honours


def _prior_honours_of(nominees) -> dict[int, list[PriorHonour]]:
    """Past awardees of this system's campaigns (by ID number, collectives by name) and the
    registry's honours (by ID number, registry.queries), one query each for many nominees."""
    found = _past_awardees_many(nominees)
    numbers = [n.id_number for n in nominees if n.is_individual and n.id_number]
    held = registry_queries.prior_honours(numbers)
    for nominee in nominees:
        if nominee.is_individual and nominee.id_number:
            found[nominee.pk] += held.get(nominee.id_number, [])
    return found


def _past_awardees_many(nominees) -> dict[int, list[PriorHonour]]:
    """Past awardees matching the nominees: individuals by ID number (through its lookup
    hashes, so no stored number is decrypted), collectives by name and kind — one query of the
    few columns an honour shows, no model rows (issue 22)."""
    individuals = {n.id_number for n in nominees if n.is_individual and n.id_number}
    collectives = {(n.name, n.kind) for n in nominees if not n.is_individual}
    found: dict[int, list[PriorHonour]] = {n.pk: [] for n in nominees}
    if not individuals and not collectives:
        return found
    number_of = {h: number for number in individuals for h in crypto.lookup_hashes(number)}
    # collectives by name in one IN list (a Q per name, OR-ed, grows the query tree
    # quadratically); the kind is matched below
    match = Q(kind=Nominee.Kind.INDIVIDUAL, id_hash__in=list(number_of)) | Q(
        name__in={name for name, _kind in collectives},
        kind__in={kind for _name, kind in collectives},
    )
    past = (
        Nominee.objects.filter(state=Nominee.State.AWARDED)
        .filter(match)
        .values_list(
            "pk",
            "kind",
            "name",
            "id_hash",
            "submitted_at",
            "category__honour_title",
            "campaign__name",
        )
    )
    # matched by key (each ID number read once), not every past awardee against every nominee
    by_key: dict = {}
    for nominee in nominees:
        if nominee.is_individual:
            if nominee.id_number:
                by_key.setdefault(("individual", nominee.id_number), []).append(nominee)
        else:
            by_key.setdefault(("collective", nominee.name, nominee.kind), []).append(nominee)
    for pk, kind, name, id_hash, submitted_at, title, campaign_name in past:
        if kind == Nominee.Kind.INDIVIDUAL:
            key = ("individual", number_of.get(id_hash))
        else:
            key = ("collective", name, kind)
        for nominee in by_key.get(key, ()):
            if pk != nominee.pk:
                when = timezone.localdate(submitted_at) if submitted_at else None
                found[nominee.pk].append(PriorHonour(title, "provincial", when, campaign_name))
    return found


# --- the checks ------------------------------------------------------------------------------


# A page of nominees comes with what the checks read of its records, claims and categories'
# conditions, loaded by :func:`load_page` as plain values in two queries: Django's prefetch
# (model rows, a queryset per relation and row) cost a fifth of the nominee list (issue 22).
# One nominee on its own asks its related managers.
CHECKED_RECORD_KINDS = ("award", "punishment")  # the only records a check reads


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What the checks read of a record (``NomineeRecord``)."""

    kind: str
    date: datetime.date
    text: str
    level: str
    treatment: bool


def load_page(nominees) -> None:
    """Read what the checks need of a page of saved nominees: their award and punishment
    records (one query), whether each claimed an achievement condition and whether each
    category has any (one query, a UNION)."""
    nominees = [n for n in nominees if n.pk]
    if not nominees:
        return
    ids = [n.pk for n in nominees]
    records: dict[int, list[RecordFacts]] = {pk: [] for pk in ids}
    for nominee_id, *facts in NomineeRecord.objects.filter(
        nominee_id__in=ids, kind__in=CHECKED_RECORD_KINDS
    ).values_list("nominee_id", "kind", "date", "text", "level", "treatment"):
        records[nominee_id].append(RecordFacts(*facts))
    claims = (
        ClaimedCondition.objects.filter(nominee_id__in=ids)
        .annotate(what=Value("claim"))
        .values_list("what", "nominee_id")
        .order_by()
    )
    conditions = (
        AchievementCondition.objects.filter(category_id__in={n.category_id for n in nominees})
        .annotate(what=Value("condition"))
        .values_list("what", "category_id")
        .order_by()
    )
    present = set(claims.union(conditions))
    for nominee in nominees:
        nominee.record_list = records[nominee.pk]
        nominee.claimed = ("claim", nominee.pk) in present
        nominee.category.has_condition_rows = ("condition", nominee.category_id) in present


def _records(nominee):
    if not nominee.pk:
        return []
    loaded = getattr(nominee, "record_list", None)
    return list(nominee.records.all()) if loaded is None else loaded


def _has_conditions(category) -> bool:
    loaded = getattr(category, "has_condition_rows", None)
    return category.conditions.exists() if loaded is None else loaded


def _has_claims(nominee) -> bool:
    loaded = getattr(nominee, "claimed", None)
    return nominee.claims.exists() if loaded is None else loaded


@check
def c5_administrative_level(nominee, campaign):
    excluded = campaign.eligibility.get("excluded_admin_levels", [])
    if nominee.admin_level and nominee.admin_level in excluded:
        levels = dict(type(nominee)._meta.get_field("admin_level").choices or ())
        return [
            Finding(
                "c5_admin_level",
                "C-5",
                WARNING,
                _(
                    "%(level)s单位和个人一般不参加评选（本方案：%(excluded)s）。"
                    "如确需推荐，请说明理由。"
                )
                % {
                    "level": nominee.get_admin_level_display(),
                    "excluded": "、".join(str(levels.get(code, code)) for code in excluded),
                },
            )
        ]
    return []


TIER_NAMES = {
    "township": gettext_lazy("乡镇"),
    "county": gettext_lazy("县级"),
    "prefecture": gettext_lazy("市级"),
    "province": gettext_lazy("省级"),
}


ADMIN_LEVEL_TIER = {
    "provincial": "province",
    "deputy_provincial": "prefecture",
    "department": "prefecture",
    "deputy_department": "prefecture",
    "division": "county",
    "deputy_division": "county",
    "section": "township",
    "deputy_section": "township",
    "staff": "township",
}


@check
def c5_party_committee_or_government(nominee, campaign):
    """C-5: party committees and governments from the plan's tier up do not take part. Their
    tier is their rank (乡镇 正科, 县 正处, 市 正厅): a township's sits in a county's division,
    so the division alone would take it for the county's. A rank below the division's tier is
    a warning the unit explains (the reviewers read it); no rank, the division's tier."""
    tier = campaign.eligibility.get("excluded_party_and_government_from_tier")
    if nominee.is_individual or not tier or not nominee.is_party_committee_or_government:
        return []
    order = ["township", "county", "prefecture", "province"]
    rank = ADMIN_LEVEL_TIER.get(nominee.admin_level)
    excluded = order.index(tier)
    if order.index(rank or nominee.level) >= excluded:
        return [
            Finding(
                "c5_party_government",
                "C-5",
                BLOCKING,
                _("%s（含）以上党委和政府不参加评选。") % TIER_NAMES[tier],
            )
        ]
    if order.index(nominee.level) >= excluded:
        return [
            Finding(
                "c5_party_government_rank",
                "C-5",
                WARNING,
                _(
                    "%(tier)s（含）以上党委和政府不参加评选；本集体按行政级别（%(rank)s）"
                    "属%(own)s，请说明其为%(own)s党委或政府。"
                )
                % {
                    "tier": TIER_NAMES[tier],
                    "rank": nominee.get_admin_level_display(),
                    "own": TIER_NAMES[rank],
                },
            )
        ]
    return []


@check
def c5_prior_honours(nominee, campaign):
    """Honours on record (this system's awardees, the registry) ask for the office's check; the
    finding tells the unit only that — which honour, and where from, is the office's to read
    (``Finding.detail``): a draft must not be a way to look anybody up. Honours the unit
    declared itself are named as usual."""
    rules = campaign.eligibility
    prior = rules.get("prior_honoree", {})
    window = prior.get("new_contribution_window_years", 0)
    honours = prior_honours(nominee)
    # Any honour on record asks for the check whichever rule the plan sets: raising it only for
    # the same title would tell the unit which honour the person holds.
    asks = rules.get("title_not_granted_twice") or prior.get("excluded")
    on_record = honours if asks else []
    if on_record:
        detail = "；".join(
            _("“%(source)s”：“%(title)s”") % {"source": h.source, "title": h.title} for h in honours
        )
        return [
            Finding(
                "c5_office_check",
                "C-5",
                WARNING,
                _(
                    "该推荐对象须经省级表彰工作办公室核查以往表彰情况（原则上不重复授予；曾获省部级"
                    "以上表彰并享受待遇的一般不参加评选）。如近%(years)d年内做出新的突出贡献，请说明。"
                )
                % {"years": window},
                detail=detail,
            )
        ]
    declared = [
        r
        for r in _records(nominee)
        if r.kind == "award" and r.treatment and r.level in ("national", "provincial")
    ]
    if prior.get("excluded") and declared:
        return [
            Finding(
                "c5_prior_honoree",
                "C-5",
                WARNING,
                _(
                    "曾获省部级以上表彰奖励并享受待遇，一般不参加评选；如近%(years)d年内做出新的突出贡献，"
                    "请说明。"
                )
                % {"years": window},
            )
        ]
    return []


def _punishments_since(nominee, since: str | None):
    if not since:
        return []
    day = datetime.date.fromisoformat(since)
    return [r for r in _records(nominee) if r.kind == "punishment" and r.date >= day.replace(day=1)]


@check
def c6_c7_clean_record(nominee, campaign):
    section = "individual" if nominee.is_individual else "collective"
    since = campaign.eligibility.get(section, {}).get("clean_record_since")
    found = _punishments_since(nominee, since)
    if found:
        rule = "C-7" if nominee.is_individual else "C-6"
        return [
            Finding(
                "clean_record",
                rule,
                BLOCKING,
                _("%(since)s以来受过处分（%(what)s），不符合评选条件。")
                % {
                    "since": format_year_month(datetime.date.fromisoformat(since)),
                    "what": "；".join(r.text for r in found),
                },
            )
        ]
    return []


@check
def c6_c7_achievement_condition(nominee, campaign):
    if not _has_conditions(nominee.category):
        return []
    if not nominee.pk or not _has_claims(nominee):
        rule = "C-7" if nominee.is_individual else "C-6"
        return [
            Finding(
                "achievement_condition",
                rule,
                BLOCKING,
                _("请至少选择一项符合的评选条件。"),
            )
        ]
    return []


@check
def c7_continuous_years(nominee, campaign):
    rules = campaign.eligibility.get("individual", {})
    years = rules.get("min_continuous_years")
    if not nominee.is_individual or not years or not nominee.field_work_since:
        return []
    as_of_text = rules.get("service_as_of")
    as_of = datetime.date.fromisoformat(as_of_text) if as_of_text else timezone.localdate()
    needed_start = datetime.date(as_of.year - years, as_of.month, min(as_of.day, 28))
    if nominee.field_work_since > needed_start:
        return [
            Finding(
                "c7_continuous_years",
                "C-7",
                BLOCKING,
                _("截至%(as_of)s连续从事本项工作须满%(years)d年（%(since)s起），不足年限。")
                % {
                    "as_of": as_of.isoformat(),
                    "years": years,
                    "since": format_year_month(nominee.field_work_since),
                },
            )
        ]
    return []


# --- C-10: body-level "in principle" ratio limits ------------------------------------------


def is_county_division_cadre(nominee) -> bool:
    return nominee.is_individual and nominee.admin_level in ("division", "deputy_division")


COUNTERS = {
    "county_division_cadre": is_county_division_cadre,
    "sector_agency": lambda n: n.in_sector_agency,
}


def _counter_filter(key: str):
    """The same counters as database filters, to count a body's nominees without loading them."""

    return {
        "county_division_cadre": Q(
            kind="individual", admin_level__in=("division", "deputy_division")
        ),
        "sector_agency": Q(in_sector_agency=True),
    }[key]


def _ratio_numbers(limit, bodies) -> dict[int, tuple[int, int]]:
    """For each body: (nominees not withdrawn that the limit counts, the places it is a share
    of)."""
    return _ratio_numbers_many([limit], bodies)[limit["key"]]


def _ratio_numbers_many(limits, bodies) -> dict[str, dict[int, tuple[int, int]]]:
    """:func:`_ratio_numbers` of several limits at once, by limit key: two grouped queries in
    all — each limit's count a filtered aggregate over the rows any of them counts, the places
    summed by body and category."""
    if not limits:
        return {}
    counts = {}
    wanted = Q(pk__in=[])
    for index, limit in enumerate(limits):
        condition = _counter_filter(limit["counts"])
        if limit.get("category"):
            condition &= Q(category__key=limit["category"])
        counts[f"n{index}"] = Count("pk", filter=condition)
        wanted |= condition
    counted = {
        row.pop("body"): row
        for row in Nominee.objects.filter(body__in=bodies)
        .exclude(state=Nominee.State.WITHDRAWN)
        .filter(wanted)
        .values("body")
        .annotate(**counts)
        .order_by()
    }
    places: dict[int, dict[str, int]] = {}
    for body, key, total in (
        Quota.objects.filter(body__in=bodies)
        .values_list("body", "category__key")
        .annotate(n=Sum("places"))
        .order_by()
    ):
        places.setdefault(body, {})[key] = total or 0
    numbers = {}
    for index, limit in enumerate(limits):
        numbers[limit["key"]] = {
            body: (
                counted.get(body, {}).get(f"n{index}", 0),
                (
                    places.get(body, {}).get(limit["category"], 0)
                    if limit.get("category")
                    else sum(places.get(body, {}).values())
                ),
            )
            for body in bodies
        }
    return numbers


def ratio_findings(nominee, campaign, numbers=None) -> list[Finding]:
    """C-10: would this nominee push the body past an "in principle" share? ``numbers`` holds
    :func:`_ratio_numbers` by limit key when many nominees are checked at once."""

    findings = []
    for limit in campaign.ratio_limits:
        counter = COUNTERS.get(limit.get("counts", ""))
        if counter is None or not counter(nominee):
            continue
        if limit.get("category") and limit["category"] != nominee.category.key:
            continue
        if numbers is None:
            peers = _ratio_numbers(limit, [nominee.body_id])[nominee.body_id]
            stored = Nominee.objects.filter(
                _counter_filter(limit["counts"]), pk=nominee.pk
            ).exclude(state=Nominee.State.WITHDRAWN)
            if limit.get("category"):
                stored = stored.filter(category__key=limit["category"])
            others = peers[0] - (1 if nominee.pk and stored.exists() else 0)
            base = peers[1]
        else:
            # The nominee was loaded with the numbers: it is among them unless withdrawn.
            counted_in, base = numbers[limit["key"]][nominee.body_id]
            others = counted_in - (0 if nominee.state == Nominee.State.WITHDRAWN else 1)
        counted = others + 1
        if base and counted > base * limit["max_ratio"] + 1e-9:  # 29 of 100 at 0.29
            findings.append(
                Finding(
                    f"c10_{limit['key']}",
                    "C-10",
                    WARNING,
                    _(
                        "%(text)s：本单位已有%(count)d人（名额%(base)d，比例%(percent).0f%%）。请说明理由。"
                    )
                    % {
                        "text": limit["text"],
                        "count": counted,
                        "base": base,
                        "percent": counted * 100 / base,
                    },
                )
            )
    return findings


def findings_for(nominee, *, numbers=None) -> list[Finding]:
    campaign = nominee.campaign
    found = []
    for function in CHECKS:
        found += function(nominee, campaign)
    if nominee.pk:
        found += ratio_findings(nominee, campaign, numbers)
    return found


def findings_for_many(nominees) -> dict[int, list[Finding]]:
    """The findings of a page of saved nominees with the shared reads done once: prior honours
    one query per source, C-10 numbers two grouped queries per campaign (each
    nominee on its own would load its whole body's nominees), records, claims and conditions
    two queries (:func:`load_page`) — no query per nominee."""
    nominees = list(nominees)
    load_page(nominees)
    _prior_honours_many(nominees)
    numbers: dict[int, dict] = {}
    for campaign_pk in {n.campaign_id for n in nominees}:
        campaign = next(n.campaign for n in nominees if n.campaign_id == campaign_pk)
        bodies = sorted({n.body_id for n in nominees if n.campaign_id == campaign_pk})
        numbers[campaign_pk] = _ratio_numbers_many(
            [limit for limit in campaign.ratio_limits if limit.get("counts") in COUNTERS], bodies
        )
    return {n.pk: findings_for(n, numbers=numbers[n.campaign_id]) for n in nominees}


def unjustified(nominee, findings: list[Finding]) -> list[Finding]:
    return [
        f
        for f in findings
        if f.severity == WARNING and not (nominee.justifications.get(f.code) or "").strip()
    ]
