import datetime
import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from laurel.campaigns.services.campaigns import publish_campaign
from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.core.synthetic import resident_id
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as service
from tests.campaigns.conftest import jilin, jilin_text, jilin_units, office  # noqa: F401
from tests.factories import UnitFactory, UserFactory

D = datetime.date


def photo_file(size=(330, 462), fmt="JPEG", name="photo.jpg", exif=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (40, 90, 200))
    buffer = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "TestCamera"  # Make
        data[0x9003] = "2020:01:01 10:00:00"  # DateTimeOriginal (in the Exif IFD for real cameras)
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def published(jilin, office):  # noqa: F811
    """The Jilin campaign, published, with every body's deadline extended by the office so that
    its nominees can still be submitted today (the plan's own date, 2023-03-10, has passed)."""
    from django.utils import timezone

    from laurel.campaigns.services.campaigns import extend_deadline

    publish_campaign(office, jilin)
    jilin.refresh_from_db()
    until = timezone.localdate() + datetime.timedelta(days=90)
    for body in jilin.bodies.all():
        extend_deadline(office, body, until, "测试：活动在测试期间进行")
    return jilin


@pytest.fixture
def nanguan_unit(jilin_units):  # noqa: F811
    """A county-level unit inside 长春 (a region body)."""
    return UnitFactory(
        name="长春市南关区住房保障服务中心",
        division=Division.objects.get(code="220102"),
        tier="county",
        kind="public_institution",
    )


@pytest.fixture
def cc_unit(jilin_units):  # noqa: F811
    return jilin_units["长春市住房和城乡建设局"]


@pytest.fixture
def cc_staff(cc_unit):
    return UserFactory(unit=cc_unit, roles=[Role.NOMINATING_BODY])


_rng = random.Random(11)
_issued: set[str] = set()


def _fresh_id(birth) -> str:
    """A valid ID number not handed out before in this test run (one person once a campaign)."""
    while True:
        number = resident_id(_rng, "220122", birth, "1")
        if number not in _issued:
            _issued.add(number)
            return number


def complete_individual(actor, campaign, unit, procedure=True, **overrides) -> Nominee:
    """An individual nominee with every field of 附件3 filled in, ready to submit."""
    category = campaign.categories.get(kind="individual")
    birth = overrides.pop("birth_date", D(1980, 5, 17))
    fields = {
        "name": "王某某",
        "gender": "1",
        "ethnicity": "01",
        "native_place": "吉林省农安县",
        "birth_date": birth,
        "political_status": "01",
        "education": "bachelor",
        "work_start": D(2002, 7, 1),
        "id_number": _fresh_id(birth),
        "staffing_type": "public_institution",
        "position_rank": "保障科科长",
        "admin_level": "section",
        "work_unit_name": unit.name,
        "unit_affiliation": "county",
        "unit_nature": "public_institution",
        "unit_division": Division.objects.get(code="220102"),
        "unit_address": "长春市南关区人民大街1号",
        "unit_phone": "0431-88888888",
        "mobile": "13812345678",
        "field_work_since": D(2015, 3, 1),
        "deeds": "该同志" + "扎实工作。" * 50,
    }
    fields.update(overrides)
    nominee = service.create_nominee(actor, campaign, category, nominating_unit=unit, **fields)
    service.set_resume(
        actor,
        nominee,
        [
            {"start": D(1998, 9, 1), "end": D(2002, 7, 1), "text": "吉林建筑大学学生"},
            {"start": D(2002, 7, 1), "end": D(2015, 3, 1), "text": "南关区城建局科员"},
            {"start": D(2015, 3, 1), "end": None, "text": "南关区住房保障服务中心科长"},
        ],
    )
    service.set_conditions(actor, nominee, [category.conditions.first().pk])
    service.set_photo(actor, nominee, photo_file())
    if procedure:
        pass_procedure(nominee)
    nominee.refresh_from_db()
    return nominee


def complete_collective(actor, campaign, unit, procedure=True, **overrides) -> Nominee:
    category = campaign.categories.get(kind="collective")
    fields = {
        "name": "长春市南关区住房保障服务中心",
        "collective_type": "public_institution",
        "admin_level": "section",
        "member_count": 25,
        "unit_division": Division.objects.get(code="220102"),
        "leader_name": "李某",
        "leader_unit_position": "主任",
        "leader_phone": "13912345678",
        "parent_unit_name": "长春市南关区住房和城乡建设局",
        "parent_unit_phone": "0431-88888888",
        "address": "长春市南关区人民大街1号",
        "profile": "中心负责全区保障房分配。",
        "deeds": "该中心" + "成绩突出。" * 40,
    }
    fields.update(overrides)
    nominee = service.create_nominee(actor, campaign, category, nominating_unit=unit, **fields)
    service.set_conditions(actor, nominee, [category.conditions.first().pk])
    if procedure:
        pass_procedure(nominee)
    nominee.refresh_from_db()
    return nominee


def pass_procedure(nominee, notice_start=None):
    """C-8 step 1 done: every department agreed, and a unit notice has run its course."""
    notice_start = notice_start or D(2026, 6, 1)
    from laurel.nominations.models import ClearanceRequest
    from laurel.nominations.services.clearance import open_clearances, record_opinion
    from laurel.public.services.notices import create_notice

    open_clearances(None, nominee)
    for request in nominee.clearances.filter(state=ClearanceRequest.State.PENDING):
        record_opinion(None, request, state="agreed", opinion="", officer_name="经办人")
    create_notice(
        None,
        nominee.campaign,
        level="unit",
        nominees=[nominee],
        starts_on=notice_start,
        contact="联系人 0431-88888888",
    )
    return nominee


# The reviewing departments of 南关区, 长春 and the province (defined with the review tests).
from tests.nominations.test_review import reviewers  # noqa: E402, F401
