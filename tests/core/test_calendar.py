import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laurel.core import calendar as cal
from laurel.core.models import AuditLog, CalendarOverride
from laurel.core.roles import Role
from laurel.core.services import calendar as calendar_service

D = datetime.date
pytestmark = pytest.mark.django_db


def test_spring_festival_2023_holidays_and_adjusted_weekend_workdays():
    assert cal.is_working_day(D(2023, 1, 20))  # Friday before the holiday
    assert not cal.is_working_day(D(2023, 1, 23))  # Monday inside 21–27 January
    assert cal.is_working_day(D(2023, 1, 28))  # Saturday, adjusted workday
    assert cal.is_working_day(D(2023, 1, 29))  # Sunday, adjusted workday
    assert cal.add_working_days(D(2023, 1, 20), 1) == D(2023, 1, 28)
    assert cal.working_days_between(D(2023, 1, 20), D(2023, 1, 30)) == 4


def test_c16_notice_over_national_day_2023_counts_only_working_days():
    # 29 Sep – 6 Oct off; 7 and 8 Oct (weekend) are adjusted workdays.
    assert cal.period_end(D(2023, 9, 28), 5) == D(2023, 10, 10)


def test_c16_notice_starting_on_a_holiday_begins_on_the_next_working_day():
    assert cal.period_end(D(2023, 10, 1), 5) == D(2023, 10, 11)


def test_add_working_days_backwards_and_zero():
    assert cal.add_working_days(D(2023, 1, 28), -1) == D(2023, 1, 20)
    assert cal.add_working_days(D(2023, 1, 23), 0) == D(2023, 1, 23)


def test_next_working_day():
    assert cal.next_working_day(D(2023, 1, 21)) == D(2023, 1, 28)
    assert cal.next_working_day(D(2023, 1, 20)) == D(2023, 1, 20)
    assert cal.next_working_day(D(2023, 1, 20), include=False) == D(2023, 1, 28)


def test_year_without_library_data_or_overrides_raises_naming_the_year():
    year = max(cal.LIBRARY_YEARS) + 1
    with pytest.raises(cal.CalendarNotCovered) as error:
        cal.is_working_day(D(year, 3, 2))
    assert error.value.year == year
    assert str(year) in str(error.value)


def test_hand_entered_year_uses_overrides_then_weekdays(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    year = max(cal.LIBRARY_YEARS) + 1
    calendar_service.declare_year_covered(admin, year, "国办发明电〔示例〕1号")
    first_monday = D(year, 1, 1) + datetime.timedelta(days=(7 - D(year, 1, 1).weekday()) % 7)
    calendar_service.set_override(admin, first_monday, False, "元旦调休")
    saturday = first_monday + datetime.timedelta(days=5)
    calendar_service.set_override(admin, saturday, True, "调休上班")
    assert not cal.is_working_day(first_monday)
    assert cal.is_working_day(saturday)
    assert cal.is_working_day(first_monday + datetime.timedelta(days=1))
    assert not cal.is_working_day(first_monday + datetime.timedelta(days=6))  # Sunday
    assert cal.add_working_days(first_monday - datetime.timedelta(days=1), 1) == (
        first_monday + datetime.timedelta(days=1)
    )


def test_override_wins_over_the_library(world):
    admin = world.user(Role.PROVINCIAL_OFFICE)
    assert cal.is_working_day(D(2026, 6, 1))
    calendar_service.set_override(admin, D(2026, 6, 1), False, "临时放假（测试）")
    assert not cal.is_working_day(D(2026, 6, 1))
    override = CalendarOverride.objects.get(date=D(2026, 6, 1))
    with pytest.raises(ValidationError):
        calendar_service.remove_override(admin, override, "  ")
    calendar_service.remove_override(admin, override, "录入错误")
    assert cal.is_working_day(D(2026, 6, 1))
    actions = list(
        AuditLog.objects.filter(content_type__model="calendaroverride")
        .order_by("id")
        .values_list("action", "reason")
    )
    assert actions == [("create", "临时放假（测试）"), ("delete", "录入错误")]


def test_only_admin_and_office_may_edit_the_calendar(world):
    body = world.user(Role.NOMINATING_BODY)
    with pytest.raises(PermissionDenied):
        calendar_service.set_override(body, D(2026, 6, 1), False)
    assert not CalendarOverride.objects.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=D(2010, 1, 1), max_value=D(2025, 12, 1)),
    days=st.integers(min_value=0, max_value=40),
)
def test_adding_working_days_and_counting_them_agree(start, days):
    end = cal.add_working_days(start, days)
    assert cal.working_days_between(start + datetime.timedelta(days=1), end) == days
    assert days == 0 or cal.is_working_day(end)


@pytest.mark.parametrize("year", ["-1", "0", "99999999999999999999", "abc", "2101"])
def test_the_calendar_page_answers_any_year_parameter_without_an_error(client, world, year):
    """Issue 19: ?year=-1 and a 20-digit year were server errors."""
    client.force_login(world.user(Role.PROVINCIAL_OFFICE))
    response = client.get(f"/core/calendar/?year={year}")
    assert response.status_code == 200
    if year.lstrip("-").isdigit():
        assert "年份应在1900至2100之间" in response.content.decode()
