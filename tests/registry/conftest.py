import datetime
import random

import pytest

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.core.synthetic import resident_id
from laurel.orgs.models import UnitFunction
from laurel.registry.services import registrations as service
from tests.factories import UnitFactory, UserFactory

F = UnitFunction.Function
D = datetime.date
_rng = random.Random(5)


def division(code):
    return Division.objects.get(code=code)


def new_id(area="220102", birth=None, gender="1"):
    """A fresh valid ID number (birth dates spread so that numbers do not repeat)."""
    birth = birth or D(1950 + _rng.randrange(40), 1 + _rng.randrange(12), 1 + _rng.randrange(28))
    return resident_id(_rng, area, birth, gender)


class Area:
    """南关区 (county of 长春) with its departments, 长春 and the province's, a supervising
    bureau with a unit under it, a township, and a central unit."""

    def __init__(self):
        def department(name, code, function, tier):
            unit = UnitFactory(name=name, division=division(code), tier=tier, functions=[function])
            user = UserFactory(unit=unit, roles=[Role.REVIEWING_DEPARTMENT])
            return unit, user

        self.departments = {}
        for tier, code, prefix, unit_tier in (
            ("county", "220102", "南关区", "county"),
            ("city", "220100", "长春市", "prefecture"),
            ("province", "220000", "吉林省", "province"),
        ):
            for function, suffix in (
                (F.HR_SOCIAL_SECURITY, "人力资源和社会保障局"),
                (F.ORGANIZATION, "委组织部"),
                (F.TRADE_UNION, "总工会"),
            ):
                self.departments[(tier, function)] = department(
                    f"{prefix}{suffix}", code, function, unit_tier
                )
        self.bureau = UnitFactory(name="南关区教育局", division=division("220102"), tier="county")
        self.school = UnitFactory(
            name="南关区实验小学",
            division=division("220102"),
            tier="county",
            kind="public_institution",
            parent=self.bureau,
        )
        self.township = UnitFactory(
            name="南关区南岭街道办事处", division=division("220102"), tier="township"
        )
        self.central = UnitFactory(
            name="某部驻吉林单位", division=division("220000"), tier="province", is_central=True
        )
        self.school_user = UserFactory(unit=self.school, roles=[Role.NOMINATING_UNIT])
        self.bureau_user = UserFactory(unit=self.bureau, roles=[Role.NOMINATING_UNIT])
        self.township_user = UserFactory(unit=self.township, roles=[Role.NOMINATING_UNIT])
        self.office = UserFactory(
            unit=self.departments[("province", F.HR_SOCIAL_SECURITY)][0],
            roles=[Role.PROVINCIAL_OFFICE],
        )

    def reviewer(self, tier, function):
        return self.departments[(tier, function)][1]


@pytest.fixture
def area(db):
    return Area()


@pytest.fixture
def drive(area):
    return service.open_drive(
        area.office,
        name="全省享受省部级以上表彰奖励获得者待遇人员统计登记",
        document_number="吉人社联〔2021〕189号",
        contacts_due=D(2021, 12, 10),
        provincial_units_due=D(2021, 12, 31),
        counties_due=D(2022, 1, 15),
        cities_due=D(2022, 1, 31),
        province_due=D(2022, 2, 28),
    )


def file_through(area, registration):
    """Submitted by the school, agreed by its bureau, then by HR and the trade-union federation
    at county, city and province: filed. Returns the registration."""
    registration = service.submit_registration(area.school_user, registration)
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    for tier in ("county", "city", "province"):
        for function in (F.HR_SOCIAL_SECURITY, F.TRADE_UNION):
            registration = service.record_opinion(
                area.reviewer(tier, function), registration, decision="agree"
            )
    return registration


def model_worker(**overrides):
    honour = {
        "title": "吉林省劳动模范",
        "kind": "provincial_committee_government",
        "honour_type": "model_worker",
        "awarding_body": "中共吉林省委、吉林省人民政府",
        "document_number": "吉发〔2015〕10号",
        "awarded_on": D(2015, 4, 28),
        "treatment": "享受省级劳动模范待遇",
    }
    honour.update(overrides)
    return honour


def register(area, drive, unit=None, user=None, honours=None, **fields):
    unit = unit or area.school
    user = user or area.school_user
    fields.setdefault("name", "张志强")
    fields.setdefault("unit_name", unit.name)
    fields.setdefault("position", "教师")
    return service.create_registration(
        user,
        drive,
        unit,
        id_number=fields.pop("id_number", None) or new_id(),
        phone=fields.pop("phone", "13912345678"),
        honours=honours if honours is not None else [model_worker()],
        **fields,
    )


from tests.campaigns.conftest import jilin, jilin_text, jilin_units, office  # noqa: E402, F401
from tests.nominations.conftest import cc_staff, cc_unit, nanguan_unit, published  # noqa: E402, F401
