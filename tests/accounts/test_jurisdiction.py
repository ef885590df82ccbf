"""The jurisdiction filter as a matrix: each role × units inside and outside its reach."""

import pytest

from laurel.accounts.models import User
from laurel.core.roles import ROLE_SCOPES, Role
from laurel.orgs.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = {
    "吉林省人力资源和社会保障厅",
    "吉林省财政厅",
    "吉林省财政厅下属中心",
    "吉林建筑大学",
    "吉林建筑大学设计研究院",
    "长春市住房和城乡建设局",
    "长春市房屋征收中心",
    "长春市南关区住房和城乡建设局",
    "吉林市住房和城乡建设局",
    "吉林市昌邑区住房和城乡建设局",
}
CHANGCHUN = {"长春市住房和城乡建设局", "长春市房屋征收中心", "长春市南关区住房和城乡建设局"}

EXPECTED = {
    Role.SYSTEM_ADMIN: ALL,
    Role.PROVINCIAL_OFFICE: ALL,
    Role.LEADING_GROUP: ALL,
    Role.NOMINATING_BODY: CHANGCHUN,
    Role.REVIEWING_DEPARTMENT: CHANGCHUN,
    Role.CLEARANCE_DEPARTMENT: CHANGCHUN,
    # A provincial-level unit sees itself and its own subordinates, not the whole province.
    Role.NOMINATING_UNIT: {"吉林省财政厅", "吉林省财政厅下属中心"},
    Role.PANEL_EXPERT: {"吉林建筑大学"},
    Role.ASSESSMENT_TEAM: {"吉林建筑大学"},
}


def test_every_role_has_a_scope_and_an_expectation():
    assert set(ROLE_SCOPES) == set(Role.values) == set(EXPECTED)


@pytest.mark.parametrize("role", list(Role))
def test_units_visible_by_role(world, role):
    user = world.user(role)
    visible = set(Unit.objects.restrict(user).values_list("name", flat=True))
    assert visible == EXPECTED[role]
    outside = ALL - EXPECTED[role]
    for unit in world.units:
        allowed = user.has_perm("orgs.view_unit", unit)
        assert allowed == (unit.name not in outside), unit.name


@pytest.mark.parametrize("role", list(Role))
def test_users_visible_by_role_follow_their_units(world, role):
    user = world.user(role)
    others = {unit.name: UserFactory(unit=unit) for unit in world.units}
    visible = set(User.objects.restrict(user).values_list("pk", flat=True))
    for unit_name, other in others.items():
        assert (other.pk in visible) == (unit_name in EXPECTED[role]), unit_name


def test_a_county_body_does_not_see_its_city(world):
    user = world.user(Role.NOMINATING_BODY, unit=world.ng_housing)
    assert set(Unit.objects.restrict(user).values_list("name", flat=True)) == {
        "长春市南关区住房和城乡建设局"
    }


def test_several_roles_see_the_union(world):
    user = world.user(Role.PANEL_EXPERT, unit=world.cc_center)
    user.role_assignments.create(role=Role.NOMINATING_UNIT)
    user.forget_roles()
    assert set(Unit.objects.restrict(user).values_list("name", flat=True)) == {"长春市房屋征收中心"}
    user.role_assignments.create(role=Role.REVIEWING_DEPARTMENT)
    user.forget_roles()
    assert set(Unit.objects.restrict(user).values_list("name", flat=True)) == CHANGCHUN


def test_no_role_inactive_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    nobody = world.user(None)
    assert not Unit.objects.restrict(nobody).exists()
    inactive = world.user(Role.SYSTEM_ADMIN, is_active=False)
    assert not Unit.objects.restrict(inactive).exists()
    assert not Unit.objects.restrict(AnonymousUser()).exists()


def test_superuser_sees_the_province(world):
    root = UserFactory(unit=None, is_superuser=True)
    assert set(Unit.objects.restrict(root).values_list("name", flat=True)) == ALL
