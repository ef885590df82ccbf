"""Units from a spreadsheet (issue 20): the template, a row report, all or nothing."""

import io

import openpyxl
import pytest

from laurel.core.models import AuditLog
from laurel.core.roles import Role
from laurel.orgs.interfaces.spreadsheets import COLUMNS
from laurel.orgs.models import Unit

pytestmark = pytest.mark.django_db


def _sheet(*rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位导入"])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "units.xlsx"
    return buffer


GOOD = {
    "单位全称": "长春市南关区某某服务中心",
    "所属行政区划代码": "220102",
    "隶属关系": "县（区）",
    "单位性质": "事业单位",
    "行政级别": "正科级",
}


def test_the_template_downloads_with_its_header(client, world):
    client.force_login(world.user(Role.PROVINCIAL_OFFICE))
    response = client.get("/orgs/units/import/", {"template": "1"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]] == list(COLUMNS)


def test_a_sheet_with_bad_rows_is_reported_by_row_and_column_and_nothing_is_saved(client, world):
    client.force_login(world.user(Role.PROVINCIAL_OFFICE))
    before = Unit.objects.count()
    bad = {**GOOD, "单位全称": "另一个中心", "单位性质": "学校", "所属行政区划代码": "999999"}
    response = client.post("/orgs/units/import/", {"file": _sheet(GOOD, bad)})
    html = response.content.decode()
    assert 'data-testid="import-problems"' in html
    assert "单位性质" in html and "999999" in html and '<td data-label="行">4</td>' in html
    assert Unit.objects.count() == before


def test_a_clean_sheet_is_saved_whole_with_parents_from_earlier_rows(client, world):
    office = world.user(Role.PROVINCIAL_OFFICE)
    client.force_login(office)
    child = {**GOOD, "单位全称": "某某服务中心第一分中心", "上级主管单位": GOOD["单位全称"]}
    response = client.post(
        "/orgs/units/import/", {"file": _sheet({**GOOD, "职能": "住房和城乡建设"}, child)}
    )
    assert 'data-testid="import-done"' in response.content.decode()
    parent = Unit.objects.get(name=GOOD["单位全称"])
    assert Unit.objects.get(name=child["单位全称"]).parent == parent
    assert parent.function_codes == {"housing"}
    assert AuditLog.objects.for_object(parent).filter(actor=office).exists()


def test_a_body_cannot_import_units_outside_its_area(client, world):
    """The 长春 body imports into 长春 only: a row for 吉林市 is refused and nothing is saved,
    the 长春 row before it included."""
    client.force_login(world.user(Role.NOMINATING_BODY))
    before = Unit.objects.count()
    far = {**GOOD, "单位全称": "吉林市某中心", "所属行政区划代码": "220202"}
    html = client.post("/orgs/units/import/", {"file": _sheet(GOOD, far)}).content.decode()
    assert 'data-testid="import-problems"' in html and "第4行" in html
    assert Unit.objects.count() == before


def test_the_templates_notes_are_never_read_as_rows(client, world):
    client.force_login(world.user(Role.PROVINCIAL_OFFICE))
    template = client.get("/orgs/units/import/", {"template": "1"}).content
    upload = io.BytesIO(template)
    upload.name = "units.xlsx"
    html = client.post("/orgs/units/import/", {"file": upload}).content.decode()
    assert "表头下没有数据行" in html
