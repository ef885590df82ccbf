"""The plan's rules edited in the pages (issue 20): eligibility, achievement conditions, C-10
limits, clearance rules, the leading group and reserved sub-quotas — each with the checks a
definition file gets, and the definition file downloaded back."""

import datetime
from decimal import Decimal

import pytest

from laurel.campaigns.models import Campaign, QuotaReservation
from laurel.campaigns.services.campaigns import close_campaign, publish_campaign
from laurel.campaigns.services.definitions import load_definition
from laurel.core.models import AuditLog
from laurel.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_downloaded_definition_loads_back_without_a_change(client, jilin, office):
    client.force_login(office)
    response = client.get(f"/campaigns/{jilin.pk}/definition.yaml")
    assert response.status_code == 200
    assert 'filename="jilin-affordable-housing-2022.yaml"' in response["Content-Disposition"]
    text = response.content.decode()
    assert "公主岭市" in text and "吉林省保障性安居工程先进集体" in text
    result = load_definition(office, text, source=jilin.source_name, dry_run=True)
    assert result.campaign.pk == jilin.pk
    assert result.changes == []


def test_the_rules_page_shows_what_the_plan_says(client, jilin, office):
    client.force_login(office)
    html = client.get(f"/campaigns/{jilin.pk}/rules/").content.decode()
    assert 'value="2022-06-30"' in html  # service counted to (C-7)
    assert "先进个人中县处级（含非领导职务）干部比例原则上不超过评选总数的20%" in html
    assert "公主岭市" in html and "季桂芝" in html
    # the campaign has no clearance rules of its own: the default rows are shown, ticked default
    assert "附件4注3" in html
    assert 'name="clear-d-use_default" id="id_clear-d-use_default" checked' in html


def test_c7_eligibility_saved_from_the_page_and_nothing_else_changes(client, jilin, office):
    client.force_login(office)
    limits_before = jilin.ratio_limits
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {
            "section": "eligibility",
            "elig-excluded_admin_levels": ["provincial", "deputy_provincial", "department"],
            "elig-excluded_party_and_government_from_tier": "prefecture",
            "elig-title_not_granted_twice": "on",
            "elig-individual_min_continuous_years": "5",
            "elig-individual_service_as_of": "2022-12-31",
            "elig-collective_clean_record_since": "2019-01-01",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#eligibility")
    jilin.refresh_from_db()
    assert jilin.eligibility == {
        "excluded_admin_levels": ["provincial", "deputy_provincial", "department"],
        "excluded_party_and_government_from_tier": "prefecture",
        "title_not_granted_twice": True,
        "collective": {"clean_record_since": "2019-01-01"},
        "individual": {"min_continuous_years": 5, "service_as_of": "2022-12-31"},
    }
    assert jilin.ratio_limits == limits_before
    row = AuditLog.objects.for_object(jilin).first()
    assert row.actor == office and "eligibility" in {c["field"] for c in row.changes}


def test_once_published_a_rule_changes_only_with_a_reason(client, jilin, office):
    publish_campaign(office, jilin)
    client.force_login(office)
    before = jilin.eligibility
    post = {"section": "eligibility", "elig-individual_min_continuous_years": "3"}
    response = client.post(f"/campaigns/{jilin.pk}/rules/", post)
    assert response.status_code == 200
    assert "活动已发布，修改评选条件或规则须写明原因。" in response.content.decode()
    jilin.refresh_from_db()
    assert jilin.eligibility == before
    # what was typed is still on the page
    assert 'name="elig-individual_min_continuous_years" value="3"' in response.content.decode()
    post["elig-reason"] = "领导小组会议决定放宽年限"
    assert client.post(f"/campaigns/{jilin.pk}/rules/", post).status_code == 302
    jilin.refresh_from_db()
    assert jilin.eligibility == {"individual": {"min_continuous_years": 3}}
    assert AuditLog.objects.for_object(jilin).first().reason == "领导小组会议决定放宽年限"


def test_c10_ratio_limits_added_and_removed_in_the_page(client, jilin, office):
    client.force_login(office)
    rows = [
        {
            "key": "county-division-cadres",
            "text": "先进个人中县处级干部比例原则上不超过评选总数的15%",
            "category": "individual",
            "counts": "county_division_cadre",
            "percent": "15",
            "base": "awards",
        },
        {  # the second limit of the plan, ticked for deletion
            "key": "housing-system-agencies",
            "text": "x",
            "counts": "sector_agency",
            "percent": "50",
            "base": "quota",
            "DELETE": "on",
        },
        {  # a new row: it gets a key of its own
            "text": "机关集体原则上不超过推荐名额的40%",
            "category": "collective",
            "counts": "sector_agency",
            "percent": "40",
            "base": "quota",
        },
    ]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {"section": "ratio_limits", **_formset("ratio", rows, initial=2)},
    )
    assert response.status_code == 302, _messages(response)
    jilin.refresh_from_db()
    new_key = jilin.ratio_limits[1]["key"]
    assert new_key.startswith("limit-") and new_key != "housing-system-agencies"
    assert jilin.ratio_limits == [
        {
            "key": "county-division-cadres",
            "text": "先进个人中县处级干部比例原则上不超过评选总数的15%",
            "category": "individual",
            "counts": "county_division_cadre",
            "max_ratio": 0.15,
            "base": "awards",
        },
        {
            "key": new_key,
            "text": "机关集体原则上不超过推荐名额的40%",
            "category": "collective",
            "counts": "sector_agency",
            "max_ratio": 0.4,
            "base": "quota",
        },
    ]


def test_c10_a_percentage_over_100_names_the_row_and_saves_nothing(client, jilin, office):
    client.force_login(office)
    before = jilin.ratio_limits
    rows = [{"text": "超过", "counts": "sector_agency", "percent": "120", "base": "quota"}]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/", {"section": "ratio_limits", **_formset("ratio", rows)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "有填写错误" in html
    assert "比例要求（原则上）第1行 比例上限（%）：确保该值小于或等于100。" in _messages(response)
    jilin.refresh_from_db()
    assert jilin.ratio_limits == before


def test_c9_the_office_writes_its_own_clearance_rules_and_goes_back_to_the_default(
    client, jilin, office
):
    client.force_login(office)
    rows = [
        {
            "rule": "所有推荐对象征求公安部门意见",
            "applies_to": ["collective", "individual"],
            "departments": ["public_security"],
        },
        {
            "rule": "非公企业负责人征求统战部门、工商联意见",
            "applies_to": ["enterprise_head"],
            "natures": ["enterprise"],
            "ownership": ["non_public"],
            "departments": ["united_front", "federation_industry_commerce"],
        },
    ]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/", {"section": "clearance", **_formset("clear", rows)}
    )
    assert response.status_code == 302, _messages(response)
    jilin.refresh_from_db()
    assert jilin.clearance_rules == [
        {
            "rule": "所有推荐对象征求公安部门意见",
            "applies_to": ["collective", "individual"],
            "departments": ["public_security"],
        },
        {
            "rule": "非公企业负责人征求统战部门、工商联意见",
            "applies_to": ["enterprise_head"],
            "natures": ["enterprise"],
            "ownership": ["non_public"],
            "departments": ["united_front", "federation_industry_commerce"],
        },
    ]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {"section": "clearance", "clear-d-use_default": "on", **_formset("clear", rows)},
    )
    assert response.status_code == 302
    jilin.refresh_from_db()
    assert jilin.clearance_rules == []


def test_c9_rows_edited_with_the_default_still_ticked_are_not_silently_dropped(
    client, jilin, office
):
    client.force_login(office)
    page = client.get(f"/campaigns/{jilin.pk}/rules/")
    formset = page.context["forms"]["clearance"]
    rows = [form.initial for form in formset.forms]
    rows[0] = {**rows[0], "rule": "所有推荐对象征求公安部门意见（本方案）"}
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {
            "section": "clearance",
            "clear-d-use_default": "on",
            **_formset("clear", rows, initial=len(rows)),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "您修改了下面的规则，但仍勾选了“使用系统默认规则”；请取消勾选后再保存。" in html
    assert "所有推荐对象征求公安部门意见（本方案）" in html  # what was typed stays
    jilin.refresh_from_db()
    assert jilin.clearance_rules == []


def test_c9_a_department_nobody_declared_is_refused(client, jilin, office):
    client.force_login(office)
    rows = [{"rule": "征求某局意见", "applies_to": ["individual"], "departments": ["someone"]}]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/", {"section": "clearance", **_formset("clear", rows)}
    )
    assert response.status_code == 200
    assert (
        "征求意见规则第1行 征求意见的部门：选择一个有效的选项。 someone 不在可用的选项中。"
        in _messages(response)
    )
    jilin.refresh_from_db()
    assert jilin.clearance_rules == []


def test_c6_achievement_conditions_one_per_line(client, jilin, office):
    client.force_login(office)
    collective, individual = jilin.categories.order_by("sort_order")
    before = [c.text for c in individual.conditions.order_by("number")]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {
            "section": "conditions",
            f"cond-c{collective.pk}": "棚户区改造成绩突出。\n\n  住房保障覆盖面广。  \n",
            f"cond-c{individual.pk}": "\n".join(before),
        },
    )
    assert response.status_code == 302, _messages(response)
    assert [c.text for c in collective.conditions.order_by("number")] == [
        "棚户区改造成绩突出。",
        "住房保障覆盖面广。",
    ]
    assert [c.text for c in individual.conditions.order_by("number")] == before


def test_c6_a_category_missing_from_the_post_keeps_its_conditions(client, jilin, office):
    client.force_login(office)
    collective, individual = jilin.categories.order_by("sort_order")
    before = [c.text for c in individual.conditions.order_by("number")]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {"section": "conditions", f"cond-c{collective.pk}": "只改先进集体的条件。"},
    )
    assert response.status_code == 302
    assert [c.text for c in collective.conditions.all()] == ["只改先进集体的条件。"]
    assert [c.text for c in individual.conditions.order_by("number")] == before


def test_the_leading_group_edited_in_the_page(client, jilin, office):
    client.force_login(office)
    rows = [
        {"group": "leading_group", "duty": "组长", "name": "王 明", "position": "省人社厅厅长"},
        {"group": "office", "duty": "主任", "name": "阿依古丽·买买提", "position": "表彰办主任"},
    ]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/", {"section": "members", **_formset("member", rows)}
    )
    assert response.status_code == 302, _messages(response)
    members = [(m.group, m.duty, m.name) for m in jilin.members.order_by("group", "sort_order")]
    assert members == [
        ("leading_group", "组长", "王 明"),
        ("office", "主任", "阿依古丽·买买提"),
    ]
    bad = [{"group": "office", "duty": "主任", "name": "张\u202e三", "position": "表彰办"}]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/", {"section": "members", **_formset("member", bad)}
    )
    assert response.status_code == 200 and "不可见的控制字符" in response.content.decode()
    assert jilin.members.count() == 2


def test_c4_reserved_sub_quotas_never_exceed_the_bodys_quota(client, jilin, office):
    client.force_login(office)
    changchun = jilin.bodies.get(key="changchun")
    quota = changchun.quotas.get(category__key="individual")
    rows = [{"quota": str(quota.pk), "name": "公主岭市", "division": "220184", "places": "23"}]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {"section": "reservations", **_formset("reserve", rows)},
    )
    assert response.status_code == 200
    assert (
        "长春市（含公主岭市）·先进个人：单列名额合计23个，超过该单位名额22个。"
        in response.content.decode()
    )
    assert sorted(
        QuotaReservation.objects.filter(quota__body=changchun).values_list("places", flat=True)
    ) == [2, 2]
    rows[0]["places"] = "3"
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {"section": "reservations", **_formset("reserve", rows)},
    )
    assert response.status_code == 302, _messages(response)
    # the collective row was not in the post: only the individual reservation is kept
    assert list(
        QuotaReservation.objects.filter(quota__body__campaign=jilin).values_list(
            "quota__category__key", "name", "division__code", "places"
        )
    ) == [("individual", "公主岭市", "220184", 3)]


def test_a_reservation_in_another_campaigns_quota_is_refused(client, jilin, office):
    from laurel.campaigns.services.campaigns import copy_campaign

    other = copy_campaign(office, jilin, slug="other", name="另一活动", year=2023)
    foreign = other.bodies.get(key="changchun").quotas.get(category__key="individual")
    client.force_login(office)
    rows = [{"quota": str(foreign.pk), "name": "公主岭市", "places": "1"}]
    response = client.post(
        f"/campaigns/{jilin.pk}/rules/",
        {"section": "reservations", **_formset("reserve", rows)},
    )
    assert response.status_code == 200
    kept = QuotaReservation.objects.filter(quota=foreign).values_list("places", flat=True)
    assert list(kept) == [2]


def test_bodies_cannot_touch_the_rules_and_a_closed_campaign_is_read_only(
    client, jilin, jilin_units, office
):
    body_user = UserFactory(
        unit=jilin_units["长春市住房和城乡建设局"], roles=[Role.NOMINATING_BODY]
    )
    client.force_login(body_user)
    post = {"section": "eligibility", "elig-individual_min_continuous_years": "0"}
    assert client.get(f"/campaigns/{jilin.pk}/rules/").status_code == 403
    assert client.post(f"/campaigns/{jilin.pk}/rules/", post).status_code == 403
    assert client.get(f"/campaigns/{jilin.pk}/definition.yaml").status_code == 403
    publish_campaign(office, jilin)
    close_campaign(office, jilin, "评选表彰工作结束")
    client.force_login(office)
    before = jilin.eligibility
    page = client.get(f"/campaigns/{jilin.pk}/rules/").content.decode()
    assert "活动已结束，以下内容只读。" in page and "保存评选条件参数" not in page
    response = client.post(f"/campaigns/{jilin.pk}/rules/", {**post, "elig-reason": "强行修改"})
    assert response.status_code == 200
    jilin.refresh_from_db()
    assert jilin.eligibility == before and jilin.status == Campaign.Status.CLOSED
    assert client.post(f"/campaigns/{jilin.pk}/rules/", {"section": "nope"}).status_code == 404


def test_copy_then_edit_the_eligibility_dates_of_next_years_plan(client, jilin, office):
    client.force_login(office)
    from laurel.campaigns.services.campaigns import copy_campaign

    copy = copy_campaign(office, jilin, slug="jilin-2023", name="2023年度评选", year=2023)
    assert copy.eligibility["individual"]["service_as_of"] == "2023-06-30"
    response = client.post(
        f"/campaigns/{copy.pk}/rules/",
        {
            "section": "eligibility",
            "elig-individual_min_continuous_years": "4",
            "elig-individual_service_as_of": datetime.date(2023, 9, 30).isoformat(),
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.eligibility["individual"] == {
        "min_continuous_years": 4,
        "service_as_of": "2023-09-30",
    }
    assert Decimal(str(jilin.differential_ratio)) == Decimal("0.20")


def test_a_campaign_made_in_the_pages_exports_and_loads_back_unchanged(client, office):
    from laurel.campaigns.services.campaigns import add_category, add_phase, create_campaign
    from laurel.campaigns.services.definitions import definition_text

    campaign = create_campaign(
        office,
        slug="made-in-pages",
        name="页面上创建的评选表彰",
        year=2027,
        commended_in_name_of="吉林省人民政府",
        organisers="吉林省人社厅",
    )
    add_phase(office, campaign, name="推荐单位公示", ends_on=datetime.date(2027, 3, 1))
    add_category(
        office,
        campaign,
        key="individual",
        kind="individual",
        name="先进个人",
        honour_title="先进个人",
        award_count=10,
    )
    from laurel.campaigns.services.campaigns import add_body
    from laurel.core.models import Division

    add_body(
        office, campaign, key="cc", name="长春市", division=Division.objects.get(code="220100")
    )
    from laurel.campaigns.services.campaigns import set_quotas

    set_quotas(office, campaign, {campaign.bodies.get().quotas.get().pk: 12})
    text = definition_text(campaign)
    assert load_definition(office, text, source="", dry_run=True).changes == []
