"""The REST API: token authentication, the jurisdiction filter and masking as on the pages,
cursor pagination, nominee creation and registry import through the services, and a schema
that validates."""

import io
import re

import pytest
from django.core.management import call_command
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from laurel.core.roles import Role
from laurel.nominations.models import Nominee
from laurel.registry.models import Registration
from tests.factories import UserFactory
from tests.nominations.conftest import complete_individual
from tests.registry.conftest import file_through, new_id, register
from tests.registry.test_spreadsheets import _row, _sheet

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


def test_token_is_required(published):
    assert APIClient().get("/api/campaigns/").status_code in (401, 403)
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token nope")
    assert bad.get("/api/campaigns/").status_code == 401


def test_campaigns_and_quotas_within_the_jurisdiction(published, cc_staff):
    client = _client(cc_staff)
    body = client.get("/api/campaigns/").json()
    assert [c["slug"] for c in body["results"]] == ["jilin-affordable-housing-2022"]
    assert {c["key"] for c in body["results"][0]["categories"]} == {"collective", "individual"}
    quotas = client.get("/api/quotas/", {"campaign": published.pk}).json()["results"]
    assert {q["body"] for q in quotas} == {"长春市（含公主岭市）"}
    assert sorted(q["places"] for q in quotas) == [20, 22]


def test_nominees_masked_for_readers_and_cursor_paginated(
    published, cc_staff, nanguan_unit, jilin_units
):
    people = [
        complete_individual(cc_staff, published, nanguan_unit, name=f"接口{i}") for i in range(3)
    ]
    own = _client(cc_staff).get("/api/nominees/", {"page_size": 2}).json()
    assert len(own["results"]) == 2 and own["next"]
    assert own["results"][0]["id_number"] == people[0].id_number
    rest = _client(cc_staff).get(own["next"].replace("http://testserver", "")).json()
    assert [n["name"] for n in rest["results"]] == ["接口2"]
    leader = UserFactory(unit=jilin_units["吉林省住房和城乡建设厅"], roles=[Role.LEADING_GROUP])
    seen = _client(leader).get("/api/nominees/").json()["results"]
    assert seen[0]["id_number"] == people[0].id_number[:4] + "*" * 12 + people[0].id_number[-2:]
    assert seen[0]["mobile"] == "138****5678"
    other = UserFactory(unit=jilin_units["吉林市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    assert _client(other).get("/api/nominees/").json()["results"] == []
    assert _client(other).get(f"/api/nominees/{people[0].pk}/").status_code == 404


def _broken_id() -> str:
    number = new_id()
    return number[:-1] + ("0" if number[-1] != "0" else "1")  # wrong check digit


def test_create_nominee_through_the_service_with_chinese_errors(published, cc_staff, nanguan_unit):
    client = _client(cc_staff)
    response = client.post(
        "/api/nominees/",
        {
            "campaign": published.pk,
            "category": "individual",
            "nominating_unit": nanguan_unit.pk,
            "name": "接口新增",
            "id_number": new_id(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Nominee.objects.get(name="接口新增").state == "draft"
    response = client.post(
        "/api/nominees/",
        {
            "campaign": published.pk,
            "category": "individual",
            "name": "坏号码",
            "nominating_unit": nanguan_unit.pk,
            "id_number": _broken_id(),
        },
        format="json",
    )
    assert response.status_code == 400 and "id_number" in response.json()
    response = client.post(
        "/api/nominees/", {"campaign": 999999, "category": "x", "name": "x"}, format="json"
    )
    assert response.status_code == 400 and response.json()["campaign"] == ["没有这个活动。"]


def test_registry_search_exact_id_masked_and_import(area, drive):
    id_number = new_id()
    register(area, drive, id_number=id_number)
    from laurel.orgs.models import UnitFunction

    registration = Registration.objects.get()
    registration = file_through(area, registration)
    client = _client(area.reviewer("county", UnitFunction.Function.HR_SOCIAL_SECURITY))
    found = client.get("/api/registry/people/", {"id_number": id_number}).json()["results"]
    assert len(found) == 1 and found[0]["id_number"] == registration.id_masked
    assert found[0]["honours"][0]["title"] == "吉林省劳动模范"
    school = _client(area.school_user)
    good = _sheet([_row(1, "接口导入", new_id(), "吉林省劳动模范")])
    response = school.post(
        "/api/registry/imports/", {"file": io.BytesIO(good), "dry_run": True}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["people"] == 1
    assert not Registration.objects.filter(name="接口导入").exists()
    response = school.post("/api/registry/imports/", {"file": io.BytesIO(good)}, format="multipart")
    assert response.status_code == 201 and response.json()["created"] == 1
    bad = _sheet([_row(1, "坏", "123", "x")])
    response = school.post("/api/registry/imports/", {"file": io.BytesIO(bad)}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0].startswith("第4行")


def test_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "/api/registry/people/" in (tmp_path / "s.yaml").read_text()


def test_h6_api_schema_and_docs_are_behind_the_login(client, office):
    assert APIClient().get("/api/schema/").status_code in (401, 403)
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _client(office).get("/api/schema/").status_code == 200


def test_api_docs_page_uses_local_assets_only(client, office):
    client.force_login(office)
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "<script>" not in html
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and "'unsafe-inline'" in policy["style-src"]
    other = client.get("/inbox/")["Content-Security-Policy"]
    assert "unsafe-inline" not in other  # the exception is for the docs page only


def test_token_page_shows_a_new_token_once_and_revokes(client, cc_staff):
    client.force_login(cc_staff)
    html = client.post("/api/token/", {"action": "create"}).content.decode()
    key = re.search(r"\b[0-9a-f]{64}\b", html).group()
    assert AuthToken.objects.get(user=cc_staff).digest == hash_token(key)
    assert key not in client.get("/api/token/").content.decode()
    client.post("/api/token/", {"action": "revoke"})
    assert not AuthToken.objects.filter(user=cc_staff).exists()
    from laurel.core.models import AuditLog

    rows = AuditLog.objects.filter(object_id=str(cc_staff.pk), changes__0__field="api_token")
    assert [r.reason for r in rows.order_by("timestamp", "id")] == ["生成接口令牌", "停用接口令牌"]


def test_h6_api_text_fields_are_bounded_with_a_clear_message(published, cc_staff):
    response = _client(cc_staff).post(
        "/api/nominees/",
        {"campaign": published.pk, "category": "individual", "name": "王某", "deeds": "事" * 5001},
        format="json",
    )
    assert response.status_code == 400
    assert "5000" in str(response.json()["deeds"]), response.json()


@pytest.mark.parametrize("position", ["abc", "1e5", "9" * 30, "-1", "1 OR 1=1"])
def test_a_crafted_cursor_is_a_404_never_a_500(published, cc_staff, position):
    import base64
    from urllib.parse import urlencode

    client = _client(cc_staff)
    cursor = base64.b64encode(urlencode({"p": position}).encode()).decode()
    for url in ("/api/nominees/", "/api/campaigns/", "/api/quotas/"):
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 404, (url, response.status_code)
    assert client.get("/api/campaigns/", {"cursor": "!!not-base64"}).status_code == 404


def test_a_draft_campaigns_quotas_are_not_served(jilin, cc_staff, office):
    """Probe: /api/quotas/ served the bodies and places of a campaign not yet published, which
    /api/campaigns/ and the campaign page hide."""
    from laurel.campaigns.services.campaigns import publish_campaign

    api = APIClient()
    api.force_authenticate(cc_staff)
    assert api.get("/api/quotas/", {"campaign": jilin.pk}).json()["results"] == []
    publish_campaign(office, jilin)
    assert api.get("/api/quotas/", {"campaign": jilin.pk}).json()["results"] != []
