"""core.text: dates and months as offices type them into spreadsheets (issue 20)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from laurel.core.text import escape, parse_date, parse_year_month


@pytest.mark.parametrize("value", [2019.1, 1998.1])
def test_a_month_excel_may_have_cut_from_10_to_1_is_flagged_not_read_as_january(value):
    with pytest.raises(ValidationError) as error:
        parse_year_month(value)
    assert "1月还是10月" in error.value.messages[0]


@pytest.mark.parametrize(
    "value, month",
    [
        (2019.12, datetime.date(2019, 12, 1)),
        (2019.5, datetime.date(2019, 5, 1)),
        ("2019.10", datetime.date(2019, 10, 1)),
    ],
)
def test_months_that_can_only_be_read_one_way_are_read(value, month):
    assert parse_year_month(value) == month


@pytest.mark.parametrize("value", [1980, 1980.05, 2001.1])
def test_a_year_typed_as_a_number_is_not_a_birth_date(value):
    with pytest.raises(ValidationError) as error:
        parse_date(value)
    assert "不是完整日期" in error.value.messages[0]


def test_an_excel_day_number_is_still_a_date():
    assert parse_date(29358) == datetime.date(1980, 5, 17)


@given(st.one_of(st.text(), st.integers(), st.sampled_from([SafeString("<b>安全</b>"), None])))
def test_escape_writes_what_django_conditional_escape_writes(value):
    """Issue 22: the busiest rows are written with core.text.escape; it must escape exactly as
    Django does — quotes, ampersands, angle brackets; safe text as it is."""
    assert escape(value) == conditional_escape(value)


def test_escape_of_a_lazy_label_is_its_translation_escaped():
    assert escape(gettext_lazy("<全部>")) == "&lt;全部&gt;"


def _read(value):
    try:
        return parse_date(value)
    except ValidationError as error:
        return error.code


@given(
    st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
        st.from_regex(r"\A.{4}-.{2}-.{2}\Z"),
    )
)
def test_a_date_in_the_templates_form_reads_as_through_the_patterns(value):
    """Issue 22: 2015-04-28 is read directly (imports read it 100,000 times); anything of that
    shape reads exactly as the patterns read it (a leading space takes the patterns' way)."""
    assert _read(value) == _read(" " + value)
