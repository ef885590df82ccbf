import pytest

from laurel.core.models import CodeItem, Division
from laurel.core.services.reference import load_code_tables, load_divisions
from laurel.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_jilin_divisions_counts():
    assert Division.objects.get(code="220000").level == "province"
    standard_prefectures = Division.objects.filter(level="prefecture", is_standard=True)
    assert standard_prefectures.count() == 9
    assert Division.objects.filter(level="county").count() == 60


def test_c4_gongzhuling_sits_under_changchun():
    gongzhuling = Division.objects.get(code="220184")
    assert gongzhuling.name == "公主岭市"
    assert gongzhuling.parent.code == "220100"
    assert gongzhuling.path == "/220000/220100/220184/"


def test_c4_meihekou_and_changbaishan_report_to_the_province():
    meihekou = Division.objects.get(code="220581")
    assert meihekou.directly_administered and meihekou.parent.code == "220000"
    assert meihekou.level == "county"
    changbaishan = Division.objects.get(name="长白山管委会")
    assert changbaishan.directly_administered and not changbaishan.is_standard
    assert changbaishan.parent.code == "220000"


def test_division_within_and_full_name():
    changchun = Division.objects.get(code="220100")
    assert Division.objects.within(changchun).count() == 12
    assert Division.objects.get(code="220102").full_name == "长春市南关区"


def test_loading_again_changes_nothing():
    assert load_divisions().created == 0
    assert load_divisions().updated == 0
    result = load_code_tables()
    assert (result.created, result.updated) == (0, 0)


def test_code_tables_of_the_standards():
    ethnicity = CodeItem.objects.of("ethnicity")
    assert ethnicity.count() == 58
    assert ethnicity.get(code="10").name == "朝鲜族"
    assert CodeItem.objects.of("political_status").get(code="13").name == "群众"
    assert CodeItem.objects.of("political_status").count() == 13


def _table(key):
    return {item.code: item.name for item in CodeItem.objects.of(key)}


def test_c13_collective_types_match_the_unit_kinds():
    assert _table("collective_type") == {k.value: str(k.label) for k in Unit.Kind}


def test_c14_enumerations():
    assert list(_table("staffing_type").values()) == ["行政", "参公", "事业", "企业"]
    assert list(_table("professional_title_grade").values()) == ["正高级", "副高级", "中级", "初级"]
    assert _table("unit_affiliation") == {t.value: str(t.label) for t in Unit.Tier}
    assert list(_table("unit_nature").values()) == ["机关", "参公单位", "事业单位", "企业", "其他"]


def test_c5_administrative_levels_flag_deputy_department_and_above():
    levels = CodeItem.objects.of("administrative_level")
    flagged = {i.code for i in levels if i.attrs.get("deputy_department_or_above")}
    assert flagged == {str(level) for level in Unit.DEPUTY_DEPARTMENT_OR_ABOVE}
    assert {i.code: i.name for i in levels} == {k.value: str(k.label) for k in Unit.AdminLevel}
