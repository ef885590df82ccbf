"""The summary sheet (汇总表) of registrations: template, export and import with a row-level
report. An import saves nothing unless every row is valid; rows with the same ID number merge
into one registration with several honours, and the report says so."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from laurel.core.models import CodeItem, Division
from laurel.core.spreadsheets import RowError, check_xlsx, safe_cell, workbook_bytes
from laurel.core.text import clean_cell, parse_date
from laurel.core.validators import validate_person_name, validate_resident_id
from laurel.registry import checks
from laurel.registry.models import Honour, HonourType, Kind, Level, MilitaryMerit, Person
from laurel.registry.privacy import CLASSIFIED_NAME, HIDDEN

COLUMNS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "工作单位",
    "职务",
    "户籍所在地",
    "是否离退休",
    "联系电话",
    "荣誉称号",
    "表彰类型",
    "统计类别",
    "授予机关",
    "授予时间",
    "表彰文号",
    "文件明确的待遇",
    "确认（批准）文号",
    "立功受奖情况",
    "是否涉密",
    "备注",
]
NOTES = [
    "注：1.一人获得多项表彰的，每项表彰填一行，身份证号码相同的行合并为同一人。",
    "2.“统计类别”“表彰类型”“立功受奖情况”按下拉说明填写全称。",
    "3.授予时间填写年月日（如 2015-04-28 或 2015年4月28日）。",
    "4.涉密人员须脱密处理后填报（H-6）。",
]
MAX_UPLOAD = 10 * 1024 * 1024


def template_bytes() -> bytes:
    kinds = "；".join(str(label) for _v, label in Kind.choices)
    return workbook_bytes(
        [
            (
                _("汇总表"),
                _("享受省部级以上表彰奖励获得者待遇人员汇总表"),
                COLUMNS,
                [],
            ),
            (
                _("填表说明"),
                _("填表说明"),
                [_("说明")],
                [[n] for n in NOTES] + [[_("统计类别：") + kinds]],
            ),
        ]
    )


def export_bytes(registrations, user, *, full: bool) -> bytes:
    exported = _("导出：%(user)s，%(time)s") % {
        "user": user.get_full_name() or user.get_username(),
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    names = dict(CodeItem.objects.of("ethnicity").values_list("code", "name"))
    see_classified = user.has_perm("registry.view_classified")
    rows = []
    index = 0
    for registration in registrations:
        index += 1
        for honour in registration.honours.all():
            classified = registration.classified and not see_classified
            rows.append(
                [
                    index,
                    registration.name if not classified else CLASSIFIED_NAME,
                    "" if classified else registration.get_gender_display(),
                    "" if classified else names.get(registration.ethnicity, ""),
                    ""
                    if classified
                    else registration.id_number
                    if full
                    else registration.id_masked,
                    HIDDEN if classified else registration.unit_name,
                    "" if classified else registration.position,
                    registration.household_division.full_name
                    if registration.household_division and not classified
                    else "",
                    _("是") if registration.retired else _("否"),
                    "" if classified else registration.phone if full else registration.phone_masked,
                    honour.title,
                    honour.get_honour_type_display(),
                    honour.get_kind_display(),
                    "" if classified else honour.awarding_body,
                    "" if classified else honour.awarded_on.isoformat(),
                    "" if classified else honour.document_number,
                    honour.treatment,
                    "" if classified else honour.confirmation_document,
                    honour.get_military_merit_display() if honour.military_merit else "",
                    _("是") if registration.classified else _("否"),
                    registration.get_state_display(),
                ]
            )
    return workbook_bytes(
        [
            (
                _("汇总表"),
                _("享受省部级以上表彰奖励获得者待遇人员汇总表（%s）") % exported,
                COLUMNS,
                rows,
            )
        ]
    )


@dataclass
class Parsed:
    """One person from the sheet, with every honour row that carried their ID number."""

    rows: list[int]
    id_number: str
    phone: str
    fields: dict
    honours: list[dict] = field(default_factory=list)


def _choice(choices, text):
    text = clean_cell(text)
    for value, label in choices:
        if clean_cell(str(label)) == text or value == text:
            return value
    return None


def parse(content: bytes) -> tuple[list[Parsed], list[RowError], list[str]]:
    """(people, errors, merge notes). Accepts the template's header row anywhere in the first
    ten rows."""
    check_xlsx(content)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:
        raise ValidationError(_("无法读取该文件：请上传由模板填写的 .xlsx 文件。")) from None
    header_at = next(
        (i for i, row in enumerate(rows[:10]) if "身份证号码" in [clean_cell(str(c)) for c in row]),
        None,
    )
    if header_at is None:
        raise ValidationError(_("没有找到表头行（应包含“身份证号码”等列）：请使用汇总表模板。"))
    header = [clean_cell(str(c)) for c in rows[header_at]]
    missing = [
        c
        for c in ("姓名", "身份证号码", "荣誉称号", "统计类别", "授予机关", "授予时间")
        if c not in header
    ]
    if missing:
        raise ValidationError(_("表头缺少以下列：%s。") % "、".join(missing))
    ethnicities = {
        name: code for code, name in CodeItem.objects.of("ethnicity").values_list("code", "name")
    }
    divisions = {name: d for d, name in Division.objects.full_names().items()}
    # "吉林省长春市南关区" and "长春市南关区" alike: the root division's name may lead
    roots = Division.objects.filter(level=Division.Level.PROVINCE, parent__isnull=True)
    root_names = [d.name for d in roots]
    people: dict[str, Parsed] = {}
    errors: list[RowError] = []
    for offset, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = {
            header[i]: clean_cell(str(v)) if v is not None else ""
            for i, v in enumerate(raw)
            if i < len(header)
        }
        if not cells.get("姓名") and not cells.get("身份证号码"):
            if cells.get("序号", "").startswith("注"):
                break
            continue
        if cells.get("序号", "").startswith("注"):
            break

        # Names are often padded for alignment in sheets ("王  芳"): no spaces in a name.
        cells["姓名"] = "".join(cells.get("姓名", "").split())

        def err(column, message, row=offset):
            errors.append(RowError(row, column, message))

        try:
            validate_person_name(cells["姓名"])
        except ValidationError as error:
            err("姓名", "；".join(error.messages))

        try:  # the normal form: "220102 19730404 2041" and full-width digits are one person
            id_number = validate_resident_id(cells.get("身份证号码", ""))
        except ValidationError as error:
            err("身份证号码", "；".join(error.messages))
            continue
        kind = _choice(Kind.choices, cells.get("统计类别", ""))
        if kind is None:
            err("统计类别", _("应为：%s。") % "、".join(str(label) for _v, label in Kind.choices))
        # An empty cell: the type the title names (H-3: 劳动模范 of the province…), else "other".
        implied = checks.title_type(cells.get("荣誉称号", ""), kind) or HonourType.OTHER
        honour_type = _choice(HonourType.choices, cells.get("表彰类型", "")) or (
            implied if not cells.get("表彰类型") else None
        )
        if honour_type is None:
            err(
                "表彰类型",
                _("应为：%s。") % "、".join(str(label) for _v, label in HonourType.choices),
            )
        merit = _choice(MilitaryMerit.choices, cells.get("立功受奖情况", "")) or ""
        try:
            awarded = parse_date(
                raw[header.index("授予时间")] if header.index("授予时间") < len(raw) else ""
            )
        except ValidationError:
            awarded = None
            err("授予时间", _("无法识别的日期，请写成 2015-04-28 或 2015年4月28日。"))
        if not cells.get("荣誉称号"):
            err("荣誉称号", _("不能为空。"))
        if not cells.get("授予机关"):
            err("授予机关", _("不能为空。"))
        ethnicity = ""
        if cells.get("民族"):
            ethnicity = ethnicities.get(cells["民族"]) or ethnicities.get(cells["民族"] + "族", "")
            if not ethnicity:
                err("民族", _("不是GB/T 3304中的民族名称。"))
        household = None
        if cells.get("户籍所在地"):
            place = cells["户籍所在地"]
            for root in root_names:
                place = place.removeprefix(root)
            household = divisions.get(place)
            if household is None:
                err("户籍所在地", _("请填写到县（市、区），如“长春市南关区”。"))
        if any(e.row == offset for e in errors):
            continue
        honour = {
            "title": cells["荣誉称号"],
            "kind": kind,
            "honour_type": honour_type,
            "awarding_body": cells["授予机关"],
            "document_number": cells.get("表彰文号", ""),
            "awarded_on": awarded,
            "treatment": cells.get("文件明确的待遇", ""),
            "confirmation_document": cells.get("确认（批准）文号", ""),
            "military_merit": merit,
        }
        person = people.get(id_number)
        if person is None:
            people[id_number] = Parsed(
                rows=[offset],
                id_number=id_number,
                phone=cells.get("联系电话", ""),
                fields={
                    "name": cells.get("姓名", ""),
                    "ethnicity": ethnicity,
                    "unit_name": cells.get("工作单位", ""),
                    "position": cells.get("职务", ""),
                    "household_division": household,
                    "retired": cells.get("是否离退休", "") in ("是", "离休", "退休"),
                    "classified": cells.get("是否涉密", "") == "是",
                },
                honours=[honour],
            )
        else:
            if person.fields["name"] != cells.get("姓名", ""):
                err(
                    "姓名",
                    _("与第%(row)d行身份证号码相同但姓名不同（%(name)s）。")
                    % {"row": person.rows[0], "name": person.fields["name"]},
                )
                continue
            person.rows.append(offset)
            person.honours.append(honour)
    merges = [
        _("第%(rows)s行身份证号码相同，合并为同一人（%(name)s，%(n)d项荣誉）。")
        % {"rows": "、".join(str(r) for r in p.rows), "name": p.fields["name"], "n": len(p.honours)}
        for p in people.values()
        if len(p.rows) > 1
    ]
    return list(people.values()), errors, merges


DATABASE_COLUMNS = [
    "姓名",
    "性别",
    "身份证号码",
    "工作单位",
    "所属地区",
    "荣誉称号",
    "级别",
    "类别",
    "授予机关",
    "授予时间",
    "表彰文号",
    "状态",
]


def database_export(honours, user, out) -> int:
    """Stream honours (with their people) into an .xlsx file object: one query, xlsxwriter in
    constant-memory mode, ID numbers masked, classified people de-sensitised unless the user may
    see them (the office). Returns the number of rows."""

    see_classified = user.has_perm("registry.view_classified")
    genders = {k: str(v) for k, v in Person.Gender.choices}
    levels = {k: str(v) for k, v in Level.choices}
    kinds = {k: str(v) for k, v in Kind.choices}
    statuses = {k: str(v) for k, v in Honour.Status.choices}
    divisions = {d.pk: name for d, name in Division.objects.full_names().items()}
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("表彰人员"))
    stamp = _("导出：%(user)s，%(time)s") % {
        "user": user.get_full_name() or user.get_username(),
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    sheet.write_string(0, 0, _("表彰人员数据库（%s）") % stamp)
    sheet.write_row(2, 0, DATABASE_COLUMNS)
    rows = honours.values_list(
        "person__name",
        "person__gender",
        "person__id_masked",
        "person__unit_name",
        "person__division_id",
        "person__classified",
        "title",
        "level",
        "kind",
        "awarding_body",
        "awarded_on",
        "document_number",
        "status",
    ).order_by("person__name", "person_id", "awarded_on")
    index = 3
    for (
        name,
        gender,
        id_masked,
        unit,
        division,
        classified,
        title,
        level,
        kind,
        body,
        awarded,
        number,
        status,
    ) in rows.iterator(chunk_size=5000):
        if classified and not see_classified:  # nothing that narrows the person down
            name, id_masked, unit, gender, division = CLASSIFIED_NAME, "", HIDDEN, None, None
            body, awarded, number = "", None, ""
        sheet.write_row(
            index,
            0,
            (
                safe_cell(name),
                genders.get(gender, ""),
                id_masked,
                safe_cell(unit),
                divisions.get(division, ""),
                safe_cell(title),
                levels.get(level, level),
                kinds.get(kind, kind),
                safe_cell(body),
                awarded.isoformat() if awarded else "",
                safe_cell(number),
                statuses.get(status, status),
            ),
        )
        index += 1
    book.close()
    return index - 3
