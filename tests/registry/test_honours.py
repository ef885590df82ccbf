"""What the registry offers the campaigns: C-5 asks it for prior honours (registry.queries);
awards of a title with treatment become honours (registry.services.honours)."""

import pytest

from laurel.nominations import eligibility
from laurel.registry import queries
from laurel.registry.models import Honour, Person
from tests.evaluation.test_awards import (
    approve,
    awarded,  # noqa: F401
)
from tests.registry.conftest import D, file_through, register

pytestmark = pytest.mark.django_db


def test_c5_prior_honoree_found_in_the_registry_by_id_number(
    area, drive, published, cc_staff, nanguan_unit
):
    from tests.nominations.conftest import complete_individual

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="老劳模")
    registration = register(area, drive, id_number=nominee.id_number, name="老劳模")
    file_through(area, registration)
    honours = queries.prior_honours([nominee.id_number])[nominee.id_number]
    assert [(h.title, h.level, h.awarded_on) for h in honours] == [
        ("吉林省劳动模范", "provincial", D(2015, 4, 28))
    ]
    codes = {f.code for f in eligibility.findings_for(nominee)}
    assert "c5_office_check" in codes
    # The list page asks for a page of nominees at once: the same honours.
    other = complete_individual(cc_staff, published, nanguan_unit, name="新人")
    assert queries.prior_honours([nominee.id_number, other.id_number]) == {
        nominee.id_number: honours,
        other.id_number: [],
    }
    many = eligibility.findings_for_many([nominee, other])
    assert [f.code for f in many[nominee.pk]] == [f.code for f in eligibility.findings_for(nominee)]
    assert not any(f.code == "c5_office_check" for f in many[other.pk])


def test_awards_with_treatment_become_honours_and_follow_revocation(
    published,
    office,
    awarded,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from laurel.evaluation.services import awards as award_services

    category = published.categories.get(kind="individual")
    category.treatment = "享受省级劳动模范待遇"
    category.save()
    approve(office, published, awarded)
    with django_capture_on_commit_callbacks(execute=True):
        awards = award_services.issue_awards(office, published)
    assert Honour.objects.count() == 2
    awards[0].refresh_from_db()
    honour = awards[0].registry_honour
    assert honour.origin == Honour.Origin.AWARD
    assert honour.person.id_number == awards[0].nominee.id_number
    assert (honour.title, honour.kind, honour.treatment, honour.document_number) == (
        "吉林省保障性安居工程先进个人",
        "provincial_committee_government",
        "享受省级劳动模范待遇",
        "吉政函〔2023〕12号",
    )
    with django_capture_on_commit_callbacks(execute=True):
        award_services.revoke_award(
            office,
            awards[0],
            reason="弄虚作假",
            evidence="函",
            certificate_recovered=True,
            bonus_recovered=True,
        )
    honour.refresh_from_db()
    assert honour.status == "revoked"
    assert Person.objects.count() == 2


def test_awards_without_treatment_stay_out_of_the_registry(
    published,
    office,
    awarded,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from laurel.evaluation.services import awards as award_services

    approve(office, published, awarded, "x")
    with django_capture_on_commit_callbacks(execute=True):
        award_services.issue_awards(office, published)
    assert not Honour.objects.exists()


def test_h3_an_award_is_filed_with_the_type_its_title_names(area):
    """Final review: awards of Laurel's own campaigns were filed as 其他表彰 whatever their
    title, so a provincial 先进工作者 went past the trade union's review of the person."""
    from laurel.registry.services.honours import Awardee, record_award_honour
    from tests.registry.conftest import new_id

    def filed(title):
        awardee = Awardee(
            name="张明",
            id_number=new_id(birth=D(1975, 1, 1)),
            gender="1",
            ethnicity="01",
            birth_date=D(1975, 1, 1),
            unit=area.school,
            unit_name=area.school.name,
            position="教师",
            phone="",
        )
        return record_award_honour(
            None,
            awardee,
            title=title,
            awarding_body="吉林省人民政府",
            document_number="吉政函〔2023〕12号",
            awarded_on=D(2023, 4, 20),
            treatment="享受省级先进工作者待遇",
        )

    assert filed("吉林省先进工作者").honour_type == "model_worker"
    assert filed("吉林省保障性安居工程先进个人").honour_type == "other"
