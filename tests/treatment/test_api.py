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


def test_h7_api_payments_masked_and_refused_outside_the_route(filed, area):
    from decimal import Decimal

    from django.utils import timezone

    from laurel.treatment.services import hardship
    from tests.treatment.test_hardship import applied, through_the_tiers

    band = hardship.save_band(area.office, name="一档", low=Decimal("1000"), high=Decimal("3000"))
    paid = {}
    for name in ("张志强", "李国华"):
        person = filed([model_worker()], name=name)
        application = through_the_tiers(area, applied(area, person))
        application = hardship.approve(
            area.office,
            application,
            band=band,
            amount="2000",
            payer="province",
            approval_number="吉人社帮〔2026〕1号",
        )
        hardship.record_payment(
            area.office, application, paid_on=timezone.localdate(), amount="2000", reference=name
        )
        paid[name] = person

    def rows(user):
        client = APIClient()
        client.force_authenticate(user)
        response = client.get("/api/treatment/payments/")
        return response.status_code, [
            (r["person_name"], r["id_number"], r["amount"])
            for r in response.json().get("results", [])
        ]

    status, office_rows = rows(area.office)
    assert status == 200 and {r[0] for r in office_rows} == {"张志强", "李国华"}
    status, county_rows = rows(area.reviewer("county", F.HR_SOCIAL_SECURITY))
    assert sorted(county_rows) == sorted(
        (name, paid[name].id_masked, "2000.00") for name in ("张志强", "李国华")
    )
    assert paid["张志强"].id_number not in str(county_rows)
    police = UserFactory(
        unit=UnitFactory(division=Division.objects.get(code="220102")),
        roles=[Role.CLEARANCE_DEPARTMENT],
    )
    assert rows(police)[0] == 403
    organisation = area.reviewer("county", F.ORGANIZATION)  # not on a model worker's route
    assert rows(organisation) == (200, [])
