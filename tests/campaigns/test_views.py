import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from laurel.campaigns.models import Campaign, Quota
from laurel.campaigns.services.campaigns import extend_deadline, publish_campaign
from laurel.core.roles import Role
from laurel.core.spreadsheets import safe_cell
from tests.campaigns.conftest import JILIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_office_sees_the_dashboard_in_chinese_with_totals_and_chart(client, jilin, office):
    client.force_login(office)
    html = client.get(f"/nominations/dashboard/{jilin.pk}/").content.decode()
    assert "名额看板" in html and "长春市（含公主岭市）" in html and "含单列2" in html
    assert "推荐名额 126" in html and "推荐名额 135" in html
    assert "<svg" in html and "符合差额比例" in html


def test_dashboard_exports_xlsx_with_every_body(client, jilin, office):
    client.force_login(office)
    response = client.get(f"/nominations/dashboard/{jilin.pk}/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 27 * 2
    assert rows[0][:4] == ("长春市（含公主岭市）", "先进集体", 20, 2)
    assert sum(r[2] for r in rows) == 126 + 135


def test_spreadsheet_cells_that_look_like_formulas_are_neutralised():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+86") == "'+86" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("长春市") == "长春市" and safe_cell(5) == 5


def test_dashboard_and_management_are_refused_to_bodies(client, jilin, jilin_units, office):
    publish_campaign(office, jilin)
    body = UserFactory(unit=jilin_units["长春市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    client.force_login(body)
    assert client.get(f"/campaigns/{jilin.pk}/").status_code == 200
    assert client.get(f"/nominations/dashboard/{jilin.pk}/").status_code == 403
    assert client.get(f"/campaigns/{jilin.pk}/quotas/").status_code == 403
    assert client.post(f"/campaigns/{jilin.pk}/publish/").status_code == 403


def test_bodies_see_their_quota_and_deadline_in_the_inbox(client, jilin, jilin_units, office):
    body = UserFactory(unit=jilin_units["长春市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    client.force_login(body)
    assert "我的推荐名额" not in client.get("/inbox/").content.decode()
    publish_campaign(office, jilin)
    # The plan's own deadline (2023-03-10) has passed: nothing left to do for this body.
    assert "我的推荐名额" not in client.get("/inbox/").content.decode()
    jilin.refresh_from_db()
    changchun = jilin.bodies.get(key="changchun")
    until = timezone.localdate() + datetime.timedelta(days=30)
    extend_deadline(office, changchun, until, "材料补报")
    html = client.get("/inbox/").content.decode()
    assert "我的推荐名额" in html and "长春市（含公主岭市）" in html
    assert "含公主岭市2" in html and f"{until.year}年{until.month}月{until.day}日" in html
    assert "吉林市" not in html.split("我的推荐名额")[1]


def test_draft_campaign_is_invisible_to_bodies(client, jilin, jilin_units):
    body = UserFactory(unit=jilin_units["长春市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    client.force_login(body)
    assert client.get(f"/campaigns/{jilin.pk}/").status_code == 404
    assert jilin.name not in client.get("/campaigns/").content.decode()


def test_quota_table_previews_live_and_saves_on_submit(client, jilin, office):
    client.force_login(office)
    quotas = Quota.objects.filter(body__campaign=jilin)
    form = {f"q{q.pk}": q.places for q in quotas}
    siping = quotas.get(body__key="siping", category__kind="collective")
    form[f"q{siping.pk}"] = 0
    form[f"q{quotas.get(body__key='jilin', category__kind='collective').pk}"] = 0
    form[f"q{quotas.get(body__key='meihekou', category__kind='collective').pk}"] = 0
    preview = client.post(f"/campaigns/{jilin.pk}/quotas/", form, HTTP_HX_REQUEST="true")
    html = preview.content.decode()
    assert "<html" not in html and "合计107个" in html and "还差1个" in html
    siping.refresh_from_db()
    assert siping.places == 5
    refused = client.post(f"/campaigns/{jilin.pk}/quotas/", form).content.decode()
    assert "107" in refused and "108" in refused
    form[f"q{quotas.get(body__key='meihekou', category__kind='collective').pk}"] = 4
    form["reason"] = "调剂名额"
    response = client.post(f"/campaigns/{jilin.pk}/quotas/", form)
    assert response.status_code == 302
    siping.refresh_from_db()
    assert siping.places == 0


def test_definition_upload_previews_then_loads(client, jilin_units, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(office)
    upload = lambda: SimpleUploadedFile(JILIN.name, JILIN.read_bytes())  # noqa: E731
    preview = client.post("/campaigns/import/", {"file": upload(), "action": "preview"})
    assert "预览（未保存）" in preview.content.decode()
    assert not Campaign.objects.exists()
    response = client.post("/campaigns/import/", {"file": upload(), "action": "apply"})
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    bad = SimpleUploadedFile("bad.yaml", b"format: 1\nslug: Bad Slug\n")
    html = client.post("/campaigns/import/", {"file": bad, "action": "preview"}).content.decode()
    assert "第2行（slug）" in html and "未保存任何内容" in html
    binary = SimpleUploadedFile("x.yaml", b"\xff\xfe\x00")
    html = client.post("/campaigns/import/", {"file": binary, "action": "preview"}).content.decode()
    assert "UTF-8" in html


def test_office_edits_copies_and_publishes_through_the_pages(client, jilin, office):
    client.force_login(office)
    page = client.get(f"/campaigns/{jilin.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/campaigns/{jilin.pk}/copy/", {"slug": "next-round", "name": "下一届评选", "year": "2026"}
    )
    copy = Campaign.objects.get(slug="next-round")
    assert response["Location"] == f"/campaigns/{copy.pk}/"
    response = client.post(f"/campaigns/{jilin.pk}/publish/")
    jilin.refresh_from_db()
    assert jilin.status == "published"
    before = jilin.phases.get(key="material_deadline").ends_on
    after = copy.phases.get(key="material_deadline").ends_on
    assert after == before.replace(year=before.year + 2026 - jilin.year)


def test_second_example_dashboard_renders(client, office):
    from laurel.campaigns.services.definitions import load_definition
    from tests.campaigns.conftest import SECOND, units_for

    units_for(SECOND)
    campaign = load_definition(None, SECOND.read_text(encoding="utf-8")).campaign
    client.force_login(office)
    html = client.get(f"/nominations/dashboard/{campaign.pk}/").content.decode()
    assert "优质服务窗口" in html and "长春市人社局" in html and "差额要求 ≥ 13" in html
    assert "先进个人" not in html


def test_a_campaign_made_in_the_pages_has_its_phases_and_takes_more(client, office):
    """Issue 20: a campaign created in the pages could never be published — no page added the
    phases, and publishing needs the material deadline."""
    from laurel.campaigns.services.campaigns import create_campaign

    campaign = create_campaign(
        office,
        slug="page-made",
        name="页面新建的评选",
        year=2026,
        commended_in_name_of="省评选表彰工作领导小组",
        organisers="省人社厅",
    )
    assert list(campaign.phases.values_list("key", flat=True)) == [
        "start",
        "material_deadline",
        "end",
    ]
    client.force_login(office)
    deadline = campaign.phases.get(key="material_deadline")
    page = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert f'name="p{deadline.pk}-ends_on"' in page and "增加工作阶段" in page
    response = client.post(
        f"/campaigns/{campaign.pk}/phases/new/",
        {"name": "专家评审", "starts_on": "2026-06-10", "ends_on": "2026-06-01"},
        follow=True,
    )
    assert "截止日期早于开始日期" in response.content.decode()
    client.post(
        f"/campaigns/{campaign.pk}/phases/new/",
        {"name": "专家评审", "starts_on": "2026-06-01", "ends_on": "2026-06-10"},
    )
    phase = campaign.phases.get(name="专家评审")
    assert (phase.starts_on.isoformat(), phase.ends_on.isoformat()) == ("2026-06-01", "2026-06-10")
    body = UserFactory(roles=["nominating_body"])
    client.force_login(body)
    refused = client.post(f"/campaigns/{campaign.pk}/phases/new/", {"name": "x"})
    assert refused.status_code in (403, 404)  # refused either way, and nothing added
    assert not campaign.phases.filter(name="x").exists()


def test_c3_the_office_runs_a_campaign_from_the_pages_without_a_file(client, jilin_units, office):
    """Issue 20 (done when): create, dates, a category, a body, its quota, publish and close —
    every step a page the office fills in, no definition file."""
    from laurel.core.models import Division

    client.force_login(office)
    response = client.post(
        "/campaigns/new/",
        {
            "slug": "pages-only",
            "name": "页面上创建的评选表彰",
            "year": "2026",
            "commended_in_name_of": "省评选表彰工作领导小组",
            "organisers": "省人社厅",
            "differential_ratio": "0.20",
            "public_notice_working_days": "5",
            "profile_max_chars": "300",
            "deeds_max_chars": "800",
        },
    )
    campaign = Campaign.objects.get(slug="pages-only")
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    added = client.post(
        f"/campaigns/{campaign.pk}/categories/new/",
        {
            "cat-key": "individual",
            "cat-kind": "individual",
            "cat-name": "先进个人",
            "cat-honour_title": "某某工作先进个人",
            "cat-commendation_level": "省级",
            "cat-award_count": "10",
            "cat-certificate": "on",
            "cat-bonus_amount": "0",
        },
        follow=True,
    )
    assert campaign.categories.count() == 1, [str(m) for m in added.context["messages"]]
    added = client.post(
        f"/campaigns/{campaign.pk}/bodies/new/",
        {
            "body-key": "changchun",
            "body-name": "长春市",
            "body-division": Division.objects.get(code="220100").pk,
        },
        follow=True,
    )
    assert "已添加" in added.content.decode(), [str(m) for m in added.context["messages"]]
    quota = Quota.objects.get(body__campaign=campaign)
    client.post(f"/campaigns/{campaign.pk}/quotas/", {f"q{quota.pk}": "12", "reason": "按方案"})
    quota.refresh_from_db()
    assert quota.places == 12
    deadline = campaign.phases.get(key="material_deadline")
    edit = {
        "name": campaign.name,
        "year": "2026",
        "commended_in_name_of": campaign.commended_in_name_of,
        "organisers": campaign.organisers,
        "differential_ratio": "0.20",
        "public_notice_working_days": "5",
        "profile_max_chars": "300",
        "deeds_max_chars": "800",
        f"p{deadline.pk}-ends_on": "2026-12-31",
    }
    category = campaign.categories.get()
    edit.update(
        {
            f"c{category.pk}-name": category.name,
            f"c{category.pk}-honour_title": category.honour_title,
            f"c{category.pk}-commendation_level": "省级",
            f"c{category.pk}-award_count": "10",
            f"c{category.pk}-certificate": "on",
            f"c{category.pk}-bonus_amount": "0",
        }
    )
    response = client.post(f"/campaigns/{campaign.pk}/edit/", edit)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(f"/campaigns/{campaign.pk}/publish/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED
    client.post(f"/campaigns/{campaign.pk}/close/", {"reason": "评选表彰工作结束"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


def test_c8_the_campaign_page_names_each_tier_without_a_reviewing_department(client, jilin, office):
    """A review function that no department performs at the province or in a body's area
    leaves nominees waiting at that tier: the office sees the gap before publishing, by name;
    once every department is set up the warning is gone."""
    from laurel.orgs.models import UnitFunction
    from tests.factories import UnitFactory

    client.force_login(office)
    html = client.get(f"/campaigns/{jilin.pk}/").content.decode()
    assert 'data-testid="review-gaps"' in html
    assert "吉林省没有承担“人力资源和社会保障”审核职能的部门，该级审核将无人办理。" in html
    assert "梅河口市没有承担“住房和城乡建设”审核职能的部门" in html
    places = [b.division for b in jilin.bodies.select_related("division") if b.division_id]
    places.append(office.unit.division)
    for division in places:
        for function in (UnitFunction.Function.HR_SOCIAL_SECURITY, UnitFunction.Function.HOUSING):
            UnitFactory(name=f"{division.name}{function}", division=division, functions=[function])
    html = client.get(f"/campaigns/{jilin.pk}/").content.decode()
    assert 'data-testid="review-gaps"' not in html
