"""Demo nominees for the Jilin campaign: synthetic people (Faker zh_CN, valid synthetic ID
numbers), some submitted, some drafts with findings to show the checks at work."""

from __future__ import annotations

import datetime
import io
import random

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from faker import Faker
from PIL import Image, ImageDraw, ImageFont

from laurel.accounts.models import User
from laurel.campaigns.models import Campaign
from laurel.core.calendar import CalendarNotCovered
from laurel.core.synthetic import resident_id
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.nominations.services import nominees as service
from laurel.nominations.services.clearance import (
    open_clearances,
    record_opinion,
    record_paper_opinion,
)
from laurel.nominations.services.review import (
    paper_review_departments,
    record_paper_review,
    record_review,
)
from laurel.orgs.models import Unit
from laurel.public.services.notices import create_notice, file_objection

D = datetime.date


def _photo(seed: int) -> SimpleUploadedFile:
    """A plain blue-background placeholder portrait (no real face)."""
    image = Image.new("RGB", (330, 462), (67, 142, 219))
    draw = ImageDraw.Draw(image)
    shade = 200 + seed % 40
    draw.ellipse((115, 90, 215, 210), fill=(shade, shade - 30, shade - 60))
    draw.rectangle((85, 230, 245, 462), fill=(40, 40, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _letter_scan(department: str, nominee: str, day: datetime.date) -> SimpleUploadedFile:
    """A synthetic "scan" of a sealed letter for the paper-opinion demo, marked 演示."""
    image = Image.new("RGB", (1240, 1754), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("NotoSerifCJK-Regular.ttc", 44)
    except OSError:  # without fonts-noto-cjk the letter is drawn without text
        font = None
    if font is not None:
        lines = [
            "关于征求意见的复函（演示）",
            "",
            f"经核查，{nominee}同志无违纪违法记录，",
            "同意推荐。",
            "",
            department,
            f"{day.year}年{day.month}月{day.day}日",
        ]
        for row, text in enumerate(lines):
            draw.text((160, 260 + row * 90), text, fill=(20, 20, 20), font=font)
    draw.ellipse((760, 720, 1060, 1020), outline=(200, 30, 30), width=10)
    draw.text((860, 845), "DEMO", fill=(200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile("letter.jpg", buffer.getvalue(), content_type="image/jpeg")


def _individual(campaign, unit, fake, rng, index, *, gap=False, since=None):
    since = since or D(2014, 9, 1)
    birth = D(1968 + index * 3 % 20, 1 + index % 12, 1 + index % 27)
    gender = "1" if index % 2 else "2"
    name = fake.name_male() if gender == "1" else fake.name_female()
    category = campaign.categories.get(kind="individual")
    nominee = service.create_nominee(
        None,
        campaign,
        category,
        nominating_unit=unit,
        name=name,
        gender=gender,
        ethnicity="01" if index % 5 else "10",
        native_place=rng.choice(["吉林省农安县", "吉林省榆树市", "吉林省德惠市", "吉林省永吉县"]),
        birth_date=birth,
        political_status="01",
        education="bachelor",
        degree="bachelor",
        work_start=D(birth.year + 22, 7, 1),
        id_number=resident_id(
            rng, unit.division.code if unit.division.is_standard else "220100", birth, gender
        ),
        staffing_type="public_institution",
        position_rank="住房保障科科长",
        admin_level="section",
        technical_post_grade="intermediate",
        professional_title="工程师",
        title_grade="intermediate",
        work_unit_name=unit.name,
        unit_affiliation="prefecture",
        unit_nature="agency",
        unit_division=unit.location_division
        or unit.division.children.filter(level="county").first(),
        unit_address=fake.street_address(),
        unit_phone="0431-88776655",
        mobile=f"139{rng.randrange(10**8):08d}",
        field_work_since=since,
        deeds=f"{name}同志长期奋战在工作一线，" + "认真负责，成绩突出。" * 30,
    )
    start = D(birth.year + 22, 7, 1)
    middle = D(start.year + 8, 3, 1)
    resume = [
        {"start": D(birth.year + 18, 9, 1), "end": start, "text": "吉林建筑大学学生"},
        {"start": start, "end": middle, "text": f"{unit.name}科员"},
        {"start": D(middle.year, 5 if gap else 3, 1), "end": None, "text": f"{unit.name}科长"},
    ]
    service.set_resume(None, nominee, resume)
    service.set_conditions(None, nominee, [category.conditions.all()[index % 6].pk])
    service.set_photo(None, nominee, _photo(index))
    return nominee


def _pass_procedure(nominee: Nominee) -> None:
    """Demo departments agree and a unit notice (Feb 2023) runs its course."""

    open_clearances(None, nominee, on=D(2023, 1, 10))
    for request in nominee.clearances.filter(state=ClearanceRequest.State.PENDING):
        record_opinion(
            None,
            request,
            state="agreed",
            opinion="同意推荐。",
            officer_name="经办人",
            decided_on=D(2023, 1, 20),
        )
    create_notice(
        None,
        nominee.campaign,
        level="unit",
        nominees=[nominee],
        starts_on=D(2023, 2, 1),
        contact="长春市住建局 0431-88776655",
    )


def _current_notice(nominees: list[Nominee]) -> None:
    """A unit notice running now, with one objection from the public, to show that side."""

    try:
        notice = create_notice(
            None,
            nominees[0].campaign,
            level="unit",
            nominees=nominees,
            starts_on=timezone.localdate(),
            contact="长春市住建局 0431-88776655",
        )
    except (CalendarNotCovered, ValidationError):  # a year the calendar does not cover
        return
    # on a nominee of another unit than the body's own, so that the body (cc_body) checks it
    # (a unit never checks an objection to its own nominee: the office does)
    target = next((n for n in nominees if n.nominating_unit_id != n.body.unit_id), nominees[0])
    file_objection(notice, target.pk, "反映该同志简历中有一段经历与实际不符，请核实。")


def _signer(seed: int) -> str:
    """A synthetic signer of a paper letter, from a Faker of its own (the demo's main Faker
    draws the nominees' names in a fixed order that tests rely on)."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return fake.name()


def _reviewed_to_the_province(nominee: Nominee) -> None:
    """长春's two reviewers agree in Laurel; at the province, 省住建厅 has no reviewing account
    and its sealed opinion is recorded on paper by the office (issue 20) — the provincial HR
    reviewer (prov_hr_review) still has it in the inbox."""
    users = {u.username: u for u in User.objects.filter(username__in=REVIEW_ACCOUNTS)}
    if len(users) < len(REVIEW_ACCOUNTS):
        return
    for username in ("cc_hr_review", "cc_housing_review"):
        nominee = record_review(users[username], nominee, decision="agree", text="同意推荐。")
    housing = paper_review_departments(nominee).get("housing")
    if nominee.review_tier != "province" or housing is None:
        return
    today = timezone.localdate()
    record_paper_review(
        users["office"],
        nominee,
        function="housing",
        decision="agree",
        text="同意推荐。",
        officer_name=_signer(1),
        decided_on=today,
        scan=_letter_scan(housing.name, nominee.name, today),
    )


REVIEW_ACCOUNTS = ("cc_hr_review", "cc_housing_review", "office")


def load() -> list[Nominee]:
    campaign = Campaign.objects.filter(slug="jilin-affordable-housing-2022").first()
    if campaign is None or campaign.nominees.exists():
        return list(campaign.nominees.all()) if campaign else []
    fake = Faker("zh_CN")
    Faker.seed(20230310)
    rng = random.Random(20230310)
    changchun = Unit.objects.get(name="长春市住房和城乡建设局")
    center = Unit.objects.get(name="长春市城市更新和房屋征收服务中心")
    created = []
    for index in range(3):
        nominee = _individual(campaign, changchun if index else center, fake, rng, index)
        _pass_procedure(nominee)
        created.append(service.submit_nominee(None, nominee, reason="演示数据"))
    _reviewed_to_the_province(created[-1])
    # A county-level nominee (a subdistrict of 南关区), waiting for the county's two reviewers.
    subdistrict = Unit.objects.get(name="长春市南关区南岭街道办事处")
    county_nominee = _individual(campaign, subdistrict, fake, rng, 5)
    _pass_procedure(county_nominee)
    created.append(service.submit_nominee(None, county_nominee, reason="演示数据"))
    drafts = [
        _individual(campaign, changchun, fake, rng, 3, gap=True),  # a résumé gap
        _individual(campaign, center, fake, rng, 4, since=D(2020, 1, 1)),  # C-7
    ]
    created += drafts
    _current_notice(drafts)

    open_clearances(None, drafts[0])  # pending opinions: see the ng_police account's inbox
    # 纪委监委 has no account: the office records its sealed letter on paper (the 长春 body
    # nominated this one itself, and never vouches for its own candidate; issue 20).
    paper = (
        drafts[0]
        .clearances.filter(function="discipline_inspection", department__isnull=False)
        .first()
    )
    if paper is not None:
        today = timezone.localdate()
        record_paper_opinion(
            User.objects.filter(username="office").first(),
            paper,
            state="agreed",
            opinion="经核查无违纪违法记录，同意推荐。",
            officer_name=_signer(2),
            decided_on=today,
            scan=_letter_scan(paper.department.name, drafts[0].name, today),
        )
    collective = service.create_nominee(
        None,
        campaign,
        campaign.categories.get(kind="collective"),
        nominating_unit=center,
        name="长春市城市更新和房屋征收服务中心",
        collective_type="public_institution",
        admin_level="section",
        member_count=36,
        unit_division=center.location_division,
        leader_name=fake.name(),
        leader_unit_position="主任",
        leader_phone="13944556677",
        parent_unit_name="长春市住房和城乡建设局",
        parent_unit_phone="0431-88776655",
        address="长春市南关区人民大街某号",
        profile="中心承担全市棚户区改造征收和保障房分配服务工作，设6个科室，在编36人。",
        deeds="该中心" + "统筹推进棚户区改造，群众满意度高。" * 20,
    )
    service.set_conditions(None, collective, [collective.category.conditions.first().pk])
    _pass_procedure(collective)
    created.append(service.submit_nominee(None, collective, reason="演示数据"))
    return created
