"""Issue 11 §6: both workflows end to end in a real browser (Playwright driving Debian's
chromium), with a screenshot of every page in var/screenshots/e2e/ (kept as CI artefacts).
`make e2e` runs them; `.ci/run` includes it.

Steps taken by people who have no demo account, or by time (a public notice running its five
working days), are done on the server with the same services the pages call, and say so."""

from __future__ import annotations

import datetime
import io
import random
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_smoke import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Laurel-Demo-2026"


class Shots:
    """Numbered screenshots of one workflow."""

    def __init__(self, page, workflow: str):
        self.page = page
        self.folder = SCREENSHOTS / "e2e" / workflow
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def __call__(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/")


def _server(function, *args, **kwargs):
    """A step on the server side (other people, or time). Playwright's greenlets give this code
    its own database connection, closed again before returning."""
    from django.db import connections

    try:
        return function(*args, **kwargs)
    finally:
        connections.close_all()


def _png(tmp_path: Path, name: str, colour=(67, 142, 219), size=(330, 462)) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


# --- the honoree registry: a registration from the unit to the provincial database -----------


def _remaining_tiers_on_the_server(registration_pk: int) -> None:
    """City and province departments without a demo account (trade-union federations) sign."""
    from laurel.registry.models import Registration
    from laurel.registry.services import registrations as service

    registration = Registration.objects.get(pk=registration_pk)
    while registration.state == Registration.State.SUBMITTED:
        registration = service.record_opinion(
            None, registration, decision="agree", officer_name="工会经审负责人"
        )


def _review_in_the_browser(page, live_server, shots, username, url, label):
    _login(page, live_server, username)
    page.goto(url)
    expect(page.locator("#findings")).to_be_visible()
    page.check("#id_decision_0")
    shots(f"{label}-before")
    page.click("button:has-text('提交（签字盖章）')")
    expect(page.locator(".messages")).to_contain_text("审核意见已提交")
    shots(f"{label}-signed")


def test_a_registration_goes_from_the_school_to_the_provincial_database(
    page, live_server, tmp_path
):
    from laurel.core.models import Division
    from laurel.core.synthetic import resident_id

    shots = Shots(page, "registry")
    nanguan = Division.objects.get(code="220102")
    id_number = resident_id(random.Random(7), "220102", datetime.date(1968, 9, 12), "1")

    _login(page, live_server, "school_unit")
    shots("school-inbox")
    page.goto(f"{live_server.url}/registry/registrations/")
    page.click("text=新增登记表")
    page.fill("#id_name", "端木永福")
    page.select_option("#id_gender", "1")
    page.select_option("#id_ethnicity", label="汉族")
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", "13904310001")
    page.fill("#id_unit_name", "长春市南关区实验小学")
    page.fill("#id_position", "高级教师")
    page.select_option("#id_household_division", str(nanguan.pk))
    page.fill("#id_honours-0-title", "吉林省劳动模范")
    page.select_option("#id_honours-0-kind", "provincial_committee_government")
    page.select_option("#id_honours-0-honour_type", "model_worker")
    page.fill("#id_honours-0-awarding_body", "中共吉林省委、吉林省人民政府")
    page.fill("#id_honours-0-document_number", "吉发〔2015〕10号")
    page.fill("#id_honours-0-awarded_on", "2015-04-28")
    page.fill("#id_honours-0-treatment", "享受省级劳动模范待遇")
    shots("registration-form")
    page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_contain_text("端木永福")
    registration_url = page.url
    page.fill("input[name=title]", "表彰文件复印件")
    page.set_input_files("input[name=file]", str(_png(tmp_path, "scan.png", (250, 248, 240))))
    page.click("button:has-text('上传')")
    expect(page.locator("main")).to_contain_text("表彰文件复印件")
    shots("registration-with-evidence")
    page.click("button:has-text('上报')")
    expect(page.locator(".messages")).to_contain_text("已上报")
    shots("registration-submitted")

    _review_in_the_browser(page, live_server, shots, "edu_bureau", registration_url, "bureau")
    _review_in_the_browser(page, live_server, shots, "ng_hr_review", registration_url, "county-hr")
    _review_in_the_browser(
        page, live_server, shots, "ng_union_review", registration_url, "county-union"
    )
    _review_in_the_browser(page, live_server, shots, "cc_hr_review", registration_url, "city-hr")
    registration_pk = int(registration_url.rstrip("/").rsplit("/", 1)[1])
    _server(_remaining_tiers_on_the_server, registration_pk)

    _login(page, live_server, "office_hr")
    page.goto(f"{live_server.url}/registry/")
    page.fill("#id_id_number", id_number)
    page.click("form.filters button:has-text('查询')")
    expect(page.get_by_test_id("people")).to_contain_text("端木永福")
    shots("database-search")
    page.click("[data-testid=people] >> text=端木永福")
    expect(page.locator("main")).to_contain_text("吉林省劳动模范")
    expect(page.locator("main")).not_to_contain_text(id_number)  # masked until unmasked
    shots("person")
    assert page.console_errors == []
