"""A whole round carried from received nominees to issued awards with synthetic people.

The demo's finished round and the end-to-end test of issue 7 run the same path: every step is a
call of the real service with its guards (recheck, panel with recusals and secret votes, the
differential bound, assessment, the C-10 shares, re-examination, provincial notice, approval,
awards). Nothing here writes a model directly except the state "received", which stands for the
tiered review already done (that part has its own demo and tests)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker

from laurel.accounts.models import User
from laurel.accounts.services.users import create_user
from laurel.campaigns.models import Campaign, CampaignMember, CampaignPhase
from laurel.campaigns.services.campaigns import copy_campaign, publish_campaign, update_campaign
from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.core.synthetic import resident_id
from laurel.demo.accounts import DEMO_PASSWORD
from laurel.evaluation import queries
from laurel.evaluation.models import Recusal
from laurel.evaluation.services import awards as award_services
from laurel.evaluation.services import lists as list_services
from laurel.evaluation.services import panels as panel_services
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as nominee_service
from laurel.public.services.notices import create_notice

D = datetime.date

COLLECTIVE_SUFFIXES = (
    "住房保障服务中心",
    "棚户区改造办公室",
    "房屋征收经办中心",
    "公共租赁住房管理所",
    "建设工程质量监督站",
    "城市建设开发有限公司",
)
OFFICE_SUFFIXES = ("综合处", "住房保障处", "规划财务处", "监督检查处", "办公室", "政策法规处")


@dataclass
class Cast:
    """Who acts in the round."""

    office: object
    leader: object
    assessor: object
    experts: list
    # assesses what the first assessor may not (a nominee of the assessor's own unit)
    other_assessor: object = None


@dataclass
class Outcome:
    received: dict = field(default_factory=dict)  # category key → number received
    bounds: dict = field(default_factory=dict)  # category key → C-8 step 3 bound
    candidates: dict = field(default_factory=dict)
    recusals: int = 0
    ratio_checks: dict = field(default_factory=dict)  # category key → [RatioCheck]
    awards: list = field(default_factory=list)


def _counties(division: Division | None) -> list[Division]:
    if division is None:
        return []
    return list(Division.objects.filter(parent=division).order_by("code")) or [division]


def _id_area(division: Division | None) -> str:
    if division is not None and division.is_standard and division.level == "county":
        return division.code
    return "220102"


def fill_received(
    campaign: Campaign, *, seed: int = 2019, per_category: int | None = None
) -> list[Nominee]:
    """Every body's quota filled with complete synthetic nominees, received at the province.
    Individuals: one in four at county/division level (C-10); collectives: one in five in a
    housing-system agency. ``per_category`` stops each category after that many nominees (the
    first bodies' places), for a round small enough to vote on in a browser."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    province = Division.objects.get(level="province")
    made = []
    names = set(Nominee.objects.filter(campaign=campaign).values_list("name", flat=True))
    left = {}  # category pk → places still to fill under ``per_category``
    for body in campaign.bodies.select_related("unit", "division").order_by("sort_order"):
        counties = _counties(body.division)
        for quota in body.quotas.select_related("category").order_by("category__sort_order"):
            category = quota.category
            conditions = list(category.conditions.order_by("number").values_list("pk", flat=True))
            places = quota.places
            if per_category is not None:
                places = min(places, left.setdefault(category.pk, per_category))
                left[category.pk] -= places
            for index in range(places):
                area = counties[index % len(counties)] if counties else province
                if category.kind == "collective":
                    fields = _collective(body, area, fake, index, names)
                else:
                    fields = _individual(body, area, fake, rng, index)
                nominee = nominee_service.create_nominee(
                    None, campaign, category, nominating_unit=body.unit, reason="演示数据", **fields
                )
                if category.kind == "individual":
                    nominee_service.set_resume(None, nominee, _resume(nominee, body.unit.name))
                nominee_service.set_conditions(None, nominee, [conditions[index % len(conditions)]])
                made.append(nominee)
    Nominee.objects.filter(pk__in=[n.pk for n in made]).update(
        state=Nominee.State.RECEIVED, review_round=1
    )
    return list(Nominee.objects.filter(pk__in=[n.pk for n in made]).order_by("pk"))


def _collective(body, area, fake, index, names) -> dict:
    if body.division_id:
        name = f"{area.name}{COLLECTIVE_SUFFIXES[index % len(COLLECTIVE_SUFFIXES)]}"
    else:
        name = f"{body.unit.name}{OFFICE_SUFFIXES[index % len(OFFICE_SUFFIXES)]}"
    while name in names:
        name = f"{name[:-2]}{fake.random_int(2, 9)}{name[-2:]}"
    names.add(name)
    return {
        "name": name,
        "collective_type": "agency" if index % 5 == 0 else "public_institution",
        "in_sector_agency": index % 5 == 0,
        "admin_level": "section",
        "member_count": 12 + index % 30,
        "unit_division": area,
        "leader_name": fake.name(),
        "leader_unit_position": "主任",
        "leader_phone": f"139{fake.random_number(8, fix_len=True)}",
        "parent_unit_name": body.unit.name,
        "parent_unit_phone": "0431-88776655",
        "address": f"{area.name}{fake.street_address()}",
        "profile": f"{name}负责辖区住房保障和棚户区改造相关工作，在编{12 + index % 30}人。",
        "deeds": f"{name}" + "统筹推进棚户区改造和保障房分配，群众满意度高。" * 12,
    }


def _individual(body, area, fake, rng, index) -> dict:
    gender = "1" if index % 2 else "2"
    name = fake.name_male() if gender == "1" else fake.name_female()
    birth = D(1966 + rng.randrange(22), 1 + rng.randrange(12), 1 + rng.randrange(28))
    division_level = index % 4 == 0
    return {
        "name": name,
        "gender": gender,
        "ethnicity": "01" if index % 6 else "10",
        "native_place": rng.choice(
            ["吉林省农安县", "吉林省榆树市", "吉林省德惠市", "吉林省永吉县"]
        ),
        "birth_date": birth,
        "political_status": "01",
        "education": "bachelor",
        "work_start": D(birth.year + 22, 7, 1),
        "id_number": resident_id(rng, _id_area(area), birth, gender),
        "staffing_type": "public_institution",
        "position_rank": "住房保障处处长" if division_level else "住房保障科科长",
        "admin_level": "division" if division_level else "section",
        "work_unit_name": body.unit.name,
        "unit_affiliation": "prefecture" if body.division_id else "province",
        "unit_nature": "agency",
        "unit_division": area,
        "unit_address": f"{area.name}{fake.street_address()}",
        "unit_phone": "0431-88776655",
        "mobile": f"138{rng.randrange(10**8):08d}",
        # ten years before the plan at most: every round counts service to its own date
        "field_work_since": D(body.campaign.year - 10 + index % 5, 3, 1),
        "deeds": f"{name}同志长期奋战在住房保障工作一线，" + "认真负责，成绩突出。" * 30,
    }


def _resume(nominee, unit_name) -> list[dict]:
    start = nominee.work_start
    since = nominee.field_work_since
    return [
        {"start": D(start.year - 4, 9, 1), "end": start, "text": "吉林建筑大学学生"},
        {"start": start, "end": since, "text": f"{unit_name}科员"},
        {"start": since, "end": None, "text": f"{unit_name}{nominee.position_rank}"},
    ]


def _declines(index: int, expert: int) -> bool:
    """Every ninth nominee is turned down by two experts (it fails a two-thirds threshold);
    otherwise an expert disapproves now and then."""
    if index % 9 == 0:
        return expert < 2
    return (index + expert) % 11 == 0


def _candidates(cast: Cast, panel, limit: int) -> list[Nominee]:
    """The best ``limit`` nominees that passed; where the cut falls inside a tie, a run-off
    among the tied decides (every expert ranks them in the same order)."""
    ranked = queries.tally(panel)
    chosen = [row.nominee for row in ranked if row.passed][:limit]
    for group in queries.tie_groups(ranked):
        tied = [row.nominee for row in group]
        kept = [n for n in chosen if n in tied]
        if not kept or len(kept) == len(tied):
            continue
        runoff = panel_services.create_runoff(cast.office, panel, [n.pk for n in tied])
        recused = set(Recusal.objects.filter(panel=runoff).values_list("expert_id", "nominee_id"))
        for expert in cast.experts:
            for position, nominee in enumerate(tied, start=1):
                if (expert.pk, nominee.pk) not in recused:
                    panel_services.cast_vote(expert, runoff, nominee, approve=True, rank=position)
        runoff = panel_services.close_panel(cast.office, runoff)
        order = [row.nominee for row in queries.tally(runoff)]
        chosen = [n for n in chosen if n not in tied] + order[: len(kept)]
    return chosen


@transaction.atomic
def run(
    campaign: Campaign,
    cast: Cast,
    *,
    notice_start: datetime.date,
    approved_on: datetime.date,
    document_number: str,
    pass_ratio: Decimal = Decimal("0.667"),
) -> Outcome:
    outcome = Outcome()
    received = list(
        Nominee.objects.filter(campaign=campaign, state=Nominee.State.RECEIVED)
        .select_related("category")
        .order_by("category__sort_order", "body__sort_order", "rank")
    )
    for nominee in received:
        panel_services.record_recheck(cast.office, nominee, eligible=True)
    listed = []
    for category in campaign.categories.order_by("sort_order"):
        panel = panel_services.create_panel(
            cast.office,
            campaign,
            category,
            name=f"{category.name}评审组",
            quorum=min(3, len(cast.experts)),
            pass_ratio=pass_ratio,
            experts=cast.experts,
        )
        pool = list(queries.pool(panel).order_by("body__sort_order", "rank"))
        outcome.received[category.key] = len(pool)
        if len(cast.experts) > 1 and len(pool) > 1:
            panel_services.declare_conflict(
                cast.experts[0], panel, pool[1], "曾在该单位挂职锻炼，申请回避。"
            )
        recused = set(Recusal.objects.filter(panel=panel).values_list("expert_id", "nominee_id"))
        for index, nominee in enumerate(pool):
            for number, expert in enumerate(cast.experts):
                if (expert.pk, nominee.pk) in recused:
                    continue
                panel_services.cast_vote(
                    expert,
                    panel,
                    nominee,
                    approve=not _declines(index, number),
                    rank=1 + (index + number) % 20,
                )
        panel = panel_services.close_panel(cast.office, panel)
        outcome.recusals += panel.recusals.count()
        outcome.bounds[category.key] = queries.bound(panel)
        chosen = _candidates(cast, panel, outcome.bounds[category.key])
        panel_services.choose_candidates(cast.office, panel, [n.pk for n in chosen])
        outcome.candidates[category.key] = len(chosen)
        recommended = []
        for index, nominee in enumerate(chosen):
            recommend = index % 37 != 36
            assessor = cast.assessor
            if queries.assessor_conflict(assessor, nominee) and cast.other_assessor is not None:
                assessor = cast.other_assessor
            list_services.record_assessment(
                assessor,
                nominee,
                recommend=recommend,
                findings="经实地考核和个别谈话，事迹属实，群众认可。"
                if recommend
                else "考核中发现部分事迹材料与实际不符，不建议列入。",
            )
            if recommend:
                recommended.append(nominee)
        names = recommended[: category.award_count]
        checks = queries.ratio_checks(campaign, category, names)
        outcome.ratio_checks[category.key] = checks
        justifications = {
            c.key: "经办公室集体研究，上述同志均长期在一线工作，业绩突出，予以保留。"
            for c in checks
            if not c.ok
        }
        lst = list_services.draft_preliminary_list(
            cast.office, campaign, category, [n.pk for n in names], justifications
        )
        list_services.submit_to_leading_group(cast.office, lst)
        list_services.leading_group_decide(
            cast.leader,
            lst,
            note="经领导小组会议复审，同意。",
            meeting_on=timezone.localdate(),
            attendees=campaign.members.filter(group=CampaignMember.Group.LEADING_GROUP).values_list(
                "pk", flat=True
            ),
        )
        listed += names
    create_notice(
        None if notice_start < timezone.localdate() else cast.office,  # a past one: history
        campaign,
        level="province",
        nominees=listed,
        starts_on=notice_start,
        contact="省评选表彰工作领导小组办公室 0431-88906000",
    )
    award_services.record_approval(
        cast.office, campaign, document_number=document_number, approved_on=approved_on
    )
    outcome.awards = award_services.issue_awards(cast.office, campaign)
    return outcome


FINISHED_SLUG = "jilin-affordable-housing-2019"


def _other_assessor(unit) -> User:
    """A second member of the assessment team, of the co-organising department: the demo's
    assessor (省住建厅) recuses from the department's own nominees."""
    existing = User.objects.filter(username="assessor_hr").first()
    if existing is not None:
        return existing
    fake = Faker("zh_CN")
    fake.seed_instance(20201020)
    return create_user(
        None,
        username="assessor_hr",
        password=DEMO_PASSWORD,
        roles=(Role.ASSESSMENT_TEAM,),
        must_change_password=False,
        reason="演示数据",
        full_name=fake.name(),
        unit=unit,
        position="考核组组员",
        phone=fake.phone_number(),
        email="assessor_hr@demo.laurel.invalid",
    )


def load() -> Campaign | None:
    """The demo's finished round: a copy of the Jilin plan carried through evaluation to its
    awards in 2020, one of them later revoked (C-11). Idempotent."""

    existing = Campaign.objects.filter(slug=FINISHED_SLUG).first()
    source = Campaign.objects.filter(slug="jilin-affordable-housing-2022").first()
    if existing is not None or source is None:
        return existing
    campaign = copy_campaign(
        None,
        source,
        slug=FINISHED_SLUG,
        # The plan of this synthetic round states the treatment it grants (H-6: only what a
        # plan states is filed in the registry); the Jilin plan itself states none.
        name=f"{source.name}（2019年度，演示：已完成的一轮，先进个人享受省级先进工作者待遇）",
        year=2019,
    )
    for key, starts, ends in (
        ("start", D(2020, 3, 2), D(2020, 3, 31)),
        ("material_deadline", D(2020, 4, 1), D(2020, 6, 30)),
        ("end", D(2020, 7, 1), D(2020, 10, 30)),
    ):
        CampaignPhase.objects.filter(campaign=campaign, key=key).update(
            starts_on=starts, ends_on=ends
        )
    # Stated in the plan (its name and its individual category): its awardees are filed in
    # the honoree registry.
    campaign.categories.filter(kind="individual").update(treatment="享受省级先进工作者待遇")
    # The decision and the certificates name the commendation, not the demo's long name.
    campaign = update_campaign(
        None,
        campaign,
        decision_subject=source.derived_subject(),
        certificate_achievement=source.derived_achievement(),
        reason="演示数据",
    )
    campaign = publish_campaign(None, campaign, reason="演示数据")
    fill_received(campaign, seed=2019)
    names = ("office", "leader", "assessor", "expert1", "expert2", "expert3")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    cast = Cast(
        office=users["office"],
        leader=users["leader"],
        assessor=users["assessor"],
        experts=[users["expert1"], users["expert2"], users["expert3"]],
        other_assessor=_other_assessor(users["leader"].unit),
    )
    outcome = run(
        campaign,
        cast,
        notice_start=D(2020, 9, 1),
        approved_on=D(2020, 10, 20),
        document_number="吉政函〔2020〕88号",
        pass_ratio=Decimal("0.667"),
    )
    revoked = next(a for a in outcome.awards if a.bonus_amount > 0)
    award_services.revoke_award(
        cast.office,
        revoked,
        reason="经核查，推荐材料中的主要事迹存在弄虚作假。",
        evidence="省纪委监委驻省住建厅纪检监察组函〔2021〕5号",
        certificate_recovered=True,
        bonus_recovered=False,  # still to come back: the office records it on 表彰颁发
    )
    return campaign
