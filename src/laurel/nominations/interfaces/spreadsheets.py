"""附件6 spreadsheets: the import template, parsing an import with a row-by-row report, and the
body's summary sheet. Reading uses python-calamine; writing uses xlsxwriter."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from laurel.core.models import CodeItem
from laurel.core.spreadsheets import RowError, check_xlsx, safe_cell
from laurel.core.spreadsheets import sheet_name as clean_sheet_name
from laurel.core.text import chinese_ordinal, clean_cell, parse_date, parse_year_month
from laurel.core.validators import (
    resident_id_mismatches,
    validate_native_place,
    validate_person_name,
    validate_phone,
    validate_resident_id,
)
from laurel.nominations.models import Nominee
from laurel.orgs.models import Unit

INDIVIDUAL_COLUMNS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "政治面貌",
    "工作单位",
    "单位性质",
    "职务",
    "行政级别",
    "职称",
    "身份证号",
    "联系电话",
    "通讯地址",
    "备注",
]


INDIVIDUAL_EXTRA = [
    "出生日期",
    "籍贯",
    "参加工作时间",
    "从事本项工作起始时间",
    "编制性质",
    "工作单位隶属关系",
    "学历",
]


COLLECTIVE_COLUMNS = [
    "序号",
    "先进集体名称",
    "集体性质",
    "集体级别",
    "集体人数",
    "集体负责人姓名及职务",
    "联系人及电话",
    "备注",
]


NOTES = [
    "注：1.集体性质、单位性质填写“机关”“参公单位”“事业单位”“社会组织”“企业”“其他”。",
    "2.单位级别指行政级别或参照级别，无行政级别的填无。",
    "3.工作单位填写全称，填写职务应体现出具体工作的部门、内设处（科）室、班（组）等信息。",
    "4.需说明事项请在备注栏中注明。",
]


MAX_UPLOAD = 10 * 1024 * 1024


POLITICAL_ALIASES = {
    "中共党员": "01",
    "党员": "01",
    "预备党员": "02",
    "中共预备党员": "02",
    "共青团员": "03",
    "团员": "03",
    "群众": "13",
    "无党派": "12",
}


def _columns(kind: str) -> list[str]:
    return INDIVIDUAL_COLUMNS + INDIVIDUAL_EXTRA if kind == "individual" else COLLECTIVE_COLUMNS


def _write_sheet(book, sheet_name, title, body_name, kind, rows):
    sheet = book.add_worksheet(clean_sheet_name(sheet_name))
    bold = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#F0F1F3",
        }
    )
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    extra_head = book.add_format(
        {"bold": True, "border": 1, "align": "center", "text_wrap": True, "bg_color": "#FFF3E0"}
    )
    columns = _columns(kind)
    printed = len(INDIVIDUAL_COLUMNS if kind == "individual" else COLLECTIVE_COLUMNS)
    sheet.merge_range(0, 0, 0, printed - 1, title, bold)
    sheet.write_string(1, 0, _("推荐单位：%s") % body_name)
    sheet.write_string(1, max(printed - 4, 1), _("填表日期：    年   月   日"))
    for col, label in enumerate(columns):
        is_extra = kind == "individual" and label in INDIVIDUAL_EXTRA
        sheet.write_string(2, col, label, extra_head if is_extra else head)
        sheet.set_column(
            col,
            col,
            6
            if label == "序号"
            else (20 if label in ("工作单位", "身份证号", "先进集体名称", "通讯地址") else 12),
        )
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            sheet.write_string(r, col, "" if value is None else str(safe_cell(value)), cell)
    last = 3 + max(len(rows), 2)
    for offset, note in enumerate(NOTES):
        sheet.write_string(last + 1 + offset, 0, note)
    footer = last + 1 + len(NOTES)
    contact = _("联系人单位、姓名及职务：            联系电话：            传真：")
    sheet.write_string(footer, 0, contact)
    if kind == "individual":
        sheet.write_string(
            footer + 1,
            0,
            _("橙色表头的列为补充信息（系统导入所需），不属于附件6原表，不打印。"),
        )
    sheet.freeze_panes(3, 2)
    # Printed as the seed prints it: A4 landscape, the form's columns fitted to the width
    # (Laurel's supplementary columns outside the print area), the header repeated on each page,
    # the mark 附件6 in the page header.
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.6)
    sheet.print_area(0, 0, footer, printed - 1)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.set_header("&L附件6")
    sheet.set_footer("&C— &P —")


PRINT_SHEET = "附件6"


def _write_print_sheet(book, body_name, sheets) -> None:
    """附件6 as the seed prints it, on one sheet: the mark, the title, 推荐单位 and 填表日期,
    then one section per category (一、… 二、…) with the form's own columns, the notes and the
    contact/fax line; A4 landscape, fitted to the width. Laurel's supplementary columns stay on
    the categories' own sheets (which the import reads)."""
    sheet = book.add_worksheet(PRINT_SHEET)
    mark = book.add_format({"font_size": 14, "bold": True})
    title = book.add_format({"bold": True, "font_size": 18, "align": "center"})
    section = book.add_format({"bold": True, "font_size": 12})
    head = book.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    width = len(INDIVIDUAL_COLUMNS)
    sheet.write_string(0, 0, "附件6", mark)
    sheet.merge_range(1, 0, 1, width - 1, _("推荐对象汇总表"), title)
    sheet.write_string(2, 0, _("推荐单位：%s") % body_name)
    sheet.write_string(2, width - 4, _("填表日期：    年   月   日"))
    row = 4
    for number, (category, rows) in enumerate(sheets):
        columns = INDIVIDUAL_COLUMNS if category.kind == "individual" else COLLECTIVE_COLUMNS
        sheet.write_string(
            row,
            0,
            f"{chinese_ordinal(number + 1)}、" + _("%s推荐对象汇总表") % category.title_on_forms,
            section,
        )
        row += 1
        for col, label in enumerate(columns):
            sheet.write_string(row, col, label, head)
        row += 1
        filled = [list(r)[: len(columns)] for r in rows] or [
            [str(n)] + [""] * (len(columns) - 1) for n in (1, 2)
        ]
        for values in filled:
            for col, value in enumerate(values):
                sheet.write_string(row, col, "" if value is None else str(safe_cell(value)), cell)
            row += 1
        row += 1
    for note in NOTES:
        sheet.write_string(row, 0, note)
        row += 1
    sheet.write_string(
        row, 0, _("联系人单位、姓名及职务：            联系电话：            传真：")
    )
    for col, label in enumerate(INDIVIDUAL_COLUMNS):
        sheet.set_column(col, col, 5 if label == "序号" else (18 if label in _WIDE else 10))
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_area(0, 0, row, width - 1)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C— &P —")
    sheet.activate()


_WIDE = ("工作单位", "身份证号", "先进集体名称", "通讯地址", "集体负责人姓名及职务")


def category_sheet_name(category, sheets) -> str:
    """The category's own sheet: its name as Excel accepts it, made unique against the printed
    附件6 and the other categories (two names alike in their first 31 characters)."""
    taken = {PRINT_SHEET}
    for other, _rows in sheets:
        name = clean_sheet_name(other.name)
        base, number = name, 2
        while name in taken:
            suffix = f"（{number}）"
            name = base[: 31 - len(suffix)] + suffix
            number += 1
        if other.pk == category.pk:
            return name
        taken.add(name)
    return clean_sheet_name(category.name)


def workbook(campaign, body_name, sheets) -> bytes:
    """The summary sheet: when it has rows, first 附件6 as printed (one sheet, every category),
    then one sheet per category with Laurel's supplementary columns (the import template is
    those sheets alone)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    if any(rows for _category, rows in sheets):
        _write_print_sheet(book, body_name, sheets)
    for category, rows in sheets:
        title = _("%s推荐对象汇总表") % category.title_on_forms
        _write_sheet(
            book, category_sheet_name(category, sheets), title, body_name, category.kind, rows
        )
    book.close()
    return buffer.getvalue()


@dataclass
class ParsedRow:
    row: int
    values: dict
    errors: list[RowError] = field(default_factory=list)


def _header_key(value) -> str:
    return re.sub(r"\s+", "", clean_cell(value))


def _find_header(rows, kind: str):
    wanted = "姓名" if kind == "individual" else "先进集体名称"
    for index, row in enumerate(rows[:20]):
        keys = [_header_key(v) for v in row]
        if wanted in keys:
            return index, {key: col for col, key in enumerate(keys) if key}
    return None, {}


def _by_label(choices, text):
    for value, label in choices:
        if clean_cell(str(label)) == clean_cell(text):  # （） and () alike
            return value
    return None


def _parse_individual(get, add_error, category_unit_choices):
    values = {}
    values["name"] = get("姓名")
    if not values["name"]:
        add_error("姓名", _("姓名不能为空。"))
    else:
        try:
            validate_person_name(values["name"])
        except ValidationError as error:
            add_error("姓名", "；".join(error.messages))
    gender = get("性别")
    if gender:
        values["gender"] = {"男": "1", "女": "2"}.get(gender, "")
        if not values["gender"]:
            add_error("性别", _("应为“男”或“女”。"))
    ethnicity = get("民族")
    if ethnicity:
        names = {i.name: i.code for i in CodeItem.objects.of("ethnicity")}
        code = names.get(ethnicity) or names.get(f"{ethnicity}族")
        if code:
            values["ethnicity"] = code
        else:
            add_error("民族", _("“%s”不是民族代码表中的名称。") % ethnicity)
    status = get("政治面貌")
    if status:
        names = {i.name: i.code for i in CodeItem.objects.of("political_status")}
        code = names.get(status) or POLITICAL_ALIASES.get(status)
        if code:
            values["political_status"] = code
        else:
            add_error("政治面貌", _("“%s”不是政治面貌代码表中的名称。") % status)
    values["work_unit_name"] = get("工作单位")
    values["position_rank"] = get("职务")
    values["professional_title"] = get("职称")
    values["unit_address"] = get("通讯地址")
    for column, key, choices in (
        ("单位性质", "unit_nature", Nominee.UnitNature.choices),
        ("行政级别", "admin_level", Unit.AdminLevel.choices),
        ("编制性质", "staffing_type", Nominee.StaffingType.choices),
        ("工作单位隶属关系", "unit_affiliation", Unit.Tier.choices),
    ):
        text = get(column)
        if not text:
            continue
        if column == "行政级别" and text in ("正处", "副处", "正科", "副科", "正厅", "副厅"):
            text += "级"
        value = _by_label(choices, text)
        if value is None:
            add_error(column, _("应为：%s。") % "、".join(str(label) for _v, label in choices))
        else:
            values[key] = value
    education = get("学历")
    if education:
        names = {i.name: i.code for i in CodeItem.objects.of("education")}
        if education in names:
            values["education"] = names[education]
        else:
            add_error("学历", _("“%s”不是学历代码表中的名称。") % education)
    id_text = get("身份证号")
    if id_text:
        try:
            values["id_number"] = validate_resident_id(id_text)
        except ValidationError as error:
            add_error("身份证号", error.messages[0])
    phone = get("联系电话")
    if phone:
        # Offices write the desk phone with its area code (0431-…) as often as a mobile: a
        # mobile is the personal phone, a landline the work unit's.
        try:
            number = validate_phone(phone)
        except ValidationError as error:
            add_error("联系电话", error.messages[0])
        else:
            values["mobile" if number.startswith("1") else "unit_phone"] = number
    native = get("籍贯")
    if native:
        try:
            values["native_place"] = validate_native_place(native)
        except ValidationError as error:
            add_error("籍贯", error.messages[0])
    raw_birth = get("出生日期", raw=True)
    if raw_birth not in (None, ""):
        try:
            values["birth_date"] = parse_date(raw_birth)
        except ValidationError as error:
            add_error("出生日期", error.messages[0])
    for column, key in (
        ("参加工作时间", "work_start"),
        ("从事本项工作起始时间", "field_work_since"),
    ):
        raw = get(column, raw=True)
        if raw not in (None, ""):
            try:
                values[key] = parse_year_month(raw)
            except ValidationError as error:
                add_error(column, error.messages[0])
    if values.get("id_number"):
        for problem in resident_id_mismatches(
            values["id_number"], values.get("birth_date"), values.get("gender")
        ):
            add_error("身份证号", problem)
    return values


def _parse_collective(get, add_error, _choices):
    values = {"name": get("先进集体名称")}
    if not values["name"]:
        add_error("先进集体名称", _("名称不能为空。"))
    values["is_temporary"] = values["name"].endswith("（临时集体）")
    for column, key, choices in (
        ("集体性质", "collective_type", Unit.Kind.choices),
        ("集体级别", "admin_level", Unit.AdminLevel.choices),
    ):
        text = get(column)
        if text:
            value = _by_label(choices, text)
            if value is None:
                add_error(column, _("应为：%s。") % "、".join(str(label) for _v, label in choices))
            else:
                values[key] = value
    count = clean_cell(get("集体人数"))
    if count:
        if count.isdigit():
            values["member_count"] = int(count)
        else:
            add_error("集体人数", _("应为整数。"))
    leader = get("集体负责人姓名及职务")
    if leader:
        parts = re.split(r"[\s,，、]+", leader, maxsplit=1)
        values["leader_name"] = parts[0]
        values["leader_unit_position"] = parts[1] if len(parts) > 1 else ""
    contact = get("联系人及电话")
    if contact:
        number = re.search(r"(0\d{2,3}-?\d{7,8}|1\d{10})", clean_cell(contact).replace(" ", ""))
        if number:
            try:
                values["leader_phone"] = validate_phone(number.group(1))
            except ValidationError as error:
                add_error("联系人及电话", error.messages[0])
        else:
            add_error("联系人及电话", _("没有找到电话号码。"))
    return values


def _check_lengths(item: ParsedRow, columns: dict, cells: list) -> None:
    """A value longer than its field is reported with its row and column here, on the check
    page — not by the save, whose message names neither (issue 20)."""
    for key, value in list(item.values.items()):
        if not isinstance(value, str) or not value:
            continue
        limit = getattr(Nominee._meta.get_field(key), "max_length", None)
        if limit is None or len(value) <= limit:
            continue
        column = next(
            (name for name, col in columns.items() if col < len(cells) and value in cells[col]),
            str(Nominee._meta.get_field(key).verbose_name),
        )
        item.errors.append(
            RowError(
                item.row,
                column,
                _("不能超过%(limit)d个字（当前%(length)d个字）。")
                % {"limit": limit, "length": len(value)},
            )
        )
        del item.values[key]


def parse_workbook(content: bytes, campaign, category) -> tuple[list[ParsedRow], list[RowError]]:
    """Every data row of the first sheet whose header matches the category's form."""
    try:
        check_xlsx(content)
    except ValidationError as problem:
        return [], [RowError(0, _("文件"), "；".join(problem.messages))]
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception:  # calamine raises its own error types for anything that is not a workbook
        return [], [RowError(0, _("文件"), _("无法读取：请上传由模板填写的 .xlsx 文件。"))]
    kind = category.kind
    own = clean_sheet_name(category.name)  # the category's own sheet first: two individual
    names = sorted(book.sheet_names, key=lambda n: n != own)  # categories share a header
    for name in names:
        if name == PRINT_SHEET:  # the printed form: the categories' own sheets carry the data
            continue
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        header_index, columns = _find_header(rows, kind)
        if header_index is not None:
            break
    else:
        wanted = "姓名" if kind == "individual" else "先进集体名称"
        return [], [
            RowError(0, _("表头"), _("没有找到含“%s”列的表头，请使用下载的模板。") % wanted)
        ]
    parser = _parse_individual if kind == "individual" else _parse_collective
    parsed, seen_ids = [], {}
    existing = set(
        Nominee.objects.filter(campaign=campaign)
        .exclude(id_number="")
        .exclude(state=Nominee.State.WITHDRAWN)
        .values_list("id_number", flat=True)
    )
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [clean_cell(v, fold=False) for v in row]
        if not any(cells):
            continue
        first = next((c for c in cells if c), "")
        if first.startswith(("注", "2.", "3.", "4.", "橙色", "联系人单位")):
            continue
        item = ParsedRow(offset, {})

        def get(column, raw=False, row=row, cells=cells):
            col = columns.get(column)
            if col is None or col >= len(row):
                return None if raw else ""
            return row[col] if raw else cells[col]

        def add_error(column, message, item=item):
            item.errors.append(RowError(item.row, column, message))

        item.values = parser(get, add_error, None)
        _check_lengths(item, columns, cells)
        id_number = item.values.get("id_number")
        if id_number:
            if id_number in seen_ids:
                add_error("身份证号", _("与第%d行的身份证号重复。") % seen_ids[id_number])
            elif id_number in existing:
                add_error("身份证号", _("此人已是本活动的推荐对象。"))
            seen_ids.setdefault(id_number, offset)
        parsed.append(item)
    if not parsed:
        return [], [RowError(header_index + 2, _("数据"), _("表头下没有数据行。"))]
    return parsed, []
