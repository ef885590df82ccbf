"""core.http.paginate: the narrow page (keys sorted first, rows loaded by key) is the same page."""

import pytest
from django.test import RequestFactory

from laurel.core.http import paginate
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
