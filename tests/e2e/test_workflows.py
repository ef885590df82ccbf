"""Issue 11 §6: both workflows end to end in a real browser (Playwright driving Debian's
chromium), with a screenshot of every page in var/screenshots/e2e/ (kept as CI artefacts).
`make e2e` runs them; `.ci/run` includes it.

The campaign run follows one nominee from the nominating unit to a verified certificate:
clearance, a unit notice with an objection, the tiers, the recheck, the expert panel, the
assessment, the preliminary list and the leading group, the provincial notice, approval and
awards. Steps taken by people who have no demo account, or by time (a public notice running its
five working days), are done on the server with the same services the pages call, and say so;
so is the arrival of other bodies' nominees, which the differential ratio needs (C-8 step 3)."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_smoke import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Laurel-Demo-2026"
KEYS = {"先进个人": "individual", "先进集体": "collective"}  # screenshot names


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
    # The previous page finished first (its photo and other requests included), then a fresh
    # database connection for this thread: a request still running, or a connection left over
    # from a server-side step, holds an old SQLite (WAL) snapshot, and the next user's inbox
    # would miss what the previous one just did.
    page.wait_for_load_state("networkidle")
    _server(lambda: None)
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
    # Filed, the person has the treatment the policy gives their honour (H-7), with its reason.
    expect(page.get_by_test_id("entitlements")).to_contain_text("荣誉津贴")
    expect(page.get_by_test_id("entitlements")).to_contain_text("吉林省劳动模范（省部级）")
    shots("person")
    assert page.console_errors == []


# --- the campaign: from the nominating unit to the province, then decision and certificates ---


def _fill_individual(page, id_number: str, photo: Path) -> None:
    page.select_option("#id_gender", label="女")
    page.select_option("#id_ethnicity", label="汉族")
    page.fill("#id_native_place", "吉林省农安县")
    page.fill("#id_birth_date", "1982-03-15")
    page.select_option("#id_political_status", label="中国共产党党员")
    page.select_option("#id_education", label="大学本科")
    page.fill("#id_work_start", "2004.07")
    page.fill("#id_id_number", id_number)
    page.select_option("#id_staffing_type", "public_institution")
    page.fill("#id_position_rank", "住房保障科科长")
    page.select_option("#id_admin_level", "section")
    page.fill("#id_work_unit_name", "长春市南关区住房保障服务中心")
    page.select_option("#id_unit_affiliation", "county")
    page.select_option("#id_unit_nature", "public_institution")
    page.select_option("#id_unit_division", label="长春市南关区")
    page.fill("#id_unit_address", "长春市南关区人民大街1号")
    page.fill("#id_unit_phone", "0431-88776655")
    page.fill("#id_mobile", "13912345678")
    page.fill("#id_field_work_since", "2015年3月")
    page.fill("#id_deeds", "该同志长期在住房保障一线工作，认真负责，成绩突出。")
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_resume-0-start", "2000.09")
    page.fill("#id_resume-0-end", "2004.07")
    page.fill("#id_resume-0-text", "吉林建筑大学学生")
    page.fill("#id_resume-1-start", "2004.07")
    page.fill("#id_resume-1-text", "长春市南关区住房保障服务中心科员、科长")
    page.check("#id_conditions_0")


def _other_departments_agree(name: str) -> None:
    """Clearance departments without a demo account (discipline inspection, courts …) agree."""
    from laurel.nominations.models import ClearanceRequest, Nominee
    from laurel.nominations.services.clearance import record_opinion

    nominee = Nominee.objects.get(name=name)
    for request in nominee.clearances.filter(state=ClearanceRequest.State.PENDING):
        record_opinion(None, request, state="agreed", opinion="", officer_name="经办人")


def _notice_period_passes(name: str) -> None:
    """Time: the unit notice's working days run out (its dates move into the past)."""
    from django.utils import timezone

    from laurel.public.models import PublicNotice

    today = timezone.localdate()
    PublicNotice.objects.filter(entries__nominee__name=name).update(
        starts_on=today - datetime.timedelta(days=21), ends_on=today - datetime.timedelta(days=14)
    )


def _province_housing_agrees(name: str) -> None:
    """The provincial housing department (no reviewer account in the demo) signs."""
    from laurel.nominations.models import Nominee
    from laurel.nominations.services import review

    nominee = Nominee.objects.get(name=name)
    review.record_review(
        None, nominee, decision="agree", function="housing", officer_name="省住建厅经办人"
    )


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _other_bodies_nominees_arrive(campaign_pk: int) -> list[tuple[str, str]]:
    """Other bodies' nominees, through their own clearance, notices and tiers (the demo's
    shortcut, evaluation.demo.fill_received): four per category, received at the province."""
    from laurel.campaigns.models import Campaign
    from laurel.demo.evaluation import fill_received

    campaign = Campaign.objects.get(pk=campaign_pk)
    return [(n.name, n.category.kind) for n in fill_received(campaign, seed=2022, per_category=4)]


def _a_late_nominee_arrives(campaign_pk: int) -> str:
    """One more individual of 长春, reviewed through its tiers, arrives at the province after
    the panels were formed."""
    from laurel.campaigns.models import Campaign
    from laurel.demo.evaluation import fill_received

    campaign = Campaign.objects.get(pk=campaign_pk)
    made = fill_received(campaign, seed=2023, per_category=1)  # its collective waits for recheck
    return next(n.name for n in made if n.is_individual)


def _provincial_notice_period_passes(notice_pk: int) -> None:
    """Time: the provincial notice's working days run out with no objection."""
    from laurel.public.models import PublicNotice

    today = _today()
    PublicNotice.objects.filter(pk=notice_pk).update(
        starts_on=today - datetime.timedelta(days=21), ends_on=today - datetime.timedelta(days=14)
    )


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _review(page, live_server, shots, username, name, label):
    _login(page, live_server, username)
    section = page.locator("section[aria-labelledby=review-title]")
    expect(section).to_contain_text(name)
    page.click(f"section[aria-labelledby=review-title] >> text={name}")
    page.check("#id_decision_0")
    shots(f"{label}-opinion")
    page.click("button:has-text('提交审核意见（盖章）')")
    expect(page.locator(".messages")).to_contain_text("审核意见已提交")


def test_a_nominee_goes_from_the_unit_to_the_province_and_awards_are_verified(
    page, live_server, tmp_path
):
    from laurel.campaigns.models import Campaign
    from laurel.core.synthetic import resident_id
    from laurel.evaluation.models import Award
    from laurel.public.models import Objection

    shots = Shots(page, "campaign")
    name = "欧阳春梅"
    id_number = resident_id(random.Random(9), "220102", datetime.date(1982, 3, 15), "2")
    jilin = Campaign.objects.filter(status=Campaign.Status.PUBLISHED).order_by("pk").first()

    # 1. The body nominates (附件3 filled in the browser).
    _login(page, live_server, "nanguan_body")
    page.click("nav.mainnav >> text=推荐对象")
    shots("body-nominees")
    page.click("text=新增推荐对象")
    page.select_option("#id_category", label="先进个人")
    page.fill("#id_name", name)
    page.click("button.primary")
    _fill_individual(page, id_number, _png(tmp_path, "photo.png"))
    page.click("button:has-text('保存草稿')")
    expect(page.locator(".messages")).to_contain_text("已保存草稿")
    shots("nominee-form")
    detail = page.url.replace("/edit/", "/")

    # 2. Clearance: asked by rule; the district police answer in the browser.
    page.goto(detail)
    page.click("button:has-text('按规则发起征求意见')")
    shots("clearance-asked")
    _login(page, live_server, "ng_police")
    page.click(f"section[aria-labelledby=clearance-title] >> text={name}")
    page.check("#id_state_0")
    page.fill("#id_officer_name", "政工室民警")
    shots("clearance-opinion")
    page.click("button:has-text('提交意见（盖章）')")
    expect(page.locator(".messages")).to_be_visible()
    _server(_other_departments_agree, name)

    # 3. The unit notice, an objection from the public, checked by the office.
    _login(page, live_server, "nanguan_body")
    page.goto(f"{live_server.url}/notices/new/{jilin.pk}/")
    page.check(f"input[name=nominees] >> xpath=../..//label[contains(., '{name}')]//input")
    page.fill("#id_starts_on", _today().isoformat())
    page.fill("#id_contact", "王老师 0431-88888888")
    shots("notice-form")
    page.click("form button.primary")
    expect(page.locator("main")).to_contain_text(name)
    shots("notice-published")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/notices/")
    shots("public-notices")
    page.click("table.grid a >> nth=0")
    page.select_option(
        "#id_nominee", label=page.locator("#id_nominee option", has_text=name).first.inner_text()
    )
    page.fill("#id_content", "反映：该同志2019年的项目并非其负责。")
    page.click("button:has-text('提交')")
    filed = page.get_by_test_id("objection-filed")
    expect(filed).to_contain_text("受理编号")
    shots("objection-filed")
    reference = filed.inner_text().split("受理编号：")[1].split("。")[0]
    # A unit notice's objections are verified by the nominating body of the area (C-8 step 1).
    _login(page, live_server, "cc_body")
    page.click(f"text={reference}")
    page.check("#id_founded_0")
    page.fill("#id_note", "经核查，该项目确由其牵头负责，反映不属实。")
    page.click("button:has-text('提交核查结论')")
    expect(page.locator("h1")).to_contain_text("经核查不属实")
    shots("objection-checked")
    page.context.clear_cookies()  # the objector looks the outcome up by the reference number
    page.goto(f"{live_server.url}/public/objections/?reference={reference}")
    expect(page.get_by_test_id("outcome")).to_contain_text("经核查不属实")
    shots("objection-outcome")
    _server(_notice_period_passes, name)

    # 4. The body submits; county, city and province review in turn.
    _login(page, live_server, "nanguan_body")
    page.goto(detail)
    page.click("button:has-text('上报')")
    expect(page.locator(".messages")).to_contain_text("已上报")
    shots("submitted")
    _review(page, live_server, shots, "ng_hr_review", name, "county-hr")
    _review(page, live_server, shots, "ng_housing_review", name, "county-housing")
    _review(page, live_server, shots, "cc_hr_review", name, "city-hr")
    _review(page, live_server, shots, "cc_housing_review", name, "city-housing")
    _review(page, live_server, shots, "prov_hr_review", name, "province-hr")
    _server(_province_housing_agrees, name)
    _login(page, live_server, "office")
    page.goto(detail)
    expect(page.locator("h1")).to_contain_text("省级已接收")
    shots("received-at-the-province")

    # 5. The other bodies' nominees arrive, reviewed through their own tiers (the demo's
    # shortcut: four complete nominees per category, received at the province), so that the
    # differential ratio leaves room for candidates (C-8 step 3).
    others = _server(_other_bodies_nominees_arrive, jilin.pk)
    individuals = [n for n, kind in others if kind == "individual"]
    collectives = [n for n, kind in others if kind == "collective"]

    # 6. Evaluation at the province: the eligibility recheck of every received nominee.
    page.goto(f"{live_server.url}/evaluation/?campaign={jilin.pk}")
    row = page.locator("tr", has_text=name)
    row.locator("button[name=eligible][value='1']").click()
    expect(page.locator("tr", has_text=name)).to_contain_text("合格")
    shots("recheck")
    pending = page.locator("button[name=eligible][value='1']")
    for left in range(pending.count() - 1, -1, -1):
        pending.first.click()
        expect(pending).to_have_count(left)
    shots("recheck-done")

    # 7. One expert panel per category (an automatic recusal), both experts vote, the tally, and
    # the assessment candidates within the bound.
    panels = {}
    for category in ("先进个人", "先进集体"):
        page.goto(f"{live_server.url}/evaluation/?campaign={jilin.pk}")
        page.fill("#p-name", f"{category}评审组（端到端）")
        page.select_option("#p-cat", label=category)
        for box in page.locator("input[name=experts]").all():
            box.check()
        shots(f"panel-form-{KEYS[category]}")
        page.click("button:has-text('组建')")
        expect(page.locator("h1")).to_contain_text(f"{category}评审组（端到端）")
        expect(page.locator("main")).to_contain_text("（系统自动）")  # expert3 of 长春's bureau
        panels[category] = page.url

    # A nominee arrives after the panels were formed (its body was late); the office rechecks
    # it, and expert3's recusal from it is recorded then — not only for those at the start.
    late = _server(_a_late_nominee_arrives, jilin.pk)
    page.goto(f"{live_server.url}/evaluation/?campaign={jilin.pk}")
    page.locator("tr", has_text=late).locator("button[name=eligible][value='1']").click()
    expect(page.locator("tr", has_text=late)).to_contain_text("合格")
    page.goto(panels["先进个人"])
    expect(page.locator("main li", has_text=late)).to_contain_text("（系统自动）")
    shots("panel-late-nominee-recusal")
    _login(page, live_server, "expert3")
    page.goto(panels["先进个人"].rstrip("/") + "/vote/")
    expect(page.locator("tr", has_text=late)).to_contain_text("回避")
    shots("vote-expert3-recused")

    chosen = {"先进个人": [name, individuals[0]], "先进集体": collectives[:2]}
    for expert in ("expert1", "expert2"):
        _login(page, live_server, expert)
        for category, panel_url in panels.items():
            page.goto(panel_url.rstrip("/") + "/vote/")
            if category == "先进个人":
                expect(page.locator("main")).to_contain_text(name)
            rows = page.locator("tbody tr").all()
            order = sorted(
                rows, key=lambda row: not any(c in row.inner_text() for c in chosen[category])
            )
            for position, row in enumerate(order, start=1):  # the chosen first: no tie to decide
                row.locator("input[type=radio][value='1']").check()
                row.locator("input[name^=rank-]").fill(str(position))
            shots(f"vote-{expert}-{KEYS[category]}")
            page.click("button:has-text('保存投票')")
            expect(page.locator(".messages")).to_contain_text("投票已保存")
    bounds = {"先进个人": 5, "先进集体": 3}  # ⌊6 ÷ 1.2⌋ (the late one too) and ⌊4 ÷ 1.2⌋
    _login(page, live_server, "office")
    for category, panel_url in panels.items():
        page.goto(panel_url)
        expect(page.locator("main")).to_contain_text(f"考核对象不超过{bounds[category]}个")
        page.click("button:has-text('结束评审并计票')")
        for candidate in chosen[category]:
            expect(page.locator("tr", has_text=candidate)).to_contain_text("通过")
            page.get_by_label(candidate, exact=True).check()
        shots(f"panel-tally-{KEYS[category]}")
        page.click("button:has-text('确定考核对象')")
        expect(page.locator(".messages")).to_contain_text("已确定考核对象2个")

    # 8. The assessment team: three recommended, one collective not.
    _login(page, live_server, "assessor")
    page.click("text=个考核对象待填写考核情况")
    rejected = collectives[1]
    for candidate in [*chosen["先进个人"], *chosen["先进集体"]]:
        row = page.locator("tr", has_text=candidate)
        expect(row).to_contain_text(jilin.name)
        if candidate == rejected:
            row.locator("textarea").fill("考核中发现部分事迹材料与实际不符，不建议列入。")
            row.locator("input[name=recommend][value='0']").check()
        else:
            row.locator("textarea").fill("经实地考核和个别谈话，事迹属实，群众认可。")
            # issue 20: nothing is chosen for the assessor
            row.locator("input[name=recommend][value='1']").check()
        row.locator("button:has-text('保存')").click()
        expect(page.locator(".messages")).to_contain_text(f"已保存考核情况：{candidate}")
    shots("assessed")

    # 9. The office drafts each preliminary list and sends it to the leading group, which
    # re-examines it.
    _login(page, live_server, "office")
    listed = {"先进个人": chosen["先进个人"], "先进集体": [collectives[0]]}
    for category, names in listed.items():
        page.goto(f"{live_server.url}/evaluation/?campaign={jilin.pk}")
        page.click(f"text={category}初选名单")
        if category == "先进集体":  # a candidate the assessment turned down is refused
            page.get_by_label(rejected, exact=True).check()
            page.get_by_label(names[0], exact=True).check()
            page.click("button:has-text('保存初选名单')")
            expect(page.locator(".messages")).to_contain_text(f"未经考核同意，不能列入：{rejected}")
            shots("list-refused")
        for listed_name in names:
            page.get_by_label(listed_name, exact=True).check()
        shots(f"list-{KEYS[category]}")
        page.click("button:has-text('报领导小组复审')")
        expect(page.locator(".messages")).to_contain_text("已报领导小组复审")
    from django.utils.timezone import localdate

    _login(page, live_server, "leader")
    for category in listed:
        page.goto(f"{live_server.url}/inbox/")
        page.click(f"section[aria-labelledby=decide-list-title] >> text={category}")
        page.fill("#meeting_on", localdate().isoformat())
        boxes = page.locator("input[name=attendees]")
        for index in range(boxes.count() // 2 + 1):  # more than half of 附件1-1 present
            boxes.nth(index).check()
        page.fill("#note", "经领导小组会议复审，同意。")
        shots(f"leading-group-{KEYS[category]}")
        page.click("button:has-text('提交复审意见')")
        expect(page.locator(".messages")).to_contain_text("复审意见已记录")
        expect(page.locator("main")).to_contain_text("经领导小组会议复审，同意。")

    # 10. The provincial notice (C-8 step 5); its working days pass.
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/notices/new/{jilin.pk}/")
    page.select_option("#id_level", "province")
    for category, names in listed.items():
        for listed_name in names:
            page.get_by_label(f"{listed_name}（{category}）", exact=True).check()
    page.fill("#id_starts_on", _today().isoformat())
    page.fill("#id_contact", "省评选表彰工作领导小组办公室 0431-88906000")
    shots("provincial-notice-form")
    page.click("form button.primary")
    expect(page.locator(".messages")).to_contain_text("已发布公示")
    notice_url = page.url
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/notices/")
    expect(page.locator("main")).to_contain_text("省级公示")
    shots("public-provincial-notice")
    notice_pk = int(notice_url.rstrip("/").rsplit("/", 1)[1])
    # An objection to the provincial notice belongs to the provincial office: the city body,
    # which verified the unit notice's, gets no form for it.
    page.click("text=省级公示")
    page.select_option(
        "#id_nominee", label=page.locator("#id_nominee option", has_text=name).first.inner_text()
    )
    page.fill("#id_content", "反映：公示名单中该同志的职务填写有误。")
    page.click("button:has-text('提交')")
    reference = page.get_by_test_id("objection-filed").inner_text().split("受理编号：")[1]
    reference = reference.split("。")[0]
    _login(page, live_server, "cc_body")
    objection = _server(Objection.objects.get, reference=reference)
    page.goto(f"{live_server.url}/objections/{objection.pk}/")
    expect(page.locator("main")).not_to_contain_text("提交核查结论")
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/objections/{objection.pk}/")
    page.check("#id_founded_0")
    page.fill("#id_note", "经核查，职务填写无误，反映不属实。")
    page.click("button:has-text('提交核查结论')")
    expect(page.locator("h1")).to_contain_text("经核查不属实")
    shots("provincial-objection-checked")
    _server(_provincial_notice_period_passes, notice_pk)

    # 11. Approval, awards, the decision and the certificates; the public verifies one.
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/evaluation/awards/?campaign={jilin.pk}")
    page.fill("#doc", "吉政函〔2026〕50号")
    page.fill("#day", _today().isoformat())
    page.click("button:has-text('记录')")
    expect(page.locator(".messages")).to_contain_text("已记录审定结果")
    page.click("button:has-text('按复审同意的名单颁发表彰')")
    expect(page.locator(".messages")).to_contain_text("已颁发表彰3项")
    ours = page.locator("tr", has_text=name)
    expect(ours).to_contain_text("有效")
    number = ours.locator("td").nth(3).inner_text().strip()
    assert number.startswith(str(jilin.year)), number
    expect(page.locator("tr", has_text=collectives[0])).to_contain_text("✓")  # the plaque
    expect(page.locator("main")).not_to_contain_text(rejected)
    shots("awards")
    award = _server(
        Award.objects.select_related("nominee__category").get,
        nominee__name=name,
        nominee__campaign_id=jilin.pk,
    )
    assert award.certificate_number == number
    assert award.bonus_amount == award.nominee.category.bonus_amount == Decimal("4000.00")
    with page.expect_download() as decision:
        page.click("text=表彰决定（.docx）")
    decision_text = _docx_text(Path(decision.value.path()))
    assert "吉政函〔2026〕50号" in decision_text
    assert name in decision_text and collectives[0] in decision_text
    assert rejected not in decision_text
    with page.expect_download() as certificates:
        page.click("text=荣誉证书（PDF）")
    assert Path(certificates.value.path()).read_bytes()[:5] == b"%PDF-"
    page.goto(detail)
    expect(page.locator("h1")).to_contain_text("已表彰")
    shots("nominee-awarded")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/verify/")
    page.fill("#number", number)
    page.fill("#name", name)
    page.click("main form button")
    expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("有效")
    shots("certificate-verified")
    assert page.console_errors == []


def _paper_request_pk() -> int:
    """A clearance request of the demo waiting for a department that has no account."""
    from laurel.accounts.queries import answers_clearance_in_laurel
    from laurel.nominations.models import ClearanceRequest

    for request in ClearanceRequest.objects.filter(
        state=ClearanceRequest.State.PENDING, department__isnull=False
    ).order_by("pk"):
        if not answers_clearance_in_laurel(request.department_id):
            return request.pk
    raise AssertionError("the demo has no clearance request for a department without account")


def _who_edits_the_sent_back_nominee() -> tuple[str, str]:
    """(demo account that may change it, its name) of the nominee just sent back."""
    from laurel.accounts.models import User
    from laurel.demo.accounts import DEMO_ACCOUNTS
    from laurel.nominations.models import Nominee

    nominee = Nominee.objects.get(state=Nominee.State.SENT_BACK)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        if Nominee.objects.restrict(user, "edit").filter(pk=nominee.pk).exists():
            return account.username, nominee.name
    raise AssertionError("no demo account may change the sent-back nominee")


def _an_open_panel_with_a_received_nominee() -> tuple[int, int, str]:
    """Server side (the provincial review before the panel): one 长春 nominee received and
    rechecked, a panel of expert1 and expert2 formed for its category."""
    from laurel.accounts.models import User
    from laurel.evaluation.services.panels import create_panel, record_recheck
    from laurel.nominations.models import Nominee

    office = User.objects.get(username="office")
    from laurel.nominations import eligibility

    nominee = next(
        n
        for n in Nominee.objects.filter(
            campaign__slug="jilin-affordable-housing-2022",
            state=Nominee.State.SUBMITTED,
            kind=Nominee.Kind.INDIVIDUAL,
        ).order_by("pk")
        if not [f for f in eligibility.findings_for(n) if f.blocking]
    )
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.RECEIVED)
    record_recheck(office, Nominee.objects.get(pk=nominee.pk), eligible=True)
    panel = create_panel(
        office,
        nominee.campaign,
        nominee.category,
        name="先进个人评审组（演示）",
        quorum=1,
        pass_ratio=Decimal("0.667"),
        experts=User.objects.filter(username__in=["expert1", "expert2"]),
    )
    return panel.pk, nominee.pk, nominee.name


def test_the_offices_working_day_paper_opinions_full_record_and_send_back(
    page, live_server, tmp_path
):
    """Issue 20 (done when): a clearance department without an account answers on paper, an
    expert votes after reading the full record, a send-back is seen by the unit at the top of
    its inbox. Screenshots in var/screenshots/e2e/working-day/."""
    from pypdf import PdfWriter

    shots = Shots(page, "working-day")
    letter = tmp_path / "letter.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with letter.open("wb") as handle:
        writer.write(handle)

    # 1. A department without an account answered with a sealed letter: the office records it.
    request_pk = _server(_paper_request_pk)
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/nominations/clearance/{request_pk}/")
    page.click("text=录入纸质意见")
    page.check("#id_paper-state_0")
    page.fill("#id_paper-officer_name", "王主任")
    page.fill("#id_paper-decided_on", datetime.date.today().isoformat())
    page.set_input_files("#id_paper-scan", str(letter))
    shots("paper-opinion-form")
    page.click("button:has-text('确认录入')")
    expect(page.locator(".messages")).to_contain_text("纸质意见已录入")
    expect(page.locator("main")).to_contain_text("纸质意见")
    expect(page.locator("main")).to_contain_text("签发人王主任")
    shots("paper-opinion-recorded")

    # 2. The 南关区 HR department sends the county nominee back; the unit sees why, first.
    _login(page, live_server, "ng_hr_review")
    section = page.locator("section[aria-labelledby=review-title]")
    section.locator("table a").first.click()
    page.fill("form[action$='/send-back/'] [name=reason]", "请补充近三年的考核结果")
    page.click("button:has-text('退回申报单位')")
    expect(page.locator(".messages")).to_contain_text("已退回")
    editor, sent_back = _server(_who_edits_the_sent_back_nominee)
    _login(page, live_server, editor)
    first = page.locator("main section").first
    expect(first).to_have_attribute("data-testid", "sent-back")
    expect(first).to_contain_text("请补充近三年的考核结果")
    expect(first).to_contain_text(sent_back)
    expect(page.get_by_test_id("todo-badge")).to_be_visible()
    shots("inbox-sent-back")
    first.locator("a").first.click()
    expect(page.get_by_test_id("sent-back-banner")).to_contain_text("请补充近三年的考核结果")
    shots("nominee-sent-back")

    # 3. An expert reads the full record from the ballot, then votes.
    panel_pk, nominee_pk, name = _server(_an_open_panel_with_a_received_nominee)
    _login(page, live_server, "expert1")
    page.click("nav.mainnav >> text=我的评审组")
    page.click("text=先进个人评审组（演示）")
    expect(page.locator("main")).to_contain_text(name)
    record = page.locator(f"a[href='/nominations/{nominee_pk}/']").first
    page.goto(f"{live_server.url}{record.get_attribute('href')}")
    expect(page.get_by_test_id("record-facts")).to_contain_text("工作单位")
    expect(page.locator("main")).not_to_contain_text("填写/修改")
    shots("expert-reads-record")
    page.goto(f"{live_server.url}/evaluation/panels/{panel_pk}/vote/")
    page.check(f"input[name=vote-{nominee_pk}][value='1']")
    page.click("button:has-text('保存投票')")
    expect(page.locator(".messages")).to_contain_text("投票已保存")
    shots("expert-voted")
    assert page.console_errors == []


def _division_pk(code: str) -> int:
    from laurel.core.models import Division

    return Division.objects.get(code=code).pk


def _campaign_facts(slug: str) -> dict:
    from laurel.campaigns.models import Campaign

    campaign = Campaign.objects.get(slug=slug)
    category = campaign.categories.get()
    return {
        "pk": campaign.pk,
        "status": campaign.status,
        "category": category.pk,
        "conditions": [c.text for c in category.conditions.order_by("number")],
        "ratio_limits": campaign.ratio_limits,
        "deadline": campaign.material_deadline(),
        "places": [q.places for q in category.quotas.all()],
    }


def test_the_office_creates_publishes_and_closes_a_campaign_in_the_pages(page, live_server):
    """Issue 20 (done when): the office creates and publishes a campaign in the pages — no
    definition file — sets its conditions and an "in principle" limit with a row added in
    place, and closes it. Screenshots in var/screenshots/e2e/campaign-in-pages/."""
    shots = Shots(page, "campaign-in-pages")
    _login(page, live_server, "office")
    page.goto(f"{live_server.url}/campaigns/new/")
    page.fill("#id_slug", "service-windows-2027")
    page.fill("#id_name", "全省人社系统优质服务窗口评选表彰")
    page.fill("#id_year", "2027")
    page.fill("#id_commended_in_name_of", "吉林省人民政府")
    page.fill("#id_organisers", "吉林省人力资源和社会保障厅")
    shots("create")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已新建活动（草稿）")

    category = page.locator("form[action$='/categories/new/']")
    category.locator("#id_cat-key").fill("window")
    category.locator("#id_cat-kind").select_option("collective")
    category.locator("#id_cat-name").fill("优质服务窗口")
    category.locator("#id_cat-honour_title").fill("全省人社系统优质服务窗口")
    category.locator("#id_cat-award_count").fill("10")
    category.locator("#id_cat-plaque").check()
    category.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已添加")
    body = page.locator("form[action$='/bodies/new/']")
    body.locator("#id_body-key").fill("changchun")
    body.locator("#id_body-name").fill("长春市")
    body.locator("#id_body-division").select_option(str(_server(_division_pk, "220100")))
    body.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已添加：长春市")

    facts = _server(_campaign_facts, "service-windows-2027")
    page.goto(f"{live_server.url}/campaigns/{facts['pk']}/quotas/")
    page.locator("input.cell").first.fill("12")
    page.click("main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("推荐名额已保存")
    page.goto(f"{live_server.url}/campaigns/{facts['pk']}/edit/")
    page.get_by_label("材料报送截止 截止日期").fill("2027-03-31")
    page.click("main form button.primary")
    expect(page.locator(".messages")).to_contain_text("已保存")

    page.goto(f"{live_server.url}/campaigns/{facts['pk']}/rules/")
    page.fill(
        f"#id_cond-c{facts['category']}",
        "窗口服务规范，群众满意度高。\n近三年无有效投诉。",
    )
    page.click("button:has-text('保存先进事迹条件')")
    expect(page.locator(".messages")).to_contain_text("已保存：先进事迹条件")
    page.click("button[data-add-row=ratio]")
    page.fill("[name=ratio-0-text]", "系统内机关窗口原则上不超过推荐名额的50%")
    page.select_option("[name=ratio-0-counts]", "sector_agency")
    page.fill("[name=ratio-0-percent]", "50")
    page.select_option("[name=ratio-0-base]", "quota")
    shots("rules")
    page.click("button:has-text('保存比例要求')")
    expect(page.locator(".messages")).to_contain_text("已保存：比例要求")

    page.goto(f"{live_server.url}/campaigns/{facts['pk']}/")
    page.click("form[action$='/publish/'] button")
    expect(page.locator(".messages")).to_contain_text("活动已发布")
    assert any("确定发布" in message for message in page.dialogs), page.dialogs
    shots("published")
    page.fill("#close-reason", "评选表彰工作结束")
    page.click("form[action$='/close/'] button")
    expect(page.locator(".messages")).to_contain_text("活动已结束")
    shots("closed")

    facts = _server(_campaign_facts, "service-windows-2027")
    assert facts["status"] == "closed"
    assert facts["places"] == [12]
    assert facts["deadline"] == datetime.date(2027, 3, 31)
    assert facts["conditions"] == ["窗口服务规范，群众满意度高。", "近三年无有效投诉。"]
    assert facts["ratio_limits"][0]["key"].startswith("limit-")
    assert facts["ratio_limits"] == [
        {
            "key": facts["ratio_limits"][0]["key"],
            "text": "系统内机关窗口原则上不超过推荐名额的50%",
            "counts": "sector_agency",
            "max_ratio": 0.5,
            "base": "quota",
        }
    ]
    assert page.console_errors == []
