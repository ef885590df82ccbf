"""The plan's rules changed in the pages while nominees already use them (issue 20 review):
a claimed achievement condition keeps its words, a reserved sub-quota never drops below the
nominees holding it, a C-10 share is not missed by float rounding."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from laurel.campaigns.models import AchievementCondition, QuotaReservation
from laurel.campaigns.services.campaigns import set_conditions, set_reservations
from laurel.core.models import Division
from laurel.nominations.eligibility import ratio_findings
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as service
from tests.factories import UnitFactory
from tests.nominations.conftest import complete_individual
from tests.nominations.test_quota import _set_places

D = datetime.date
pytestmark = pytest.mark.django_db


def test_c7_a_claimed_condition_moves_with_its_words_and_cannot_be_deleted(
    published, cc_staff, nanguan_unit, office
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    category = nominee.category
    texts = [c.text for c in category.conditions.order_by("number")]
    claimed = nominee.claims.get().condition
    assert claimed.text == texts[0]
    set_conditions(office, category, list(reversed(texts)), "调整条件顺序")
    claim = nominee.claims.get().condition
    assert claim.pk == claimed.pk and claim.text == texts[0] and claim.number == len(texts)
    assert [c.text for c in category.conditions.order_by("number")] == list(reversed(texts))
    with pytest.raises(ValidationError) as error:
        set_conditions(office, category, texts[1:], "删除第一条")
    assert error.value.messages == [
        f"先进个人：第{len(texts)}条“{texts[0][:40]}”已有推荐对象选用，不能删除或改写。"
    ]
    assert AchievementCondition.objects.filter(category=category).count() == len(texts)


def test_c4_a_reserved_sub_quota_never_drops_below_the_nominees_holding_it(
    published, cc_staff, nanguan_unit, office
):
    quota = _set_places(published, "changchun", "individual", 3, reserved=2)
    gongzhuling = UnitFactory(
        name="公主岭市住房保障中心",
        division=Division.objects.get(code="220184"),
        tier="county",
        kind="public_institution",
    )
    for index in range(2):
        service.submit_nominee(
            cc_staff, complete_individual(cc_staff, published, gongzhuling, name=f"公{index}")
        )
    service.submit_nominee(cc_staff, complete_individual(cc_staff, published, nanguan_unit))
    gzl = Division.objects.get(code="220184")

    def reserve(places, division=gzl):
        rows = [{"quota": quota.pk, "name": "公主岭市", "division": division, "places": places}]
        set_reservations(office, published, rows, "调整单列名额")

    with pytest.raises(ValidationError) as error:
        reserve(1)
    assert error.value.messages == ["公主岭市已上报2个，单列名额不能少于已上报的数量。"]
    with pytest.raises(ValidationError) as error:
        reserve(3)  # all 3 places to 公主岭, but 南关 already holds one outside it
    assert error.value.messages == [
        "长春市（含公主岭市）·先进个人：单列以外的地区已上报1个，单列后只剩0个名额，不能这样单列。"
    ]
    with pytest.raises(ValidationError) as error:
        reserve(1, Division.objects.get(code="220600"))  # 白山市 is not inside 长春
    assert error.value.messages == ["单列名额第1行：白山市不在长春市（含公主岭市）的行政区域内。"]
    assert list(QuotaReservation.objects.filter(quota=quota).values_list("places", flat=True)) == [
        2
    ]


def test_c10_a_share_of_exactly_the_limit_is_not_a_finding(published, cc_staff, nanguan_unit):
    """29 of 100 at 29 %: 100 × 0.29 is 28.999999999999996 in floating point."""
    published.ratio_limits = [
        {
            "key": "cadres",
            "text": "县处级干部原则上不超过29%",
            "counts": "county_division_cadre",
            "max_ratio": 0.29,
            "base": "quota",
        }
    ]
    nominee = complete_individual(
        cc_staff, published, nanguan_unit, admin_level="division", procedure=False
    )
    assert nominee.state == Nominee.State.DRAFT
    at_limit = {"cadres": {nominee.body_id: (29, 100)}}
    over = {"cadres": {nominee.body_id: (30, 100)}}
    nominee.state = Nominee.State.SUBMITTED  # counted among the 29
    assert ratio_findings(nominee, published, at_limit) == []
    assert [f.code for f in ratio_findings(nominee, published, over)] == ["c10_cadres"]


def test_c4_lowering_a_quota_or_reloading_the_plan_keeps_the_reserved_places_whole(
    published, cc_staff, nanguan_unit, office, jilin_text
):
    """The same check when the quota itself is lowered, and when a definition file is loaded
    again into the running campaign."""
    from laurel.campaigns.services.campaigns import set_quotas
    from laurel.campaigns.services.definitions import DefinitionError, load_definition

    quota = _set_places(published, "changchun", "individual", 4, reserved=2)
    for index in range(2):
        service.submit_nominee(
            cc_staff, complete_individual(cc_staff, published, nanguan_unit, name=f"南{index}")
        )
    with pytest.raises(ValidationError) as error:
        set_quotas(office, published, {quota.pk: 3}, "调减")  # 2 reserved, 2 from 南关
    assert error.value.messages == [
        "长春市（含公主岭市）·先进个人：单列以外的地区已上报2个，单列后只剩1个名额，不能这样单列。"
    ]
    quota.refresh_from_db()
    assert quota.places == 4
    gongzhuling = UnitFactory(
        name="公主岭市住房保障中心",
        division=Division.objects.get(code="220184"),
        tier="county",
        kind="public_institution",
    )
    for index in range(2):
        service.submit_nominee(
            cc_staff, complete_individual(cc_staff, published, gongzhuling, name=f"公{index}")
        )
    # the plan's file reserves 2 of 22 for 公主岭 with 2 holding them: cut to 1, refused
    lowered = jilin_text.replace(
        '{name: 公主岭市, division: "220184", quotas: {collective: 2, individual: 2}}',
        '{name: 公主岭市, division: "220184", quotas: {collective: 2, individual: 1}}',
    )
    assert lowered != jilin_text
    with pytest.raises(DefinitionError) as error:
        load_definition(office, lowered, source="lowered.yaml")
    assert any("公主岭市已上报2个" in str(p) for p in error.value.problems)
