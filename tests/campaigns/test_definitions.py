"""Campaign definition files: the Jilin plan as data (C-1…C-4, C-10), errors by line."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laurel.campaigns.models import AwardCategory, Campaign, NominatingBody, Quota
from laurel.campaigns.queries import category_totals
from laurel.campaigns.services.definitions import DefinitionError, load_definition
from laurel.core.models import AuditLog
from tests.campaigns.conftest import JILIN, SECOND, units_for

pytestmark = pytest.mark.django_db


def test_c4_jilin_file_yields_27_bodies_and_the_quota_tables(jilin):
    assert jilin.bodies.count() == 27
    assert jilin.bodies.filter(kind=NominatingBody.Kind.REGION).count() == 11
    assert jilin.bodies.filter(kind=NominatingBody.Kind.PROVINCIAL_UNIT).count() == 16
    totals = {t.name: t.allocated for t in category_totals(jilin)}
    assert totals == {"先进集体": 126, "先进个人": 135}
    regions = Quota.objects.filter(body__campaign=jilin, body__kind="region")
    assert sum(q.places for q in regions if q.category.kind == "collective") == 96
    assert sum(q.places for q in regions if q.category.kind == "individual") == 107


def test_c4_changchun_reserves_two_plus_two_for_gongzhuling(jilin):
    changchun = jilin.bodies.get(key="changchun")
    for kind, places in (("collective", 20), ("individual", 22)):
        quota = changchun.quotas.get(category__kind=kind)
        assert quota.places == places
        reserve = quota.reservations.get()
        assert (reserve.name, reserve.places, reserve.division.code) == ("公主岭市", 2, "220184")


def test_c4_blank_cells_are_zero(jilin):
    court = jilin.bodies.get(name="省高级人民法院")
    assert court.quotas.get(category__kind="individual").places == 0
    assert jilin.bodies.get(name="省政府办公厅").quotas.get(category__kind="collective").places == 0


def test_c2_awards_titles_and_prizes(jilin):
    collective = jilin.categories.get(kind=AwardCategory.Kind.COLLECTIVE)
    individual = jilin.categories.get(kind=AwardCategory.Kind.INDIVIDUAL)
    assert (collective.award_count, collective.honour_title, collective.plaque) == (
        90,
        "吉林省保障性安居工程先进集体",
        True,
    )
    assert (individual.award_count, individual.certificate, individual.bonus_amount) == (
        100,
        True,
        Decimal("4000.00"),
    )
    assert jilin.commended_in_name_of == "吉林省人民政府"
    assert collective.conditions.count() == 5 and individual.conditions.count() == 6


def test_c3_both_categories_pass_the_differential_check(jilin):
    totals = {t.name: t for t in category_totals(jilin)}
    assert jilin.differential_ratio == Decimal("0.20")
    assert totals["先进集体"].required == 108 and totals["先进集体"].ok
    assert totals["先进个人"].required == 120 and totals["先进个人"].ok


def test_c1_dates_parameters_and_leading_group(jilin):
    assert jilin.phase("start").starts_on.isoformat() == "2022-12-01"
    assert jilin.phase("material_deadline").ends_on.isoformat() == "2023-03-10"
    assert jilin.public_notice_working_days == 5
    assert (jilin.profile_max_chars, jilin.deeds_max_chars) == (300, 800)
    assert jilin.office_unit.name == "吉林省住房和城乡建设厅"
    assert jilin.members.filter(group="leading_group").count() == 6
    assert jilin.members.filter(group="office").count() == 7
    assert jilin.eligibility["individual"] == {
        "min_continuous_years": 4,
        "service_as_of": "2022-06-30",
        "clean_record_since": "2018-01-01",
    }
    assert jilin.eligibility["prior_honoree"]["new_contribution_window_years"] == 5
    assert {limit["max_ratio"] for limit in jilin.ratio_limits} == {0.2, 0.5}


def test_loading_the_same_file_again_changes_nothing(jilin, jilin_text):
    before = AuditLog.objects.count()
    result = load_definition(None, jilin_text)
    assert result.changes == []
    assert AuditLog.objects.count() == before


def test_dry_run_lists_changes_and_keeps_nothing(jilin_units, jilin_text):
    result = load_definition(None, jilin_text, dry_run=True)
    assert any("推荐名额：长春市（含公主岭市）·先进集体：20" in line for line in result.changes)
    assert not Campaign.objects.exists()


def test_a_changed_quota_is_reported_as_an_update(jilin, jilin_text):
    changed = jilin_text.replace(
        "quotas: {collective: 5, individual: 6}", "quotas: {collective: 6, individual: 6}"
    )
    result = load_definition(None, changed)
    assert result.changes == ["修改 推荐名额：四平市·先进集体：6（推荐名额 5 → 6）"]


def _problems(text):
    with pytest.raises(DefinitionError) as error:
        load_definition(None, text)
    return [str(p) for p in error.value.problems]


def _problems_or_none(text):
    try:
        load_definition(None, text, dry_run=True)
    except DefinitionError as error:
        return [str(p) for p in error.problems]
    return []


def test_c3_quotas_below_awards_plus_ratio_are_refused_naming_category_and_numbers(
    jilin_units, jilin_text
):
    short = jilin_text.replace("awards: 100", "awards: 120")
    problems = _problems(short)
    assert len(problems) == 1
    assert "先进个人" in problems[0] and "135" in problems[0] and "144" in problems[0]
    assert problems[0].startswith("第")
    assert not Campaign.objects.exists()


def test_malformed_files_name_the_line_and_the_key(jilin_units, jilin_text):
    lines = jilin_text.splitlines()
    line_no = next(
        i for i, line in enumerate(lines, 1) if "quotas: {collective: 5, individual: 5}" in line
    )
    bad = jilin_text.replace(
        "quotas: {collective: 5, individual: 5}", "quotas: {collective: -5, individual: 5}"
    )
    bad = bad.replace("    awards: 90", "    award: 90")
    problems = _problems(bad)
    assert f"第{line_no}行（bodies[3].quotas.collective）：不能小于0。" in problems
    assert any("categories[0].award）：不认识的项：award" in p for p in problems)
    assert any("缺少必填项“awards”" in p for p in problems)


def test_unknown_units_divisions_and_dates_are_named(jilin_units, jilin_text):
    bad = jilin_text.replace('division: "220300"', 'division: "229999"')
    bad = bad.replace("unit: 吉林省审计厅", "unit: 吉林省不存在厅")
    bad = bad.replace("ends_on: 2023-03-10", "ends_on: 2023-02-30")
    problems = _problems(bad)
    assert any("bodies[2].division）：行政区划代码“229999”不存在" in p for p in problems)
    assert any("bodies[26].unit）：单位“吉林省不存在厅”不存在" in p for p in problems)
    assert any("phases[1].ends_on）：“2023-02-30”不是有效日期" in p for p in problems)


def test_yaml_syntax_errors_and_duplicate_keys_name_the_line():
    assert _problems("format: 1\nslug: x\n  name: [\n")[0].startswith("第3行")
    assert _problems("format: 1\nslug: a\nslug: b\n") == ["第3行（slug）：重复的项。"]
    assert _problems("- 1\n- 2\n") == ["第1行：定义文件的顶层应为键值表。"]


def test_reserved_places_cannot_exceed_the_body_quota(jilin_units, jilin_text):
    bad = jilin_text.replace(
        '{name: 公主岭市, division: "220184", quotas: {collective: 2, individual: 2}}',
        '{name: 公主岭市, division: "220184", quotas: {collective: 21, individual: 2}}',
    )
    assert any("单列名额（21）超过本单位先进集体名额（20）" in p for p in _problems(bad))


def test_second_example_of_another_shape_loads(db):
    units_for(SECOND)
    campaign = load_definition(None, SECOND.read_text(encoding="utf-8")).campaign
    assert list(campaign.categories.values_list("kind", flat=True)) == ["collective"]
    assert campaign.differential_ratio == Decimal("0.30")
    assert campaign.public_notice_working_days == 7
    [total] = category_totals(campaign)
    assert (total.award_count, total.allocated, total.required, total.ok) == (10, 14, 13, True)


def test_load_campaign_command_dry_run_and_errors(jilin_units, tmp_path, capsys):
    call_command("load_campaign", str(JILIN), "--dry-run")
    assert "试运行（未保存）" in capsys.readouterr().out
    assert not Campaign.objects.exists()
    call_command("load_campaign", str(JILIN))
    assert Campaign.objects.count() == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第1行（format）：应为 1"):
        call_command("load_campaign", str(broken))


def test_no_code_mentions_the_jilin_programme_outside_data_and_tests():
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src"
    offenders = [
        str(path)
        for path in src.rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".html", ".js", ".css"}
        and "保障性安居" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_c9_clearance_rules_load_from_the_definition_and_default_otherwise(jilin, jilin_text):
    assert jilin.clearance_rules == []  # the Jilin file relies on the default rows of C-9
    custom = jilin_text + (
        "\nclearance:\n"
        "  - rule: 只征求公安部门意见\n"
        "    applies_to: [collective, individual]\n"
        "    departments: [public_security]\n"
    )
    load_definition(None, custom)
    jilin.refresh_from_db()
    assert jilin.clearance_rules[0]["departments"] == ["public_security"]
    bad = custom.replace("departments: [public_security]", "departments: [police]")
    with pytest.raises(DefinitionError) as error:
        load_definition(None, bad)
    assert "clearance[0].departments[0]" in str(error.value)


def test_c4_a_region_body_is_a_city_or_a_directly_administered_area(jilin_units, jilin_text):
    """A body on the province or on an ordinary county loads but can never run: the province's
    body would take a city's nominees to a tier nobody reviews, a county's would stay at the
    city tier. 梅河口市 (a directly administered county) is a body of its own in the plan."""
    on_province = jilin_text.replace('division: "220300"', 'division: "220000"')
    assert any(
        "bodies[2].division）：推荐单位的地区须为市（州）或省直管地区，“吉林省”是省级区划" in p
        for p in _problems(on_province)
    )
    on_county = jilin_text.replace('division: "220300"', 'division: "220102"')
    problems = _problems(on_county)
    assert any("“南关区”是县（市、区）级区划" in p for p in problems)
    assert any("“南关区”与第1个推荐单位（长春市）的地区重叠" in p for p in problems)
    assert not Campaign.objects.exists()


def test_c3_two_bodies_on_one_area_or_one_unit_tree_are_refused(jilin_units, jilin_text):
    """Two bodies of one area (or one unit) add places to C-3's count that nobody can use:
    every nominee goes to the first, the second's places stay empty."""
    twice = jilin_text.replace('division: "220300"', 'division: "220200"')
    assert any(
        "bodies[2].division）：“吉林市”与第2个推荐单位（吉林市）的地区重叠" in p
        for p in _problems(twice)
    )
    same_unit = jilin_text.replace("unit: 吉林省民政厅", "unit: 吉林省财政厅")
    assert any("“吉林省财政厅”与第" in p and "相同或有隶属关系" in p for p in _problems(same_unit))


def test_c4_a_reserved_place_outside_its_bodys_area_is_refused(jilin_units, jilin_text):
    outside = jilin_text.replace(
        '{name: 公主岭市, division: "220184"', '{name: 公主岭市, division: "220202"'
    )
    assert any(
        "bodies[0].reserved[0].division）：单列名额的地区“昌邑区”不在本推荐单位的地区（长春市）内"
        in p
        for p in _problems(outside)
    )


def test_c8_review_functions_are_every_unit_function_a_department_may_perform(
    jilin_units, jilin_text
):
    """The schema offers every function of 单位管理 for review (not five of them), and a
    plan asking 纪检监察 and 工会 to review loads; a key no unit can perform is refused."""
    import json
    from pathlib import Path

    import laurel.campaigns
    from laurel.orgs.models import UnitFunction

    schema = json.loads(
        (Path(laurel.campaigns.__file__).parent / "schema" / "campaign-v1.schema.json").read_text()
    )
    offered = schema["properties"]["review_functions"]["items"]["enum"]
    assert sorted(offered) == sorted(UnitFunction.Function.values)
    text = (
        jilin_text
        + "\nreview_functions: [hr_social_security, discipline_inspection, trade_union]\n"
    )
    campaign = load_definition(None, text).campaign
    assert campaign.review_functions == [
        "hr_social_security",
        "discipline_inspection",
        "trade_union",
    ]
    bad = jilin_text + "\nreview_functions: [hr_social_security, education]\n"
    assert any("review_functions[1]" in p for p in _problems(bad))


def test_c1_phases_run_in_order_within_the_campaigns_year(jilin_units, jilin_text):
    """A deadline typed with the wrong year closes nominations at once (or never): phases run
    start → material deadline → end, none before the campaign's year."""
    late = jilin_text.replace("ends_on: 2023-03-10", "ends_on: 2023-05-10")
    assert any(
        "phases[2].ends_on）：“2023-04-30”早于前一阶段（推荐材料报送截止）的“2023-05-10”" in p
        for p in _problems(late)
    )
    early = jilin_text.replace("ends_on: 2023-03-10", "ends_on: 2020-03-10")
    problems = _problems(early)
    assert any(
        "phases[1].ends_on）：“2020-03-10”早于2021年，与活动年度（2022年）相差过远，请核对年份。"
        in p
        for p in problems
    )
    # a plan of 2023 that starts in December 2022 is not refused for it
    ahead = jilin_text.replace("year: 2022", "year: 2023")
    assert not any("相差过远" in p for p in _problems_or_none(ahead))
    assert any("早于前一阶段（启动）的“2022-12-01”" in p for p in problems)


def test_c10_a_ratio_limit_names_what_it_counts_and_bodies_their_own_names(jilin_units, jilin_text):
    uncounted = jilin_text.replace("    counts: sector_agency\n", "")
    assert any(
        "ratio_limits[1]）：比例限制“housing-system-agencies”没有写明 counts" in p
        for p in _problems(uncounted)
    )
    repeated = jilin_text.replace("key: housing-system-agencies", "key: county-division-cadres")
    assert any(
        "ratio_limits[1].key）：“county-division-cadres”重复。" in p for p in _problems(repeated)
    )
    same_name = jilin_text.replace("name: 四平市, division", "name: 吉林市, division")
    assert any("bodies[2].name）：“吉林市”重复。" in p for p in _problems(same_name))
    elsewhere = jilin_text.replace(
        'division: "220300", unit: 四平市住房和城乡建设局',
        'division: "220300", unit: 吉林市住房和城乡建设局',
    )
    assert any(
        "bodies[2].unit）：单位“吉林市住房和城乡建设局”不在本推荐单位的地区（四平市）内。" in p
        for p in _problems(elsewhere)
    )


def test_a_text_limit_stays_within_what_a_draft_may_hold(jilin_units, jilin_text):
    """A plan may not allow deeds longer than a draft can keep (the forms would refuse what the
    plan allows): the schema's bound is the nominee's own."""
    import json
    from pathlib import Path

    import laurel.campaigns
    from laurel.nominations.models.nominees import DRAFT_TEXT_MAX

    schema = json.loads(
        (Path(laurel.campaigns.__file__).parent / "schema" / "campaign-v1.schema.json").read_text()
    )
    limits = schema["properties"]["text_limits"]["properties"]
    assert limits["profile"]["maximum"] == limits["deeds"]["maximum"] == DRAFT_TEXT_MAX
    too_long = jilin_text.replace("  deeds: 800", f"  deeds: {DRAFT_TEXT_MAX + 1}")
    assert any("text_limits.deeds" in p for p in _problems(too_long))
