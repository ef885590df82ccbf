"""Users from a spreadsheet (issue 20): row report, all or nothing, initial passwords once."""

import io

import openpyxl
import pytest

from laurel.accounts.interfaces.spreadsheets import COLUMNS
from laurel.accounts.models import User
from laurel.core.roles import Role

pytestmark = pytest.mark.django_db


def _sheet(*rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "users.xlsx"
    return buffer


def test_users_are_imported_whole_with_initial_passwords_shown_once(client, world):
    admin = world.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    row = {
        "用户名": "ng_union",
        "姓名": "李某",
        "单位全称": world.ng_housing.name,
        "联系电话": "0431-88888888",
        "电子邮箱": "union@x.invalid",
        "角色": "审核部门",
    }
    html = client.post("/users/import/", {"file": _sheet(row)}).content.decode()
    assert 'data-testid="import-done"' in html and "只显示这一次" in html
    user = User.objects.get(username="ng_union")
    assert user.must_change_password and user.role_codes == {Role.REVIEWING_DEPARTMENT}
    password = html.split("<code>")[1].split("</code>")[0]
    assert user.check_password(password) and password not in str(user.password)


def test_a_bad_sheet_is_reported_row_by_row_and_creates_nobody(client, world):
    client.force_login(world.user(Role.SYSTEM_ADMIN))
    before = User.objects.count()
    good = {
        "用户名": "ok_user",
        "姓名": "王某",
        "单位全称": world.ng_housing.name,
        "角色": "审核部门",
    }
    bad = {
        "用户名": "x",
        "姓名": "赵某",
        "单位全称": "不存在的单位",
        "电子邮箱": "not-an-address",
        "角色": "超级管理员",
    }
    html = client.post("/users/import/", {"file": _sheet(good, bad)}).content.decode()
    assert 'data-testid="import-problems"' in html
    for words in ("用户名", "不存在的单位", "电子邮箱", "超级管理员"):
        assert words in html, words
    assert User.objects.count() == before


def test_only_an_administrator_imports_users(client, world):
    client.force_login(world.user(Role.PROVINCIAL_OFFICE))
    assert client.get("/users/import/").status_code == 403
