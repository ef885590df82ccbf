"""An account with two roles: each permission comes from one role, with that role's own area.

A public security bureau nominates its own staff (推荐单位经办人, its unit and the units under it)
and answers clearance requests for the whole city (征求意见部门); a unit's officer may sit on the
leading group; a school's registrar too. Neither second role widens what the first may do: the
areas of two roles are never merged into one for a permission that only one of them grants."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from laurel.core.models import Division
from laurel.core.permissions import RULES
from laurel.core.roles import Role
from laurel.nominations.models import Nominee
from laurel.registry.models import Person
from laurel.registry.queries import people_of
from tests.factories import UserFactory
from tests.nominations.conftest import complete_individual
from tests.registry.conftest import new_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def nanguan_draft(published, cc_staff, nanguan_unit):
    """A draft of 南关区 (inside 长春), entered by 长春's nominating body."""
    return complete_individual(cc_staff, published, nanguan_unit, name="南关草稿")


def test_a_nominating_unit_that_answers_clearance_reads_only_its_own_nominees_in_full(
    cc_unit, nanguan_draft
):
    both = UserFactory(unit=cc_unit, roles=[Role.NOMINATING_UNIT, Role.CLEARANCE_DEPARTMENT])
    officer = UserFactory(unit=cc_unit, roles=[Role.NOMINATING_UNIT])
    clearance = UserFactory(unit=cc_unit, roles=[Role.CLEARANCE_DEPARTMENT])
    name = "nominations.view_personal_data"
    assert not officer.has_perm(name, nanguan_draft)
    assert not clearance.has_perm(name, nanguan_draft)
    assert not both.has_perm(name, nanguan_draft)  # not the union of the two areas
    own = complete_individual(both, nanguan_draft.campaign, cc_unit, name="本单位的人")
    assert both.has_perm(name, own)


def test_a_nominating_unit_that_answers_clearance_enters_no_draft_for_another_unit(
    published, cc_unit, nanguan_unit, nanguan_draft
):
    both = UserFactory(unit=cc_unit, roles=[Role.NOMINATING_UNIT, Role.CLEARANCE_DEPARTMENT])
    with pytest.raises(PermissionDenied):
        complete_individual(both, published, nanguan_unit, name="代报")
    assert not Nominee.objects.filter(name="代报").exists()
    for action in ("edit", "submit", "delete"):
        assert not Nominee.objects.restrict(both, action).filter(pk=nanguan_draft.pk).exists()
    assert not both.has_perm("nominations.edit_nominee", nanguan_draft)


def test_the_api_refuses_a_draft_for_a_unit_outside_the_nominating_roles_area(
    published, cc_unit, nanguan_unit
):
    both = UserFactory(unit=cc_unit, roles=[Role.NOMINATING_UNIT, Role.CLEARANCE_DEPARTMENT])
    client = Client()
    client.force_login(both)
    response = client.post(
        "/api/nominees/",
        {
            "campaign": published.pk,
            "category": "individual",
            "nominating_unit": nanguan_unit.pk,
            "name": "接口代报",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "nominating_unit" in response.json()
    assert not Nominee.objects.filter(name="接口代报").exists()
    # its own unit it enters (the check refuses the area, not the account)
    response = client.post(
        "/api/nominees/",
        {"campaign": published.pk, "category": "individual", "name": "接口自报"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_a_nominating_unit_on_the_leading_group_edits_only_its_own_drafts(cc_unit, nanguan_draft):
    both = UserFactory(unit=cc_unit, roles=[Role.NOMINATING_UNIT, Role.LEADING_GROUP])
    leader = UserFactory(unit=cc_unit, roles=[Role.LEADING_GROUP])
    for name in ("nominations.edit_nominee", "nominations.delete_nominee"):
        assert not leader.has_perm(name, nanguan_draft)
        assert not both.has_perm(name, nanguan_draft), name
    client = Client()
    client.force_login(both)
    response = client.post(f"/nominations/{nanguan_draft.pk}/delete/")
    assert response.status_code in (403, 404)
    assert Nominee.objects.filter(pk=nanguan_draft.pk).exists()
    # what the leading group may do, it still may: see the nominee
    assert both.has_perm("nominations.view_nominee", nanguan_draft)


def test_a_registrar_on_the_leading_group_searches_only_its_own_units_people(area):
    own = Person(name="本校教师", unit=area.school, division=area.school.division)
    elsewhere = Person(name="吉林市居民", division=Division.objects.get(code="220202"))
    for person in (own, elsewhere):
        person.set_id_number(new_id())
    Person.objects.bulk_create([own, elsewhere])
    both = UserFactory(unit=area.school, roles=[Role.NOMINATING_UNIT, Role.LEADING_GROUP])
    assert set(people_of(both).values_list("name", flat=True)) == {"本校教师"}
    client = Client()
    client.force_login(both)
    found = client.get("/api/registry/people/").json()["results"]
    assert [row["name"] for row in found] == ["本校教师"]
    html = client.get("/registry/").content.decode()
    assert "本校教师" in html and "吉林市居民" not in html


def test_every_rule_of_two_roles_is_what_one_of_them_grants_alone(cc_unit, nanguan_draft):
    """For each rule that takes a nominee: two roles on one unit may exactly what one of the
    roles alone may (asked on 南关区's draft, outside the unit's own tree)."""
    roles = [
        Role.NOMINATING_UNIT,
        Role.NOMINATING_BODY,
        Role.CLEARANCE_DEPARTMENT,
        Role.REVIEWING_DEPARTMENT,
        Role.LEADING_GROUP,
        Role.PANEL_EXPERT,
    ]
    alone = {role: UserFactory(unit=cc_unit, roles=[role]) for role in roles}
    nominee_rules = [
        name for name, item in RULES.items() if item.model is Nominee or name.endswith("_data")
    ]
    assert "nominations.edit_nominee" in nominee_rules
    differences = []
    for first in roles:
        for second in roles[roles.index(first) + 1 :]:
            both = UserFactory(unit=cc_unit, roles=[first, second])
            for name in nominee_rules:
                expected = alone[first].has_perm(name, nanguan_draft) or alone[second].has_perm(
                    name, nanguan_draft
                )
                if both.has_perm(name, nanguan_draft) != expected:
                    differences.append((first, second, name))
    assert differences == []


def test_a_nominating_unit_on_the_leading_group_gives_no_unit_notice_for_another_unit(
    published, cc_unit, nanguan_draft
):
    """C-8 step 1: a unit notice is the nominating unit's own; the leading group's view of the
    province does not let a unit officer publish one for another unit's nominee."""
    import datetime

    from laurel.public.models import PublicNotice
    from laurel.public.services import notices

    both = UserFactory(unit=cc_unit, roles=[Role.NOMINATING_UNIT, Role.LEADING_GROUP])
    with pytest.raises(PermissionDenied):
        notices.create_notice(
            both,
            published,
            level="unit",
            nominees=[nanguan_draft],
            starts_on=datetime.date.today(),
            contact="联系人 0431-88888888",
        )
    assert not PublicNotice.objects.filter(entries__nominee=nanguan_draft, publisher=cc_unit)
    client = Client()
    client.force_login(both)
    response = client.get(reverse("public:create", args=[published.pk]))
    assert response.status_code == 200
    assert "南关草稿" not in response.content.decode()
