"""Reads of nominations shared by the pages, the inbox, the documents and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Value, When
from django.utils.translation import gettext as _

from laurel.campaigns.models import Campaign, NominatingBody, Quota
from laurel.core.jurisdiction import rows_q
from laurel.core.models import CodeNames
from laurel.core.text import format_year_month
from laurel.core.validators import mask_phone, mask_resident_id
from laurel.nominations.models import ClearanceRequest, Nominee, ReviewOpinion
from laurel.nominations.models.nominees import COLLECTIVE_FIELDS, INDIVIDUAL_FIELDS
from laurel.orgs.models import Unit


def progress_counts(campaign: Campaign) -> dict[tuple[int, int], dict[str, int]]:
    """Nominees per (body, category) and stage; a nominee counts in every stage it has passed
    (awarded and revoked ones passed them all)."""
    rows = (
        Nominee.objects.filter(campaign=campaign)
        .values("body_id", "category_id", "state", "review_tier")
        .annotate(n=Count("pk"))
        .order_by()  # the model's ordering would join bodies and categories for nothing
    )
    passed_all = (Nominee.State.RECEIVED, Nominee.State.AWARDED, Nominee.State.REVOKED)
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        stages = []
        state, tier = row["state"], row["review_tier"]
        if state in (Nominee.State.DRAFT, Nominee.State.SENT_BACK):
            stages.append("drafted")
        if state == Nominee.State.SUBMITTED or state in passed_all:
            stages.append("submitted")
            if state in passed_all or tier in ("city", "province"):
                stages.append("county")
            if state in passed_all or tier == "province":
                stages.append("city")
            if state in passed_all:
                stages.append("province")
        target = counts.setdefault((row["body_id"], row["category_id"]), {})
        for stage in stages:
            target[stage] = target.get(stage, 0) + row["n"]
    return counts


def quota_use(user, campaign: Campaign) -> list[dict]:
    """For each body the user sees and each category: places, used by submitted nominees,
    drafts."""
    bodies = NominatingBody.objects.restrict(user).filter(campaign=campaign)
    counts = progress_counts(campaign)
    rows = []
    # plain values: the office sees every body × category (hundreds of rows a page load)
    for quota in (
        Quota.objects.filter(body__in=bodies)
        .order_by("body__sort_order", "category__sort_order")
        .values("body_id", "category_id", "places", "body__name", "category__name")
    ):
        used = counts.get((quota["body_id"], quota["category_id"]), {})
        rows.append(
            {
                "body": quota["body__name"],
                "category": quota["category__name"],
                "places": quota["places"],
                "submitted": used.get("submitted", 0),
                "drafted": used.get("drafted", 0),
                "full": used.get("submitted", 0) >= quota["places"],
            }
        )
    return rows


def awaiting_review(user) -> list[Nominee]:
    """Nominees at the user's tier whose current round still lacks the opinion of the user's
    department, oldest first, each with the material deadline as ``due_on``."""
    waiting = []
    candidates = (
        Nominee.objects.restrict(user, "review")
        .select_related("campaign", "category", "body__division", "division", "nominating_unit")
        .order_by("submitted_at", "pk")
    )
    for nominee in candidates:
        if not user.has_perm("nominations.review_nominee", nominee):
            continue  # answered already in this round
        nominee.due_on = nominee.campaign.material_deadline(nominee.body)
        nominee.disagreements = list(earlier_disagreements(nominee))
        waiting.append(nominee)
    return waiting


def owed_opinions(user):
    """The clearance opinions the user's department still owes."""
    return (
        ClearanceRequest.objects.restrict(user, "answer")
        .filter(state__in=[ClearanceRequest.State.PENDING, ClearanceRequest.State.VERIFYING])
        .select_related("nominee")
        .order_by("due_on", "pk")
    )


def disagreements_to_decide():
    return ClearanceRequest.objects.filter(
        state=ClearanceRequest.State.DISAGREED, office_decision=""
    ).select_related("nominee", "department")


def body_for_unit(campaign: Campaign, unit: Unit) -> NominatingBody | None:
    """The campaign body whose quota a unit nominates under: a provincial-level unit body that
    is the unit or one of its supervisors, else the region body whose area holds the unit."""
    bodies = list(campaign.bodies.select_related("division", "unit"))
    for body in bodies:
        if body.unit_id and body.division_id is None and unit.path.startswith(body.unit.path):
            return body
    for body in bodies:
        if body.division_id and unit.division.path.startswith(body.division.path):
            return body
    return None


def places_taken(sender, quota, **kwargs) -> int:
    """``campaigns.signals.places_in_use``: the nominees that hold a place of ``quota``."""
    return Nominee.objects.active().filter(body=quota.body, category=quota.category).count()


def body_has_nominees(sender, body, **kwargs) -> bool:
    """``campaigns.signals.body_in_use``: nominees of ``body``, drafts included."""
    return Nominee.objects.filter(body=body).exclude(state=Nominee.State.WITHDRAWN).exists()


def reservation_shortfalls(sender, quota, **kwargs) -> list[str]:
    """``campaigns.signals.reservation_shortfalls``: what ``quota``'s reserved sub-quotas leave
    short of the nominees that already hold a place (the counting of a submission's check)."""
    active = Nominee.objects.active().filter(body=quota.body, category=quota.category)
    reservations = [r for r in quota.reservations.select_related("division") if r.division_id]
    problems, reserved_used = [], 0
    for reserve in reservations:
        used = active.filter(division__path__startswith=reserve.division.path).count()
        reserved_used += used
        if used > reserve.places:
            problems.append(
                _("%(name)s已上报%(used)d个，单列名额不能少于已上报的数量。")
                % {"name": reserve.name, "used": used}
            )
    if reservations:
        general = quota.places - sum(r.places for r in reservations)
        outside = active.count() - reserved_used
        if outside > general:
            problems.append(
                _(
                    "%(label)s：单列以外的地区已上报%(used)d个，单列后只剩%(places)d个名额，"
                    "不能这样单列。"
                )
                % {"label": f"{quota.body}·{quota.category}", "used": outside, "places": general}
            )
    return problems


def routing_in_use(sender, unit, **kwargs) -> bool:
    """``orgs.signals.routing_in_use``: ``unit`` nominated someone now beyond the draft in a
    running campaign, or a clearance request waits for it."""
    nominees = Nominee.objects.active().filter(
        nominating_unit=unit, campaign__status=Campaign.Status.PUBLISHED
    )
    waiting = ClearanceRequest.objects.filter(
        department=unit,
        state__in=[ClearanceRequest.State.PENDING, ClearanceRequest.State.VERIFYING],
    )
    return nominees.exclude(state=Nominee.State.DRAFT).exists() or waiting.exists()


def earlier_disagreements(nominee: Nominee):
    """Every "不同意" a tier gave the nominee, all rounds: part of its record for good."""
    return nominee.review_opinions.filter(decision=ReviewOpinion.Decision.DISAGREE).select_related(
        "department"
    )


@dataclass(frozen=True)
class PersonalData:
    id_number: str
    mobile: str
    unit_phone: str
    leader_phone: str
    parent_unit_phone: str
    birth_date: str  # year and month only when masked: with the day it narrows the ID down


def personal_data(nominee: Nominee, full: bool) -> PersonalData:
    """A nominee's ID number and phones as one reader may see them (H-6): in full only for
    who may see the nominee's personal data, masked for everyone else. Every page, form,
    export and API answer that shows one of them asks this function."""
    if full:
        return PersonalData(
            nominee.id_number,
            nominee.mobile,
            nominee.unit_phone,
            nominee.leader_phone,
            nominee.parent_unit_phone,
            nominee.birth_date.isoformat() if nominee.birth_date else "",
        )
    return PersonalData(
        mask_resident_id(nominee.id_number),
        mask_phone(nominee.mobile),
        mask_phone(nominee.unit_phone),
        mask_phone(nominee.leader_phone),
        mask_phone(nominee.parent_unit_phone),
        _ym(nominee.birth_date),
    )


def admin_level_text(nominee: Nominee) -> str:
    """附件6 note 2: a unit without an administrative level is entered as 无."""
    return nominee.get_admin_level_display() if nominee.admin_level else "无"


def summary_row(
    index: int, nominee: Nominee, full: bool, codes: CodeNames | None = None
) -> list[str]:
    """One nominee's row of 附件6 推荐对象汇总表 — the official columns, then (individuals) the
    supplementary ones the import needs. The .xlsx and the .docx both print this row."""
    codes = codes or CodeNames()
    shown = personal_data(nominee, full)
    # 备注 is the unit's, for what it has to explain (note 4); Laurel writes no state into it.
    note = ""
    if not nominee.is_individual:
        return [
            str(index),
            nominee.name,
            nominee.get_collective_type_display(),
            admin_level_text(nominee),
            str(nominee.member_count or ""),
            f"{nominee.leader_name} {nominee.leader_unit_position}".strip(),
            f"{nominee.leader_name} {shown.leader_phone}".strip(),
            note,
        ]
    return [
        str(index),
        nominee.name,
        nominee.get_gender_display(),
        codes.name("ethnicity", nominee.ethnicity),
        codes.name("political_status", nominee.political_status),
        nominee.work_unit_name,
        nominee.get_unit_nature_display(),
        nominee.position_rank,
        admin_level_text(nominee),
        nominee.professional_title,
        shown.id_number,
        shown.mobile,
        nominee.unit_address,
        note,
        # supplementary columns (not on the paper form)
        shown.birth_date,
        nominee.native_place,
        _ym(nominee.work_start),
        _ym(nominee.field_work_since),
        nominee.get_staffing_type_display(),
        nominee.get_unit_affiliation_display(),
        codes.name("education", nominee.education),
    ]


def _ym(day) -> str:
    return f"{day.year}.{day.month:02d}" if day else ""


# Fields a reader finds elsewhere on the record page, or that hold personal data (shown from
# ``personal_data``, masked as the reader may see them).
_RECORD_ELSEWHERE = {"name", "deeds", "profile"}
_PERSONAL = {"id_number", "mobile", "unit_phone", "leader_phone", "parent_unit_phone", "birth_date"}
_CODE_TABLES = {
    "ethnicity": "ethnicity",
    "political_status": "political_status",
    "education": "education",
    "degree": "degree",
}


def record_facts(nominee: Nominee, shown: PersonalData, codes: CodeNames | None = None):
    """Every field of the nominee's approval form as (label, words) in the form's order: code
    tables and choices by their names, dates as the form writes them, personal data as
    ``shown`` (masked unless the reader may see it)."""
    codes = codes or CodeNames()
    names = COLLECTIVE_FIELDS if nominee.kind == Nominee.Kind.COLLECTIVE else INDIVIDUAL_FIELDS
    facts = []
    for name in names:
        if name in _RECORD_ELSEWHERE:
            continue
        field = Nominee._meta.get_field(name)
        value = getattr(nominee, name)
        if name in _PERSONAL:
            words = getattr(shown, name)
        elif name in _CODE_TABLES:
            words = codes.name(_CODE_TABLES[name], value)
        elif field.choices:
            words = getattr(nominee, f"get_{name}_display")() if value else ""
        elif isinstance(value, bool):
            words = "是" if value else "否"
        elif name in ("work_start", "field_work_since"):
            words = format_year_month(value) if value else ""
        elif name == "unit_division":
            words = value.full_name if value else ""
        else:
            words = "" if value is None else str(value)
        facts.append((field.verbose_name, words))
    return facts


def visible_clearances(user, campaign=None, state: str = ""):
    """The clearance requests a user may see (the jurisdiction filter of ``view_clearance``),
    of one campaign and state when given; the longest-waiting first."""
    items = ClearanceRequest.objects.restrict(user).select_related(
        "nominee__body", "nominee__campaign", "department"
    )
    if campaign is not None:
        items = items.filter(nominee__campaign=campaign)
    if state:
        items = items.filter(state=state)
    return items.order_by("due_on", "opened_on", "pk")


def rankable_column(user):
    """Whether ``user`` may move each nominee in its list, as a column of the rows' own query
    (the rank rule's rows; see that rule in rules.py for what they may use). A CASE, so that a
    user with no such rows gets False, not PostgreSQL's bare 0."""
    return Case(When(rows_q(Nominee, user, "rank"), then=Value(True)), default=False)
