"""H-7: what each level of finance budgets for treatment in a year (列入同级财政预算)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from laurel.treatment import budget, queries
from tests.registry.conftest import D, model_worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("period", "starts", "ends", "times"),
    [
        ("month", D(2026, 1, 1), None, 12),
        ("month", D(2026, 7, 1), None, 6),
        ("month", D(2026, 1, 1), D(2026, 7, 1), 6),  # ended on 1 July: January to June
        ("month", D(2026, 1, 1), D(2026, 7, 15), 7),  # a month begun counts
        ("month", D(2025, 3, 1), D(2026, 1, 1), 0),
        ("month", D(2024, 3, 1), D(2027, 2, 1), 12),
        ("year", D(2026, 12, 31), None, 0),  # a yearly item is paid by whoever holds it on 1 Jan
        ("year", D(2026, 1, 1), D(2026, 1, 2), 1),
        ("year", D(2025, 1, 1), D(2026, 1, 1), 0),
        ("once", D(2026, 4, 28), None, 1),
        ("once", D(2025, 4, 28), None, 0),
    ],
)
def test_h7_periods_counted_in_a_year(period, starts, ends, times):
    assert budget.periods_in_year(period, starts, ends, 2026) == times


def test_h7_budget_per_paying_finance_office(filed, area, policy, client):
    filed([model_worker()], name="张志强", birth_date=D(1990, 1, 1))
    result = budget.year_budget(queries.entitlements(area.office), 2026)
    assert [
        (x.payer, x.payer_level, x.treatment, x.people, x.times, x.amount) for x in result.lines
    ] == [
        ("省级财政", "省级财政", "荣誉津贴", 1, 12, Decimal("2400.00")),
        ("南关区财政", "县（市、区）级财政", "节日走访慰问", 1, 1, Decimal("600.00")),
    ]
    assert result.total == Decimal("3000.00")
    assert result.by_city == [("长春市", Decimal("3000.00"))]
    client.force_login(area.office)
    page = client.get(reverse("treatment:budget"), {"year": 2026}).content.decode()
    assert "南关区财政" in page and "3000.00" in page
    # The school sees no budget page; another year has its own figures.
    assert budget.year_budget(queries.entitlements(area.office), 2025).lines == []
    client.force_login(area.school_user)
    assert client.get(reverse("treatment:budget")).status_code == 403


def test_h7_budget_by_city_puts_provincial_units_people_apart(area, drive, policy, committed):
    from laurel.registry.services import registrations as service
    from tests.registry.conftest import register

    registration = register(area, drive, unit=area.central, user=area.office, name="王省直")
    with committed():
        registration = service.submit_registration(None, registration)
        while registration.state == "submitted":
            registration = service.record_opinion(None, registration, decision="agree")
    result = budget.year_budget(queries.entitlements(area.office), 2026)
    assert [city for city, _amount in result.by_city] == ["省直单位"]
