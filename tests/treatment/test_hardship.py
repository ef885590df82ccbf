"""H-7 hardship assistance (困难帮扶): an application from the unit that registers the honoree
through the registration's tiers to the province's approval within a band, and payments; its
confidentiality; and what every other participant cannot do to it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from laurel.core.models import AuditLog, Division
from laurel.core.roles import Role
from laurel.orgs.models import UnitFunction
from laurel.treatment import queries
from laurel.treatment.models import HardshipApplication, Payment
from laurel.treatment.services import hardship
from tests.factories import UnitFactory, UserFactory
from tests.registry.conftest import model_worker
from tests.registry.test_views import PDF

pytestmark = pytest.mark.django_db
F = UnitFunction.Function
A = HardshipApplication
TODAY = timezone.localdate


def scan(name="诊断证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


FIELDS = {
    "household_size": 3,
    "income_per_head": Decimal("650.00"),
    "causes": ["illness"],
    "circumstances": "本人患尿毒症，每周透析三次，配偶无业，子女在读。",
}


@pytest.fixture
def band(area):
    return hardship.save_band(
        area.office, name="二档", low=Decimal("3000"), high=Decimal("5000"), sort_order=2
    )


@pytest.fixture
def person(filed):
    return filed([model_worker()])


def applied(area, person, **overrides):
    application = hardship.create_application(
        area.school_user, person, area.school, **{**FIELDS, **overrides}
    )
    hardship.add_evidence(area.school_user, application, scan(), "诊断证明")
    return application


def through_the_tiers(area, application):
    """Submitted by the school; its bureau, then HR and the trade-union federation of the
    county and the city agree: at the province."""
    application = hardship.submit_application(area.school_user, application)
    application = hardship.record_opinion(area.bureau_user, application, decision="agree")
    for tier in ("county", "city"):
        for function in (F.HR_SOCIAL_SECURITY, F.TRADE_UNION):
            application = hardship.record_opinion(
                area.reviewer(tier, function), application, decision="agree"
            )
    return application


def test_h7_hardship_goes_from_the_school_through_the_tiers_to_payment(area, person, band):
    application = applied(area, person)
    assert application.route == ["supervisor", "county", "city", "province"]
    application = through_the_tiers(area, application)
    assert (application.state, application.current_tier) == (A.State.SUBMITTED, "province")
    application = hardship.approve(
        area.office,
        application,
        band=band,
        amount="4000",
        payer="county",
        approval_number="吉人社帮〔2026〕1号",
    )
    assert application.state == A.State.APPROVED
    assert application.amount == Decimal("4000.00")
    assert application.payer_name == "南关区财政"
    first = hardship.record_payment(
        area.office, application, paid_on=TODAY(), amount="1500", reference="NG-2026-001"
    )
    assert first.payer_name == "南关区财政"
    application.refresh_from_db()
    assert application.state == A.State.APPROVED  # 2,500 still to pay
    hardship.record_payment(
        area.office, application, paid_on=TODAY(), amount="2500", reference="NG-2026-002"
    )
    application.refresh_from_db()
    assert application.state == A.State.PAID
    year = dict(queries.hardship_year(area.office, TODAY().year))
    assert year["南关区财政"] == {
        "approved": 1,
        "approved_amount": Decimal("4000.00"),
        "paid": 2,
        "paid_amount": Decimal("4000.00"),
    }
    tiers = list(application.opinions.values_list("tier", "decision"))
    assert tiers == [("supervisor", "agree")] + [("county", "agree")] * 2 + [("city", "agree")] * 2


def test_h7_hardship_bad_input_names_the_field(area, person):
    with pytest.raises(ValidationError) as error:
        hardship.create_application(
            area.school_user, person, area.school, **{**FIELDS, "causes": []}
        )
    assert "causes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        hardship.create_application(
            area.school_user, person, area.school, **{**FIELDS, "causes": ["lottery"]}
        )
    assert "causes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        hardship.create_application(
            area.school_user, person, area.school, **{**FIELDS, "circumstances": "  "}
        )
    assert error.value.message_dict["circumstances"] == ["请填写困难情况说明。"]
    with pytest.raises(ValidationError) as error:
        hardship.create_application(
            area.school_user, person, area.school, **{**FIELDS, "household_size": 0}
        )
    assert "household_size" in error.value.message_dict
    assert not A.objects.exists()


def test_h7_hardship_is_submitted_only_with_evidence(area, person):
    application = hardship.create_application(area.school_user, person, area.school, **FIELDS)
    with pytest.raises(ValidationError, match="请先上传证明材料"):
        hardship.submit_application(area.school_user, application)
    application.refresh_from_db()
    assert application.state == A.State.DRAFT


def test_h7_one_open_application_at_a_time_and_the_repeat_sees_the_history(area, person, band):
    application = through_the_tiers(area, applied(area, person))
    with pytest.raises(ValidationError, match="尚未办结"):
        applied(area, person)
    application = hardship.approve(
        area.office,
        application,
        band=band,
        amount="3000",
        payer="province",
        approval_number="吉人社帮〔2026〕1号",
    )
    hardship.record_payment(
        area.office, application, paid_on=TODAY(), amount="3000", reference="P-1"
    )
    again = applied(area, person, causes=["disaster"])
    history = list(queries.hardship_history(area.school_user, person, but=again))
    assert [(h.pk, h.amount, h.paid_total) for h in history] == [
        (application.pk, Decimal("3000.00"), Decimal("3000.00"))
    ]


def test_h7_a_deceased_honoree_gets_no_hardship_application(area, person):
    person.living = False
    person.save()
    with pytest.raises(ValidationError, match="已去世"):
        hardship.create_application(area.school_user, person, area.school, **FIELDS)


def test_h7_hardship_only_for_people_of_ones_own_jurisdiction(area, person):
    other_unit = UnitFactory(name="朝阳区实验小学", division=Division.objects.get(code="220104"))
    other = UserFactory(unit=other_unit, roles=[Role.NOMINATING_UNIT])
    with pytest.raises(PermissionDenied):
        hardship.create_application(other, person, other_unit, **FIELDS)
    with pytest.raises(PermissionDenied):  # in the name of a unit that is not theirs
        hardship.create_application(other, person, area.school, **FIELDS)
    application = applied(area, person)
    assert not queries.hardship_applications(other).filter(pk=application.pk).exists()


def test_h7_a_reviewer_signs_only_at_their_tier_and_once(area, person):
    application = hardship.submit_application(area.school_user, applied(area, person))
    county_hr = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    with pytest.raises(PermissionDenied):  # still at the bureau's initial review
        hardship.record_opinion(county_hr, application, decision="agree")
    application = hardship.record_opinion(area.bureau_user, application, decision="agree")
    with pytest.raises(PermissionDenied):  # the city's turn has not come
        hardship.record_opinion(
            area.reviewer("city", F.HR_SOCIAL_SECURITY), application, decision="agree"
        )
    with pytest.raises(
        PermissionDenied
    ):  # the organisation department does not review model workers
        hardship.record_opinion(
            area.reviewer("county", F.ORGANIZATION), application, decision="agree"
        )
    application = hardship.record_opinion(county_hr, application, decision="agree")
    with pytest.raises(ValidationError):
        hardship.record_opinion(county_hr, application, decision="agree")
    assert application.current_tier == "county"  # the trade-union federation still to sign
    with pytest.raises(ValidationError, match="须写明理由"):
        hardship.record_opinion(
            area.reviewer("county", F.TRADE_UNION), application, decision="send_back"
        )
    application = hardship.record_opinion(
        area.reviewer("county", F.TRADE_UNION),
        application,
        decision="send_back",
        text="收入证明不全",
    )
    assert (application.state, application.current_tier) == (A.State.SENT_BACK, "")
    application = hardship.update_application(
        area.school_user, application, **{**FIELDS, "household_size": 4}
    )
    application = hardship.submit_application(area.school_user, application)
    assert (application.round, application.current_tier) == (2, "supervisor")


def test_h7_nobody_but_the_office_approves_or_pays(area, person, band):
    application = through_the_tiers(area, applied(area, person))
    for who in (area.school_user, area.bureau_user, area.reviewer("city", F.HR_SOCIAL_SECURITY)):
        with pytest.raises(PermissionDenied):
            hardship.approve(
                who,
                application,
                band=band,
                amount="4000",
                payer="province",
                approval_number="吉人社帮〔2026〕1号",
            )
    with pytest.raises(ValidationError):  # not approved yet: no payment
        hardship.record_payment(
            area.office, application, paid_on=TODAY(), amount="1", reference="X"
        )
    application = hardship.approve(
        area.office,
        application,
        band=band,
        amount="4000",
        payer="province",
        approval_number="吉人社帮〔2026〕1号",
    )
    with pytest.raises(ValidationError):  # approved once
        hardship.approve(
            area.office,
            application,
            band=band,
            amount="5000",
            payer="province",
            approval_number="吉人社帮〔2026〕1号",
        )
    with pytest.raises(PermissionDenied):
        hardship.record_payment(
            area.school_user, application, paid_on=TODAY(), amount="4000", reference="X"
        )
    assert not Payment.objects.exists()


def test_h7_a_crafted_post_by_the_school_approves_nothing(client, area, person, band):
    application = through_the_tiers(area, applied(area, person))
    client.force_login(area.school_user)
    url = reverse("treatment:hardship_approve", args=[application.pk])
    response = client.post(
        url,
        {
            "band": band.pk,
            "amount": "5000",
            "payer": "province",
            "approval_number": "吉人社帮〔2026〕2号",
        },
        follow=True,
    )
    assert "困难帮扶由省级表彰工作办公室审批。" in response.content.decode()
    application.refresh_from_db()
    assert application.state == A.State.SUBMITTED and application.amount is None
    client.force_login(area.office)
    client.post(
        url,
        {
            "band": band.pk,
            "amount": "5000",
            "payer": "province",
            "approval_number": "吉人社帮〔2026〕2号",
        },
    )
    response = client.post(
        reverse("treatment:hardship_payment", args=[application.pk]),
        {"paid_on": TODAY().isoformat(), "amount": "5000", "reference": "CZ-01"},
    )
    application.refresh_from_db()
    assert application.state == A.State.PAID


def test_h7_the_amount_stays_within_an_active_band(area, person, band):
    application = through_the_tiers(area, applied(area, person))
    with pytest.raises(ValidationError) as error:
        hardship.approve(
            area.office,
            application,
            band=band,
            amount="5000.01",
            payer="province",
            approval_number="吉人社帮〔2026〕1号",
        )
    assert error.value.message_dict["amount"] == [
        "批准金额应在“二档”的范围内（3000.00—5000.00元）。"
    ]
    hardship.save_band(area.office, band, active=False)
    with pytest.raises(ValidationError) as error:
        hardship.approve(
            area.office,
            application,
            band=band,
            amount="4000",
            payer="province",
            approval_number="吉人社帮〔2026〕1号",
        )
    assert "band" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        hardship.save_band(area.office, name="倒挂", low=Decimal("500"), high=Decimal("100"))
    assert "high" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        hardship.save_band(area.school_user, name="自设", low=Decimal("1"), high=Decimal("99999"))


def test_h7_payments_are_dated_and_bounded_by_the_approval(area, person, band):
    application = through_the_tiers(area, applied(area, person))
    application = hardship.approve(
        area.office,
        application,
        band=band,
        amount="3000",
        payer="city",
        approval_number="吉人社帮〔2026〕1号",
    )
    assert application.payer_name == "长春市财政"
    cases = [
        ({"paid_on": TODAY() + datetime.timedelta(days=1)}, "paid_on"),
        ({"paid_on": TODAY() - datetime.timedelta(days=1)}, "paid_on"),  # before the approval
        ({"amount": "3000.01"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"reference": "  "}, "reference"),
    ]
    for change, field in cases:
        data = {"paid_on": TODAY(), "amount": "1000", "reference": "R-1", **change}
        with pytest.raises(ValidationError) as error:
            hardship.record_payment(area.office, application, **data)
        assert field in error.value.message_dict, change
    hardship.record_payment(
        area.office, application, paid_on=TODAY(), amount="1000", reference="R-1"
    )
    with pytest.raises(ValidationError) as error:
        hardship.record_payment(
            area.office, application, paid_on=TODAY(), amount="1000", reference="R-1"
        )
    assert error.value.message_dict["reference"] == ["该支付凭证号已在长春市财政登记过。"]
    with pytest.raises(ValidationError, match=r"2000\.00"):
        hardship.record_payment(
            area.office, application, paid_on=TODAY(), amount="2500", reference="R-2"
        )


def test_h7_hardship_circumstances_are_encrypted_at_rest(area, person):
    application = applied(area, person)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT circumstances FROM treatment_hardshipapplication WHERE id = %s",
            [application.pk],
        )
        stored = cursor.fetchone()[0]
    assert "尿毒症" not in stored
    assert A.objects.get(pk=application.pk).circumstances == FIELDS["circumstances"]
    row = AuditLog.objects.filter(
        object_id=str(application.pk), content_type__model="hardshipapplication"
    ).first()
    assert "尿毒症" not in str(row.changes)


def test_h7_opening_hardship_evidence_is_logged(client, area, person):
    application = hardship.submit_application(area.school_user, applied(area, person))
    evidence = application.evidence_files.get()
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)
    response = client.get(reverse("treatment:hardship_evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    logged = AuditLog.objects.filter(action=AuditLog.Action.VIEW, actor=reviewer)
    assert [c["new"] for row in logged for c in row.changes] == ["诊断证明"]
    outsider = UserFactory(
        unit=UnitFactory(division=Division.objects.get(code="220104")),
        roles=[Role.REVIEWING_DEPARTMENT],
    )
    # Neither another area's department nor one of the same area that is not on the route (the
    # county organisation department does not review a model worker: H-3).
    for who in (outsider, area.reviewer("county", F.ORGANIZATION)):
        client.force_login(who)
        assert (
            client.get(reverse("treatment:hardship_evidence", args=[evidence.pk])).status_code
            == 404
        )
        assert client.get(reverse("treatment:hardship", args=[application.pk])).status_code == 404


def test_h7_a_classified_honoree_is_not_applied_for_in_laurel(client, area, filed):
    person = filed([model_worker()], classified=True)
    with pytest.raises(ValidationError, match="涉密人员"):
        hardship.create_application(area.school_user, person, area.school, **FIELDS)
    client.force_login(area.school_user)
    new = reverse("treatment:hardship_new") + f"?person={person.pk}"
    assert client.get(new).status_code == 403
    assert not A.objects.exists()


def test_h7_only_the_registering_unit_or_the_township_applies(area, person, drive):
    from laurel.core.roles import Role as Roles

    body = UserFactory(unit=area.bureau, roles=[Roles.NOMINATING_BODY])
    with pytest.raises(PermissionDenied, match="H-2"):  # the bureau above the school
        hardship.create_application(body, person, area.bureau, **FIELDS)
    with pytest.raises(PermissionDenied):  # the office approves; it does not apply
        hardship.create_application(area.office, person, area.school, **FIELDS)
    with pytest.raises(PermissionDenied):  # the school's honoree is not the township's to see
        hardship.create_application(area.township_user, person, area.township, **FIELDS)
    assert hardship.may_apply_for(area.township, person)  # were they its resident without a unit
    application = hardship.create_application(area.school_user, person, area.school, **FIELDS)
    assert application.route == ["supervisor", "county", "city", "province"]


def test_h7_no_hardship_for_a_revoked_honour_or_a_death_on_the_way(area, person, band):
    from laurel.registry.models import Honour

    application = through_the_tiers(area, applied(area, person))
    person.living = False
    person.save()
    with pytest.raises(ValidationError, match="已去世"):
        hardship.approve(
            area.office,
            application,
            band=band,
            amount="4000",
            payer="province",
            approval_number="吉人社帮〔2026〕3号",
        )
    person.living = True
    person.save()
    Honour.objects.filter(person=person).update(status=Honour.Status.REVOKED)
    with pytest.raises(ValidationError, match="撤销"):
        hardship.approve(
            area.office,
            application,
            band=band,
            amount="4000",
            payer="province",
            approval_number="吉人社帮〔2026〕3号",
        )


def _approved(area, person, band):
    application = through_the_tiers(area, applied(area, person))
    return hardship.approve(
        area.office,
        application,
        band=band,
        amount="4000",
        payer="county",
        approval_number="吉人社帮〔2026〕9号",
    )


def test_h7_c11_no_payment_is_recorded_after_the_honour_is_revoked(area, person, band):
    """Probe: approve() refused a revoked honour, but what remained of an approved amount was
    still booked as paid after the revocation. A receipt dated before it records money that
    had already left."""
    from laurel.registry.models import Honour

    application = _approved(area, person, band)
    revoked_on = TODAY()
    Honour.objects.filter(person=person).update(status=Honour.Status.REVOKED, revoked_on=revoked_on)
    with pytest.raises(ValidationError) as refused:
        hardship.record_payment(
            area.office, application, paid_on=revoked_on, amount="1000", reference="NG-REV-1"
        )
    assert "撤销" in refused.value.message_dict["paid_on"][0]
    application.approved_on = revoked_on - datetime.timedelta(days=5)
    application.save()
    before = hardship.record_payment(
        area.office,
        application,
        paid_on=revoked_on - datetime.timedelta(days=1),
        amount="1000",
        reference="NG-REV-0",
    )
    assert before.amount == Decimal("1000.00")
    assert Payment.objects.filter(application=application).count() == 1


def test_h6_h7_no_payment_is_recorded_in_laurel_for_a_person_classified_since(area, person, band):
    from laurel.registry.models import Person

    application = _approved(area, person, band)
    Person.objects.filter(pk=person.pk).update(classified=True)
    with pytest.raises(ValidationError, match="涉密"):
        hardship.record_payment(
            area.office, application, paid_on=TODAY(), amount="4000", reference="NG-CL-1"
        )
    assert not Payment.objects.filter(application=application).exists()


def test_h7_the_account_that_prepared_an_application_neither_signs_nor_approves_it(
    area, person, band
):
    """Probe: a county HR bureau applying for its own staff member signed the county tier with
    the account that prepared it; an office account that is also its unit's registrar applied,
    approved and paid. Another officer signs and approves."""
    from laurel.registry.models import Person

    hr_unit = area.departments[("county", F.HR_SOCIAL_SECURITY)][0]
    Person.objects.filter(pk=person.pk).update(unit=hr_unit)
    person.refresh_from_db()
    officer = UserFactory(unit=hr_unit, roles=[Role.NOMINATING_UNIT, Role.REVIEWING_DEPARTMENT])
    application = hardship.create_application(officer, person, hr_unit, **FIELDS)
    hardship.add_evidence(officer, application, scan(), "诊断证明")
    application = hardship.submit_application(officer, application)
    assert not officer.has_perm("treatment.review_hardship", application)  # nothing offered
    with pytest.raises(ValidationError, match="其他经办人"):
        hardship.record_opinion(officer, application, decision="agree")
    colleague = UserFactory(unit=hr_unit, roles=[Role.REVIEWING_DEPARTMENT])
    application = hardship.record_opinion(colleague, application, decision="agree")
    assert application.opinions.get().decided_by == colleague

    prov_hr = area.departments[("province", F.HR_SOCIAL_SECURITY)][0]
    Person.objects.filter(pk=person.pk).update(unit=prov_hr)
    HardshipApplication.objects.filter(pk=application.pk).update(state=A.State.PAID)  # closed
    person.refresh_from_db()
    clerk = UserFactory(unit=prov_hr, roles=[Role.PROVINCIAL_OFFICE, Role.NOMINATING_UNIT])
    own = hardship.create_application(clerk, person, prov_hr, **FIELDS)
    hardship.add_evidence(clerk, own, scan(), "诊断证明")
    own = hardship.submit_application(clerk, own)
    assert not clerk.has_perm("treatment.approve_hardship", own)
    from laurel.treatment.hardship_views import hardship_inbox_section

    inbox = hardship_inbox_section(clerk)
    assert inbox is None or own not in [a for a, _shown in inbox["context"]["pending"]]
    assert own in [a for a, _shown in hardship_inbox_section(area.office)["context"]["pending"]]
    with pytest.raises(ValidationError, match="其他经办人"):
        hardship.approve(
            clerk, own, band=band, amount="5000", payer="province", approval_number="吉人社帮1号"
        )
    own = hardship.approve(
        area.office, own, band=band, amount="5000", payer="province", approval_number="吉人社帮1号"
    )
    assert own.state == A.State.APPROVED


def test_h7_who_signs_is_fixed_when_submitted(area, person, filed):
    from laurel.registry.models import Honour

    application = hardship.submit_application(area.school_user, applied(area, person))
    application = hardship.record_opinion(area.bureau_user, application, decision="agree")
    # A party honour filed meanwhile would make it HR's alone (H-3): the union still signs.
    Honour.objects.create(
        person=person,
        title="吉林省优秀共产党员",
        level="provincial",
        kind="provincial_committee_government",
        honour_type="party",
        awarding_body="中共吉林省委",
        awarded_on=datetime.date(2021, 6, 30),
    )
    application = hardship.record_opinion(
        area.reviewer("county", F.TRADE_UNION), application, decision="agree"
    )
    application = hardship.record_opinion(
        area.reviewer("county", F.HR_SOCIAL_SECURITY), application, decision="agree"
    )
    assert application.current_tier == "city"


def test_h7_an_approved_band_keeps_its_name_and_range(area, person, band):
    application = through_the_tiers(area, applied(area, person))
    hardship.approve(
        area.office,
        application,
        band=band,
        amount="4000",
        payer="province",
        approval_number="吉人社帮〔2026〕4号",
    )
    with pytest.raises(ValidationError, match="不能修改名称和金额"):
        hardship.save_band(area.office, band, low=Decimal("100"), high=Decimal("200"))
    hardship.save_band(area.office, band, active=False)  # retiring it is fine


def test_h7_a_department_without_an_account_answers_on_paper(client, area, person):
    union = area.departments[("county", F.TRADE_UNION)][1]
    union.is_active = False  # the county federation has no working account
    union.save()
    application = hardship.submit_application(area.school_user, applied(area, person))
    application = hardship.record_opinion(area.bureau_user, application, decision="agree")
    application = hardship.record_opinion(
        area.reviewer("county", F.HR_SOCIAL_SECURITY), application, decision="agree"
    )
    assert set(hardship.paper_departments(application)) == {F.TRADE_UNION}
    client.force_login(area.school_user)
    url = reverse("treatment:hardship_paper", args=[application.pk])
    assert client.get(url).status_code == 403
    client.force_login(area.office)
    response = client.post(
        url,
        {
            "function": F.TRADE_UNION,
            "decision": "agree",
            "officer_name": "王建国",
            "decided_on": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "scan": scan("意见.pdf"),
        },
    )
    assert "意见日期不能晚于今天。" in response.content.decode()
    client.post(
        url,
        {
            "function": F.TRADE_UNION,
            "decision": "agree",
            "officer_name": "王建国",
            "decided_on": TODAY().isoformat(),
            "scan": scan("意见.pdf"),
        },
    )
    application.refresh_from_db()
    assert application.current_tier == "city"
    assert application.opinions.get(on_paper=True).officer_name == "王建国"


def test_h7_disbursement_list_per_finance_office(client, area, person, band):
    application = through_the_tiers(area, applied(area, person))
    hardship.approve(
        area.office,
        application,
        band=band,
        amount="3500",
        payer="county",
        approval_number="吉人社帮〔2026〕1号",
    )
    client.force_login(area.school_user)
    assert client.get(reverse("treatment:disbursement")).status_code == 403
    client.force_login(area.office)
    page = client.get(reverse("treatment:disbursement")).content.decode()
    assert "南关区财政" in page and "3500.00" in page
    response = client.get(
        reverse("treatment:disbursement"), {"payer": "南关区财政", "format": "xlsx"}
    )
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [person.name, person.id_number] == values[3][1:3]
    assert values[3][9] == 3500
    assert AuditLog.objects.filter(object_id="export", actor=area.office).count() == 1


def test_h7_the_person_page_leads_to_an_application(client, area, person):
    client.force_login(area.school_user)
    page = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert "申请困难帮扶" in page
    new = reverse("treatment:hardship_new") + f"?person={person.pk}"
    response = client.post(
        new, {"household_size": "2", "income_per_head": "-5", "circumstances": "x"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "困难原因" in body
    assert not A.objects.exists()
    response = client.post(
        new,
        {
            "household_size": "2",
            "income_per_head": "800",
            "causes": ["illness", "other"],
            "circumstances": "因病致贫",
        },
    )
    application = A.objects.get()
    assert response.url == reverse("treatment:hardship", args=[application.pk])
    assert application.causes == ["illness", "other"]
    page = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert "申请困难帮扶" not in page  # one open application at a time
    assert reverse("treatment:hardship", args=[application.pk]) in page


def test_the_menu_marks_only_the_hardship_entry_on_its_pages(client, area):
    client.force_login(area.office)
    response = client.get(reverse("treatment:hardship_list"))
    active = [item["label"] for item in response.context["nav_items"] if item["active"]]
    assert active == ["困难帮扶"]


def test_h3_an_application_does_not_go_up_to_a_tier_where_a_department_is_missing(area, person):
    """Probe: the county trade-union federation was deactivated after the filing; the
    application went up, nobody could sign for the union, nor the office on paper: it stayed
    at the county for good and the person could never apply again."""
    from laurel.orgs.models import Unit

    union = area.departments[("county", F.TRADE_UNION)][0]
    Unit.objects.filter(pk=union.pk).update(is_active=False)
    application = applied(area, person)
    with pytest.raises(ValidationError) as refused:
        hardship.submit_application(area.school_user, application)
    assert "以下审核部门尚未录入系统" in str(refused.value)
    assert "县级" in str(refused.value) and "工会" in str(refused.value)
    application.refresh_from_db()
    assert application.state == A.State.DRAFT
    Unit.objects.filter(pk=union.pk).update(is_active=True)
    assert hardship.submit_application(area.school_user, application).state == A.State.SUBMITTED


def test_h3_a_merged_bureau_signs_an_application_for_both_of_its_functions(area, person):
    """A county unit performing both the HR and the trade-union review signs twice, one after
    the other; the application then leaves the county."""
    from laurel.orgs.models import Unit

    hr_unit, hr_user = area.departments[("county", F.HR_SOCIAL_SECURITY)]
    union = area.departments[("county", F.TRADE_UNION)][0]
    Unit.objects.filter(pk=union.pk).update(is_active=False)
    UnitFunction.objects.create(unit=hr_unit, function=F.TRADE_UNION)
    application = hardship.submit_application(area.school_user, applied(area, person))
    application = hardship.record_opinion(area.bureau_user, application, decision="agree")
    assert application.current_tier == "county"
    application = hardship.record_opinion(hr_user, application, decision="agree")
    assert application.current_tier == "county"
    with pytest.raises(ValidationError):  # which of the two is not said: never guessed
        hardship.record_opinion(hr_user, application, decision="agree")
    application = hardship.record_opinion(
        hr_user, application, decision="agree", function=F.TRADE_UNION
    )
    assert application.current_tier == "city"


def test_h7_a_review_page_opened_before_a_send_back_never_signs_the_next_round(
    client, area, person
):
    """As for registrations and nominees (sixth session's probe): the bureau's page opened in
    round 1 does not sign the application resubmitted as round 2."""
    application = hardship.submit_application(area.school_user, applied(area, person))
    client.force_login(area.bureau_user)
    url = reverse("treatment:hardship", args=[application.pk])
    assert 'name="round" value="1"' in client.get(url).content.decode()
    application = hardship.record_opinion(
        area.bureau_user, application, decision="send_back", text="收入证明不全"
    )
    application = hardship.update_application(
        area.school_user, application, **{**FIELDS, "household_size": 4}
    )
    application = hardship.submit_application(area.school_user, application)
    response = client.post(
        reverse("treatment:hardship_review", args=[application.pk]),
        {"decision": "agree", "round": "1"},
        follow=True,
    )
    assert "您打开的页面是第1轮的，请刷新页面阅读后再审核" in response.content.decode()
    application.refresh_from_db()
    assert application.current_tier == "supervisor"
    client.post(
        reverse("treatment:hardship_review", args=[application.pk]),
        {"decision": "agree", "round": "2"},
    )
    application.refresh_from_db()
    assert application.current_tier == "county"
