"""Shared fixtures: reference data loaded once per test database, and a small world of units
and users — one per role — inside and outside each other's jurisdiction."""

from __future__ import annotations

import pytest
from django.conf import settings

from laurel.core.models import Division
from laurel.core.roles import Role
from tests.factories import UnitFactory, UserFactory

# Hashing with PBKDF2 at production strength costs ~0.3 s per password; tests need no security.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from laurel.core.services.reference import load_code_tables, load_divisions

    with django_db_blocker.unblock():
        load_divisions()
        load_code_tables()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate limits (objections from one address), cached
    reference data and the like must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests flush the database when they end, taking the session's reference
    data with them: load it (idempotently) for each of them."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from laurel.core.services.reference import load_code_tables, load_divisions

        request.getfixturevalue("transactional_db")
        load_divisions()
        load_code_tables()


def division(code: str) -> Division:
    return Division.objects.get(code=code)


class World:
    """Units in three places (province, 长春 with 南关区, 吉林市 with 昌邑区) and their users."""

    def __init__(self):
        province, changchun, nanguan = division("220000"), division("220100"), division("220102")
        jilin, changyi = division("220200"), division("220202")
        self.prov_hr = UnitFactory(
            name="吉林省人力资源和社会保障厅", division=province, tier="province"
        )
        self.prov_finance = UnitFactory(name="吉林省财政厅", division=province, tier="province")
        self.prov_finance_child = UnitFactory(
            name="吉林省财政厅下属中心",
            division=province,
            tier="province",
            parent=self.prov_finance,
            kind="public_institution",
        )
        self.university = UnitFactory(
            name="吉林建筑大学", division=province, tier="province", kind="public_institution"
        )
        self.university_child = UnitFactory(
            name="吉林建筑大学设计研究院",
            division=province,
            tier="province",
            parent=self.university,
            kind="public_institution",
        )
        self.cc_housing = UnitFactory(name="长春市住房和城乡建设局", division=changchun)
        self.cc_center = UnitFactory(
            name="长春市房屋征收中心",
            division=changchun,
            parent=self.cc_housing,
            kind="public_institution",
        )
        self.ng_housing = UnitFactory(
            name="长春市南关区住房和城乡建设局", division=nanguan, tier="county"
        )
        self.jl_housing = UnitFactory(name="吉林市住房和城乡建设局", division=jilin)
        self.cy_housing = UnitFactory(
            name="吉林市昌邑区住房和城乡建设局", division=changyi, tier="county"
        )

    @property
    def units(self):
        return [
            self.prov_hr,
            self.prov_finance,
            self.prov_finance_child,
            self.university,
            self.university_child,
            self.cc_housing,
            self.cc_center,
            self.ng_housing,
            self.jl_housing,
            self.cy_housing,
        ]

    def user(self, role: str | None, unit=None, **kwargs):
        home = (
            unit
            or {
                Role.SYSTEM_ADMIN: self.prov_hr,
                Role.PROVINCIAL_OFFICE: self.prov_hr,
                Role.LEADING_GROUP: self.prov_hr,
                Role.NOMINATING_BODY: self.cc_housing,
                Role.REVIEWING_DEPARTMENT: self.cc_housing,
                Role.CLEARANCE_DEPARTMENT: self.cc_housing,
                Role.NOMINATING_UNIT: self.prov_finance,
                Role.PANEL_EXPERT: self.university,
                Role.ASSESSMENT_TEAM: self.university,
                None: self.cc_housing,
            }[role]
        )
        return UserFactory(unit=home, roles=[role] if role else [], **kwargs)


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def admin_user(world):
    return world.user(Role.SYSTEM_ADMIN, username="sysadmin")
