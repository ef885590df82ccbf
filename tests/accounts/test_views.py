import re

import pytest

from laurel.accounts.models import User
from laurel.core.roles import Role
from laurel.orgs.models import Unit

pytestmark = pytest.mark.django_db

ADMIN_ONLY = ["/users/", "/users/new/"]
OFFICE_PAGES = ["/core/calendar/", "/core/audit/", "/evaluation/"]
EVERYONE = ["/inbox/", "/orgs/units/", "/core/reference/", "/password/", "/campaigns/"]


def test_login_page_is_chinese_and_self_contained(client):
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录" in html and "用户名" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "no external assets"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("role", list(Role))
def test_pages_by_role(client, world, role):
    client.force_login(world.user(role))
    for url in EVERYONE:
        assert client.get(url).status_code == 200, url
    for url in ADMIN_ONLY:
        expected = 200 if role == Role.SYSTEM_ADMIN else 403
        assert client.get(url).status_code == expected, url
    for url in OFFICE_PAGES:
        expected = 200 if role in (Role.SYSTEM_ADMIN, Role.PROVINCIAL_OFFICE) else 403
        assert client.get(url).status_code == expected, url


def test_anonymous_is_sent_to_login(client):
    for url in EVERYONE[:3] + ADMIN_ONLY + OFFICE_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_pages_have_no_inline_script_or_style(client, world):
    client.force_login(world.user(Role.SYSTEM_ADMIN))
    for url in EVERYONE + ADMIN_ONLY + OFFICE_PAGES + [f"/orgs/units/{world.cc_center.pk}/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url


def test_unit_outside_jurisdiction_answers_404_like_a_missing_one(client, world):
    client.force_login(world.user(Role.NOMINATING_BODY))
    assert client.get(f"/orgs/units/{world.cc_center.pk}/").status_code == 200
    assert client.get(f"/orgs/units/{world.jl_housing.pk}/").status_code == 404
    assert client.get("/orgs/units/999999/").status_code == 404
    assert client.get(f"/orgs/units/{world.jl_housing.pk}/edit/").status_code == 404
    response = client.post(
        f"/orgs/units/{world.jl_housing.pk}/active/", {"active": "0", "reason": "x"}
    )
    assert response.status_code == 404
    assert Unit.objects.get(pk=world.jl_housing.pk).is_active


def test_unit_list_is_filtered_and_htmx_gets_only_the_rows(client, world):
    client.force_login(world.user(Role.NOMINATING_BODY))
    html = client.get("/orgs/units/").content.decode()
    assert "长春市房屋征收中心" in html and "吉林市住房和城乡建设局" not in html
    partial = client.get("/orgs/units/?q=征收", HTTP_HX_REQUEST="true").content.decode()
    assert "长春市房屋征收中心" in partial and "<html" not in partial
    assert "长春市南关区住房和城乡建设局" not in partial


def test_bad_unit_input_gets_chinese_messages_naming_fields_and_saves_nothing(client, world):
    client.force_login(world.user(Role.SYSTEM_ADMIN))
    count = Unit.objects.count()
    response = client.post(
        "/orgs/units/new/",
        {
            "name": "长春某建筑有限公司",
            "division": world.cc_housing.division_id,
            "tier": "prefecture",
            "kind": "enterprise",
            "admin_level": "none",
            "uscc": "91220102MA0000000X",
            "phone": "12345",
            "sort_order": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码：" in html and "联系电话：" in html
    assert Unit.objects.count() == count


def test_unit_create_and_edit_through_the_pages(client, world):
    client.force_login(world.user(Role.SYSTEM_ADMIN))
    response = client.post(
        "/orgs/units/new/",
        {
            "name": "长春市保障房管理中心",
            "division": world.cc_housing.division_id,
            "parent": world.cc_housing.pk,
            "tier": "prefecture",
            "kind": "public_institution",
            "admin_level": "section",
            "phone": "0431 88888888",
            "sort_order": "0",
            "functions": ["housing"],
        },
    )
    unit = Unit.objects.get(name="长春市保障房管理中心")
    assert response["Location"] == f"/orgs/units/{unit.pk}/"
    assert unit.phone == "0431-88888888" and unit.function_codes == {"housing"}
    assert unit.path == f"{world.cc_housing.path}{unit.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "变更记录" in detail and "长春市保障房管理中心" in detail


def test_admin_creates_a_user_and_bad_passwords_are_explained(client, world):
    client.force_login(world.user(Role.SYSTEM_ADMIN))
    form = {
        "username": "zhangsan",
        "full_name": "张三",
        "unit": world.cc_center.pk,
        "roles": ["nominating_unit"],
        "password1": "short",
        "password2": "short",
    }
    html = client.post("/users/new/", form).content.decode()
    assert "密码" in html and not User.objects.filter(username="zhangsan").exists()
    form.update(password1="Spring-Field-2026", password2="Spring-Field-2026")
    response = client.post("/users/new/", form)
    user = User.objects.get(username="zhangsan")
    assert response["Location"] == f"/users/{user.pk}/"
    assert user.role_codes == {"nominating_unit"} and user.must_change_password
