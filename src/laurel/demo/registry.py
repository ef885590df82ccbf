"""Demo honoree registry: the drive of the notice (吉人社联〔2021〕189号) with synthetic people
(Faker zh_CN, valid synthetic ID numbers) filed through the tiers, and registrations waiting at
each step so every role sees its part."""

from __future__ import annotations

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from faker import Faker
from PIL import Image, ImageDraw

from laurel.core.models import Division
from laurel.core.synthetic import resident_id
from laurel.orgs.models import Unit
from laurel.registry.models import Drive, Registration
from laurel.registry.services import evidence
from laurel.registry.services import registrations as service

D = datetime.date

HONOURS = [
    (
        "吉林省劳动模范",
        "provincial_committee_government",
        "model_worker",
        "中共吉林省委、吉林省人民政府",
        "享受省级劳动模范待遇",
    ),
    (
        "吉林省先进工作者",
        "provincial_committee_government",
        "model_worker",
        "中共吉林省委、吉林省人民政府",
        "享受省级先进工作者待遇",
    ),
    (
        "吉林省优秀共产党员",
        "provincial_committee_government",
        "party",
        "中共吉林省委",
        "享受省级表彰奖励获得者待遇",
    ),
    (
        "吉林省人民满意的公务员",
        "provincial_committee_government",
        "civil_servant",
        "中共吉林省委、吉林省人民政府",
        "享受省级表彰奖励获得者待遇",
    ),
    (
        "全国劳动模范",
        "national_model_worker",
        "model_worker",
        "中共中央、国务院",
        "享受全国劳动模范待遇",
    ),
    (
        "全国先进工作者",
        "national_honoree",
        "model_worker",
        "中共中央、国务院",
        "享受国家级表彰奖励获得者待遇",
    ),
]


def _honour(rng, index) -> dict:
    title, kind, honour_type, body, treatment = HONOURS[index % len(HONOURS)]
    year = 2019 + index % 4 if kind == "national_honoree" else 1996 + index % 22
    if kind == "national_model_worker":
        year = 2000 + index % 15
    return {
        "title": title,
        "kind": kind,
        "honour_type": honour_type,
        "awarding_body": body,
        "document_number": f"吉发〔{year}〕{10 + index % 30}号",
        "awarded_on": D(year, 4, 28),
        "treatment": treatment,
    }


def _person(fake, rng, index, area: Division) -> dict:
    gender = "1" if index % 3 else "2"
    birth = D(1950 + index % 30, 1 + index % 12, 1 + index % 28)
    return {
        "name": fake.name_male() if gender == "1" else fake.name_female(),
        "gender": gender,
        "ethnicity": "01" if index % 7 else "10",
        "id_number": resident_id(rng, area.code if area.is_standard else "220102", birth, gender),
        "phone": f"139{rng.randrange(10**8):08d}",
        "retired": birth.year < 1962,
        "household_division": area,
    }


def _through(registration) -> Registration:
    """Every tier signs (the departments of the demo's areas)."""
    registration = service.submit_registration(None, registration)
    while registration.state == Registration.State.SUBMITTED:
        registration = service.record_opinion(
            None,
            registration,
            decision="agree",
            text="经审核，符合统计登记范围。",
            officer_name="审核负责人",
            decided_on=D(2022, 1, 20),
        )
    return registration


def _evidence(registration, index: int) -> None:
    """A synthetic scan of the honour's document (a plain image with the document number), as
    the unit would upload it."""

    image = Image.new("RGB", (420, 594), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 400, 574), outline=(180, 30, 30), width=3)
    draw.text((40, 60), f"DEMO {registration.pk:04d}-{index:02d}", fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    evidence.add_evidence(
        None,
        registration,
        SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png"),
        "表彰文件复印件（演示）",
    )


def load() -> Drive | None:
    drive = Drive.objects.filter(document_number="吉人社联〔2021〕189号").first()
    if drive is not None:
        return drive
    drive = service.open_drive(
        None,
        name="全省享受省部级以上表彰奖励获得者待遇人员统计登记",
        document_number="吉人社联〔2021〕189号",
        contacts_due=D(2021, 12, 10),
        provincial_units_due=D(2021, 12, 31),
        counties_due=D(2022, 1, 15),
        cities_due=D(2022, 1, 31),
        province_due=D(2022, 2, 28),
    )
    fake = Faker("zh_CN")
    fake.seed_instance(20211126)
    rng = random.Random(20211126)
    nanguan = Division.objects.get(code="220102")
    school = Unit.objects.get(name="长春市南关区实验小学")
    township = Unit.objects.get(name="长春市南关区南岭街道办事处")
    finance = Unit.objects.get(name="吉林省财政厅")
    central = Unit.objects.get(name="财政部吉林监管局")
    filers = [
        (school, nanguan),
        (township, nanguan),
        (finance, finance.division),
        (central, central.division),
    ]
    for index in range(36):
        unit, area = filers[index % len(filers)]
        person = _person(fake, rng, index, nanguan if area.level == "province" else area)
        honours = [_honour(rng, index)]
        if index % 5 == 0:
            honours.append(_honour(rng, index + 1))  # two honours: HR & social security leads
        registration = service.create_registration(
            None,
            drive,
            unit,
            id_number=person.pop("id_number"),
            phone=person.pop("phone"),
            unit_name=unit.name if unit.tier != Unit.Tier.TOWNSHIP else "",
            position="" if unit.tier == Unit.Tier.TOWNSHIP else "干部",
            is_farmer_or_no_unit=unit.tier == Unit.Tier.TOWNSHIP,
            classified=index == 7,
            honours=honours,
            **person,
        )
        _evidence(registration, index)
        _through(registration)
    # Waiting at each step, for the demo accounts.
    waiting = []
    for index, name in enumerate(("edu_bureau", "ng_hr_review", "sent_back", "draft")):
        person = _person(fake, rng, 100 + index, nanguan)
        honours = [_honour(rng, 0)]
        if name == "draft":
            honours = [{**_honour(rng, 0), "treatment": ""}]  # H-1 finding on the form
        registration = service.create_registration(
            None,
            drive,
            school,
            id_number=person.pop("id_number"),
            phone=person.pop("phone"),
            unit_name=school.name,
            position="教师",
            honours=honours,
            **person,
        )
        if name != "draft":
            _evidence(registration, index)
        if name in ("edu_bureau", "ng_hr_review", "sent_back"):
            registration = service.submit_registration(None, registration)
        if name == "ng_hr_review":
            registration = service.record_opinion(
                None, registration, decision="agree", officer_name="教育局负责人"
            )
        if name == "sent_back":
            registration = service.record_opinion(
                None,
                registration,
                decision="send_back",
                officer_name="教育局负责人",
                text="请补充表彰文件复印件和人事档案记录页。",
            )
        waiting.append(registration)
    service.submit_contact(
        None,
        drive,
        school,
        leader_name="刘校长",
        leader_position="副校长",
        contact_name="王老师",
        contact_position="人事干事",
        office_phone="0431-85551234",
        mobile="13900001234",
    )
    return drive
