"""The public site's own frame (issue 20): one home that links every public page, the pages
linking each other, and tables that become cards on a phone."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ("/public/notices/", "/public/objections/", "/public/honours/", "/public/verify/")


def test_the_public_home_links_every_public_page_and_not_the_staff_inbox(client):
    html = client.get("/public/").content.decode()
    for url in PUBLIC_PAGES:
        assert f'href="{url}"' in html, url
    assert 'class="brand" href="/public/"' in html
    assert 'href="/inbox/"' not in html
    assert "工作人员登录" in html  # the staff's door is in the footer, not the logo


@pytest.mark.parametrize("url", (*PUBLIC_PAGES, "/public/notices/archive/"))
def test_every_public_page_links_the_others_and_leads_home(client, url):
    html = client.get(url).content.decode()
    assert 'class="brand" href="/public/"' in html
    for other in PUBLIC_PAGES:
        assert f'href="{other}"' in html, other


def test_public_tables_carry_the_labels_a_phone_shows_as_cards(client):
    html = client.get("/public/notices/archive/").content.decode()
    assert '<table class="grid cards">' in html
    css = client.get("/static/laurel/app.css")
    body = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert "@media (max-width: 600px)" in body and "attr(data-label)" in body


def test_a_certificates_qr_code_opens_the_verify_page_with_its_number_only(client):
    """The address on a certificate carries the number, never the name; opening it checks
    nothing yet (no answer, no rate-limit count) — the name is typed and posted."""
    html = client.get("/public/verify/?number=２０１９ 0031 0001").content.decode()
    assert 'value="２０１９ 0031 0001"' in html
    assert 'data-testid="verify-result"' not in html
