"""Who enters which nominees (nominations.rules)."""

import pytest

pytestmark = pytest.mark.django_db


def test_c4_a_city_body_does_not_enter_a_provincial_units_nominees_in_its_city(
    published, cc_staff, jilin_units
):
    """Probe: a branch of 省财政厅 sits in 长春; the city's body could edit, submit, withdraw and
    delete its nominees (by the division), and enter nominees for it on 省财政厅's quota."""
    from django.core.exceptions import PermissionDenied

    from laurel.core.models import Division
    from laurel.core.roles import Role
    from laurel.nominations.services import nominees as service
    from tests.factories import UnitFactory, UserFactory
    from tests.nominations.conftest import complete_individual

    finance = jilin_units["吉林省财政厅"]
    branch = UnitFactory(
        name="吉林省财政厅长春某中心",
        parent=finance,
        division=Division.objects.get(code="220100"),
        tier="province",
        kind="public_institution",
    )
    officer = UserFactory(unit=finance, roles=[Role.NOMINATING_UNIT])
    theirs = complete_individual(officer, published, branch, procedure=False)
    assert theirs.body.key == "finance"
    assert cc_staff.has_perm("nominations.view_nominee", theirs)  # it reads what is in its city
    for name in ("edit_nominee", "submit_nominee", "withdraw_nominee", "delete_nominee"):
        assert not cc_staff.has_perm(f"nominations.{name}", theirs), name
    assert not cc_staff.has_perm("nominations.open_clearance", theirs)
    with pytest.raises(PermissionDenied) as refused:
        service.save_draft(cc_staff, theirs, deeds="由长春市改写")
    with pytest.raises(PermissionDenied) as refused:
        service.create_nominee(
            cc_staff, published, theirs.category, nominating_unit=branch, name="张某"
        )
    assert "由其申报，占用其名额" in str(refused.value)
    assert officer.has_perm("nominations.edit_nominee", theirs)
