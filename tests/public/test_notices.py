"""Public notices in working days (C-8, C-16) and objections from the public."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from laurel.core import calendar
from laurel.core.roles import Role
from laurel.evaluation.services import lists as list_services
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as nominee_service
from laurel.public.models import Objection, PublicNotice
from laurel.public.services import notices as service
from tests.evaluation.test_list import decide, through_the_leading_group
from tests.factories import UserFactory
from tests.nominations.conftest import complete_individual

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()


def test_c16_notice_from_the_friday_before_spring_festival_2026():
    # 13 Feb (Fri), 14 Feb (Sat, adjusted workday), then 15–23 Feb off: 24, 25, 26 Feb.
    assert calendar.period_end(D(2026, 2, 13), 5) == D(2026, 2, 26)


def test_c16_notice_across_mid_autumn_and_national_day_2026():
    # 25 Sep (Fri) is Mid-Autumn; 1–7 Oct off; 10 Oct (Sat) is an adjusted workday.
    assert calendar.period_end(D(2026, 9, 18), 5) == D(2026, 9, 23)  # 20 Sep (Sun) worked
    assert calendar.period_end(D(2026, 9, 25), 5) == D(2026, 10, 9)
    assert calendar.period_end(D(2026, 9, 30), 5) == D(2026, 10, 12)


def _notice(nominee, starts_on=None):
    return service.create_notice(
        None,
        nominee.campaign,
        level="unit",
        nominees=[nominee],
        starts_on=starts_on or datetime.date.today(),
        contact="王老师 0431-88888888",
    )


def test_c8_notice_end_is_computed_and_it_cannot_close_early(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    notice = service.create_notice(
        None,  # a notice that ran in the past: the system's record of it
        published,
        level="unit",
        nominees=[nominee],
        starts_on=D(2026, 2, 13),
        contact="王老师 0431-88888888",
    )
    assert (notice.ends_on, notice.working_days) == (D(2026, 2, 26), 5)
    today = _notice(nominee)
    with pytest.raises(ValidationError) as error:
        service.close_notice(cc_staff, today)
    assert "期满前不能结束公示" in error.value.messages[0]
    service.close_notice(cc_staff, notice, "期满无异议")
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.CLOSED


def test_c8_nominee_cannot_move_up_before_the_unit_notice_ends(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    assert "尚未在单位进行公示（不少于5个工作日）。" in service.notice_problems(nominee)
    notice = _notice(nominee)
    assert (
        f"单位公示至{notice.ends_on.isoformat()}结束，期满后方可上报。"
        in service.notice_problems(nominee)
    )


def test_a_year_the_calendar_does_not_cover_is_refused_clearly(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    year = max(calendar.LIBRARY_YEARS) + 1
    with pytest.raises(ValidationError) as error:
        service.create_notice(
            cc_staff,
            published,
            level="unit",
            nominees=[nominee],
            starts_on=D(year, 3, 2),
            contact="x",
        )
    assert str(year) in error.value.message_dict["starts_on"][0]


def test_only_the_office_publishes_a_provincial_notice(published, cc_staff, nanguan_unit, office):
    from django.core.exceptions import PermissionDenied

    nominee = _on_the_approved_list(office, published, cc_staff, nanguan_unit)
    with pytest.raises(PermissionDenied):
        service.create_notice(
            cc_staff,
            published,
            level="province",
            nominees=[nominee],
            starts_on=timezone.localdate(),
            contact="x",
        )
    notice = service.create_notice(
        office,
        published,
        level="province",
        nominees=[nominee],
        starts_on=timezone.localdate(),
        contact="省表彰办 0431-1",
    )
    assert notice.level == "province"


def _received(cc_staff, campaign, unit, count=2):
    people = []
    for index in range(count):
        nominee = complete_individual(cc_staff, campaign, unit, name=f"省收{index}")
        Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.RECEIVED, review_round=1)
        nominee.refresh_from_db()
        people.append(nominee)
    return people


def _on_the_approved_list(office, campaign, cc_staff, unit):
    """The first of two received nominees, chosen (C-8's differential) and approved."""
    received = _received(cc_staff, campaign, unit)
    return through_the_leading_group(office, campaign, received[0].category, received)[0]


def test_c8_the_provincial_notice_shows_only_the_list_the_leading_group_approved(
    published, cc_staff, nanguan_unit, office
):
    """C-8 steps 3-5: names received at the province are not publicly noticed before the
    panel, the assessment and the leading group's re-examination — nor a name it removed."""
    from tests.evaluation.test_list import _candidates

    received = _received(cc_staff, published, nanguan_unit, count=3)

    def publish(nominees):
        return service.create_notice(
            office,
            published,
            level="province",
            nominees=nominees,
            starts_on=timezone.localdate(),
            contact="省表彰办 0431-1",
        )

    with pytest.raises(ValidationError) as refused:
        publish(received[:1])  # received, not yet before the panel
    assert "省收0" in refused.value.messages[0] and "领导小组" in refused.value.messages[0]
    category = received[0].category
    chosen = _candidates(office, published, category, received)
    with pytest.raises(ValidationError):
        publish(chosen[:1])  # a candidate, not yet assessed and re-examined
    assessor = UserFactory(unit=office.unit, roles=[Role.ASSESSMENT_TEAM])
    for nominee in chosen:
        list_services.record_assessment(assessor, nominee, recommend=True, findings="属实")
    lst = list_services.draft_preliminary_list(office, published, category, [n.pk for n in chosen])
    list_services.submit_to_leading_group(office, lst)
    with pytest.raises(ValidationError):
        publish(chosen[:1])  # before the leading group
    leader = UserFactory(unit=office.unit, roles=[Role.LEADING_GROUP])
    decide(leader, lst, note="同意，去掉一名", remove=[chosen[-1].pk])
    with pytest.raises(ValidationError) as refused:
        publish(chosen)  # the name the leading group removed
    assert chosen[-1].name in refused.value.messages[0]
    notice = publish(chosen[:-1])
    assert [e.nominee_id for e in notice.entries.all()] == [n.pk for n in chosen[:-1]]


def test_objection_blocks_the_nominee_until_resolved(client, published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)  # procedure passed
    notice = _notice(nominee)
    response = client.post(
        f"/public/notices/{notice.pk}/",
        {
            "nominee": nominee.pk,
            "content": "该同志存在虚报业绩问题。",
            "contact": "",
        },
    )
    objection = Objection.objects.get()
    assert objection.reference in response.content.decode()
    assert "有1件异议尚未核查办结。" in service.notice_problems(nominee)
    with pytest.raises(ValidationError):
        nominee_service.submit_nominee(cc_staff, nominee)
    service.resolve_objection(cc_staff, objection, founded=False, note="经核查，业绩属实。")
    assert nominee_service.submit_nominee(cc_staff, nominee).state == Nominee.State.SUBMITTED


def test_founded_objection_withdraws_the_nominee(published, cc_staff, nanguan_unit, office):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)
    objection = service.file_objection(notice, nominee.pk, "反映问题")
    service.assign_objection(office, objection, office)
    service.resolve_objection(office, objection, founded=True, note="经核查属实")
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.WITHDRAWN
    with pytest.raises(ValidationError):
        service.resolve_objection(office, objection, founded=False, note="再次")


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> 😀 “引号” &amp;'


def test_hostile_input_is_stored_as_typed_and_escaped_on_display(
    client, published, cc_staff, nanguan_unit, office
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)
    response = client.post(
        f"/public/notices/{notice.pk}/",
        {
            "nominee": nominee.pk,
            "content": HOSTILE,
            "contact": "<b>x</b>😀",
        },
    )
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.content == HOSTILE and objection.contact == "<b>x</b>😀"
    client.force_login(office)
    html = client.get(f"/objections/{objection.pk}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "😀" in html


def test_oversized_input_is_refused_with_a_clear_message(client, published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)
    response = client.post(
        f"/public/notices/{notice.pk}/",
        {
            "nominee": nominee.pk,
            "content": "字" * 10000,
            "contact": "",
        },
    )
    assert response.status_code == 400
    assert "异议内容不能超过2000字（当前10000字）" in response.content.decode()
    response = client.post(f"/public/notices/{notice.pk}/", {"nominee": nominee.pk, "content": ""})
    assert "请填写异议内容" in response.content.decode() or "必填" in response.content.decode()
    assert not Objection.objects.exists()


def test_objections_are_rate_limited(client, published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)
    for index in range(service.OBJECTIONS_PER_HOUR):
        client.post(
            f"/public/notices/{notice.pk}/", {"nominee": nominee.pk, "content": f"第{index}条"}
        )
    response = client.post(
        f"/public/notices/{notice.pk}/", {"nominee": nominee.pk, "content": "再来"}
    )
    assert "提交过于频繁" in response.content.decode()
    assert Objection.objects.count() == service.OBJECTIONS_PER_HOUR


def test_h6_rate_limits_count_the_client_behind_the_proxy_not_the_proxy(
    client, published, cc_staff, nanguan_unit, settings
):
    """Issue 19: behind nginx every visitor shared nginx's address, so the whole public shared
    five objections an hour. The client's address comes from the trusted proxy's header."""
    settings.LAUREL_TRUSTED_PROXIES = ["127.0.0.1"]
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)

    def post(visitor, text):
        return client.post(
            f"/public/notices/{notice.pk}/",
            {"nominee": nominee.pk, "content": text},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=visitor,
        )

    for index in range(service.OBJECTIONS_PER_HOUR):
        post("203.0.113.5", f"第{index}条")
    assert "提交过于频繁" in post("203.0.113.5", "再来").content.decode()
    assert "提交过于频繁" not in post("198.51.100.9", "另一位市民").content.decode()
    assert Objection.objects.count() == service.OBJECTIONS_PER_HOUR + 1
    # A header written by the visitor itself is not believed.
    forged = post("198.51.100.77, 203.0.113.5", "伪造地址")
    assert "提交过于频繁" in forged.content.decode()


def test_h6_the_rate_limit_is_one_count_across_workers_in_redis(settings):
    """Production keeps the counts in Redis (``LAUREL_CACHE_URL``): what one worker spent,
    another worker (here: a separate Redis connection) sees, and the last one is not taken
    twice."""
    import redis
    from django.core.cache import cache

    from laurel.core import throttle

    location = "redis://127.0.0.1:6379/15"
    other_worker = redis.Redis.from_url(location)
    try:
        other_worker.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    cache.clear()
    assert throttle.spend("objections", "203.0.113.5", 2)
    assert throttle.spend("objections", "203.0.113.5", 2)
    keys = other_worker.keys("*laurel:rate:objections:203.0.113.5")
    assert len(keys) == 1 and int(other_worker.get(keys[0])) == 2
    assert not throttle.spend("objections", "203.0.113.5", 2)
    cache.clear()


def test_public_page_never_shows_id_numbers_phones_or_photos(
    client, published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)
    html = client.get(f"/public/notices/{notice.pk}/").content.decode()
    assert nominee.name in html and nominee.category.honour_title in html
    assert nominee.id_number not in html and nominee.mobile not in html
    assert "/photo/" not in html and "王老师 0431-88888888" in html
    assert client.get("/public/notices/").status_code == 200


def test_objection_outside_the_notice_period_is_refused(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)  # its notice ended in 2026-06
    notice = nominee.notice_entries.get().notice
    with pytest.raises(ValidationError) as error:
        service.file_objection(notice, nominee.pk, "迟到的异议")
    assert "不在公示期内" in error.value.messages[0]


def test_c8_objections_are_handled_by_the_organiser_of_their_notice_level(
    client, published, cc_staff, nanguan_unit, office
):
    """Issue 17 (the rule ``public.handle_objection``): a unit notice's objections belong to
    the office and the nominating body of the area — not to the unit whose nominee it is; a
    provincial notice's to the provincial office alone. The objector's contact is shown to them
    only."""
    from django.core.exceptions import PermissionDenied

    from laurel.core.roles import Role
    from tests.factories import UserFactory

    unit_officer = UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT])
    reviewer = UserFactory(unit=cc_staff.unit, roles=[Role.REVIEWING_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    on_unit_notice = service.file_objection(_notice(nominee), nominee.pk, "反映问题", "李某 139")
    with pytest.raises(PermissionDenied):
        service.resolve_objection(unit_officer, on_unit_notice, founded=False, note="属实")
    for user, sees in ((cc_staff, True), (reviewer, False), (unit_officer, False)):
        client.force_login(user)
        html = client.get(f"/objections/{on_unit_notice.pk}/").content.decode()
        assert ("李某 139" in html) is sees, user
    service.resolve_objection(cc_staff, on_unit_notice, founded=False, note="经核查，不属实。")

    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.RECEIVED, review_round=1)
    nominee.refresh_from_db()
    others = _received(cc_staff, published, nanguan_unit, count=1)
    through_the_leading_group(office, published, nominee.category, [nominee, *others])
    provincial = service.create_notice(
        office,
        published,
        level="province",
        nominees=[nominee],
        starts_on=timezone.localdate(),
        contact="省表彰办 0431-1",
    )
    on_provincial = service.file_objection(provincial, nominee.pk, "再次反映", "王某")
    assert not cc_staff.has_perm("public.cancel_notice", provincial)
    assert office.has_perm("public.cancel_notice", provincial)
    for outsider in (cc_staff, unit_officer):
        with pytest.raises(PermissionDenied):
            service.resolve_objection(outsider, on_provincial, founded=False, note="不属实")
        with pytest.raises(PermissionDenied):
            service.assign_objection(outsider, on_provincial, outsider)
    client.force_login(cc_staff)
    response = client.post(
        f"/objections/{on_provincial.pk}/", {"founded": "0", "note": "不属实"}, follow=True
    )
    on_provincial.refresh_from_db()
    assert on_provincial.state == Objection.State.OPEN
    service.resolve_objection(office, on_provincial, founded=False, note="经核查，不属实。")
    on_provincial.refresh_from_db()
    assert on_provincial.state == Objection.State.UNFOUNDED
    assert response.status_code == 403


def _time_passes(notice, days):
    """The calendar moves on: the notice's dates are shifted into the past (test only)."""
    shift = datetime.timedelta(days=days)
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - shift, ends_on=notice.ends_on - shift
    )
    notice.refresh_from_db()
    return notice


def test_c8_a_notice_never_starts_before_it_is_published(client, published, cc_staff, nanguan_unit):
    """Issue 18 §1: a unit published a notice today "starting" eleven days ago, closed it at
    once, and the five working days counted. A backdated start is refused, in the service and
    with a crafted POST of the form; nothing is saved."""
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    backdated = timezone.localdate() - datetime.timedelta(days=11)
    with pytest.raises(ValidationError) as error:
        service.create_notice(
            cc_staff,
            published,
            level="unit",
            nominees=[nominee],
            starts_on=backdated,
            contact="x",
        )
    assert "不能早于发布当日" in error.value.message_dict["starts_on"][0]
    client.force_login(cc_staff)
    response = client.post(
        f"/notices/new/{published.pk}/",
        {
            "level": "unit",
            "nominees": [str(nominee.pk)],
            "starts_on": backdated.isoformat(),
            "contact": "王老师 0431-1",
        },
    )
    assert response.status_code == 200 and "不能早于发布当日" in response.content.decode()
    assert not PublicNotice.objects.exists()


def test_c8_a_notice_cannot_end_early_and_a_cancellation_voids_it(
    client, published, cc_staff, nanguan_unit
):
    """Issue 18 §1: no early close; taking a notice down is a recorded cancellation, and a
    cancelled notice counts for nothing, even once its dates are past."""
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    notice = service.create_notice(
        cc_staff,
        published,
        level="unit",
        nominees=[nominee],
        starts_on=timezone.localdate(),
        contact="王老师 0431-1",
    )
    client.force_login(cc_staff)
    client.post(f"/notices/{notice.pk}/close/", {"note": "提前结束"})
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.PUBLISHED
    with pytest.raises(ValidationError):
        service.cancel_notice(cc_staff, notice, " ")
    client.post(f"/notices/{notice.pk}/cancel/", {"reason": "名单有误，撤下重发"})
    notice.refresh_from_db()
    assert (notice.state, notice.cancelled_reason) == ("cancelled", "名单有误，撤下重发")
    _time_passes(notice, 30)
    assert "尚未在单位进行公示（不少于5个工作日）。" in service.notice_problems(nominee)
    assert client.get(f"/public/notices/{notice.pk}/").status_code == 200  # says it is void
    assert "本公示已撤销" in client.get(f"/public/notices/{notice.pk}/").content.decode()


def test_c16_ended_notices_leave_the_public_list_and_take_no_objections(
    client, published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    notice = _time_passes(_notice(nominee), 30)
    assert notice.title not in client.get("/public/notices/").content.decode()
    assert notice.title in client.get("/public/notices/archive/").content.decode()
    page = client.get(f"/public/notices/{notice.pk}/").content.decode()
    assert "已结束" in page and 'name="content"' not in page
    response = client.post(
        f"/public/notices/{notice.pk}/", {"nominee": nominee.pk, "content": "迟到的异议"}
    )
    assert response.status_code == 400 and not Objection.objects.exists()


def test_c8_an_objector_looks_the_outcome_up_by_reference_number(
    client, published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    objection = service.file_objection(_notice(nominee), nominee.pk, "反映问题", "李某 139")
    page = client.get(f"/public/objections/?reference={objection.reference}").content.decode()
    assert "待核查" in page and nominee.name in page
    assert "李某" not in page and "反映问题" not in page  # nothing of the objector or content
    service.resolve_objection(cc_staff, objection, founded=False, note="经核查，业绩属实。")
    page = client.get(f"/public/objections/?reference={objection.reference}").content.decode()
    assert "经核查不属实" in page and "办结" in page and "业绩属实" not in page
    unknown = client.get("/public/objections/?reference=YY20000101000000").content.decode()
    assert "没有这个受理编号" in unknown


def test_the_organiser_is_mailed_when_an_objection_arrives_without_its_text_or_contact(
    published, cc_staff, nanguan_unit, mailoutbox, django_capture_on_commit_callbacks
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    notice = _notice(nominee)
    from laurel.core.roles import Role
    from tests.factories import UserFactory

    # who handles a unit notice's objections: the nominee's nominating body, not its own unit
    UserFactory(unit=nominee.body.unit, roles=[Role.NOMINATING_BODY], email="organiser@x.invalid")
    UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT], email="own-unit@x.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        objection = service.file_objection(
            notice, nominee.pk, "该同志存在虚报业绩问题。", contact="13912345678"
        )
    [mail] = [m for m in mailoutbox if "organiser@x.invalid" in m.to]
    assert objection.reference in mail.body and nominee.name in mail.body
    assert "虚报业绩" not in mail.body and "13912345678" not in mail.body
    assert not [m for m in mailoutbox if "own-unit@x.invalid" in m.to]


def test_the_record_page_shows_the_notices_and_the_objections_outcome(
    client, published, cc_staff, nanguan_unit, office
):
    """Issue 20: the full record carries the notice results and objections — the outcome for
    every reader, the objection's file only for those who may open it."""
    from django.urls import reverse

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="周密")
    earlier = nominee.notice_entries.get().notice  # the unit notice that has run its course
    notice = _notice(nominee)
    objection = service.file_objection(notice, nominee.pk, content="该同志业绩不实。")
    service.resolve_objection(cc_staff, objection, founded=False, note="经核查，业绩属实。")
    client.force_login(cc_staff)
    html = client.get(f"/nominations/{nominee.pk}/").content.decode()
    start = html.index('data-testid="record-notices"')
    section = html[start : html.index("</section>", start)]
    assert earlier.title in section and notice.title in section
    assert "经核查不属实" in section and "无异议" in section
    link = f'<a href="{reverse("public:objection", args=[objection.pk])}">{objection.reference}</a>'
    assert link in section
    assert "该同志业绩不实。" not in section  # the content stays in the objection's file


def test_c8_a_person_swapped_after_the_unit_notice_needs_a_notice_of_their_own(
    client, published, cc_staff, nanguan_unit
):
    """The unit notice showed 王某某 with one ID number; the draft is then changed to another
    person. Submission refuses until the new person has been on a notice of their own, and the
    archived notice still shows the person it showed."""
    from tests.nominations.conftest import _fresh_id

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="公示原名")
    assert service.notice_problems(nominee) == []
    notice = nominee.notice_entries.get().notice
    nominee_service.save_draft(
        cc_staff, nominee, name="调包后", id_number=_fresh_id(D(1980, 5, 17))
    )
    nominee.refresh_from_db()
    problems = service.notice_problems(nominee)
    assert problems == [
        "公示后姓名或身份证号码已改动：须以现在的信息重新在单位公示（不少于5个工作日）。"
    ]
    with pytest.raises(ValidationError) as refused:
        nominee_service.submit_nominee(cc_staff, nominee)
    assert "重新在单位公示" in str(refused.value)
    html = client.get(f"/public/notices/{notice.pk}/").content.decode()
    assert "公示原名" in html and "调包后" not in html
    # the same name with another ID number is another person too
    other = complete_individual(cc_staff, published, nanguan_unit, name="同名不同人")
    nominee_service.save_draft(cc_staff, other, id_number=_fresh_id(D(1981, 3, 3)))
    other.refresh_from_db()
    assert service.notice_problems(other)[0].startswith("公示后姓名或身份证号码已改动")
    # a notice of the new person, once run, lets it through
    service.create_notice(
        None,
        published,
        level="unit",
        nominees=[nominee],
        starts_on=D(2026, 6, 1),
        contact="联系人 0431-88888888",
    )
    assert service.notice_problems(nominee) == []
    # the departments are asked about the new person too (C-9), then it goes up
    from laurel.nominations.services.clearance import record_opinion

    for request in nominee.clearances.all():
        record_opinion(None, request, state="agreed", opinion="", officer_name="经办人")
    assert nominee_service.submit_nominee(cc_staff, nominee).state == Nominee.State.SUBMITTED


def test_a_withdrawn_nominee_stays_listed_but_takes_no_objection(
    client, published, cc_staff, nanguan_unit, office
):
    kept = complete_individual(cc_staff, published, nanguan_unit, name="仍在推荐")
    dropped = complete_individual(cc_staff, published, nanguan_unit, name="已被撤销")
    notice = service.create_notice(
        None,
        published,
        level="unit",
        nominees=[kept, dropped],
        starts_on=timezone.localdate(),
        contact="联系人 0431-88888888",
    )
    objection = service.file_objection(notice, dropped.pk, "反映问题")
    service.assign_objection(office, objection, office)
    service.resolve_objection(office, objection, founded=True, note="经核查属实")
    dropped.refresh_from_db()
    assert dropped.state == Nominee.State.WITHDRAWN
    html = client.get(f"/public/notices/{notice.pk}/").content.decode()
    assert "已被撤销" in html and "已撤销推荐" in html
    assert f'<option value="{dropped.pk}"' not in html and f'<option value="{kept.pk}"' in html
    response = client.post(
        f"/public/notices/{notice.pk}/", {"nominee": dropped.pk, "content": "再次反映"}
    )
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert Objection.objects.filter(nominee=dropped).count() == 1  # the crafted POST: refused
    with pytest.raises(ValidationError) as refused:
        service.file_objection(notice, dropped.pk, "直接调用")
    assert "已撤销推荐，不再受理" in str(refused.value)
    assert service.file_objection(notice, kept.pk, "反映仍在推荐者").nominee == kept


def test_c8_an_objections_text_is_read_by_those_who_handle_or_decide_not_the_nominees_unit(
    published, cc_staff, nanguan_unit, office
):
    """The text often names the objector: the nominee's own unit does not read it (it sees the
    outcome on the record); the body that handles it, the verifier it is given to, the office
    and the leading group do."""
    from laurel.core.roles import Role
    from tests.factories import UserFactory

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="被反映人")
    notice = _notice(nominee)
    objection = service.file_objection(notice, nominee.pk, "我是同科室的张三，反映该同志问题。")
    own_unit = UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT])
    verifier = UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT])
    leader = UserFactory(unit=office.unit, roles=[Role.LEADING_GROUP])
    assert not own_unit.has_perm("public.view_objection", objection)
    assert not Objection.objects.restrict(own_unit).exists()
    for reader in (cc_staff, office, leader):
        assert reader.has_perm("public.view_objection", objection)
    service.assign_objection(cc_staff, objection, verifier)
    assert verifier.has_perm("public.view_objection", objection)
    assert not own_unit.has_perm("public.view_objection", objection)


def test_h6_a_notice_entrys_copy_of_the_id_number_is_never_in_the_audit_trail(
    published, cc_staff, nanguan_unit
):
    from laurel.core.models import AuditLog

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="审计遮蔽")
    _notice(nominee)
    rows = AuditLog.objects.filter(content_type__model="noticeentry")
    assert rows.exists()
    assert nominee.id_number not in str(list(rows.values_list("changes", flat=True)))


def _running_notice(nominee):
    return service.create_notice(
        None,
        nominee.campaign,
        level="unit",
        nominees=[nominee],
        starts_on=timezone.localdate(),
        contact="联系人 0431-88888888",
    )


def test_c11_a_collective_out_by_a_founded_objection_or_a_stop_is_not_nominated_again(
    published, cc_staff, nanguan_unit, office
):
    """Probe: a collective withdrawn by a founded objection, or stopped by the office after a
    department's 不同意, was entered again under the same name and submitted."""
    from laurel.nominations.services import clearance
    from tests.nominations.conftest import complete_collective

    first = complete_collective(cc_staff, published, nanguan_unit, procedure=False)
    objection = service.file_objection(_running_notice(first), first.pk, "虚报业绩")
    service.resolve_objection(office, objection, founded=True, note="经核查属实")
    with pytest.raises(ValidationError) as refused:
        complete_collective(cc_staff, published, nanguan_unit)
    assert "已被取消推荐资格" in str(refused.value) and "C-11" in str(refused.value)

    second = complete_collective(
        cc_staff, published, nanguan_unit, procedure=False, name="另一中心"
    )
    clearance.open_clearances(cc_staff, second)
    request = second.clearances.first()
    clearance.record_opinion(None, request, state="disagreed", opinion="违法", officer_name="某")
    clearance.decide_disagreement(office, request, proceed=False, note="不予推荐")
    with pytest.raises(ValidationError):
        complete_collective(cc_staff, published, nanguan_unit, name="另一中心")


def test_c8_a_body_does_not_check_objections_to_its_own_units_nominee(
    published, cc_staff, cc_unit, office
):
    """Probe: the body's own unit (长春市住建局) nominated one of its sections; the body read
    and resolved the objection to it. The office checks it."""
    from tests.nominations.conftest import complete_collective

    nominee = complete_collective(
        cc_staff, published, cc_unit, procedure=False, name="长春市住房和城乡建设局住房保障科"
    )
    assert nominee.nominating_unit_id == cc_staff.unit_id == nominee.body.unit_id
    objection = service.file_objection(_running_notice(nominee), nominee.pk, "违规分配")
    assert not cc_staff.has_perm("public.handle_objection", objection)
    assert not cc_staff.has_perm("public.view_objection", objection)
    with pytest.raises(PermissionDenied):
        service.resolve_objection(cc_staff, objection, founded=False, note="经本单位核查不属实")
    assert office.has_perm("public.handle_objection", objection)
    assert service._handler_unit(objection.notice, nominee) == published.office_unit_id


def test_c9_a_clearance_stop_does_not_withdraw_a_commended_nominee(
    published, cc_staff, nanguan_unit, office
):
    """Probe: an office 不予推荐 on a late 不同意 turned an awarded nominee into withdrawn,
    skipping the revocation (C-11: certificate and bonus recovered)."""
    from laurel.nominations.models import ClearanceRequest
    from laurel.nominations.services import clearance

    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    clearance.open_clearances(cc_staff, nominee)
    request = nominee.clearances.first()
    clearance.record_opinion(None, request, state="disagreed", opinion="有问题", officer_name="某")
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.AWARDED)
    with pytest.raises(ValidationError) as refused:
        clearance.decide_disagreement(office, request, proceed=False, note="不予推荐")
    assert "撤销表彰" in str(refused.value)
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.AWARDED
    assert ClearanceRequest.objects.get(pk=request.pk).office_decision == ""


def test_c8_a_draft_once_on_a_notice_is_not_deleted_and_says_why(
    client, published, cc_staff, nanguan_unit
):
    """Probe: deleting a draft that had been on a unit notice was a server error."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)  # on a notice
    client.force_login(cc_staff)
    response = client.post(f"/nominations/{nominee.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert "已列入公示，公示记录须保留，不能删除" in response.content.decode()
    assert Nominee.objects.filter(pk=nominee.pk).exists()


def test_c8_after_the_deadline_a_place_sent_back_keeps_its_person(
    published, cc_staff, nanguan_unit, office
):
    """Probe: after the deadline, a nominee sent back was given another person (new
    clearance, new notice) and went up again: a new nomination after the deadline."""
    from laurel.campaigns.services.campaigns import extend_deadline
    from laurel.nominations.services import review
    from tests.nominations.conftest import _fresh_id

    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    nominee = review.send_back(office, nominee, "请补充材料")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    extend_deadline(office, nominee.body, yesterday, "测试：截止日期已过")
    nominee.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        nominee_service.save_draft(
            cc_staff, nominee, name="李某某", id_number=_fresh_id(D(1980, 5, 17))
        )
    assert "不能更换人员" in str(refused.value)
    nominee = nominee_service.save_draft(cc_staff, nominee, deeds="该同志" + "补充材料。" * 50)
    assert nominee_service.submit_nominee(cc_staff, nominee).state == Nominee.State.SUBMITTED


def test_c8_a_unit_notices_objection_does_not_let_the_body_withdraw_what_the_province_received(
    published, cc_staff, nanguan_unit, office
):
    """Probe: sent back, noticed again, gone up and received; an objection on the second unit
    notice, found founded by the body, withdrew a nominee the body itself may not withdraw."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.SENT_BACK)
    nominee.refresh_from_db()
    second = _running_notice(nominee)
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.RECEIVED)
    objection = service.file_objection(second, nominee.pk, "材料不实")
    with pytest.raises(PermissionDenied) as refused:
        service.resolve_objection(cc_staff, objection, founded=True, note="属实")
    assert "请报省级表彰工作办公室处理" in str(refused.value)
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.RECEIVED
    service.resolve_objection(office, objection, founded=True, note="经核查属实")
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.WITHDRAWN


def test_c8_the_outcome_page_names_whom_the_notice_named_not_a_person_put_in_since(
    client, published, cc_staff, nanguan_unit
):
    """Probe: after the draft was given another person, the public outcome page named them."""
    from tests.nominations.conftest import _fresh_id

    nominee = complete_individual(
        cc_staff, published, nanguan_unit, name="公示原名", procedure=False
    )
    objection = service.file_objection(_running_notice(nominee), nominee.pk, "反映问题")
    nominee_service.save_draft(
        cc_staff, nominee, name="后换的人", id_number=_fresh_id(D(1980, 5, 17))
    )
    page = client.get(f"/public/objections/?reference={objection.reference}").content.decode()
    assert "公示原名" in page and "后换的人" not in page


def test_c8_an_open_objection_holds_the_review_at_every_tier(
    published, cc_staff, nanguan_unit, office, reviewers
):
    """Probe: sent back, noticed again and resubmitted while the new notice ran; an objection
    filed on it did not stop the tiers from agreeing and the province from receiving."""
    from laurel.nominations.services import review

    nominee = complete_individual(cc_staff, published, nanguan_unit)
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.SENT_BACK)
    nominee.refresh_from_db()
    second = _running_notice(nominee)
    nominee = nominee_service.submit_nominee(cc_staff, nominee)  # the first notice has run
    objection = service.file_objection(second, nominee.pk, "材料不实")
    with pytest.raises(ValidationError) as refused:
        review.record_review(reviewers[("county", "hr")], nominee, decision="agree")
    assert f"“{nominee.name}”尚不能同意：有1件异议尚未核查办结。" in refused.value.messages
    service.resolve_objection(office, objection, founded=False, note="经核查不属实")
    nominee = review.record_review(reviewers[("county", "hr")], nominee, decision="agree")
    assert nominee.review_opinions.filter(decision="agree").count() == 1


def test_c8_a_second_founded_objection_is_recorded_too(published, cc_staff, nanguan_unit):
    """Review: two objections open; the first found founded withdrew the nominee, and the
    second could then never be closed (refused as if the province had received it)."""
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    notice = _running_notice(nominee)
    first = service.file_objection(notice, nominee.pk, "虚报业绩")
    second = service.file_objection(notice, nominee.pk, "简历不实")
    service.resolve_objection(cc_staff, first, founded=True, note="属实")
    service.resolve_objection(cc_staff, second, founded=True, note="亦属实")
    second.refresh_from_db()
    assert second.state == Objection.State.FOUNDED
    assert Nominee.objects.get(pk=nominee.pk).state == Nominee.State.WITHDRAWN


def test_c8_after_the_deadline_a_name_sent_back_may_be_corrected(
    published, cc_staff, nanguan_unit, office
):
    """Review: a collective asked for its full name, or a typo in a person's name, was refused
    after the deadline as "another person"; the same ID number is the same person."""
    from laurel.campaigns.services.campaigns import extend_deadline
    from laurel.nominations.services import review
    from tests.nominations.conftest import complete_collective

    collective = nominee_service.submit_nominee(
        cc_staff, complete_collective(cc_staff, published, nanguan_unit)
    )
    person = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    collective = review.send_back(office, collective, "请填写单位全称")
    person = review.send_back(office, person, "姓名有误")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    extend_deadline(office, collective.body, yesterday, "测试：截止日期已过")
    collective.refresh_from_db()
    person.refresh_from_db()
    full = "长春市南关区住房和城乡建设局住房保障服务中心"
    assert nominee_service.save_draft(cc_staff, collective, name=full).name == full
    assert nominee_service.save_draft(cc_staff, person, name="王某").name == "王某"


def test_c16_a_notice_past_its_period_reads_ended_on_the_staff_pages(
    client, published, cc_staff, nanguan_unit
):
    """Walk-through: the staff list showed 公示中 for notices that had ended years before (the
    state changes only when the office ends one), while the public page said 已结束."""
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    past = service.create_notice(
        None,
        published,
        level="unit",
        nominees=[nominee],
        starts_on=D(2026, 2, 13),
        contact="王老师 0431-88888888",
    )
    assert past.state == PublicNotice.State.PUBLISHED and past.status_label == "公示期满"
    running = _notice(nominee)
    assert running.status_label == "公示中"
    client.force_login(cc_staff)
    page = client.get(f"/notices/{past.pk}/").content.decode()
    assert "公示期满" in page


def test_the_notice_form_says_so_when_there_is_nothing_to_notice(
    client, published, cc_staff, nanguan_unit
):
    """Walk-through (fifth session): a unit with no nominee was offered the form with an empty
    list of names, which it could only submit to be refused."""
    client.force_login(cc_staff)
    page = client.get(f"/notices/new/{published.pk}/").content.decode()
    assert 'data-testid="nothing-to-notice"' in page and 'name="starts_on"' not in page
    complete_individual(cc_staff, published, nanguan_unit)
    page = client.get(f"/notices/new/{published.pk}/").content.decode()
    assert 'data-testid="nothing-to-notice"' not in page and 'name="starts_on"' in page
