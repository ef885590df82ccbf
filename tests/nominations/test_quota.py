"""Submission within the quota (C-4) and the tiers it goes to (C-8)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from laurel.campaigns.models import Quota
from laurel.core.models import AuditLog, Division
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as service
from tests.factories import UnitFactory
from tests.nominations.conftest import complete_collective, complete_individual

D = datetime.date
pytestmark = pytest.mark.django_db


def _set_places(campaign, body_key, kind, places, reserved=None):
    quota = Quota.objects.get(body__campaign=campaign, body__key=body_key, category__kind=kind)
    Quota.objects.filter(pk=quota.pk).update(places=places)
    if reserved is not None:
        quota.reservations.update(places=reserved)
    return quota


def test_c8_county_nominee_goes_to_the_city_and_city_nominee_to_the_province(
    published, cc_staff, nanguan_unit, cc_unit
):
    county = service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    assert (county.state, county.submitted_to) == ("submitted", "city")
    city = service.submit_nominee(
        cc_staff, complete_collective(cc_staff, published, cc_unit, name="长春市某中心")
    )
    assert city.submitted_to == "province"
    own = AuditLog.objects.for_object(city).filter(content_type__model="nominee")
    assert own.filter(action="transition").count() == 1


def test_c4_submission_beyond_the_quota_is_refused(published, cc_staff, nanguan_unit):
    _set_places(published, "changchun", "individual", 2, reserved=0)
    first, second, third = (
        complete_individual(cc_staff, published, nanguan_unit, name=f"候选{i}") for i in range(3)
    )
    service.submit_nominee(cc_staff, first)
    service.submit_nominee(cc_staff, second)
    with pytest.raises(ValidationError) as error:
        service.submit_nominee(cc_staff, third)
    assert "名额2个已用完（已上报2个）" in error.value.messages[0]
    third.refresh_from_db()
    assert third.state == Nominee.State.DRAFT
    service.withdraw_nominee(cc_staff, first, "材料需修改")
    assert service.submit_nominee(cc_staff, third).state == Nominee.State.SUBMITTED


def test_c4_reserved_sub_quota_for_gongzhuling(published, cc_staff, nanguan_unit):
    # 长春 individuals: 3 places, 1 of them reserved for 公主岭.
    _set_places(published, "changchun", "individual", 3, reserved=1)
    gongzhuling = UnitFactory(
        name="公主岭市住房保障中心",
        division=Division.objects.get(code="220184"),
        tier="county",
        kind="public_institution",
    )
    g1, g2 = (
        complete_individual(cc_staff, published, gongzhuling, name=f"公{i}") for i in range(2)
    )
    n1, n2, n3 = (
        complete_individual(cc_staff, published, nanguan_unit, name=f"南{i}") for i in range(3)
    )
    service.submit_nominee(cc_staff, n1)
    service.submit_nominee(cc_staff, n2)
    with pytest.raises(ValidationError) as error:
        service.submit_nominee(cc_staff, n3)  # the last place is 公主岭's
    assert "除单列名额外的2个名额已用完" in error.value.messages[0]
    service.submit_nominee(cc_staff, g1)
    with pytest.raises(ValidationError) as error:
        service.submit_nominee(cc_staff, g2)
    assert (
        "名额3个已用完" in error.value.messages[0]
        or "公主岭市单列名额1个已用完" in error.value.messages[0]
    )


def test_incomplete_nominee_cannot_be_submitted_and_says_why(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    service.set_resume(
        cc_staff,
        nominee,
        [
            {"start": D(1998, 9, 1), "end": D(2002, 7, 1), "text": "学生"},
            {"start": D(2003, 1, 1), "end": None, "text": "科员"},
        ],
    )
    with pytest.raises(ValidationError) as error:
        service.submit_nominee(cc_staff, nominee)
    assert "简历断档：2002年8月至2002年12月没有经历。" in error.value.messages


def test_submitted_nominee_is_read_only_until_withdrawn(published, cc_staff, nanguan_unit):
    nominee = service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    with pytest.raises(ValidationError):
        service.save_draft(cc_staff, nominee, name="改名")


def test_ranking_moves_one_place(published, cc_staff, nanguan_unit):
    a, _b, c = (
        complete_collective(cc_staff, published, nanguan_unit, name=f"集体{i}") for i in range(3)
    )
    service.move_nominee(cc_staff, c, -1)
    order = list(
        Nominee.objects.filter(body=a.body, category=a.category)
        .order_by("rank")
        .values_list("name", flat=True)
    )
    assert order == ["集体0", "集体2", "集体1"]
    service.move_nominee(cc_staff, Nominee.objects.get(name="集体0"), -1)  # already first
    assert Nominee.objects.get(name="集体0").rank == 1


@pytest.mark.django_db(transaction=True)
def test_c4_concurrent_submissions_never_exceed_the_quota(published, cc_staff, nanguan_unit):
    """Eight threads submit eight nominees at once against three places."""
    _set_places(published, "changchun", "individual", 3, reserved=0)
    nominees = [
        complete_individual(cc_staff, published, nanguan_unit, name=f"并发{i}") for i in range(8)
    ]
    barrier = threading.Barrier(len(nominees))
    outcomes = []

    def submit(nominee):
        try:
            barrier.wait(timeout=10)
            service.submit_nominee(cc_staff, nominee)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # SQLite may report a busy database: that is a refusal too
            outcomes.append(f"error: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in nominees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    submitted = Nominee.objects.filter(
        body=nominees[0].body, category=nominees[0].category, state=Nominee.State.SUBMITTED
    ).count()
    assert submitted == 3, outcomes
    assert outcomes.count("ok") == 3
    if connection.vendor == "postgresql":
        assert outcomes.count("refused") == 5, outcomes


def test_c8_nothing_is_submitted_after_the_material_deadline_unless_the_office_extends(
    client, published, cc_staff, nanguan_unit, office
):
    """Issue 18 §7: a nominee was submitted on 2026-11-27 into a campaign whose materials were
    due 2023-03-10. Past the body's deadline, submission is refused; the office may extend one
    body's deadline, with a reason on the record."""
    import datetime

    from django.utils import timezone

    from laurel.campaigns.models import NominatingBody
    from laurel.campaigns.services.campaigns import extend_deadline
    from laurel.core.models import AuditLog

    nominee = complete_individual(cc_staff, published, nanguan_unit)
    NominatingBody.objects.filter(campaign=published).update(deadline_extended_to=None)
    with pytest.raises(ValidationError) as error:
        service.submit_nominee(cc_staff, Nominee.objects.get(pk=nominee.pk))
    assert "2023-03-10" in error.value.messages[0] and "已过" in error.value.messages[0]
    client.force_login(cc_staff)
    client.post(f"/nominations/{nominee.pk}/submit/")
    assert Nominee.objects.get(pk=nominee.pk).state == Nominee.State.DRAFT
    body = nominee.body
    until = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        extend_deadline(cc_staff, body, until, "我方需要")
    with pytest.raises(ValidationError):
        extend_deadline(office, body, until, " ")
    client.force_login(office)
    client.post(
        f"/campaigns/bodies/{body.pk}/deadline/",
        {"until": until.isoformat(), "reason": "疫情影响，延期一周"},
    )
    assert AuditLog.objects.filter(reason="疫情影响，延期一周").exists()
    assert service.submit_nominee(cc_staff, Nominee.objects.get(pk=nominee.pk)).state == "submitted"


def test_c4_a_quota_is_never_set_below_what_was_submitted(
    published, cc_staff, nanguan_unit, office
):
    from laurel.campaigns.services.campaigns import set_quotas

    submitted = [
        service.submit_nominee(
            cc_staff, complete_individual(cc_staff, published, nanguan_unit, name=n)
        )
        for n in ("甲", "乙", "丙")
    ]
    quota = Quota.objects.get(body=submitted[0].body, category=submitted[0].category)
    with pytest.raises(ValidationError) as error:
        set_quotas(office, published, {quota.pk: 2}, reason="调整")  # below the 3 submitted
    assert "已上报3个" in error.value.messages[0]
    quota.refresh_from_db()
    assert quota.places == 22


def test_c8_one_person_is_nominated_once_per_campaign(client, published, cc_staff, nanguan_unit):
    """Issue 18 §7: the same ID number could be nominated twice through the form (only the
    sheet import refused it)."""
    first = complete_individual(cc_staff, published, nanguan_unit, name="第一次")
    with pytest.raises(ValidationError) as error:
        complete_individual(
            cc_staff, published, nanguan_unit, name="第二次", id_number=first.id_number
        )
    assert "只能推荐一次" in error.value.message_dict["id_number"][0]
    second = complete_individual(cc_staff, published, nanguan_unit, name="另一人")
    with pytest.raises(ValidationError):
        service.save_draft(cc_staff, second, id_number=first.id_number)
    second.refresh_from_db()
    assert second.id_number != first.id_number


def test_c8_a_closed_campaign_is_read_only(client, published, cc_staff, nanguan_unit, office):
    """Issue 18 §7: close_campaign was called from no page, so no campaign could end. The office
    closes it on the campaign's page; its records then refuse every change."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    assert client.post(f"/campaigns/{published.pk}/close/", {"reason": "x"}).status_code == 403
    client.force_login(office)
    client.post(f"/campaigns/{published.pk}/close/", {"reason": "评选表彰工作结束"})
    published.refresh_from_db()
    assert published.status == "closed"
    nominee = Nominee.objects.get(pk=nominee.pk)
    for change in (
        lambda: service.save_draft(cc_staff, nominee, position_rank="改"),
        lambda: service.submit_nominee(cc_staff, nominee),
        lambda: service.delete_draft(cc_staff, nominee),
    ):
        with pytest.raises(ValidationError) as error:
            change()
        assert "活动已结束" in error.value.messages[0]


def test_c4_reloading_a_definition_never_sets_a_quota_below_the_places_taken(
    published, office, jilin_text, cc_staff, nanguan_unit
):
    """Review of issue 18: ``set_quotas`` refused it, the definition file did not."""
    import re

    from laurel.campaigns.services.definitions import DefinitionError, load_definition

    nominee = service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    assert Nominee.objects.get(pk=nominee.pk).state == Nominee.State.SUBMITTED
    # 长春's individual places to 0 (its reserved places with them), 四平 takes them over: the
    # totals hold, only the place 长春 already filled stands in the way.
    lowered = jilin_text.replace(
        "quotas: {collective: 20, individual: 22}", "quotas: {collective: 20, individual: 0}"
    )
    lowered = re.sub(r"\n    reserved:\n      - \{name: 公主岭市[^\n]*", "", lowered, count=1)
    lowered = lowered.replace(
        "unit: 四平市住房和城乡建设局, quotas: {collective: 5, individual: 6}",
        "unit: 四平市住房和城乡建设局, quotas: {collective: 5, individual: 28}",
    )
    assert lowered != jilin_text
    with pytest.raises(DefinitionError) as error:
        load_definition(office, lowered, source="lowered.yaml")
    assert "已上报1个" in str(error.value) and len(error.value.problems) == 1, error.value
    assert nominee.body.quotas.get(category=nominee.category).places > 0


def test_c3_c4_a_definition_loaded_again_keeps_a_published_categorys_kind_and_a_bodys_place(
    published, office, cc_staff, nanguan_unit, jilin_text
):
    """Probe: loading the plan's file again onto a published campaign switched a category's
    kind (which the pages never change; it turns the bonus on or off) and moved a body holding
    nominees to another unit (its nominees' jurisdiction and route follow the body)."""
    from laurel.campaigns.services.definitions import load_definition
    from laurel.core.definitions import DefinitionError

    complete_individual(cc_staff, published, nanguan_unit)  # a draft of 长春's body
    switched = jilin_text.replace(
        "  - key: individual\n    kind: individual", "  - key: individual\n    kind: collective"
    )
    assert switched != jilin_text
    with pytest.raises(DefinitionError) as refused:
        load_definition(office, switched)
    assert "不能改变表彰类别" in str(refused.value)
    UnitFactory(name="某新设单位", division=Division.objects.get(code="220000"), tier="province")
    moved = jilin_text.replace(
        '    division: "220100"\n    unit: 长春市住房和城乡建设局', "    unit: 某新设单位"
    )
    assert moved != jilin_text
    with pytest.raises(DefinitionError) as refused:
        load_definition(office, moved)
    assert "已有推荐对象，不能改变其地区或单位" in str(refused.value)
    assert published.categories.get(key="individual").kind == "individual"
    body = published.bodies.get(key="changchun")
    assert body.division.code == "220100"
    # Review: a file loaded again moved the published material deadline earlier (the page
    # refuses it); it only moves later.
    deadline = published.material_deadline()
    earlier = jilin_text.replace(deadline.isoformat(), "2023-01-05")
    assert earlier != jilin_text
    with pytest.raises(DefinitionError) as refused:
        load_definition(office, earlier)
    assert "只能推后" in str(refused.value)
    assert published.material_deadline() == deadline
