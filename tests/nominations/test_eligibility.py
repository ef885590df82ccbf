"""Eligibility findings, each named by its rule (C-5, C-6, C-7, C-10)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from laurel.nominations import eligibility
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as service
from laurel.registry.queries import PriorHonour
from tests.nominations.conftest import complete_collective, complete_individual

D = datetime.date
pytestmark = pytest.mark.django_db


def _codes(nominee):
    return {(f.code, f.severity) for f in eligibility.findings_for(nominee)}


def test_complete_nominee_has_no_findings(published, cc_staff, nanguan_unit):
    assert _codes(complete_individual(cc_staff, published, nanguan_unit)) == set()


def test_c5_deputy_department_level_needs_a_justification(published, cc_staff, nanguan_unit):
    nominee = complete_individual(
        cc_staff, published, nanguan_unit, admin_level="deputy_department"
    )
    assert ("c5_admin_level", "warning") in _codes(nominee)
    with pytest.raises(ValidationError) as error:
        service.submit_nominee(cc_staff, nominee)
    assert any("请说明" in m for m in error.value.messages)
    service.set_justification(
        cc_staff, nominee, "c5_admin_level", "基层一线实际负责人，经集体研究推荐。"
    )
    nominee.refresh_from_db()
    assert service.submit_nominee(cc_staff, nominee).state == Nominee.State.SUBMITTED


def test_c5_party_committees_and_governments_from_county_up_are_out(
    published, cc_staff, nanguan_unit
):
    nominee = complete_collective(
        cc_staff,
        published,
        nanguan_unit,
        name="某县人民政府",
        collective_type="agency",
        admin_level="division",  # 正处级: a county's
        is_party_committee_or_government=True,
    )
    assert ("c5_party_government", "blocking") in _codes(nominee)
    with pytest.raises(ValidationError):
        service.submit_nominee(cc_staff, nominee)


def test_c5_a_township_government_takes_part_though_its_division_is_a_county(
    published, cc_staff, nanguan_unit
):
    """Probe: a township's government (正科级) sits in 南关区, a county division, and was
    refused as a county's; its rank puts it below the county: a warning it explains."""
    nominee = complete_collective(
        cc_staff,
        published,
        nanguan_unit,
        name="长春市南关区某某街道办事处",
        collective_type="agency",
        admin_level="section",
        is_party_committee_or_government=True,
    )
    codes = _codes(nominee)
    assert ("c5_party_government", "blocking") not in codes
    assert ("c5_party_government_rank", "warning") in codes
    unranked = complete_collective(
        cc_staff,
        published,
        nanguan_unit,
        name="某县人民政府（未填级别）",
        collective_type="agency",
        admin_level="none",
        is_party_committee_or_government=True,
    )
    assert ("c5_party_government", "blocking") in _codes(unranked)


def test_c5_prior_honoree_and_title_not_granted_twice(published, cc_staff, nanguan_unit):
    earlier = complete_individual(cc_staff, published, nanguan_unit)
    Nominee.objects.filter(pk=earlier.pk).update(state=Nominee.State.AWARDED)  # as #7 will do
    again = Nominee(
        campaign=published,
        category=earlier.category,
        body=earlier.body,
        nominating_unit=nanguan_unit,
        division=earlier.division,
        kind="individual",
        id_number=earlier.id_number,
        name="王某某",
    )
    findings = [f for f in eligibility.findings_for(again) if f.rule == "C-5"]
    assert [f.code for f in findings] == ["c5_office_check"]
    assert earlier.category.honour_title in findings[0].detail


def test_c5_declared_provincial_honour_with_treatment_warns(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    service.set_records(
        cc_staff,
        nominee,
        "award",
        [
            {
                "date": D(2016, 4, 1),
                "issuer": "吉林省人民政府",
                "text": "吉林省劳动模范",
                "level": "provincial",
                "treatment": True,
            }
        ],
    )
    assert ("c5_prior_honoree", "warning") in _codes(nominee)


def test_c6_collective_punished_since_2018_is_out(published, cc_staff, nanguan_unit):
    nominee = complete_collective(cc_staff, published, nanguan_unit)
    service.set_records(
        cc_staff,
        nominee,
        "punishment",
        [
            {"date": D(2017, 12, 1), "issuer": "区纪委", "text": "通报批评"},
        ],
    )
    assert _codes(nominee) == set()  # before 2018 does not count
    service.set_records(
        cc_staff,
        nominee,
        "punishment",
        [
            {"date": D(2019, 6, 1), "issuer": "区纪委", "text": "通报批评"},
        ],
    )
    assert ("clean_record", "blocking") in _codes(nominee)


def test_c7_four_continuous_years_as_of_2022_06_30(published, cc_staff, nanguan_unit):
    ok = complete_individual(cc_staff, published, nanguan_unit, field_work_since=D(2018, 6, 1))
    assert "c7_continuous_years" not in {c for c, _s in _codes(ok)}
    short = complete_individual(
        cc_staff, published, nanguan_unit, name="李某", field_work_since=D(2018, 7, 1)
    )
    finding = next(f for f in eligibility.findings_for(short) if f.code == "c7_continuous_years")
    assert finding.blocking and "2022-06-30" in finding.message


def test_c6_c7_at_least_one_achievement_condition(published, cc_staff, nanguan_unit):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    service.set_conditions(cc_staff, nominee, [])
    assert ("achievement_condition", "blocking") in _codes(nominee)


def test_c10_county_division_cadres_share_warns_past_twenty_percent(
    published, cc_staff, nanguan_unit
):
    # 长春's individual quota is 22: the 5th county/division-level cadre passes 20 %.
    for index in range(4):
        complete_individual(
            cc_staff, published, nanguan_unit, name=f"处级{index}", admin_level="division"
        )
    fifth = complete_individual(
        cc_staff, published, nanguan_unit, name="处级4", admin_level="deputy_division"
    )
    finding = next(f for f in eligibility.findings_for(fifth) if f.rule == "C-10")
    assert not finding.blocking and "5人" in finding.message and "名额22" in finding.message


def test_c10_sector_agencies_share_of_quota(published, cc_staff, nanguan_unit):
    collectives = [
        complete_collective(
            cc_staff, published, nanguan_unit, name=f"机关{i}", in_sector_agency=True
        )
        for i in range(11)
    ]
    # 长春: 20 collective + 22 individual places; 50 % is 21; 11 collectives do not pass it.
    assert not [f for f in eligibility.findings_for(collectives[-1]) if f.rule == "C-10"]


def test_c10_and_c5_findings_for_a_page_agree_with_one_at_a_time(
    published, cc_staff, nanguan_unit, office, django_assert_max_num_queries
):
    """The list page reads the shared numbers once (findings_for_many) and what the checks read
    of records, claims and conditions as plain values (load_page, issue 22); every finding must
    be the one the nominee's own page shows, which asks the related managers."""
    cadres = [
        complete_individual(
            cc_staff, published, nanguan_unit, name=f"处级{index}", admin_level="division"
        )
        for index in range(6)
    ]
    withdrawn = cadres[0]
    Nominee.objects.filter(pk=withdrawn.pk).update(state=Nominee.State.WITHDRAWN)
    from laurel.campaigns.services.campaigns import copy_campaign

    earlier = complete_individual(cc_staff, published, nanguan_unit, name="曾获奖")
    last_round = copy_campaign(office, published, slug="last-round", name="上一轮", year=2019)
    Nominee.objects.filter(pk=earlier.pk).update(state=Nominee.State.AWARDED, campaign=last_round)
    again = complete_individual(
        cc_staff, published, nanguan_unit, name="再推荐", id_number=earlier.id_number
    )
    group = complete_collective(cc_staff, published, nanguan_unit, name="机关甲")
    group.claims.all().delete()  # C-6: no condition claimed, found from the page's claims
    punished = complete_collective(cc_staff, published, nanguan_unit, name="机关乙")
    service.set_records(
        cc_staff,
        punished,
        "punishment",
        [
            {"date": D(2021, 3, 1), "issuer": "区纪委", "text": "通报批评"},
            {"date": D(2019, 6, 1), "issuer": "区纪委", "text": "诫勉谈话"},
            {"date": D(2016, 6, 1), "issuer": "区纪委", "text": "早年处分"},
        ],
    )
    decorated = complete_individual(cc_staff, published, nanguan_unit, name="劳模")
    service.set_records(
        cc_staff,
        decorated,
        "award",
        [
            {
                "date": D(2016, 4, 1),
                "issuer": "吉林省人民政府",
                "text": "吉林省劳动模范",
                "level": "provincial",
                "treatment": True,
            }
        ],
    )
    page = list(
        Nominee.objects.filter(campaign=published).select_related("campaign", "category", "body")
    )
    # records 1, claims and conditions 1, prior honours 2, C-10 numbers 2
    with django_assert_max_num_queries(6):
        many = eligibility.findings_for_many(page)
    for nominee in Nominee.objects.filter(campaign=published):
        assert many[nominee.pk] == eligibility.findings_for(nominee), nominee.name
    # Quota 22, 20 %: five cadres not withdrawn pass it; the withdrawn one is not counted.
    assert "5人" in next(f for f in many[cadres[-1].pk] if f.rule == "C-10").message
    assert "c5_office_check" in {f.code for f in many[again.pk]}
    assert "achievement_condition" in {f.code for f in many[group.pk]}
    clean = next(f for f in many[punished.pk] if f.code == "clean_record")
    assert "诫勉谈话；通报批评" in clean.message and "早年处分" not in clean.message
    assert "c5_prior_honoree" in {f.code for f in many[decorated.pk]}


def test_c5_a_unit_learns_only_that_the_office_checks_never_the_other_persons_honour(
    client, published, cc_staff, nanguan_unit, office
):
    """Issue 19: a unit could test any ID number province-wide for prior honours by creating a
    draft — the finding named the honour and the campaign. It now says only that the office
    checks; the office reads the record; each hit is on the audit trail."""
    from laurel.campaigns.services.campaigns import copy_campaign
    from laurel.core.models import AuditLog

    earlier = complete_individual(cc_staff, published, nanguan_unit, name="曾获奖")
    last_round = copy_campaign(office, published, slug="last-round", name="上一轮活动", year=2019)
    Nominee.objects.filter(pk=earlier.pk).update(state=Nominee.State.AWARDED, campaign=last_round)
    probe = complete_individual(cc_staff, published, nanguan_unit, name="试探", procedure=False)
    service.save_draft(cc_staff, probe, id_number=earlier.id_number)
    title = earlier.category.honour_title
    client.force_login(cc_staff)
    page = client.get(f"/nominations/{probe.pk}/").content.decode()
    assert "须经省级表彰工作办公室核查以往表彰情况" in page
    assert title not in page.replace(f"“{title}”推荐", "") and "上一轮活动" not in page
    client.force_login(office)
    page = client.get(f"/nominations/{probe.pk}/").content.decode()
    assert "仅办公室可见" in page and "上一轮活动" in page
    hits = AuditLog.objects.for_object(probe).filter(changes__0__field="c5_check")
    assert hits.count() == 1 and hits.get().actor == cc_staff


def test_c5_past_awardees_found_by_id_number_and_collectives_by_name_with_the_local_date(
    published, cc_staff, nanguan_unit, office
):
    """Prior honours from this system's past campaigns: an individual by ID number (matched on
    the lookup hash), a collective by name and kind; the honour dated by the day it was
    submitted in Asia/Shanghai (07:00 on 1 May there is still 30 April in UTC)."""
    from zoneinfo import ZoneInfo

    from laurel.campaigns.services.campaigns import copy_campaign

    last_round = copy_campaign(office, published, slug="last-round", name="上一轮", year=2019)
    person = complete_individual(cc_staff, published, nanguan_unit, name="曾获奖")
    group = complete_collective(cc_staff, published, nanguan_unit, name="某某中心")
    early = datetime.datetime(2019, 5, 1, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    Nominee.objects.filter(pk__in=[person.pk, group.pk]).update(
        state=Nominee.State.AWARDED, campaign=last_round, submitted_at=early
    )
    again = complete_individual(
        cc_staff, published, nanguan_unit, name="再推荐", id_number=person.id_number
    )
    same_name = complete_collective(cc_staff, published, nanguan_unit, name="某某中心")
    other = complete_collective(cc_staff, published, nanguan_unit, name="另一中心")
    page = list(Nominee.objects.filter(pk__in=[again.pk, same_name.pk, other.pk]))
    eligibility._prior_honours_many(page)
    held = {n.pk: n._prior_honours for n in page}
    title = person.category.honour_title
    assert held[again.pk] == [PriorHonour(title, "provincial", D(2019, 5, 1), "上一轮")]
    assert held[same_name.pk] == [
        PriorHonour(group.category.honour_title, "provincial", D(2019, 5, 1), "上一轮")
    ]
    assert held[other.pk] == []
    assert eligibility.prior_honours(Nominee.objects.get(pk=again.pk)) == held[again.pk]


def test_c7_punishments_of_one_month_are_named_in_key_order_on_list_and_page(
    published, cc_staff, nanguan_unit
):
    """Issue 22 review: two punishments of the same kind and date had no fixed order, so the
    list (load_page) and the nominee's page (the related manager) could name them differently.
    Both now sort equal dates by the key. The rows are stored against key order (the higher key
    first), so PostgreSQL, which returns them in storage order, shows whether the key decides."""
    from django.db.models import Max

    from laurel.nominations.models import NomineeRecord

    punished = complete_individual(cc_staff, published, nanguan_unit, name="受处分者")
    top = (NomineeRecord.objects.aggregate(top=Max("pk"))["top"] or 0) + 10
    for pk, text in ((top + 2, "乙处分"), (top + 1, "甲处分")):
        NomineeRecord.objects.create(
            pk=pk,
            nominee=punished,
            kind="punishment",
            date=D(2021, 3, 1),
            issuer="区纪委",
            text=text,
        )
    page = list(Nominee.objects.filter(pk=punished.pk).select_related("campaign", "category"))
    on_list = next(f for f in eligibility.findings_for_many(page)[punished.pk] if f.rule == "C-7")
    on_page = next(f for f in eligibility.findings_for(punished) if f.rule == "C-7")
    assert "（甲处分；乙处分）" in on_list.message
    assert on_page.message == on_list.message


def test_c5_the_warnings_name_the_plans_own_levels_not_jilins(published, cc_staff, nanguan_unit):
    """Another plan excludes other administrative levels and other tiers of party committees
    and governments: the findings say what this plan says."""
    published.eligibility = {
        **published.eligibility,
        "excluded_admin_levels": ["department", "section"],
        "excluded_party_and_government_from_tier": "prefecture",
    }
    published.save()
    person = complete_individual(cc_staff, published, nanguan_unit, admin_level="section")
    texts = [f.message for f in eligibility.findings_for(person) if f.code == "c5_admin_level"]
    assert texts == [
        "正科级单位和个人一般不参加评选（本方案：正厅级、正科级）。如确需推荐，请说明理由。"
    ]
    city_government = complete_collective(
        cc_staff,
        published,
        published.bodies.get(key="changchun").unit,
        name="某市人民政府",
        collective_type="agency",
        admin_level="department",
        is_party_committee_or_government=True,
    )
    texts = [
        f.message
        for f in eligibility.findings_for(city_government)
        if f.code == "c5_party_government"
    ]
    assert texts == ["市级（含）以上党委和政府不参加评选。"]
