"""Units from a spreadsheet (issue 20): the template to fill in and the parse of a filled one,
each bad cell reported by row and column. Saving is the service's (all or nothing)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from laurel.core.models import Division
from laurel.core.spreadsheets import RowError, read_table, template_bytes
from laurel.core.text import clean_cell
from laurel.orgs.models import Unit, UnitFunction

COLUMNS = (
    "单位全称",
    "简称",
    "上级主管单位",
    "所属行政区划代码",
    "隶属关系",
    "单位性质",
    "所有制类型",
    "行政级别",
    "统一社会信用代码",
    "职能",
)
REQUIRED = ("单位全称", "所属行政区划代码", "隶属关系", "单位性质")


def template() -> bytes:
    return template_bytes(
        _("单位导入模板"),
        COLUMNS,
        (
            _("注：1.必填：单位全称、所属行政区划代码（如220102）、隶属关系、单位性质。"),
            _("注：2.上级主管单位填已在系统中或本表中靠前一行的单位全称。"),
            _(
                "注：3.单位性质、隶属关系、行政级别、所有制类型填系统中的名称；"
                "职能可填多个，用“、”分隔。"
            ),
            _("注：4.全部行无误才导入，任何一行有误则都不导入，并逐行列出问题。"),
        ),
    )


def _by_label(choices, text: str):
    for value, label in choices:
        if clean_cell(str(label)) == clean_cell(text):  # （） and () alike
            return value
    return None


def parse(content: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """(row number, fields for ``create_unit`` with ``functions``) for every row, or the
    errors of every bad cell. A parent may be a unit of an earlier row (given by name)."""
    rows, problems = read_table(content, COLUMNS, REQUIRED)
    if problems:
        return [], problems
    known = set(Unit.objects.values_list("name", flat=True))
    earlier: set[str] = set()
    parsed, errors = [], []
    function_labels = {
        clean_cell(str(label)): value for value, label in UnitFunction.Function.choices
    }
    for number, cells in rows:

        def error(column, message, number=number):
            errors.append(RowError(number, column, message))

        name = cells.get("单位全称", "")
        fields: dict = {"name": name, "short_name": cells.get("简称", "")}
        if not name:
            error("单位全称", _("不能为空。"))
        elif len(name) > 100:
            error("单位全称", _("不能超过100个字（当前%d个字）。") % len(name))
        elif name in known or name in earlier:
            error("单位全称", _("系统中或本表前面已有同名单位。"))
        if len(fields["short_name"]) > 40:
            error("简称", _("不能超过40个字。"))
        parent = cells.get("上级主管单位", "")
        if parent:
            if parent in earlier:
                fields["parent_name"] = parent
            elif parent in known:
                fields["parent"] = Unit.objects.get(name=parent)
            else:
                error("上级主管单位", _("没有名为“%s”的单位。") % parent)
        code = clean_cell(cells.get("所属行政区划代码", ""))
        division = Division.objects.filter(code=code).first() if code else None
        if division is None:
            error("所属行政区划代码", _("“%s”不是行政区划代码（如220102）。") % code)
        fields["division"] = division
        for column, key, choices, needed in (
            ("单位性质", "kind", Unit.Kind.choices, True),
            ("隶属关系", "tier", Unit.Tier.choices, True),
            ("行政级别", "admin_level", Unit.AdminLevel.choices, False),
            ("所有制类型", "ownership", Unit.Ownership.choices, False),
        ):
            text = cells.get(column, "")
            if not text:
                if needed:
                    error(column, _("不能为空。"))
                continue
            value = _by_label(choices, text)
            if value is None:
                error(column, _("应为：%s。") % "、".join(str(label) for _v, label in choices))
            else:
                fields[key] = value
        fields["uscc"] = cells.get("统一社会信用代码", "")
        functions = []
        for label in filter(None, (p.strip() for p in cells.get("职能", "").split("、"))):
            if clean_cell(label) in function_labels:
                functions.append(function_labels[clean_cell(label)])
            else:
                error("职能", _("没有“%s”这种职能。") % label)
        fields["functions"] = functions
        if name:
            earlier.add(name)
        parsed.append((number, fields))
    return ([], errors) if errors else (parsed, [])
