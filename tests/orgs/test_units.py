import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from laurel.core.models import Division
from laurel.core.permissions import refusal
from laurel.core.roles import Role
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.services import units as unit_service
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
F = UnitFunction.Function


def test_performing_routes_to_the_department_of_a_division():
    nanguan = Division.objects.get(code="220102")
    hr = UnitFactory(
        name="长春市南关区人力资源和社会保障局",
        division=nanguan,
        tier="county",
        functions=[F.HR_SOCIAL_SECURITY],
    )
    UnitFactory(
        name="长春市南关区住房和城乡建设局", division=nanguan, tier="county", functions=[F.HOUSING]
    )
    UnitFactory(
        name="长春市人力资源和社会保障局",
        division=Division.objects.get(code="220100"),
        functions=[F.HR_SOCIAL_SECURITY],
    )
    assert list(Unit.objects.performing(F.HR_SOCIAL_SECURITY, nanguan)) == [hr]
    assert Unit.objects.performing(F.HR_SOCIAL_SECURITY).count() == 2


def test_moving_a_unit_re_roots_its_subtree(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    grandchild = UnitFactory(
        name="征收中心第一分中心", parent=world.cc_center, kind="public_institution"
    )
    unit_service.update_unit(admin, world.cc_center, parent=world.jl_housing)
    grandchild.refresh_from_db()
    world.jl_housing.refresh_from_db()
    assert grandchild.path == f"{world.jl_housing.path}{world.cc_center.pk}/{grandchild.pk}/"


def test_a_unit_cannot_move_under_its_own_descendant(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as error:
        unit_service.update_unit(admin, world.cc_housing, parent=world.cc_center)
    assert "parent" in error.value.message_dict


def test_enterprise_needs_ownership_and_credit_code(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as error:
        unit_service.create_unit(
            admin,
            name="某建设公司",
            division=world.cc_housing.division,
            tier="prefecture",
            kind="enterprise",
        )
    assert set(error.value.message_dict) == {"ownership", "uscc"}
    assert not Unit.objects.filter(name="某建设公司").exists()


def test_invalid_credit_code_is_refused_with_a_chinese_message(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as error:
        unit_service.create_unit(
            admin,
            name="某协会",
            division=world.cc_housing.division,
            tier="prefecture",
            kind="social_organization",
            uscc="51220100MA0000000X",
        )
    assert "统一社会信用代码" in error.value.message_dict["uscc"][0]


def test_location_division_must_be_a_county(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as error:
        unit_service.update_unit(
            admin, world.cc_center, location_division=Division.objects.get(code="220100")
        )
    assert "县" in error.value.message_dict["location_division"][0]


def test_nominating_body_keeps_units_only_inside_its_area(world):
    body = world.user(Role.NOMINATING_BODY)
    unit = unit_service.create_unit(
        body,
        name="长春市某物业公司",
        division=world.cc_housing.division,
        tier="prefecture",
        kind="other",
    )
    assert unit.pk
    with pytest.raises(PermissionDenied):
        unit_service.create_unit(
            body,
            name="吉林市某公司",
            division=world.jl_housing.division,
            tier="prefecture",
            kind="other",
        )
    with pytest.raises(PermissionDenied):
        unit_service.update_unit(body, world.jl_housing, address="x")


def test_c5_deputy_department_flag():
    assert Unit(admin_level=Unit.AdminLevel.DEPUTY_DEPARTMENT).is_deputy_department_or_above
    assert not Unit(admin_level=Unit.AdminLevel.DIVISION).is_deputy_department_or_above


def test_deactivating_a_unit_with_active_users_is_refused(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    world.user(Role.NOMINATING_BODY)
    with pytest.raises(ValidationError):
        unit_service.set_unit_active(admin, world.cc_housing, False, "撤并")
    assert Unit.objects.get(pk=world.cc_housing.pk).is_active


def test_c9_only_the_office_sets_a_units_functions(world, client):
    """Issue 17 (the rule ``orgs.set_unit_functions``): a unit's functions route clearance
    requests and reviews to it (C-9), so a nominating body may keep the units of its area but
    not give or take away a function — not in the service, not with a crafted POST — while the
    office may."""
    from django.forms.models import model_to_dict

    body = world.user(Role.NOMINATING_BODY)
    police = UnitFactory(
        name="长春市公安局", division=world.cc_housing.division, functions=[F.PUBLIC_SECURITY]
    )
    with pytest.raises(PermissionDenied):
        unit_service.update_unit(body, police, functions=[])
    with pytest.raises(PermissionDenied):
        unit_service.create_unit(
            body,
            name="长春市某审核部门",
            division=world.cc_housing.division,
            tier="prefecture",
            kind="agency",
            functions=[F.HR_SOCIAL_SECURITY],
        )
    unit_service.update_unit(body, police, address="长春市人民大街1号")  # other fields: yes
    nanguan = Division.objects.get(code="220102")
    with pytest.raises(PermissionDenied):  # moving it moves whose requests reach it
        unit_service.update_unit(body, police, division=nanguan)
    client.force_login(body)
    form = {
        k: v
        for k, v in model_to_dict(police, fields=unit_service.UNIT_FIELDS).items()
        if v is not None
    }
    form.update({"functions": [], "reason": "试图去掉公安职能"})
    assert client.post(f"/orgs/units/{police.pk}/edit/", form).status_code == 302  # saved
    assert police.function_codes == {F.PUBLIC_SECURITY}
    assert "单位职能" not in client.get(f"/orgs/units/{police.pk}/edit/").content.decode()
    unit_service.update_unit(world.user(Role.PROVINCIAL_OFFICE), police, functions=[])
    assert Unit.objects.get(pk=police.pk).function_codes == set()


def test_c9_a_body_cannot_reroute_clearance_by_deactivating_or_moving_a_unit(world):
    """Review of issue 18: a city body deactivated a county police department that has no
    accounts (it answers on paper), and clearance went to the city police instead. Deactivating
    a department, or moving a unit whose records in play are routed by where it sits, is the
    office's."""
    body = world.user(Role.NOMINATING_BODY)
    police = UnitFactory(
        name="长春市南关区公安分局",
        division=world.ng_housing.division,
        tier="county",
        functions=[F.PUBLIC_SECURITY],
    )
    with pytest.raises(PermissionDenied):
        unit_service.set_unit_active(body, police, False, "撤并")
    assert Unit.objects.get(pk=police.pk).is_active
    plain = UnitFactory(name="长春市某物业公司", division=world.ng_housing.division, kind="other")
    unit_service.set_unit_active(body, plain, False, "注销")  # no routing: the body may
    assert not Unit.objects.get(pk=plain.pk).is_active
    unit_service.set_unit_active(world.user(Role.PROVINCIAL_OFFICE), police, False, "机构改革")
    assert not Unit.objects.get(pk=police.pk).is_active


def test_c9_a_body_does_not_move_a_units_registration_out_of_its_area(
    published, cc_staff, jilin_units
):
    """Probe: the city body set an enterprise's place of registration to another city's county
    (a tax department without an account), then answered the request there on paper."""
    changchun, changyi = (Division.objects.get(code=c) for c in ("220100", "220202"))
    company = UnitFactory(
        name="长春某建设有限公司",
        division=changchun,
        location_division=Division.objects.get(code="220102"),
        kind="enterprise",
        ownership="non_public",
    )
    with pytest.raises(PermissionDenied) as refused:
        unit_service.update_unit(cc_staff, company, location_division=changyi, reason="更正")
    assert "注册地只能选择本地区范围内的行政区划" in str(refused.value)
    assert Unit.objects.get(pk=company.pk).location_division.code == "220102"


def test_c4_a_city_body_does_not_take_a_provincial_units_branch_away(
    published, cc_staff, jilin_units
):
    """Probe: the city body cleared the parent of 省财政厅's branch in its city and entered
    nominees for it on the city's quota."""
    finance = jilin_units["吉林省财政厅"]
    branch = UnitFactory(
        name="吉林省财政厅长春某中心",
        parent=finance,
        division=Division.objects.get(code="220100"),
        tier="province",
        kind="public_institution",
    )
    with pytest.raises(PermissionDenied) as refused:
        unit_service.update_unit(cc_staff, branch, parent=None, reason="整理")
    assert "吉林省财政厅" in str(refused.value)
    assert Unit.objects.get(pk=branch.pk).parent_id == finance.pk


def test_h4_a_body_neither_marks_a_unit_central_nor_moves_one_whose_registration_is_in_review(
    area, drive
):
    """Probe: a 南关区 body marked a school central (its registrations then went straight to the
    province, skipping every tier) and re-parented a school under its own unit to sign the
    supervisor's review and read the evidence."""
    from laurel.core.roles import Role
    from laurel.registry.services import registrations as registry_service
    from tests.factories import UserFactory
    from tests.registry.conftest import register

    body_unit = UnitFactory(
        name="南关区评选推荐工作机构", division=Division.objects.get(code="220102"), tier="county"
    )
    body = UserFactory(unit=body_unit, roles=[Role.NOMINATING_BODY])
    with pytest.raises(PermissionDenied) as refused:
        unit_service.update_unit(body, area.school, is_central=True, reason="x")
    assert "驻省中直单位" in str(refused.value)
    registry_service.submit_registration(area.school_user, register(area, drive))
    with pytest.raises(PermissionDenied) as refused:
        unit_service.update_unit(body, area.school, parent=body_unit, reason="调整")
    assert str(refused.value) == refusal("orgs.set_unit_functions")
    assert Unit.objects.get(pk=area.school.pk).parent_id == area.bureau.pk


def test_c9_a_bodys_unit_form_offers_places_of_registration_in_its_area_only(
    client, published, cc_staff
):
    """The form offered a body every county of the province as a place of registration (the
    service refused one outside the area) and let it tick 驻省中直单位; it offers what the body
    may choose."""
    from laurel.orgs.forms import UnitForm

    form = UnitForm(user=cc_staff)
    codes = set(form.fields["location_division"].queryset.values_list("code", flat=True))
    assert "220102" in codes and "220202" not in codes  # 南关区 yes, 吉林市昌邑区 no
    assert form.fields["is_central"].disabled
    elsewhere = UnitFactory(
        name="长春某公司",
        division=Division.objects.get(code="220100"),
        location_division=Division.objects.get(code="220202"),  # as the office set it
        kind="enterprise",
        ownership="non_public",
    )
    kept = UnitForm(instance=elsewhere, user=cc_staff)
    assert "220202" in set(kept.fields["location_division"].queryset.values_list("code", flat=True))
    client.force_login(cc_staff)
    page = client.get("/orgs/units/new/").content.decode()
    changyi, nanguan = (Division.objects.get(code=c).pk for c in ("220202", "220102"))
    assert f'value="{nanguan}"' in page and f'value="{changyi}"' not in page
