"""core.db.startswith: the same rows as LIKE 'prefix%', as a range the index can use."""

import pytest

from laurel.core.db import startswith
from laurel.core.models import Division

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["长春", "长", "吉林", "南关", "Z", "延边朝鲜族自治州"])
def test_prefix_filter_matches_startswith(prefix):
    expected = set(Division.objects.filter(name__startswith=prefix).values_list("pk", flat=True))
    found = set(startswith(Division.objects.all(), "name", prefix).values_list("pk", flat=True))
    assert found == expected


def test_prefix_filter_finds_real_rows():
    names = set(startswith(Division.objects.all(), "name", "长春").values_list("name", flat=True))
    assert "长春市" in names and all(name.startswith("长春") for name in names)


def test_full_names_match_each_division_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        names = Division.objects.full_names()
    assert len(names) == Division.objects.count()
    for division in Division.objects.all()[:80]:
        assert names[division] == division.full_name
