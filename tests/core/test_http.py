"""core.http.paginate: the narrow page (keys sorted first, rows loaded by key) is the same page."""

import pytest
from django.test import RequestFactory

from laurel.core.http import paginate, window
from laurel.core.models import Division

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["1", "2", "9", "x"])
def test_narrow_page_has_the_same_rows_in_the_same_order_and_count(page):
    request = RequestFactory().get("/", {"page": page})
    queryset = Division.objects.select_related("parent").order_by("-level", "name", "pk")
    wide = paginate(request, queryset, per_page=7)
    narrow = paginate(request, queryset, per_page=7, narrow=True)
    assert [d.pk for d in narrow] == [d.pk for d in wide] and len(narrow) > 0
    assert narrow.paginator.count == wide.paginator.count == Division.objects.count()
    assert (narrow.number, narrow.has_next()) == (wide.number, wide.has_next())
    assert [d.parent for d in narrow] == [d.parent for d in wide]


@pytest.mark.parametrize("page", ["1", "2", "3", "9", "99", "x", "-4", "9" * 30])
@pytest.mark.parametrize("values", [False, True])
def test_window_walked_on_keys_is_the_same_window(page, values):
    """Issue 22: from ``narrow_after`` on, the offset is walked on keys only and the rows loaded
    by key — the same rows, in the same order, the same next-page flag, models or values."""
    request = RequestFactory().get("/", {"page": page})
    queryset = Division.objects.filter(level__in=["city", "county"]).order_by("name", "pk")
    if values:
        queryset = queryset.values("pk", "name", "code")
    wide = window(request, queryset, per_page=7)
    narrow = window(request, queryset, per_page=7, narrow_after=2)
    assert list(narrow) == list(wide)
    assert (narrow.number, narrow.has_next, narrow.start_index) == (
        wide.number,
        wide.has_next,
        wide.start_index,
    )
    if page in ("1", "2", "3"):
        assert len(wide) == 7


def test_window_on_keys_keeps_the_jurisdiction_filter_and_the_order_of_ties():
    """Rows of equal name keep the key order; a filter of the queryset applies to the page."""
    request = RequestFactory().get("/", {"page": "2"})
    queryset = Division.objects.filter(level="county").order_by("level", "pk")
    narrow = window(request, queryset, per_page=5, narrow_after=1)
    expected = list(Division.objects.filter(level="county").order_by("pk")[5:10])
    assert list(narrow) == expected and {d.level for d in narrow} == {"county"}


@pytest.mark.parametrize("narrow", [False, True])
def test_an_annotation_is_on_the_rows_of_a_wide_page_and_of_a_narrow_one(narrow):
    """Issue 22 review: ``annotate`` is not silently dropped when the page is not narrow."""
    from django.db.models import BooleanField, ExpressionWrapper, Q

    request = RequestFactory().get("/", {"page": "1"})
    queryset = Division.objects.order_by("-level", "code", "pk")
    city = ExpressionWrapper(Q(level="prefecture"), BooleanField())
    page = paginate(request, queryset, per_page=40, narrow=narrow, annotate={"is_city": city})
    assert [d.is_city for d in page] == [d.level == "prefecture" for d in page]
    assert any(d.is_city for d in page) and not all(d.is_city for d in page)
    assert page.paginator.count == Division.objects.count()
