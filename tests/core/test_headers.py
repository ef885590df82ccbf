"""Issue 19: personal pages, API answers and downloads are never cached; the app caps request
bodies itself."""

import pytest

from laurel.core.roles import Role

pytestmark = pytest.mark.django_db


def test_h6_signed_in_pages_api_and_downloads_are_no_store_the_public_site_is_not(client, world):
    assert "no-store" not in client.get("/public/notices/").get("Cache-Control", "")
    assert "no-store" in client.get("/api/campaigns/").get("Cache-Control", "")
    client.force_login(world.user(Role.PROVINCIAL_OFFICE))
    assert "no-store" in client.get("/inbox/")["Cache-Control"]


def test_a_request_body_over_the_cap_is_refused_before_it_is_read(client, settings):
    settings.LAUREL_MAX_REQUEST_MB = 1
    response = client.generic(
        "POST",
        "/public/verify/",
        b"x" * (2**20 + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413 and "超过1 MB" in response.content.decode()
