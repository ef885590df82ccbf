"""The summary sheet: a messy import gives the expected people, honours, merges and errors,
and nothing is saved unless every row is valid."""

import io

import openpyxl
import pytest

from laurel.registry.interfaces import spreadsheets
from laurel.registry.models import Person, Registration
from tests.registry.conftest import file_through, new_id, register

pytestmark = pytest.mark.django_db


def _sheet(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["享受省部级以上表彰奖励获得者待遇人员汇总表"])
    sheet.append([])
    sheet.append(spreadsheets.COLUMNS)
    for row in rows:
        sheet.append(row)
    sheet.append(["注：1.一人获得多项表彰的，每项表彰填一行"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(
    index,
    name,
    id_number,
    title,
    kind="省部级：省委、省政府表彰并明确享受省级待遇",
    date="2015-04-28",
    **extra,
):
    values = {
        "序号": index,
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "身份证号码": id_number,
        "工作单位": "南关区实验小学",
        "职务": "教师",
        "户籍所在地": "长春市南关区",
        "是否离退休": "否",
        "联系电话": "13912345678",
        "荣誉称号": title,
        "表彰类型": "劳动模范（先进工作者）",
        "统计类别": kind,
        "授予机关": "中共吉林省委、吉林省人民政府",
        "授予时间": date,
        "表彰文号": "吉发〔2015〕10号",
        "文件明确的待遇": "享受省级劳动模范待遇",
        "确认（批准）文号": "",
        "立功受奖情况": "",
        "是否涉密": "否",
        "备注": "",
    }
    values.update(extra)
    return [values[c] for c in spreadsheets.COLUMNS]


def test_messy_sheet_reports_every_bad_row_and_merges_duplicates(area, drive):
    same = new_id()
    content = _sheet(
        [
            _row(1, " 王  芳 ", same, "吉林省劳动模范"),
            _row(2, "王芳", same, "吉林省五一劳动奖章", date="2019年4月30日"),
            _row(3, "李强", "220102196203041230", "吉林省劳动模范"),  # bad check digit
            _row(4, "赵敏", new_id(), "吉林省劳动模范", kind="市级表彰"),
            _row(5, "钱进", new_id(), "吉林省劳动模范", date="去年"),
            _row(6, "孙丽", new_id(), "吉林省劳动模范", 民族="火星族"),
            _row(
                7,
                "周涛",
                new_id(),
                "",
            ),
            _row(8, "王芳芳", same, "吉林省先进工作者"),  # same ID, another name
        ]
    )
    people, errors, merges = spreadsheets.parse(content)
    by_row = {(e.row, e.column) for e in errors}
    assert (6, "身份证号码") in by_row
    assert (7, "统计类别") in by_row
    assert (8, "授予时间") in by_row
    assert (9, "民族") in by_row
    assert (10, "荣誉称号") in by_row
    assert (11, "姓名") in by_row
    assert "第4、5行身份证号码相同，合并为同一人（王芳，2项荣誉）。" in merges
    assert str(errors[0]).startswith("第6行“身份证号码”：")
    wang = next(p for p in people if p.id_number == same)
    assert wang.fields["name"] == "王芳" and len(wang.honours) == 2  # spaces cleaned
    assert Registration.objects.count() == 0


def test_import_through_the_page_checks_then_saves_all_or_nothing(client, area, drive):
    good = _sheet(
        [_row(1, "王芳", new_id(), "吉林省劳动模范"), _row(2, "李强", new_id(), "吉林省劳动模范")]
    )
    client.force_login(area.school_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(content, **extra):
        return client.post(
            "/registry/registrations/import/",
            {"file": SimpleUploadedFile("汇总表.xlsx", content), **extra},
        )

    response = upload(good)
    assert "共2人，可以导入" in response.content.decode()
    assert Registration.objects.count() == 0  # checked, not yet saved
    token = response.context["report"]["token"]
    response = upload(good, confirm=token)
    assert response.status_code == 302
    assert set(Registration.objects.values_list("name", flat=True)) == {"王芳", "李强"}
    bad = _sheet([_row(1, "新人", new_id(), "吉林省劳动模范"), _row(2, "坏行", "123", "x")])
    response = upload(bad, confirm="whatever")
    assert "未导入任何数据" in response.content.decode()
    assert Registration.objects.count() == 2
    response = upload(b"not a spreadsheet")
    assert "无法读取该文件" in response.content.decode()


def test_summary_export_masks_and_names_the_exporter(client, area, drive):
    from tests.registry.conftest import register

    registration = register(area, drive)
    client.force_login(area.school_user)
    content = client.get("/registry/registrations/summary.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert "导出：" in sheet["A1"].value
    assert sheet["E4"].value == registration.id_masked and registration.id_number not in str(
        [c.value for c in sheet[4]]
    )
    from laurel.core.models import AuditLog

    assert not AuditLog.objects.filter(action="view").exists()  # masked: nothing unmasked
    client.force_login(area.office)  # the office exports in full, and that is logged
    content = client.get("/registry/registrations/summary.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["E4"].value == registration.id_number
    row = AuditLog.objects.get(action="view", object_id="export")
    assert row.actor == area.office and "（1条）" in row.object_repr


def test_bulk_import_into_the_database_merges_dedupes_and_refuses_any_bad_row(client, area):
    from laurel.core.models import AuditLog
    from laurel.registry.models import Honour, Person
    from laurel.registry.services import bulk

    same = new_id()
    rows = [
        _row(1, "王芳", same, "吉林省劳动模范"),
        _row(2, "王 芳", same, "吉林省五一劳动奖章", date="2019年4月30日"),
        _row(3, "李强", new_id(), "吉林省劳动模范"),
    ]
    bad = bulk.import_database(area.office, _sheet([*rows, _row(4, "坏", "123", "x")]))
    assert bad.error_count == 1 and bad.errors[0].startswith("第7行“身份证号码”")
    assert not Person.objects.exists()
    result = bulk.import_database(area.office, _sheet(rows))
    assert (result.people_new, result.people_updated, result.honours_added, result.merged_rows) == (
        2,
        0,
        3,
        1,
    )
    wang = Person.objects.by_id_number(same).get()
    assert wang.honours.count() == 2 and wang.id_number == same
    assert wang.division.code == "220102"  # by household registration: the county sees them
    again = bulk.import_database(
        area.office,
        _sheet(
            [
                *rows,
                _row(
                    4,
                    "王芳",
                    same,
                    "全国劳动模范",
                    kind="国家级：2018年以前明确享受全国劳动模范（先进工作者）待遇",
                    date="2010-04-27",
                ),
            ]
        ),
    )
    assert (again.people_new, again.people_updated, again.honours_added) == (0, 2, 1)
    assert Honour.objects.count() == 4
    assert AuditLog.objects.filter(object_id="bulk").count() == 2
    client.force_login(area.school_user)
    assert client.get("/registry/import/").status_code == 403


def test_h6_the_office_import_fills_only_the_cells_a_row_gives_and_never_declassifies(area, drive):
    """A person the database holds (filed through a registration: classified, a phone, a unit
    in 南关区) named again by the office's import with empty cells keeps what is filed; another
    name, or a person filed as deceased, is reported by row and nothing is written."""
    from laurel.registry.models import Honour
    from laurel.registry.services import bulk

    number = new_id()
    filed = file_through(
        area, register(area, drive, id_number=number, name="赵海", classified=True, position="")
    )
    person = Person.objects.by_id_number(number).get()
    assert filed.state == "filed" and person.classified and person.phone == "13912345678"
    division, unit_name = person.division_id, person.unit_name
    blank = {c: "" for c in ("民族", "工作单位", "职务", "户籍所在地", "是否离退休", "联系电话")}
    row = _row(1, "赵海", number, "吉林省五一劳动奖章", date="2019-04-30", 是否涉密="", **blank)

    renamed = bulk.import_database(area.office, _sheet([_row(1, "赵海涛", number, "x称号")]))
    assert renamed.error_count == 1 and renamed.errors[0].startswith("第4行“姓名”：与省级数据库")
    assert "赵海" not in renamed.errors[0]  # a classified name is not echoed either

    result = bulk.import_database(area.office, _sheet([row]))
    assert (result.error_count, result.people_updated, result.honours_added) == (0, 1, 1)
    person.refresh_from_db()
    assert person.classified  # an empty 是否涉密 does not lower it (H-6)
    assert person.phone == "13912345678" and person.division_id == division
    assert person.unit_name == unit_name and person.household_division_id is None
    added = person.honours.get(title="吉林省五一劳动奖章")
    assert added.origin == Honour.Origin.IMPORT
    assert person.honours.get(title="吉林省劳动模范").origin == Honour.Origin.REGISTRATION

    # even a 否 does not declassify: the office lowers it on the person's page, which is logged
    bulk.import_database(area.office, _sheet([_row(1, "赵海", number, "另一称号", 是否涉密="否")]))
    person.refresh_from_db()
    assert person.classified

    person.living = False
    person.save()
    dead = bulk.import_database(area.office, _sheet([_row(1, "赵海", number, "又一称号")]))
    assert dead.error_count == 1 and "已登记为去世" in dead.errors[0]
    assert not person.honours.filter(title="又一称号").exists()


def test_h1_the_office_import_refuses_rows_a_registration_could_not_file(area):
    """The import runs the H-1 checks of a registration on every row, naming the column."""
    from laurel.registry.models import Person as Filed
    from laurel.registry.services import bulk

    veteran = "省部级：服役期间立一等功或获授荣誉称号的退役军人"
    result = bulk.import_database(
        area.office,
        _sheet(
            [
                _row(1, "甲", new_id(), "吉林省劳动模范", 文件明确的待遇=""),
                _row(2, "乙", new_id(), "二等功", kind=veteran, 文件明确的待遇="", 立功受奖情况=""),
                _row(3, "丙", new_id(), "吉林省劳动模范", date="2099-04-28"),
                _row(
                    4,
                    "丁",
                    new_id(),
                    "全国劳动模范",
                    kind="国家级：2018年以前明确享受全国劳动模范（先进工作者）待遇",
                    date="2020-04-27",
                ),
                _row(5, "戊", new_id(), "吉林省劳动模范"),
            ]
        ),
    )
    assert result.error_count == 4, result.errors
    assert result.errors[0].startswith("第4行“文件明确的待遇”：")
    assert result.errors[1].startswith("第5行“立功受奖情况”：")
    assert result.errors[2].startswith("第6行“授予时间”：")
    assert result.errors[3].startswith("第7行“统计类别”：")
    assert not Filed.objects.exists()  # nothing written, not even 戊


def test_h6_an_id_spelled_with_spaces_or_full_width_is_one_person(area, drive):
    """Issue 19: the sheet kept "220102 19730404 2041" as typed; the clean number then registered
    the same person again without a duplicate warning, and exact search found neither."""
    same = new_id()
    spaced = f"{same[:6]} {same[6:14]} {same[14:]}"
    wide = "".join(chr(ord(c) + 0xFEE0) for c in same)
    content = _sheet(
        [
            _row(1, "王芳", spaced, "吉林省劳动模范"),
            _row(2, "王芳", wide, "吉林省五一劳动奖章"),
            _row(3, "李\u202e强", new_id(), "吉林省劳动模范"),
        ]
    )
    people, errors, merges = spreadsheets.parse(content)
    assert [p.id_number for p in people] == [same]
    assert "第4、5行身份证号码相同，合并为同一人（王芳，2项荣誉）。" in merges
    assert [(e.row, e.column) for e in errors] == [(6, "姓名")]
    assert "U+202E" in errors[0].message


def test_h6_the_registry_form_checks_gender_against_the_id_and_stores_the_clean_number(area, drive):
    from django.core.exceptions import ValidationError

    from laurel.registry import queries

    male = new_id(gender="1")
    with pytest.raises(ValidationError) as error:
        register(area, drive, id_number=male, gender="2")
    assert "性别与公民身份号码不一致" in str(error.value.message_dict["gender"])
    wide = "".join(chr(ord(c) + 0xFEE0) for c in male)
    registration = register(area, drive, id_number=wide)
    assert registration.id_number == male and registration.gender == "1"
    file_through(area, registration)
    spaced = f"{male[:6]} {male[6:14]}-{male[14:].lower()}"
    for spelling in (wide, spaced):
        found = queries.search_people(Person.objects.all(), id_number=spelling)
        assert [p.id_number for p in found] == [male], spelling


def test_h2_the_household_place_may_lead_with_the_provinces_own_name(area, drive):
    """“吉林省长春市南关区” and “长春市南关区” are one place; the leading name is the root
    division's, whatever province the reference data describes (no province in the code)."""
    from laurel.core.models import Division

    def household(place):
        people, errors, _merges = spreadsheets.parse(
            _sheet([_row(1, "王芳", new_id(), "吉林省劳动模范", 户籍所在地=place)])
        )
        assert [str(e) for e in errors] == []
        return people[0].fields["household_division"].code

    assert household("长春市南关区") == household("吉林省长春市南关区") == "220102"
    Division.objects.filter(code="220000").update(name="某某省")
    assert household("某某省长春市南关区") == "220102"


def test_h3_an_older_sheet_without_the_type_takes_it_from_the_title(area):
    """Review: an empty 表彰类型 cell was "other", which the H-3 title check then refused for
    every model worker of an older sheet, naming the wrong column. The title names the type;
    a typed cell that contradicts the title is refused under 表彰类型."""
    from laurel.registry.models import Honour
    from laurel.registry.services import bulk

    sheet = _sheet([_row(1, "甲", new_id(), "吉林省劳动模范", 表彰类型="")])
    result = bulk.import_database(area.office, sheet)
    assert result.error_count == 0, result.errors
    assert Honour.objects.get(title="吉林省劳动模范").honour_type == "model_worker"
    sheet = _sheet([_row(1, "乙", new_id(), "吉林省优秀共产党员", 表彰类型="其他表彰")])
    result = bulk.import_database(area.office, sheet)
    assert result.error_count == 1 and result.errors[0].startswith("第4行“表彰类型”："), (
        result.errors
    )


def test_h3_a_units_summary_without_the_type_takes_it_from_the_title(area, drive):
    """As the office's import: a unit's 汇总表 with an empty 表彰类型 registers a provincial
    劳动模范 as a model worker (reviewed with the trade union), not as "other"."""
    content = _sheet(
        [
            _row(1, "王芳", new_id(), "吉林省劳动模范", 表彰类型=""),
            _row(2, "李强", new_id(), "吉林省五一劳动奖章", 表彰类型=""),
        ]
    )
    people, errors, _merges = spreadsheets.parse(content)
    assert errors == []
    types = {p.fields["name"]: p.honours[0]["honour_type"] for p in people}
    assert types == {"王芳": "model_worker", "李强": "other"}
