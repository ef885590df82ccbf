"""End-to-end smoke test: a demo user logs in with headless Chromium and sees the inbox.

Runs Debian's chromium (``make browsers`` installs it) through Playwright; never downloads a
browser. Later features add their pages here.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def demo_data(transactional_db):
    """Loaded before Playwright starts: inside its greenlets Django would open (and leak) a
    second database connection."""
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)


@pytest.fixture
def page(demo_data, live_server):
    # Playwright's sync API runs an event loop in this thread; Django's ORM is only touched by
    # the live server thread and the fixtures, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make browsers` (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on(
            "response",
            lambda r: r.status >= 400 and page.console_errors.append(f"{r.status} {r.url}"),
        )
        yield page
        context.close()
        browser.close()


def test_demo_user_logs_in_and_sees_the_inbox(page, live_server):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#id_username", "cc_body")
    page.fill("#id_password", "Laurel-Demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/")
    assert page.locator("h1").inner_text() == "待办事项"
    assert page.get_by_test_id("inbox-empty").is_visible()
    assert page.get_by_test_id("whoami").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "inbox.png"), full_page=True)

    # The unit list filters live through htmx, inside the user's area only.
    page.click("text=单位管理")
    page.fill("input[name=q]", "南关区")
    rows = page.locator("#unit-rows")
    expect(rows).not_to_contain_text("长春市人力资源和社会保障局")  # filtered without a reload
    expect(rows).to_contain_text("长春市南关区住房和城乡建设局")
    assert "吉林市" not in rows.inner_text()
    assert "q=%E5%8D%97%E5%85%B3%E5%8C%BA" in page.url  # the filter is in the address bar
    page.screenshot(path=str(SCREENSHOTS / "units.png"), full_page=True)
    assert page.console_errors == [], "no CSP violations or script errors"


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Laurel-Demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/")


def test_office_sees_the_quota_dashboard_of_the_demo_campaign(page, live_server):
    _login(page, live_server, "office")
    page.click("text=评选表彰")
    page.click("text=吉林省保障性安居工程建设工作先进集体、先进个人评选表彰")
    page.click("text=名额看板")
    expect(page.locator("h1")).to_contain_text("名额看板")
    expect(page.locator("table.grid")).to_contain_text("长春市（含公主岭市）")
    expect(page.locator(".summary")).to_contain_text("推荐名额 126")
    expect(page.locator(".summary")).to_contain_text("推荐名额 135")
    assert page.locator("svg.chart rect").count() == 27 * 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    assert page.console_errors == []


def test_a_city_body_sees_its_quota_and_deadline_in_the_inbox(page, live_server):
    _login(page, live_server, "cc_body")
    section = page.locator("section[aria-labelledby=quota-title]")
    expect(section).to_contain_text("长春市（含公主岭市）")
    expect(section).to_contain_text("2023年3月10日")
    assert "吉林市" not in section.inner_text()
