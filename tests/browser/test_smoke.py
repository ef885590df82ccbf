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
    call_command("load_demo", "--without-finished-round", verbosity=0)


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
        # A confirmation before an irreversible action (form[data-confirm]) is read and accepted;
        # tests find what it said in page.dialogs.
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.accept()))
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
    # Its to-dos, and no "nothing to do" above them (issue 17: the inbox said both).
    assert page.get_by_test_id("inbox-empty").count() == 0
    expect(page.locator("main")).to_contain_text("异议")
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
    # The previous page finished first (its photo included): a request still running when the
    # session changes is answered 400 (Django's SessionInterrupted), a race of the test alone.
    page.wait_for_load_state("networkidle")
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
    from laurel.campaigns.models import NominatingBody

    expect(section).to_contain_text("长春市（含公主岭市）")
    # the plan's 2023-03-10, extended by the demo's office so that the body can still submit
    until = NominatingBody.objects.get(key="changchun", campaign__year=2022).deadline_extended_to
    expect(section).to_contain_text(f"{until.year}年{until.month}月{until.day}日")
    assert "2023年3月10日" not in section.inner_text()
    assert "吉林市" not in section.inner_text()


def test_a_body_user_nominates_an_individual_fixing_the_resume_gap(page, live_server, tmp_path):
    import datetime
    import io
    import random

    from PIL import Image

    from laurel.core.synthetic import resident_id
    from laurel.core.text import count_chars

    birth = datetime.date(1982, 3, 15)
    id_number = resident_id(random.Random(42), "220102", birth, "2")
    photo = tmp_path / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (330, 462), (67, 142, 219)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    _login(page, live_server, "cc_body")
    page.click("nav.mainnav >> text=推荐对象")
    page.click("text=新增推荐对象")
    page.select_option("#id_category", label="先进个人")
    page.fill("#id_name", "孙晓梅")
    page.click("button.primary")
    expect(page.locator("h1")).to_contain_text("推荐审批表")

    page.select_option("#id_gender", label="女")
    page.select_option("#id_ethnicity", label="汉族")
    page.fill("#id_native_place", "吉林省农安县")
    page.fill("#id_birth_date", birth.isoformat())
    page.select_option("#id_political_status", label="中国共产党党员")
    page.select_option("#id_education", label="大学本科")
    page.fill("#id_work_start", "2004.07")
    page.fill("#id_id_number", id_number)
    page.select_option("#id_staffing_type", label="事业")
    page.fill("#id_position_rank", "住房保障科副科长")
    page.select_option("#id_admin_level", label="副科级")
    page.fill("#id_work_unit_name", "长春市住房和城乡建设局")
    page.select_option("#id_unit_affiliation", label="市（州）")
    page.select_option("#id_unit_nature", label="机关")
    page.select_option("#id_unit_division", label="长春市南关区")
    page.fill("#id_unit_address", "长春市南关区人民大街1号")
    page.fill("#id_unit_phone", "0431-88776655")
    page.fill("#id_mobile", "13912345678")
    page.fill("#id_field_work_since", "2015年3月")
    deeds = "该同志　扎实工作，\n成绩突出。"
    page.fill("#id_deeds", deeds)
    # The live counter counts as the server does (whitespace, incl. 全角空格, not counted).
    expected = count_chars(deeds)
    assert expected == 13
    expect(page.locator("#id_deeds + .counter")).to_have_text(f"已输入 {expected} 字 / 上限 800 字")
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_resume-0-start", "2000.09")
    page.fill("#id_resume-0-end", "2004.07")
    page.fill("#id_resume-0-text", "吉林建筑大学学生")
    page.fill("#id_resume-1-start", "2004.10")  # gap: 2004年8月 to 2004年9月
    page.fill("#id_resume-1-text", "长春市住房和城乡建设局科员、副科长")
    # Issue 20: rows are added in place (a blank added row is skipped on save).
    page.click("button[data-add-row=resume]")
    expect(page.locator("#id_resume-2-start")).to_be_visible()
    page.check("#id_conditions_0")
    page.click("button:has-text('保存草稿')")
    expect(page.locator("#nominee-status")).to_contain_text(
        "简历断档：2004年8月至2004年9月没有经历。"
    )
    page.screenshot(path=str(SCREENSHOTS / "nominee-gap.png"), full_page=True)

    page.fill("#id_resume-1-start", "2004.07")
    page.click("button:has-text('保存并上报')")
    # Still refused: clearance and the unit notice (C-8 step 1) are missing.
    status = page.locator("#nominee-status")
    expect(status).not_to_contain_text("简历断档")
    expect(status).to_contain_text("尚未征求公安的意见。")
    expect(status).to_contain_text("尚未在单位进行公示")
    # The departments agree and the notice runs its course (done here on the server side).
    _pass_procedure_for("孙晓梅")
    page.goto(page.url.replace("/edit/", "/"))
    page.click("button:has-text('上报')")
    expect(page.locator("h1")).to_contain_text("审核中")
    expect(page.locator(".messages")).to_contain_text("已上报")
    # Both 保存并上报 and 上报 asked first, naming the nominee.
    assert sum("上报“孙晓梅”" in message for message in page.dialogs) == 2, page.dialogs
    page.screenshot(path=str(SCREENSHOTS / "nominee-submitted.png"), full_page=True)
    assert page.console_errors == []


def _pass_procedure_for(name):
    """Server-side shortcut for steps done by other people and by time. Playwright's greenlets
    give this code its own database connection, closed again before returning."""
    from django.db import connections

    from laurel.nominations.models import Nominee
    from tests.nominations.conftest import pass_procedure

    try:
        pass_procedure(Nominee.objects.get(name=name))
    finally:
        connections.close_all()


def test_an_objection_from_the_public_page_reaches_the_office_and_blocks_the_nominee(
    page, live_server
):
    page.goto(f"{live_server.url}/public/notices/")
    page.click("table.grid a")
    nominee_name = page.locator("#id_nominee option").nth(2).inner_text()
    page.select_option("#id_nominee", label=nominee_name)
    page.fill("#id_content", "<script>alert(1)</script>反映：该同志2019年的项目并非其负责。😀")
    page.click("button:has-text('提交')")
    filed = page.get_by_test_id("objection-filed")
    expect(filed).to_contain_text("受理编号：YY")
    reference = filed.inner_text().split("受理编号：")[1].split("。")[0]

    _login(page, live_server, "office")
    inbox = page.locator("section[aria-labelledby=objections-title]")
    expect(inbox).to_contain_text(reference)
    page.click(f"text={reference}")
    expect(page.locator("dd.deeds")).to_contain_text("<script>alert(1)</script>")  # shown as text
    page.click(f"dd >> text={nominee_name}")
    expect(page.locator("#nominee-status")).to_contain_text("件异议尚未核查办结")
    page.go_back()
    page.check("#id_founded_0")
    page.fill("#id_note", "经核查，该项目确由其牵头负责，反映不属实。")
    page.click("button:has-text('提交核查结论')")
    expect(page.locator("h1")).to_contain_text("经核查不属实")
    page.screenshot(path=str(SCREENSHOTS / "objection.png"), full_page=True)
    assert page.console_errors == []


def test_county_reviewers_approve_and_the_city_reviewer_sees_it_next(page, live_server):
    for username in ("ng_hr_review", "ng_housing_review"):
        _login(page, live_server, username)
        inbox = page.locator("section[aria-labelledby=review-title]")
        expect(inbox).to_contain_text("杨秀荣")
        page.click("section[aria-labelledby=review-title] >> text=杨秀荣")
        page.check("#id_decision_0")
        page.click("button:has-text('提交审核意见（盖章）')")
        expect(page.locator(".messages")).to_contain_text("审核意见已提交")
        page.wait_for_load_state("networkidle")  # the record's photo loaded before logging out
        page.click("button:has-text('退出')")
    _login(page, live_server, "cc_hr_review")
    expect(page.locator("section[aria-labelledby=review-title]")).to_contain_text("杨秀荣")
    page.click("section[aria-labelledby=review-title] >> text=杨秀荣")
    expect(page.locator("main")).to_contain_text("当前：市级审核")
    page.screenshot(path=str(SCREENSHOTS / "review.png"), full_page=True)
    assert page.console_errors == []


def test_a_body_downloads_its_documents_as_a_zip_with_a_progress_bar(page, live_server):
    import io
    import zipfile

    _login(page, live_server, "cc_body")
    page.click("nav.mainnav >> text=推荐对象")
    page.click("[data-testid=export-start]")
    progress = page.get_by_test_id("export-progress")
    expect(progress).to_be_visible()
    expect(progress.locator("progress")).to_be_visible()
    expect(progress).to_contain_text("已完成")
    page.screenshot(path=str(SCREENSHOTS / "export.png"), full_page=True)
    with page.expect_download() as info:
        page.click("[data-testid=export-download]")
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    names = archive.namelist()
    assert "README.txt" in names
    assert any(n.endswith("-打印本.pdf") for n in names)
    assert any(n.endswith("-附件6.docx") for n in names)
    assert any(n.endswith("-合订本.pdf") for n in names)
    assert page.console_errors == []


def test_api_docs_render_from_local_assets_under_the_csp(page, live_server):
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_contain_text("Laurel")
    expect(page.locator(".swagger-ui")).to_contain_text("/api/registry/people/")
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"), full_page=False)
    assert page.console_errors == [], page.console_errors


def test_registry_review_in_the_browser(page, live_server):
    _login(page, live_server, "edu_bureau")
    section = page.locator("section[aria-labelledby=registry-title]")
    expect(section).to_be_visible()
    section.locator("a").first.click()
    expect(page.locator("#findings")).to_contain_text("符合统计登记范围")
    page.check("#id_decision_0")
    page.click("button:has-text('提交（签字盖章）')")
    expect(page.locator(".messages")).to_contain_text("审核意见已提交")
    expect(page.locator("main")).to_contain_text("县级")
    page.screenshot(path=str(SCREENSHOTS / "registry-review.png"), full_page=True)
    assert page.console_errors == []


def test_each_role_inbox_at_1400_px_and_every_public_page_at_390_px(page, live_server):
    """Issue 20: screenshots of each role's inbox at 1400 px (var/screenshots/inbox-<role>.png)
    and of every public page at 390 px (public-<page>.png); on a phone no table is wider than
    the screen."""
    from laurel.demo.accounts import DEMO_ACCOUNTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    seen_roles = set()
    for account in DEMO_ACCOUNTS:
        if account.roles in seen_roles:
            continue
        seen_roles.add(account.roles)
        page.context.clear_cookies()
        _login(page, live_server, account.username)
        expect(page.locator("h1")).to_have_text("待办事项")
        page.screenshot(path=str(SCREENSHOTS / f"inbox-{account.username}.png"), full_page=True)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (
        ("home", "/public/"),
        ("notices", "/public/notices/"),
        ("archive", "/public/notices/archive/"),
        ("objections", "/public/objections/"),
        ("honours", "/public/honours/"),
        ("verify", "/public/verify/"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("a.brand")).to_have_attribute("href", "/public/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a phone"
        page.screenshot(path=str(SCREENSHOTS / f"public-{name}.png"), full_page=True)
    page.goto(f"{live_server.url}/public/notices/")
    links = page.locator("main table a")
    assert links.count(), "the demo has a notice open to the public"
    # goto, not click: goto returns once the notice has loaded, a click returns before the
    # navigation and the width was read from a page between two documents
    page.goto(f"{live_server.url}{links.first.get_attribute('href')}")
    expect(page.locator("a.brand")).to_have_attribute("href", "/public/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"a notice is {width} px wide on a phone"
    page.screenshot(path=str(SCREENSHOTS / "public-notice.png"), full_page=True)
    assert page.console_errors == []
