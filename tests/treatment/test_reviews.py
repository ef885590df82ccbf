"""H-7 yearly status review (动态管理): a return for every living honoree, reported by the
registering unit (online or on paper), checked through the registration's tiers, filed by the
province into the registry — a death then ends the allowance from its date."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.orgs.models import UnitFunction
from laurel.registry.models import Person
from laurel.treatment.models import StatusReturn
from laurel.treatment.services import reviews as service
from laurel.treatment.tasks import send_status_review_reminders
from tests.factories import UnitFactory, UserFactory
from tests.registry.conftest import model_worker
from tests.registry.test_views import PDF

pytestmark = pytest.mark.django_db
F = UnitFunction.Function
R = StatusReturn
TODAY = timezone.localdate
D = datetime.date


def open_review(area, year=None, **dates):
    today = TODAY()
    fields = {
        "name": "2026年度表彰人员动态管理",
        "year": year or today.year,
        "document_number": "吉人社联〔2026〕50号",
        "units_due": today + datetime.timedelta(days=10),
        "counties_due": today + datetime.timedelta(days=20),
        "cities_due": today + datetime.timedelta(days=30),
        "province_due": today + datetime.timedelta(days=40),
        **dates,
    }
    return service.open_review(area.office, **fields)


def report(area, item, **fields):
    data = {
        "outcome": "unchanged",
        "died_on": None,
        "retired_on": None,
        "unit_name": "",
        "phone": "",
        "note": "",
        **fields,
    }
    return service.report_status(area.school_user, item, **data)


def check_through(area, item):
    """The bureau, then the HR departments of the county and the city: at the province."""
    item = service.check_return(area.bureau_user, item, decision="agree")
    for tier in ("county", "city"):
        item = service.check_return(
            area.reviewer(tier, F.HR_SOCIAL_SECURITY), item, decision="agree"
        )
    return item


@pytest.fixture
def person(filed):
    """Filed in the drive of early 2022 (the registry knew them living and working then)."""
    person = filed([model_worker()])
    Person.objects.filter(pk=person.pk).update(
        filed_at=timezone.make_aware(datetime.datetime(2022, 2, 20, 10, 0))
    )
    person.refresh_from_db()
    return person


def test_h7_a_review_opens_a_return_for_every_living_honoree(area, filed):
    alive = filed([model_worker()])
    dead = filed([model_worker()], name="李国华")
    dead.living = False
    dead.save()
    review = open_review(area)
    assert list(review.returns.values_list("person_id", "unit_id", "route")) == [
        (alive.pk, area.school.pk, ["supervisor", "county", "city", "province"])
    ]
    with pytest.raises(ValidationError, match="尚未结束"):
        open_review(area, year=review.year + 1)
    with pytest.raises(PermissionDenied):
        service.open_review(
            area.school_user,
            name="x",
            year=2030,
            units_due=TODAY(),
            counties_due=TODAY(),
            cities_due=TODAY(),
            province_due=TODAY(),
        )


def test_h7_review_deadlines_run_in_the_tiers_order(area):
    with pytest.raises(ValidationError, match="依次"):
        open_review(area, counties_due=TODAY() + datetime.timedelta(days=50))


def test_h7_a_death_filed_by_the_province_ends_the_allowance_from_its_date(
    area, person, policy, committed
):
    assert person.entitlements.filter(ends_on__isnull=True, treatment__kind="monthly_allowance")
    item = open_review(area).returns.get()
    died = TODAY() - datetime.timedelta(days=40)
    item = report(area, item, outcome="deceased", died_on=died, note="家属告知")
    item = check_through(area, item)
    assert item.current_tier == "province"
    with pytest.raises(PermissionDenied):  # only the office files
        service.check_return(area.reviewer("city", F.HR_SOCIAL_SECURITY), item, decision="agree")
    with committed():
        item = service.check_return(area.office, item, decision="agree")
    assert item.state == R.State.FILED
    person.refresh_from_db()
    assert (person.living, person.died_on) == (False, died)
    allowance = person.entitlements.get(treatment__kind="monthly_allowance")
    assert allowance.ends_on == died and "去世" in allowance.end_reason
    assert [c["tier"] for c in item.checks] == ["supervisor", "county", "city", "province"]


def test_h7_a_retirement_and_a_new_phone_are_filed(area, person, committed):
    item = open_review(area).returns.get()
    retired = D(2026, 3, 1)
    item = report(area, item, outcome="retired", retired_on=retired, phone="13800001111")
    with committed():
        service.check_return(area.office, check_through(area, item), decision="agree")
    person.refresh_from_db()
    assert (person.retired, person.retired_on, person.phone) == (True, retired, "13800001111")


def test_h7_a_status_return_names_the_bad_field(area, person):
    item = open_review(area).returns.get()
    cases = [
        ({"outcome": "deceased"}, "died_on"),
        ({"outcome": "deceased", "died_on": TODAY() + datetime.timedelta(days=1)}, "died_on"),
        # before the registry last knew them living (filed 2022-02-20): it would rewrite settled
        # entitlements
        ({"outcome": "deceased", "died_on": D(2022, 2, 19)}, "died_on"),
        ({"outcome": "retired", "retired_on": D(2020, 1, 1)}, "retired_on"),
        ({"outcome": "retired"}, "retired_on"),
        ({"outcome": "moved"}, "unit_name"),
        ({"outcome": "unchanged", "phone": "12345"}, "phone"),
        ({"outcome": "resurrected"}, "outcome"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            report(area, item, **fields)
        assert field in error.value.message_dict, fields
    item.refresh_from_db()
    assert item.state == R.State.PENDING
    assert Person.objects.get(pk=person.pk).living


def test_h7_only_the_registering_unit_reports_and_each_tier_checks_in_turn(area, person):
    item = open_review(area).returns.get()
    other_unit = UnitFactory(name="朝阳区实验小学", division=Division.objects.get(code="220104"))
    other = UserFactory(unit=other_unit, roles=[Role.NOMINATING_UNIT])
    with pytest.raises(PermissionDenied):
        service.report_status(
            other,
            item,
            outcome="deceased",
            died_on=TODAY(),
            retired_on=None,
            unit_name="",
            phone="",
            note="",
        )
    item = report(area, item)
    with pytest.raises(ValidationError):  # reported once
        report(area, item)
    county_hr = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    with pytest.raises(PermissionDenied):  # the bureau's turn first
        service.check_return(county_hr, item, decision="agree")
    with pytest.raises(PermissionDenied):  # a school files nothing
        service.check_return(area.school_user, item, decision="agree")
    item = service.check_return(area.bureau_user, item, decision="agree")
    with pytest.raises(PermissionDenied):  # status is HR's to check, not the trade union's
        service.check_return(area.reviewer("county", F.TRADE_UNION), item, decision="agree")
    with pytest.raises(ValidationError, match="理由"):
        service.check_return(county_hr, item, decision="send_back")
    item = service.check_return(county_hr, item, decision="send_back", text="退休日期与档案不符")
    assert (item.state, item.current_tier) == (R.State.SENT_BACK, "")
    item = report(area, item, outcome="retired", retired_on=D(2025, 12, 1))
    assert (item.round, item.current_tier) == (2, "supervisor")


def test_h7_a_paper_return_is_typed_by_the_office_with_its_scan(client, area, person):
    item = open_review(area).returns.get()
    url = reverse("treatment:status_return", args=[item.pk])
    scan = SimpleUploadedFile("回执.pdf", PDF, content_type="application/pdf")
    client.force_login(area.school_user)
    client.post(url, {"action": "paper", "outcome": "unchanged", "scan": scan})
    item.refresh_from_db()
    assert item.state == R.State.PENDING  # a school cannot type a paper return
    client.force_login(area.office)
    scan = SimpleUploadedFile("回执.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"action": "paper", "outcome": "moved", "scan": scan})
    assert "请填写变动后的工作单位或联系电话。" in response.content.decode()
    scan = SimpleUploadedFile("回执.pdf", PDF, content_type="application/pdf")
    client.post(
        url,
        {"action": "paper", "outcome": "moved", "unit_name": "南关区第二实验小学", "scan": scan},
    )
    item.refresh_from_db()
    assert (item.state, item.on_paper, item.unit_name) == (
        R.State.SUBMITTED,
        True,
        "南关区第二实验小学",
    )
    assert client.get(reverse("treatment:return_scan", args=[item.pk])).status_code == 200


def test_h7_a_closed_review_takes_no_more_returns(area, person):
    review = open_review(area)
    service.close_review(area.office, review)
    with pytest.raises(ValidationError, match="已结束"):
        report(area, review.returns.get())


def test_h7_units_and_checkers_are_reminded_near_their_deadline(area, person, filed):
    area.school_user.email = "school@x.invalid"
    area.school_user.save()
    area.bureau_user.email = "bureau@x.invalid"
    area.bureau_user.save()
    review = open_review(area, units_due=TODAY() + datetime.timedelta(days=5))
    assert send_status_review_reminders.call() == 0  # five days ahead: not yet
    review.units_due = TODAY() + datetime.timedelta(days=2)
    review.save()
    assert send_status_review_reminders.call() == 1  # the school: one pending return
    assert "本单位尚有1名表彰人员的状态未报送" in mail.outbox[0].body
    assert person.name not in mail.outbox[0].body
    mail.outbox.clear()
    report(area, review.returns.get())
    assert (
        send_status_review_reminders.call(today=(TODAY() + datetime.timedelta(days=8)).isoformat())
        == 1
    )
    assert mail.outbox[0].to == ["bureau@x.invalid"]  # the supervising bureau checks first
    assert "尚有1份表彰人员状态报送待本级核实" in mail.outbox[0].body


def test_h7_the_review_page_shows_progress_and_the_inbox_points_to_it(client, area, person):
    review = open_review(area)
    client.force_login(area.school_user)
    inbox = client.get(reverse("pages:inbox")).content.decode()
    assert "1 名表彰人员的状态待报送" in inbox
    page = client.get(reverse("treatment:review", args=[review.pk])).content.decode()
    assert person.name in page
    outsider = UserFactory(
        unit=UnitFactory(division=Division.objects.get(code="220104")),
        roles=[Role.NOMINATING_UNIT],
    )
    client.force_login(outsider)
    page = client.get(reverse("treatment:review", args=[review.pk])).content.decode()
    assert person.name not in page
    item = review.returns.get()
    assert client.get(reverse("treatment:status_return", args=[item.pk])).status_code == 404


def test_h7_a_city_nominating_body_reports_for_nobody_elses_people(area, person):
    item = open_review(area).returns.get()
    city_body = UserFactory(
        unit=UnitFactory(name="长春市评比表彰办公室", division=Division.objects.get(code="220100")),
        roles=[Role.NOMINATING_BODY],
    )
    assert not city_body.has_perm("treatment.view_status_return", item)  # not its own
    with pytest.raises(PermissionDenied):
        service.report_status(
            city_body,
            item,
            outcome="deceased",
            died_on=TODAY(),
            retired_on=None,
            unit_name="",
            phone="",
            note="",
        )
    item.refresh_from_db()
    assert item.state == R.State.PENDING


def test_h7_a_review_leaves_out_the_classified_and_the_revoked(area, filed, person):
    from laurel.registry.models import Honour

    filed([model_worker()], name="保密人", classified=True, position="")
    revoked = filed([model_worker()], name="李撤销")
    Honour.objects.filter(person=revoked).update(status=Honour.Status.REVOKED)
    review = open_review(area)
    assert list(review.returns.values_list("person__name", flat=True)) == [person.name]


def test_h7_a_death_recorded_meanwhile_is_not_redated_by_a_return(area, person, committed):
    item = open_review(area).returns.get()
    item = check_through(area, report(area, item, outcome="deceased", died_on=D(2025, 6, 1)))
    with committed():
        person.living, person.died_on = False, D(2023, 1, 1)
        person.save()
    with pytest.raises(ValidationError, match="已登记为去世"):
        service.check_return(area.office, item, decision="agree")
    person.refresh_from_db()
    assert person.died_on == D(2023, 1, 1)


def test_h7_only_the_unit_and_its_checkers_see_a_return(client, area, person):
    item = report(area, open_review(area).returns.get(), phone="13800002222")
    union = area.reviewer("county", F.TRADE_UNION)  # of the area, but no checker of status
    county_hr = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    assert not union.has_perm("treatment.view_status_return", item)
    assert county_hr.has_perm("treatment.view_status_return", item)
    client.force_login(county_hr)
    page = client.get(reverse("treatment:status_return", args=[item.pk])).content.decode()
    assert "13800002222" in page  # the checker sees the number it vouches for


def test_h7_the_office_types_a_check_for_a_department_without_an_account(area, person):
    item = service.check_return(
        area.bureau_user, report(area, open_review(area).returns.get()), decision="agree"
    )
    with pytest.raises(PermissionDenied):  # the county HR department has an account: its own
        service.check_return(area.office, item, decision="agree")
    hr = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    hr.is_active = False
    hr.save()
    item = service.check_return(area.office, item, decision="agree")
    assert item.current_tier == "city" and item.checks[-1]["on_paper"] is True


def test_h7_an_imported_honoree_without_a_filing_date_is_not_dated_before_birth(area, filed):
    person = filed([model_worker()], birth_date=D(1970, 5, 1))
    Person.objects.filter(pk=person.pk).update(filed_at=None)
    item = open_review(area).returns.get()
    with pytest.raises(ValidationError) as error:
        report(area, item, outcome="deceased", died_on=D(1969, 12, 31))
    assert "died_on" in error.value.message_dict
    assert report(area, item, outcome="deceased", died_on=D(2019, 3, 2)).state == R.State.SUBMITTED
