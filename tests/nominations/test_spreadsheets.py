"""附件6 import and export: a messy sheet yields the expected rows and errors, nothing is
imported silently in part, and the summary sheet masks what the reader may not see."""

import datetime
import io
import random

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from laurel.core.roles import Role
from laurel.core.synthetic import resident_id
from laurel.nominations.interfaces.spreadsheets import (
    COLLECTIVE_COLUMNS,
    INDIVIDUAL_COLUMNS,
    INDIVIDUAL_EXTRA,
    NOTES,
)
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as nominee_service
from tests.factories import UserFactory
from tests.nominations.conftest import complete_collective, complete_individual

pytestmark = pytest.mark.django_db
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _id_with_x(birth):
    rng = random.Random(5)
    while True:
        number = resident_id(rng, "220102", birth, "1")
        if number.endswith("X"):
            return number


def messy_sheet() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "先进个人"
    header = INDIVIDUAL_COLUMNS + INDIVIDUAL_EXTRA
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"] = "吉林省保障性安居工程先进个人推荐对象汇总表"
    sheet["A2"] = "推荐单位：长春市"
    for col, label in enumerate(header, start=1):
        sheet.cell(3, col, {"政治面貌": "政治\n面貌", "姓名": " 姓名 "}.get(label, label))
    good_id = _id_with_x(datetime.date(1980, 5, 17))
    second_id = resident_id(random.Random(9), "220102", datetime.date(1975, 3, 9), "2")
    bad_id = second_id[:17] + ("1" if second_id[17] != "1" else "2")
    rows = [
        # full-width digits, trailing spaces, lowercase x, an Excel date, 2002.07, 2015年3月
        [
            "1",
            "张三  ",
            "男",
            "汉",
            "中共党员",
            "长春市南关区住房保障服务中心",
            "事业单位",
            "科长",
            "正科",
            "工程师",
            good_id.lower().translate(FULLWIDTH),
            "１３８１２３４５６７８",
            "长春市人民大街1号",
            "",
            datetime.datetime(1980, 5, 17),
            "吉林省农安县",
            "2002.07",
            "2015年3月",
            "事业",
            "县（区）",
            "大学本科",
        ],
        [
            "2",
            "李四",
            "女",
            "满族",
            "群众",
            "长春市南关区住房保障服务中心",
            "事业单位",
            "科员",
            "科员及以下",
            "",
            second_id,
            "13912345678",
            "",
            "",
            "1975年3月9日",
            "山东省莱阳市",
            datetime.datetime(1996, 8, 1),
            "2016.05",
            "事业",
            "县（区）",
            "",
        ],
        [
            "3",
            "王五",
            "男",
            "汉族",
            "群众",
            "某单位",
            "事业单位",
            "",
            "",
            "",
            bad_id,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "4",
            "赵六",
            "M",
            "汉族",
            "群众",
            "某单位",
            "事业单位",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "吉林长春",
            "2019-13",
            "",
            "合同",
            "",
            "",
        ],
        [None] * len(header),
        ["注：1.集体性质、单位性质填写“机关”“参公单位”“事业单位”“社会组织”“企业”“其他”。"],
    ]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, campaign, content, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"category": campaign.categories.get(kind="individual").pk, **extra}
    if content is not None:
        data["file"] = SimpleUploadedFile("sheet.xlsx", content)
    return client.post(f"/nominations/import/{campaign.pk}/", data)


def test_messy_sheet_reports_each_bad_cell_and_saves_nothing(client, published, cc_staff):
    client.force_login(cc_staff)
    response = _upload(client, published, messy_sheet())
    html = response.content.decode()
    assert response.status_code == 200
    assert "尚未导入任何内容" in html
    assert not Nominee.objects.exists()
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert (6, "身份证号") in errors
    assert {(7, "性别"), (7, "籍贯"), (7, "参加工作时间"), (7, "编制性质")} <= errors
    assert not any(row in (4, 5) for row, _col in errors)
    assert response.context["valid_count"] == 2 and response.context["row_count"] == 4


def test_choosing_to_save_only_the_valid_rows(client, published, cc_staff):
    client.force_login(cc_staff)
    token = _upload(client, published, messy_sheet()).context["token"]
    response = _upload(client, published, None, token=token, action="save_valid")
    assert response.status_code == 302
    zhang = Nominee.objects.get(name="张三")
    assert zhang.id_number.endswith("X") and zhang.id_number.isascii()
    assert (zhang.gender, zhang.ethnicity, zhang.political_status) == ("1", "01", "01")
    assert zhang.birth_date == datetime.date(1980, 5, 17)
    assert zhang.work_start == datetime.date(2002, 7, 1)
    assert zhang.field_work_since == datetime.date(2015, 3, 1)
    assert (zhang.mobile, zhang.admin_level, zhang.education) == (
        "13812345678",
        "section",
        "bachelor",
    )
    li = Nominee.objects.get(name="李四")
    assert li.birth_date == datetime.date(1975, 3, 9) and li.work_start == datetime.date(1996, 8, 1)
    assert li.ethnicity == "11" and li.native_place == "山东省莱阳市"
    assert Nominee.objects.count() == 2
    assert set(Nominee.objects.values_list("state", flat=True)) == {"draft"}


def test_a_clean_sheet_is_imported_whole_at_once(client, published, cc_staff):
    client.force_login(cc_staff)
    book = openpyxl.load_workbook(io.BytesIO(messy_sheet()))
    sheet = book.active
    sheet.delete_rows(6, 2)  # drop the two bad rows
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, published, buffer.getvalue())
    assert response.status_code == 302
    assert Nominee.objects.count() == 2


def test_a_stale_or_foreign_token_is_refused(client, published, cc_staff):
    client.force_login(cc_staff)
    response = _upload(client, published, None, token="0" * 32, action="save_valid")
    assert "已过期" in response.content.decode() and not Nominee.objects.exists()


def test_a_file_that_is_not_a_workbook_says_so(client, published, cc_staff):
    client.force_login(cc_staff)
    response = _upload(client, published, b"PK\x03\x04 broken zip")
    assert "无法读取" in response.content.decode()


def test_template_has_the_summary_sheet_header(client, published, cc_staff):
    client.force_login(cc_staff)
    response = client.get(f"/nominations/template/{published.pk}/")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["先进集体", "先进个人"]
    rows = book.get_sheet_by_name("先进个人").to_python()
    assert rows[1][0] == "推荐单位：长春市（含公主岭市）"
    assert rows[2][:14] == INDIVIDUAL_COLUMNS


def test_summary_export_masks_id_numbers_for_readers_who_may_not_see_them(
    client, published, cc_staff, nanguan_unit, jilin_units
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    content = client.get(f"/nominations/export/{published.pk}/").content
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("先进个人")
        .to_python()
    )
    assert rows[3][1] == "王某某" and rows[3][10] == nominee.id_number
    assert rows[3][13] == ""  # 备注 is the unit's: Laurel writes no state into it (issue 21)
    leader = UserFactory(unit=jilin_units["吉林省住房和城乡建设厅"], roles=[Role.LEADING_GROUP])
    client.force_login(leader)
    content = client.get(f"/nominations/export/{published.pk}/?body={nominee.body_id}").content
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("先进个人")
        .to_python()
    )
    assert rows[3][10] == nominee.id_number[:4] + "*" * 12 + nominee.id_number[-2:]
    assert rows[3][11] == "138****5678"


def test_h6_collective_leader_phone_is_masked_in_the_summary_sheet_and_form(
    client, published, cc_staff, cc_unit, jilin_units
):
    """The 附件6 .xlsx and .docx print one row built once: a reader who may not see personal
    data sees neither the leader's mobile nor the parent unit's phone in either."""
    group = complete_collective(cc_staff, published, cc_unit, name="长春市某服务中心")
    leader = UserFactory(unit=jilin_units["吉林省住房和城乡建设厅"], roles=[Role.LEADING_GROUP])
    client.force_login(leader)
    content = client.get(f"/nominations/export/{published.pk}/?body={group.body_id}").content
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("先进集体")
        .to_python()
    )
    assert rows[3][1] == "长春市某服务中心"
    assert rows[3][6].endswith("139****5678"), rows[3][6]
    assert "13912345678" not in str(rows)
    client.force_login(cc_staff)
    content = client.get(f"/nominations/export/{published.pk}/?body={group.body_id}").content
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("先进集体")
        .to_python()
    )
    assert rows[3][6].endswith("13912345678")


def test_whole_campaign_summary_for_the_office_names_the_body(
    client, published, cc_staff, nanguan_unit, office
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="全省一")
    nominee_service.submit_nominee(cc_staff, nominee)
    client.force_login(office)
    content = client.get(f"/nominations/export/{published.pk}/?body=all").content
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("先进个人")
        .to_python()
    )
    assert rows[0][0] == "吉林省保障性安居建设工作先进个人推荐对象汇总表"
    assert rows[1][0] == "推荐单位：全部推荐单位"
    assert rows[3][1] == "全省一" and rows[3][13] == "长春市（含公主岭市）"
    assert any(str(r[0]).startswith("4.需说明事项") for r in rows)  # the notes of the form
    client.force_login(cc_staff)  # a body cannot ask for every body
    content = client.get(f"/nominations/export/{published.pk}/?body=all").content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("先进个人")
    assert rows.to_python()[1][0] == "推荐单位：长春市（含公主岭市）"


def _sheet_with(values: dict) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    header = INDIVIDUAL_COLUMNS + INDIVIDUAL_EXTRA
    for col, label in enumerate(header, start=1):
        sheet.cell(1, col, label)
        if label in values:
            sheet.cell(2, col, values[label])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_takes_what_offices_write_and_flags_what_it_cannot_read(published):
    """Issue 20: a landline with its area code is a phone; 2019.1 held as a number may be
    January or October and is flagged, never read as January; a value longer than its field
    is reported with its row and column on the check page."""
    from laurel.nominations.interfaces.spreadsheets import parse_workbook

    category = published.categories.get(kind="individual")
    rows, problems = parse_workbook(
        _sheet_with(
            {
                "姓名": "张" * 10_000,
                "联系电话": "0431-88888888",
                "参加工作时间": 2019.1,
                "从事本项工作起始时间": 2016.12,
                "出生日期": 1980.05,
            }
        ),
        published,
        category,
    )
    assert problems == []
    [row] = rows
    errors = {e.column: e.message for e in row.errors}
    assert row.values["unit_phone"] == "0431-88888888" and "联系电话" not in errors
    assert "2019年1月还是10月" in errors["参加工作时间"]
    assert row.values["field_work_since"] == datetime.date(2016, 12, 1)
    assert "不是完整日期" in errors["出生日期"]
    assert errors["姓名"] == "不能超过100个字（当前10000个字）。" and row.row == 2


def test_c15_the_summary_sheet_prints_as_the_seed_a4_landscape_form_columns_only(
    client, published, cc_staff, nanguan_unit
):
    """Issue 21: 附件6 prints on A4 landscape, its own columns fitted to the width (the
    import's supplementary columns outside the print area), the header row repeated, the
    mark 附件6 and the contact/fax footer line."""
    import zipfile

    complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    content = client.get(f"/nominations/export/{published.pk}/").content
    archive = zipfile.ZipFile(io.BytesIO(content))
    workbook_xml = archive.read("xl/workbook.xml").decode()
    assert "先进个人!$A$1:$N$" in workbook_xml  # 序号 … 备注: the 14 columns of the form
    assert "先进集体!$A$1:$H$" in workbook_xml  # the 8 of the collective form
    assert "先进个人!$3:$3" in workbook_xml and "先进集体!$3:$3" in workbook_xml
    for name in (n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")):
        sheet = archive.read(name).decode()
        assert 'orientation="landscape"' in sheet and 'paperSize="9"' in sheet
        # the mark: in the page header of the categories' sheets, in A1 of the printed 附件6
        assert 'fitToHeight="0"' in sheet and ("&amp;L附件6" in sheet or name.endswith("1.xml"))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("先进个人")
        .to_python()
    )
    assert any(
        str(r[0]).startswith("联系人单位、姓名及职务：") and "传真：" in str(r[0]) for r in rows
    )


def test_c15_the_export_opens_on_附件6_as_the_seed_prints_it_and_imports_back(
    client, published, cc_staff, nanguan_unit, cc_unit
):
    """Issue 21: the first sheet is 附件6 itself — mark, title, 推荐单位, 一、 collectives and
    二、 individuals with the form's own columns only, the notes, the contact/fax line; the
    supplementary columns stay on the categories' sheets, which an import reads."""
    complete_individual(cc_staff, published, nanguan_unit, name="冯一")
    complete_collective(cc_staff, published, cc_unit, name="长春市某窗口")
    client.force_login(cc_staff)
    content = client.get(f"/nominations/export/{published.pk}/").content
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == ["附件6", "先进集体", "先进个人"]
    rows = book.get_sheet_by_name("附件6").to_python()
    firsts = [str(r[0]) for r in rows]
    assert firsts[0] == "附件6" and firsts[1] == "推荐对象汇总表"
    assert firsts[2] == "推荐单位：长春市（含公主岭市）"
    one = firsts.index("一、吉林省保障性安居建设工作先进集体推荐对象汇总表")
    two = firsts.index("二、吉林省保障性安居建设工作先进个人推荐对象汇总表")
    assert one < two
    assert rows[one + 1][:8] == COLLECTIVE_COLUMNS
    assert rows[two + 1] == INDIVIDUAL_COLUMNS  # no supplementary column on the printed form
    assert rows[one + 2][1] == "长春市某窗口" and rows[two + 2][1] == "冯一"
    assert firsts.index(NOTES[0]) > two
    assert firsts[-1].startswith("联系人单位、姓名及职务：")
    from laurel.nominations.interfaces.spreadsheets import parse_workbook

    parsed, fatal = parse_workbook(content, published, published.categories.get(kind="individual"))
    assert fatal == [] and [p.values.get("name") for p in parsed] == ["冯一"]


def test_c15_eleven_categories_and_names_excel_would_refuse_still_export():
    """More categories than 一…十 (十一、), a category called 附件6, and two named alike:
    every sheet gets a name of its own and the export works."""
    from types import SimpleNamespace

    from laurel.core.text import chinese_ordinal
    from laurel.nominations.interfaces.spreadsheets import workbook

    assert [chinese_ordinal(n) for n in (1, 10, 11, 20, 23)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    categories = [
        SimpleNamespace(pk=n, name=f"类别{n}", kind="collective", title_on_forms=f"类别{n}")
        for n in range(1, 12)
    ]
    categories[0].name = "附件6"
    categories[1].name = categories[2].name = "先进集体/标兵"
    row = ["1", "某单位", "机关", "无", "10", "张三 主任", "张三 0431-1", ""]
    content = workbook(None, "长春市", [(c, [row]) for c in categories])
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names[:4] == ["附件6", "附件6（2）", "先进集体_标兵", "先进集体_标兵（2）"]
    assert len(set(book.sheet_names)) == 12
    firsts = [str(r[0]) for r in book.get_sheet_by_name("附件6").to_python()]
    assert "十一、类别11推荐对象汇总表" in firsts
