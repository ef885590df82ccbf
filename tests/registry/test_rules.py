"""H-1 … H-6, each rule by number."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from laurel.orgs.models import UnitFunction
from laurel.registry import checks, queries, routing
from laurel.registry.models import Honour, Person, Registration
from laurel.registry.services import registrations as service
from tests.registry.conftest import D, file_through, model_worker, new_id, register

F = UnitFunction.Function
pytestmark = pytest.mark.django_db


def _codes(registration):
    return {f.code for f in checks.findings(registration) if f.blocking}


def test_h1_deceased_and_active_military_are_out_of_scope(area, drive):
    registration = register(area, drive, living=False)
    assert "h1_living" in _codes(registration)
    registration = register(area, drive, active_military=True, id_number=new_id())
    assert "h1_military" in _codes(registration)
    with pytest.raises(ValidationError) as error:
        service.submit_registration(area.school_user, registration)
    assert "现役军人" in error.value.messages[0]


def test_h1_national_kinds_split_at_2018(area, drive):
    before = register(
        area,
        drive,
        honours=[
            model_worker(
                kind="national_honoree",
                title="全国劳动模范",
                awarded_on=D(2015, 4, 28),
                treatment="享受全国劳动模范待遇",
            )
        ],
    )
    assert "h1_national_date" in _codes(before)
    after = register(
        area,
        drive,
        id_number=new_id(),
        honours=[
            model_worker(
                kind="national_model_worker",
                title="全国劳动模范",
                awarded_on=D(2020, 11, 24),
                treatment="享受全国劳动模范待遇",
            )
        ],
    )
    assert "h1_national_date" in _codes(after)


def test_h1_ministry_honour_before_1995_needs_the_ministry_of_personnel_confirmation(area, drive):
    honour = model_worker(
        kind="ministry_pre_1995",
        title="全国建设系统劳动模范",
        awarding_body="建设部",
        awarded_on=D(1989, 5, 1),
        treatment="享受省部级劳动模范待遇",
    )
    registration = register(area, drive, honours=[honour])
    assert "h1_ministry_confirmation" in _codes(registration)
    service.set_honours(
        area.school_user, registration, [{**honour, "confirmation_document": "人调发〔1990〕5号"}]
    )
    assert _codes(registration) == set()


def test_h1_ministry_honour_from_1995_needs_the_hr_ministry_approval(area, drive):
    honour = model_worker(
        kind="ministry_from_1995",
        title="全国住房城乡建设系统先进工作者",
        awarding_body="住房和城乡建设部",
        awarded_on=D(1995, 1, 1),
        treatment="享受省部级先进工作者待遇",
    )
    registration = register(area, drive, honours=[honour])
    assert "h1_ministry_approval" in _codes(registration)  # 1995-01-01 counts as "from 1995"
    wrong_kind = register(
        area, drive, id_number=new_id(), honours=[{**honour, "kind": "ministry_pre_1995"}]
    )
    assert "h1_ministry_date" in _codes(wrong_kind)


def test_h1_veterans_need_a_first_class_merit_or_an_honorary_title(area, drive):
    honour = model_worker(
        kind="veteran",
        title="一等功",
        awarding_body="某战区",
        awarded_on=D(1998, 8, 1),
        treatment="",
        military_merit="other",
    )
    registration = register(area, drive, honours=[honour])
    assert "h1_veteran" in _codes(registration)
    service.set_honours(
        area.school_user, registration, [{**honour, "military_merit": "first_class_merit"}]
    )
    assert _codes(registration) == set()  # no stated treatment needed for veterans


def test_h1_treatment_must_be_stated_and_h6_no_registration_without_an_honour(area, drive):
    assert "h1_treatment" in _codes(register(area, drive, honours=[model_worker(treatment="")]))
    assert "h6_no_honour" in _codes(register(area, drive, id_number=new_id(), honours=[]))


def test_h2_whoever_manages_registers_farmers_by_township(area):
    assert (
        routing.registering_unit(area.school, farmer_or_no_unit=False, township=area.township)
        == area.school
    )
    assert (
        routing.registering_unit(None, farmer_or_no_unit=True, township=area.township)
        == area.township
    )
    private = type("U", (), {"kind": "enterprise", "ownership": "private", "parent_id": None})()
    assert (
        routing.registering_unit(private, farmer_or_no_unit=False, township=area.township)
        == area.township
    )


def test_h3_review_functions_by_honour_type():
    assert routing.functions_for(["party"]) == [F.ORGANIZATION]
    assert routing.functions_for(["model_worker"]) == [F.HR_SOCIAL_SECURITY, F.TRADE_UNION]
    assert routing.functions_for(["civil_servant"]) == [F.ORGANIZATION, F.HR_SOCIAL_SECURITY]
    assert routing.functions_for(["other"]) == [F.HR_SOCIAL_SECURITY]
    assert routing.functions_for(["party", "model_worker"]) == [F.HR_SOCIAL_SECURITY]  # mixed


def test_h4_routes_by_unit(area):
    assert routing.route_for(area.school) == ["supervisor", "county", "city", "province"]
    assert routing.route_for(area.township) == ["county", "city", "province"]
    assert routing.route_for(area.central) == ["province"]


def test_h4_unit_to_supervisor_to_county_city_province_and_filed(area, drive):
    registration = register(area, drive)
    with pytest.raises(ValidationError):  # a draft is not under review
        service.record_opinion(area.bureau_user, registration, decision="agree")
    registration = service.submit_registration(area.school_user, registration)
    assert (registration.state, registration.current_tier) == ("submitted", "supervisor")
    with pytest.raises(PermissionDenied):  # a county department cannot sign for the bureau
        service.record_opinion(
            area.reviewer("county", F.HR_SOCIAL_SECURITY), registration, decision="agree"
        )
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    assert registration.current_tier == "county"
    for tier in ("county", "city", "province"):
        registration = service.record_opinion(
            area.reviewer(tier, F.HR_SOCIAL_SECURITY), registration, decision="agree"
        )
        assert registration.current_tier == tier  # the trade-union federation signs too (H-3)
        registration = service.record_opinion(
            area.reviewer(tier, F.TRADE_UNION), registration, decision="agree"
        )
    assert registration.state == Registration.State.FILED
    person = Person.objects.get()
    assert person.name == "张志强" and person.unit == area.school
    assert person.id_number == registration.id_number and person.filed_at
    assert [h.title for h in person.honours.all()] == ["吉林省劳动模范"]
    assert registration.opinions.count() == 7


def test_h4_send_back_and_resubmit_keeps_the_history(area, drive):
    registration = service.submit_registration(area.school_user, register(area, drive))
    with pytest.raises(ValidationError):
        service.record_opinion(area.bureau_user, registration, decision="send_back", text=" ")
    registration = service.record_opinion(
        area.bureau_user, registration, decision="send_back", text="请补充表彰文件复印件"
    )
    assert registration.state == "sent_back"
    registration = service.submit_registration(area.school_user, registration)
    assert (registration.round, registration.current_tier) == (2, "supervisor")
    assert registration.opinions.count() == 1


def test_h4_central_units_report_straight_to_the_province_and_merge_into_one_person(area, drive):
    from tests.factories import UserFactory

    central_user = UserFactory(unit=area.central, roles=["nominating_unit"])
    id_number = new_id()
    first = file_through(area, register(area, drive, id_number=id_number))
    drive2 = service.open_drive(
        area.office,
        name="补充登记",
        contacts_due=D(2022, 12, 10),
        provincial_units_due=D(2022, 12, 31),
        counties_due=D(2023, 1, 15),
        cities_due=D(2023, 1, 31),
        province_due=D(2023, 2, 28),
    )
    second = register(
        area,
        drive2,
        unit=area.central,
        user=central_user,
        id_number=id_number,
        honours=[
            model_worker(
                title="全国五一劳动奖章",
                kind="provincial_committee_government",
                honour_type="other",
                awarded_on=D(2019, 4, 30),
            )
        ],
    )
    second = service.submit_registration(central_user, second)
    assert second.current_tier == "province"
    second = service.record_opinion(
        area.reviewer("province", F.HR_SOCIAL_SECURITY), second, decision="agree"
    )
    assert second.state == "filed"
    person = Person.objects.get()
    assert person.honours.count() == 2 and second.person == first.person


def test_h4_one_registration_per_person_per_drive(area, drive):
    id_number = new_id()
    register(area, drive, id_number=id_number)
    with pytest.raises(ValidationError) as error:
        register(area, drive, id_number=id_number)
    assert "已有登记表" in error.value.messages[0]


def test_h5_deadlines_by_tier_and_overdue_on_the_dashboard(area, drive):
    registration = service.submit_registration(area.school_user, register(area, drive))
    assert routing.deadline(drive, registration) == D(2022, 1, 15)  # a county's supervisor
    assert registration in queries.overdue(drive, today=D(2022, 1, 16))
    assert registration not in queries.overdue(drive, today=D(2022, 1, 15))
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    for function in (F.HR_SOCIAL_SECURITY, F.TRADE_UNION):
        registration = service.record_opinion(
            area.reviewer("county", function), registration, decision="agree"
        )
    assert routing.deadline(drive, registration) == D(2022, 1, 31)
    with pytest.raises(ValidationError):
        service.open_drive(
            area.office,
            name="x",
            contacts_due=D(2021, 12, 10),
            provincial_units_due=D(2022, 2, 1),
            counties_due=D(2022, 1, 15),
            cities_due=D(2022, 1, 31),
            province_due=D(2022, 2, 28),
        )


def test_h6_classified_people_are_desensitised_except_for_the_office(client, area, drive):
    from laurel.registry import privacy

    registration = register(area, drive, classified=True, position="")
    shown = privacy.shown(area.reviewer("county", F.HR_SOCIAL_SECURITY), registration)
    assert shown.desensitised and shown.name == "涉密人员" and shown.id_number == ""
    assert shown.unit_name == privacy.HIDDEN
    office = privacy.shown(area.office, registration)
    assert not office.desensitised and office.name == "张志强"
    # Issue 19: the person's page drops the surname, gender, area and the document number.
    filed = file_through(area, registration)
    client.force_login(area.reviewer("county", F.HR_SOCIAL_SECURITY))
    page = client.get(f"/registry/people/{filed.person_id}/").content.decode()
    assert "涉密人员" in page and "张" not in page.split("<main", 1)[-1].split("</h1>")[0]
    assert "吉发〔2015〕10号" not in page and "2015-04-28" not in page and "性别" not in page
    warned = register(area, drive, id_number=new_id(), classified=True, position="某研究所总工程师")
    assert any(f.code == "h6_classified" for f in checks.findings(warned))


def test_h6_unmasking_is_logged_and_refused_without_the_right(area, drive):
    from laurel.core.models import AuditLog
    from laurel.registry import privacy
    from laurel.registry.services.privacy import unmask

    registration = register(area, drive)
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    masked = privacy.shown(reviewer, registration)
    assert masked.id_number == registration.id_masked and "*" in masked.id_number
    full = unmask(reviewer, registration)
    assert full.id_number == registration.id_number and full.phone == "13912345678"
    row = AuditLog.objects.filter(action="view").get()
    assert row.actor == reviewer and row.object_id == str(registration.pk)
    with pytest.raises(PermissionDenied):
        unmask(area.school_user, registration)


def test_h6_no_plain_id_number_or_phone_in_any_table(area, drive):
    """A dump of the database tables contains no plain ID number."""
    from django.db import connection

    id_number = new_id()
    registration = register(area, drive, id_number=id_number, phone="13987654321")
    service.submit_registration(area.school_user, registration)
    service.record_opinion(area.bureau_user, registration, decision="agree")
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                if id_number in text or "13987654321" in text:
                    found.append(table)
    assert found == []
    assert Registration.objects.get().id_number == id_number  # still readable with the key


def test_h7_county_user_sees_only_their_county(area, drive):
    from laurel.core.models import Division
    from tests.factories import UnitFactory, UserFactory

    registration = register(area, drive)
    service.submit_registration(area.school_user, registration)
    other_county = UnitFactory(
        name="朝阳区人社局",
        division=Division.objects.get(code="220104"),
        tier="county",
        functions=[F.HR_SOCIAL_SECURITY],
    )
    outsider = UserFactory(unit=other_county, roles=["reviewing_department"])
    assert not Registration.objects.restrict(outsider).exists()
    assert Registration.objects.restrict(area.reviewer("county", F.HR_SOCIAL_SECURITY)).exists()
    assert Registration.objects.restrict(area.reviewer("city", F.HR_SOCIAL_SECURITY)).exists()
    assert not Honour.objects.restrict(outsider).exists()


def test_drive_contact_table_one_per_unit(area, drive):
    service.submit_contact(
        area.school_user,
        drive,
        area.school,
        leader_name="王校长",
        contact_name="李老师",
        office_phone="0431-88776655",
    )
    contact = service.submit_contact(
        area.school_user,
        drive,
        area.school,
        leader_name="王校长",
        contact_name="赵老师",
        office_phone="0431-88776655",
    )
    assert drive.contacts.count() == 1 and contact.contact_name == "赵老师"
    with pytest.raises(PermissionDenied):
        service.submit_contact(
            area.school_user,
            drive,
            area.township,
            leader_name="x",
            contact_name="y",
            office_phone="0431-88776655",
        )


def test_h6_drive_contact_refuses_what_is_not_a_phone_or_a_name(area, drive):
    with pytest.raises(ValidationError) as error:
        service.submit_contact(
            area.school_user,
            drive,
            area.school,
            leader_name="王校长<script>",
            contact_name="李老师",
            office_phone="请来电",
            mobile="139",
        )
    assert set(error.value.message_dict) == {"leader_name", "office_phone", "mobile"}
    assert all(
        re.search(r"[\u4e00-\u9fff]", m) for ms in error.value.message_dict.values() for m in ms
    )
    assert not drive.contacts.exists()
    contact = service.submit_contact(
        area.school_user,
        drive,
        area.school,
        leader_name="王校长",
        contact_name="李老师",
        office_phone="13912345678",  # a mobile is a fine office phone
        mobile="13912345678",
    )
    assert contact.office_phone == "13912345678"


def test_h5_registrations_near_their_deadline_are_reminded_to_whoever_holds_them(
    area, drive, mailoutbox
):
    """Issue 20: registry deadlines (H-5) sent no reminder. Daily, one mail per department: the
    reviewers of what waits at their tier, the filing unit of its drafts; a classified person is
    never named in a mail."""
    import datetime

    from laurel.registry.tasks import send_registry_reminders

    waiting = service.submit_registration(area.school_user, register(area, drive))
    register(area, drive, id_number=new_id(), name="保密人", classified=True, position="")
    area.school_user.email = "school@x.invalid"
    area.school_user.save()
    supervisor = routing.reviewers(waiting)[""]
    from laurel.core.roles import Role
    from tests.factories import UserFactory

    UserFactory(unit=supervisor, roles=[Role.NOMINATING_UNIT], email="bureau@x.invalid")
    assert send_registry_reminders.call(today="2021-11-01") == 0  # far from any deadline
    sent = send_registry_reminders.call(today="2022-01-13")
    assert sent == 2
    by_address = {m.to[0]: m.body for m in mailoutbox}
    assert "张志强" in by_address["bureau@x.invalid"]
    assert (
        "涉密人员" in by_address["school@x.invalid"]
        and "保密人" not in by_address["school@x.invalid"]
    )
    assert datetime.date(2022, 1, 15).isoformat() in by_address["school@x.invalid"]


def test_h3_a_union_without_an_account_answers_on_paper_and_the_registration_moves_on(
    client, area, drive
):
    """Issue 20: a registration waited for 南关区总工会, which has no account. The office
    records its sealed opinion with the scan; HR agrees in Laurel; the registration moves up."""
    from django.utils import timezone

    from laurel.core.roles import Role
    from tests.factories import UserFactory
    from tests.nominations.test_clearance import _scan

    union = area.reviewer("county", F.TRADE_UNION)
    union.is_active = False
    union.save()
    office = UserFactory(
        unit=area.departments[("province", F.HR_SOCIAL_SECURITY)][0], roles=[Role.PROVINCIAL_OFFICE]
    )
    registration = service.submit_registration(area.school_user, register(area, drive))
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    assert registration.current_tier == "county"
    letter = dict(decision="agree", text="", officer_name="工会主席", scan=_scan())
    with pytest.raises(PermissionDenied):
        service.record_paper_opinion(
            area.reviewer("county", F.HR_SOCIAL_SECURITY),
            registration,
            function=F.TRADE_UNION,
            decided_on=timezone.localdate(),
            **letter,
        )
    with pytest.raises(ValidationError):  # HR answers in Laurel: nothing to record for it
        service.record_paper_opinion(
            office,
            registration,
            function=F.HR_SOCIAL_SECURITY,
            decided_on=timezone.localdate(),
            **letter,
        )
    import datetime

    with pytest.raises(ValidationError) as error:  # a letter dated before the submission
        service.record_paper_opinion(
            office,
            registration,
            function=F.TRADE_UNION,
            decided_on=timezone.localdate() - datetime.timedelta(days=1),
            **letter,
        )
    assert "早于上报日期" in error.value.message_dict["decided_on"][0]
    registration = service.record_paper_opinion(
        office, registration, function=F.TRADE_UNION, decided_on=timezone.localdate(), **letter
    )
    opinion = registration.opinions.get(function=F.TRADE_UNION)
    assert opinion.on_paper and opinion.scan_type == "application/pdf"
    registration = service.record_opinion(
        area.reviewer("county", F.HR_SOCIAL_SECURITY), registration, decision="agree"
    )
    assert registration.current_tier == "city"
    client.force_login(office)
    page = client.get(f"/registry/registrations/{registration.pk}/").content.decode()
    assert "纸质意见" in page and f"/registry/opinions/{opinion.pk}/scan/" in page
    assert client.get(f"/registry/opinions/{opinion.pk}/scan/").status_code == 200
    client.force_login(area.school_user)
    assert client.get(f"/registry/opinions/{opinion.pk}/scan/").status_code == 404


def test_h6_the_scan_of_a_classified_persons_opinion_is_the_offices_only(client, area, drive):
    from django.utils import timezone

    from laurel.core.roles import Role
    from tests.factories import UserFactory
    from tests.nominations.test_clearance import _scan

    union = area.reviewer("county", F.TRADE_UNION)
    union.is_active = False
    union.save()
    office = UserFactory(
        unit=area.departments[("province", F.HR_SOCIAL_SECURITY)][0],
        roles=[Role.PROVINCIAL_OFFICE],
    )
    registration = register(area, drive, name="保密人", classified=True, position="")
    registration = service.submit_registration(area.school_user, registration)
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    service.record_paper_opinion(
        office,
        registration,
        function=F.TRADE_UNION,
        decision="agree",
        text="",
        officer_name="工会主席",
        decided_on=timezone.localdate(),
        scan=_scan(),
    )
    opinion = registration.opinions.get(function=F.TRADE_UNION)
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)
    assert client.get(f"/registry/opinions/{opinion.pk}/scan/").status_code == 404
    page = client.get(f"/registry/registrations/{registration.pk}/").content.decode()
    assert f"/registry/opinions/{opinion.pk}/scan/" not in page
    client.force_login(office)
    assert client.get(f"/registry/opinions/{opinion.pk}/scan/").status_code == 200


def test_h3_a_merged_bureau_signs_both_of_its_functions_in_turn(area, drive):
    """A county unit performing both the HR and the trade-union review (a merged bureau) signed
    only the first; the second opinion could never be given."""
    from laurel.orgs.models import Unit, UnitFunction

    hr_unit, hr_user = area.departments[("county", F.HR_SOCIAL_SECURITY)]
    union_unit = area.departments[("county", F.TRADE_UNION)][0]
    Unit.objects.filter(pk=union_unit.pk).update(is_active=False)
    UnitFunction.objects.create(unit=hr_unit, function=F.TRADE_UNION)
    registration = service.submit_registration(area.school_user, register(area, drive))
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    assert registration.current_tier == "county"
    registration = service.record_opinion(hr_user, registration, decision="agree")
    assert registration.current_tier == "county"
    with pytest.raises(ValidationError):  # which of the two is not said: never guessed
        service.record_opinion(hr_user, registration, decision="agree")
    registration = service.record_opinion(
        hr_user, registration, decision="agree", function=F.TRADE_UNION
    )
    assert registration.current_tier == "city"
