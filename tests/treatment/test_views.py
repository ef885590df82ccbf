"""H-7 pages: the office loads the policy (dry run first); entitlements are seen through the
registry's jurisdiction filter and its H-6 privacy."""

import pytest
from django.urls import reverse

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.orgs.models import UnitFunction
from laurel.treatment.models import Policy
from tests.factories import UnitFactory, UserFactory
from tests.registry.conftest import model_worker

pytestmark = pytest.mark.django_db
F = UnitFunction.Function


def test_h7_office_loads_a_policy_after_seeing_its_changes(committed, client, area, example_text):
    client.force_login(area.office)
    url = reverse("treatment:policies")
    response = client.post(url, {"text": example_text, "action": "preview"})
    assert response.status_code == 200
    assert "新的政策版本，2026-01-01起施行。" in response.content.decode()
    assert not Policy.objects.exists()
    with committed():
        response = client.post(url, {"text": example_text, "action": "apply"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "吉林省表彰人员待遇政策（示例）" in page
    assert "示例数值，须核定" in page


def test_h7_a_bad_file_is_refused_with_its_line(client, area, example_text):
    client.force_login(area.office)
    broken = example_text.replace("kind: health_check", "kind: spa")
    response = client.post(reverse("treatment:policies"), {"text": broken, "action": "apply"})
    page = response.content.decode()
    line = broken.splitlines().index("    kind: spa") + 1
    assert f"第{line}行（treatments[3].kind）" in page
    assert not Policy.objects.exists()


@pytest.mark.parametrize("who", ["school_user", "reviewer"])
def test_h7_only_the_office_sets_the_policy(client, area, example_text, who):
    user = area.school_user if who == "school_user" else area.reviewer("city", F.HR_SOCIAL_SECURITY)
    client.force_login(user)
    response = client.post(reverse("treatment:policies"), {"text": example_text, "action": "apply"})
    assert response.status_code == 403
    assert not Policy.objects.exists()


def test_h7_entitlements_follow_the_jurisdiction_filter(filed, client, area, drive, policy):
    filed([model_worker()], name="张志强")
    url = reverse("treatment:entitlements")
    client.force_login(area.reviewer("county", F.HR_SOCIAL_SECURITY))  # 南关区
    assert "张志强" in client.get(url).content.decode()
    elsewhere = UserFactory(
        unit=UnitFactory(
            name="吉林市人力资源和社会保障局",
            division=Division.objects.get(code="220200"),
            tier="prefecture",
            functions=[F.HR_SOCIAL_SECURITY],
        ),
        roles=[Role.REVIEWING_DEPARTMENT],
    )
    client.force_login(elsewhere)
    page = client.get(url).content.decode()
    assert "张志强" not in page
    assert "没有符合条件的待遇资格。" in page
    # …and in the export.
    from io import BytesIO

    from openpyxl import load_workbook

    export = client.get(url, {"format": "xlsx"})
    cells = [c for row in load_workbook(BytesIO(export.content)).active.values for c in row]
    assert "张志强" not in cells


def test_h7_person_page_shows_what_and_why(filed, client, area, drive, policy):
    person = filed([model_worker()], name="张志强")
    client.force_login(area.office)
    page = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert 'data-testid="entitlements"' in page
    assert "荣誉津贴" in page
    assert "吉林省劳动模范（省部级）· 示例：按月发放，就高不重复" in page


def test_h7_classified_person_entitlements_are_confidential(filed, client, area, drive, policy):
    from laurel.registry.models import Person

    person = filed([model_worker()], name="保密人", classified=True, position="")
    assert Person.objects.get(pk=person.pk).entitlements.filter(ends_on__isnull=True).exists()
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)
    page = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert 'data-testid="entitlements"' not in page
    listing = client.get(reverse("treatment:entitlements")).content.decode()
    # Not even a de-sensitised row: its place, dates and amount would narrow them down.
    assert "保密人" not in listing
    assert "涉密人员" not in listing
    client.force_login(area.office)
    assert "保密人" in client.get(reverse("treatment:entitlements")).content.decode()


def test_h7_a_reviewing_department_on_the_leading_group_lists_only_its_own_areas_entitlements(
    filed, client, area, drive, policy
):
    """The leading group sees the province, but it grants no list of entitlements: a city
    reviewing department whose officer sits on it lists its own area only."""
    filed([model_worker()], name="南关待遇人")  # of 南关区 (长春)
    jilin_city = UnitFactory(
        name="吉林市人力资源和社会保障局",
        division=Division.objects.get(code="220200"),
        tier="prefecture",
        functions=[F.HR_SOCIAL_SECURITY],
    )
    both = UserFactory(
        unit=jilin_city,
        roles=[Role.REVIEWING_DEPARTMENT, Role.LEADING_GROUP],
        full_name="吉林市人社经办人",
    )
    client.force_login(both)
    page = client.get(reverse("treatment:entitlements")).content.decode()
    assert "南关待遇人" not in page and "没有符合条件的待遇资格。" in page
    client.force_login(area.office)
    assert "南关待遇人" in client.get(reverse("treatment:entitlements")).content.decode()
