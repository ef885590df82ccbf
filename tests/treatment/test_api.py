"""H-7 over the API: entitlements with the same jurisdiction filter and H-6 masking."""

import pytest
from rest_framework.test import APIClient

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.orgs.models import UnitFunction
from tests.factories import UnitFactory, UserFactory
from tests.registry.conftest import model_worker

pytestmark = pytest.mark.django_db
F = UnitFunction.Function
URL = "/api/treatment/entitlements/"


def names(user):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(URL, {"current": "1", "page_size": 500})
    assert response.status_code == 200
    return sorted({(row["person_name"], row["honour_title"]) for row in response.json()["results"]})


def test_h7_api_entitlements_filtered_and_masked(filed, area, policy):
    filed([model_worker()], name="张志强")
    filed([model_worker()], name="保密人", classified=True, position="")
    assert names(area.office) == [("保密人", "吉林省劳动模范"), ("张志强", "吉林省劳动模范")]
    assert names(area.reviewer("county", F.HR_SOCIAL_SECURITY)) == [("张志强", "吉林省劳动模范")]
    elsewhere = UserFactory(
        unit=UnitFactory(
            name="吉林市人力资源和社会保障局",
            division=Division.objects.get(code="220200"),
            tier="prefecture",
            functions=[F.HR_SOCIAL_SECURITY],
        ),
        roles=[Role.REVIEWING_DEPARTMENT],
    )
    assert names(elsewhere) == []


def test_h7_api_refuses_a_school(area, policy):
    client = APIClient()
    client.force_authenticate(area.school_user)
    assert client.get(URL).status_code == 403
