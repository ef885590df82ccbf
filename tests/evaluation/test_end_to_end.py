"""Issue 7, done-when: the Jilin campaign from received nominees to issued awards with synthetic
people — 90 collective and 100 individual awards, the differential bound (C-3, C-8 step 3)
respected, recusals applied, the C-10 shares computed with their numbers."""

import datetime
import io
import math
from decimal import Decimal

import openpyxl
import pytest
from django.db.models import Sum

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.demo import evaluation as demo
from laurel.evaluation import queries
from laurel.evaluation.models import Award, Candidate, ListEntry, Panel, Recusal, Vote
from laurel.nominations.models import Nominee
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(office, jilin_units):
    university = UnitFactory(
        name="吉林建筑大学", division=Division.objects.get(code="220000"), kind="public_institution"
    )
    experts = [UserFactory(unit=university, roles=[Role.PANEL_EXPERT]) for _ in range(3)]
    # An expert from the 长春 body's own bureau: recused from every 长春 nominee.
    insider = UserFactory(unit=jilin_units["长春市住房和城乡建设局"], roles=[Role.PANEL_EXPERT])
    return demo.Cast(
        office=office,
        leader=UserFactory(unit=office.unit, roles=[Role.LEADING_GROUP]),
        assessor=UserFactory(unit=office.unit, roles=[Role.ASSESSMENT_TEAM]),
        experts=[*experts, insider],
    )


def test_c2_c3_c8_c10_jilin_round_from_received_to_190_awards(client, published, cast):
    received = demo.fill_received(published, seed=7)
    assert len(received) == 261  # 126 collective + 135 individual places (C-2, C-3)
    outcome = demo.run(
        published,
        cast,
        notice_start=datetime.date(2026, 6, 1),
        approved_on=datetime.date(2026, 7, 1),
        document_number="吉政函〔2026〕12号",
    )

    # C-2: the award counts of the plan.
    awards = Award.objects.filter(nominee__campaign=published)
    assert awards.filter(nominee__category__kind="collective").count() == 90
    assert awards.filter(nominee__category__kind="individual").count() == 100
    assert len(outcome.awards) == 190
    individual = awards.filter(nominee__category__kind="individual")
    assert individual.values("certificate_number").distinct().count() == 100
    assert individual.aggregate(total=Sum("bonus_amount"))["total"] == Decimal("400000.00")
    assert all(a.plaque for a in awards.filter(nominee__category__kind="collective"))

    # C-3 / C-8 step 3: candidates ≤ received ÷ (1 + 20 %), per panel.
    for panel in Panel.objects.filter(campaign=published):
        received_here = Nominee.objects.filter(
            campaign=published, category=panel.category, recheck__eligible=True
        ).count()
        limit = math.floor(Decimal(received_here) / Decimal("1.20"))
        assert Candidate.objects.filter(panel=panel).count() == limit
        assert panel.state == Panel.State.CLOSED
    assert outcome.bounds == {"collective": 105, "individual": 112}

    # Recusals: the insider sits out every 长春 nominee (20 collective + 22 individual places),
    # one declared conflict per panel; nobody voted where recused.
    insider = cast.experts[-1]
    assert Recusal.objects.filter(expert=insider, automatic=True).count() == 42
    assert Recusal.objects.filter(automatic=False).count() == 2
    assert outcome.recusals == 44
    for recusal in Recusal.objects.all():
        assert not Vote.objects.filter(
            panel=recusal.panel, expert=recusal.expert, nominee=recusal.nominee
        ).exists()
    # A nominee turned down by two of four experts missed the two-thirds threshold.
    failed = [
        r for r in queries.tally(Panel.objects.get(category__kind="collective")) if not r.passed
    ]
    assert failed and all(r.approvals < 3 for r in failed)
    assert not Candidate.objects.filter(nominee__in=[r.nominee for r in failed]).exists()

    # C-10 with the numbers, recomputed from the list as it stands.
    listed = Nominee.objects.filter(list_entry__isnull=False, category__kind="individual")
    cadres = listed.filter(admin_level__in=["division", "deputy_division"]).count()
    check = {c.key: c for c in outcome.ratio_checks["individual"]}["county-division-cadres"]
    assert (check.count, check.base, check.limit) == (cadres, 100, 20)
    assert cadres > 20 and not check.ok  # one in four generated individuals is a division head
    sector = {c.key: c for c in outcome.ratio_checks["collective"]}["housing-system-agencies"]
    collective_sector = Nominee.objects.filter(
        list_entry__isnull=False, category__kind="collective", in_sector_agency=True
    ).count()
    assert (sector.count, sector.base, sector.limit) == (collective_sector, 126, 63)
    # Passing the "in principle" share was justified in writing; the other share holds.
    entry = ListEntry.objects.filter(list__category__kind="individual").first()
    assert entry.list.justifications["county-division-cadres"].startswith("经办公室集体研究")
    assert (
        sector.ok
        and "county-division-cadres"
        not in ListEntry.objects.filter(list__category__kind="collective")
        .first()
        .list.justifications
    )

    # Everybody on the lists went through the provincial notice and is now awarded.
    assert set(
        Nominee.objects.filter(campaign=published, list_entry__isnull=False).values_list(
            "state", flat=True
        )
    ) == {"awarded"}
    assert Nominee.objects.filter(campaign=published, state="received").count() == 71

    # The bonus list: one row per individual, totals per body in the plan's order, 400,000 yuan.
    client.force_login(cast.office)
    response = client.get(f"/evaluation/awards/?campaign={published.pk}&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    bonus, totals, plaques = book.worksheets
    assert bonus.max_row == 3 + 100 and plaques.max_row == 3 + 90
    assert [c.value for c in bonus[3]][:3] == ["序号", "推荐单位", "姓名"]
    assert sum(row[6].value for row in bonus.iter_rows(min_row=4)) == 400000
    rows = {row[0].value: (row[1].value, row[2].value) for row in totals.iter_rows(min_row=4)}
    assert rows["合计"] == (100, 400000)
    changchun = individual.filter(nominee__body__key="changchun").count()
    assert rows["长春市（含公主岭市）"] == (changchun, changchun * 4000)
    assert next(iter(rows)) == "长春市（含公主岭市）"  # the plan's order, not alphabetical
    assert "导出：" in bonus["A1"].value


def test_fill_received_per_category_takes_the_first_bodies_places(published):
    received = demo.fill_received(published, seed=11, per_category=4)
    by_category = {}
    for nominee in received:
        by_category.setdefault(nominee.category.key, []).append(nominee)
    assert {key: len(nominees) for key, nominees in by_category.items()} == {
        "collective": 4,
        "individual": 4,
    }
    assert {n.state for n in received} == {Nominee.State.RECEIVED}
    # The first bodies in the plan's order give their places, up to four per category.
    for category in published.categories.all():
        expected, left = [], 4
        for quota in category.quotas.order_by("body__sort_order"):
            take = min(quota.places, left)
            expected += [quota.body_id] * take
            left -= take
        assert sorted(n.body_id for n in by_category[category.key]) == sorted(expected)
