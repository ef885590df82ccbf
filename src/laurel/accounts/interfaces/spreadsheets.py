"""Users from a spreadsheet (issue 20): the template and the parse of a filled one, each bad
cell reported by row and column. Saving is the service's (all or nothing)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from laurel.accounts.models import User
from laurel.core.roles import Role
from laurel.core.spreadsheets import RowError, read_table, template_bytes
from laurel.core.text import clean_cell
from laurel.core.validators import validate_phone
from laurel.orgs.models import Unit

COLUMNS = ("用户名", "姓名", "单位全称", "职务", "联系电话", "电子邮箱", "角色")
REQUIRED = ("用户名", "姓名", "单位全称", "角色")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")


def template() -> bytes:
    return template_bytes(
        _("用户导入模板"),
        COLUMNS,
        (
            _("注：1.必填：用户名、姓名、单位全称、角色。"),
            _("注：2.用户名为3至40位字母、数字或 _ . -；单位须已在系统中。"),
            _("注：3.角色填系统中的名称，可填多个，用“、”分隔：%s。")
            % "、".join(str(label) for _v, label in Role.choices),
            _("注：4.初始密码由系统生成，导入后只显示一次；首次登录须修改密码。"),
        ),
    )


def parse(content: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    rows, problems = read_table(content, COLUMNS, REQUIRED)
    if problems:
        return [], problems
    roles = {clean_cell(str(label)): value for value, label in Role.choices}
    taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
    units = dict(Unit.objects.filter(is_active=True).values_list("name", "pk"))
    seen: set[str] = set()
    parsed, errors = [], []
    for number, cells in rows:

        def error(column, message, number=number):
            errors.append(RowError(number, column, message))

        username = clean_cell(cells.get("用户名", ""))
        if not USERNAME.match(username):
            error("用户名", _("应为3至40位字母、数字或 _ . -。"))
        elif username.lower() in taken or username.lower() in seen:
            error("用户名", _("“%s”已被使用。") % username)
        seen.add(username.lower())
        fields = {"username": username, "full_name": cells.get("姓名", "")}
        if not fields["full_name"]:
            error("姓名", _("不能为空。"))
        elif len(fields["full_name"]) > 50:
            error("姓名", _("不能超过50个字。"))
        unit = cells.get("单位全称", "")
        if unit not in units:
            error("单位全称", _("系统中没有启用的单位“%s”，请先导入单位。") % unit)
        else:
            fields["unit"] = Unit.objects.get(pk=units[unit])
        fields["position"] = cells.get("职务", "")[:100]
        phone = clean_cell(cells.get("联系电话", ""))
        if phone:
            try:
                fields["phone"] = validate_phone(phone)
            except ValidationError as problem:
                error("联系电话", problem.messages[0])
        email = clean_cell(cells.get("电子邮箱", ""))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("电子邮箱", _("“%s”不是有效的电子邮箱。") % email)
            else:
                fields["email"] = email
        wanted = [clean_cell(p) for p in cells.get("角色", "").split("、") if p.strip()]
        if not wanted:
            error("角色", _("不能为空。"))
        unknown = [w for w in wanted if w not in roles]
        if unknown:
            error("角色", _("没有这些角色：%s。") % "、".join(unknown))
        fields["roles"] = [roles[w] for w in wanted if w in roles]
        parsed.append((number, fields))
    return ([], errors) if errors else (parsed, [])
