import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError

from laurel.accounts.services import users as user_service
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog, Division
from laurel.core.roles import Role
from laurel.core.services import calendar as calendar_service
from laurel.orgs.models import Unit, UnitFunction
from laurel.orgs.services import units as unit_service

pytestmark = pytest.mark.django_db


def _rows_for(obj):
    return list(AuditLog.objects.for_object(obj).order_by("id"))


def test_create_records_actor_reason_and_values(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    with audit_context(request_id="req-12345678"):
        unit = unit_service.create_unit(
            admin,
            name="长春市测试中心",
            division=Division.objects.get(code="220100"),
            tier="prefecture",
            kind="public_institution",
            functions=[UnitFunction.Function.HOUSING],
            reason="新设机构",
        )
    rows = _rows_for(unit)
    assert [r.action for r in rows] == ["create", "create"]  # the unit and its function
    created = rows[0]
    assert created.actor == admin
    assert created.reason == "新设机构"
    assert created.request_id == "req-12345678"
    changes = {c["field"]: c["new"] for c in created.changes}
    assert changes["name"] == "长春市测试中心"
    assert changes["division"] == "长春市"
    assert changes["kind"] == "事业单位"
    assert rows[1].object_repr == "长春市测试中心：住房和城乡建设"


def test_update_records_only_changed_fields_old_and_new(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    unit_service.update_unit(admin, world.cc_center, reason="更名", name="长春市房屋征收服务中心")
    row = _rows_for(world.cc_center)[-1]
    assert row.action == "update"
    assert row.changes == [
        {
            "field": "name",
            "label": "单位全称",
            "old": "长春市房屋征收中心",
            "new": "长春市房屋征收服务中心",
        }
    ]
    assert row.reason == "更名"


def test_saving_without_changes_writes_nothing(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    before = AuditLog.objects.count()
    unit_service.update_unit(admin, world.cc_center, name=world.cc_center.name)
    assert AuditLog.objects.count() == before


def test_passwords_never_reach_the_audit_trail(world):
    admin = world.user(Role.SYSTEM_ADMIN)
    person = world.user(Role.NOMINATING_BODY)
    user_service.reset_password(admin, person, "Another-Pass-2026")
    row = AuditLog.objects.for_object(person).order_by("id").last()
    change = next(c for c in row.changes if c["field"] == "password")
    assert change["old"] == change["new"] == "******"
    assert "md5$" not in str(row.changes) and "pbkdf2" not in str(row.changes)


def test_audit_rows_cannot_be_changed_or_deleted(world):
    row = AuditLog.objects.first()
    row.reason = "篡改"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        AuditLog.objects.filter(pk=row.pk).update(reason="篡改")
    with pytest.raises(PermissionDenied):
        AuditLog.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates_and_deletes(world):
    row = AuditLog.objects.first()
    for sql in (
        "UPDATE core_auditlog SET reason = 'x' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
    assert AuditLog.objects.filter(pk=row.pk, reason=row.reason).exists()


WRITE_PATHS = {
    "create_unit": lambda w, a: unit_service.create_unit(
        a,
        name="新单位",
        division=Division.objects.get(code="220100"),
        tier="prefecture",
        kind="agency",
    ),
    "update_unit": lambda w, a: unit_service.update_unit(a, w.cc_center, address="人民大街1号"),
    "move_unit": lambda w, a: unit_service.update_unit(a, w.cc_center, parent=None),
    "unit_functions": lambda w, a: unit_service.update_unit(
        a, w.cc_center, functions=[UnitFunction.Function.AUDIT]
    ),
    "set_unit_active": lambda w, a: unit_service.set_unit_active(a, w.cc_center, False, "撤并"),
    "create_user": lambda w, a: user_service.create_user(
        a,
        username="newbie",
        password="Fresh-Pass-2026",
        roles=[Role.NOMINATING_UNIT],
        full_name="测试用户",
        unit=w.cc_center,
    ),
    "update_user": lambda w, a: user_service.update_user(
        a, w.user(Role.NOMINATING_UNIT), position="科长", roles=[Role.NOMINATING_BODY]
    ),
    "set_user_active": lambda w, a: user_service.set_user_active(
        a, w.user(Role.NOMINATING_UNIT), False, "调离"
    ),
    "reset_password": lambda w, a: user_service.reset_password(
        a, w.user(Role.NOMINATING_UNIT), "Reset-Pass-2026"
    ),
    "change_own_password": lambda w, a: user_service.change_own_password(
        a, "Laurel-Test-2026", "Own-New-Pass-2026"
    ),
    "unlock_user": lambda w, a: user_service.unlock_user(a, w.user(Role.NOMINATING_UNIT)),
    "set_override": lambda w, a: calendar_service.set_override(a, datetime.date(2026, 6, 1), False),
    "declare_year_covered": lambda w, a: calendar_service.declare_year_covered(a, 2099, "依据"),
}


@pytest.mark.parametrize("path", sorted(WRITE_PATHS))
def test_every_service_write_path_leaves_an_audit_row_by_its_actor(world, path):
    admin = world.user(Role.SYSTEM_ADMIN)
    admin.refresh_from_db()
    last = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    WRITE_PATHS[path](world, admin)
    new_rows = AuditLog.objects.filter(id__gt=last, actor=admin)
    assert new_rows.exists(), f"{path} wrote no audit row attributed to its actor"


def test_web_request_rows_carry_the_user_and_the_request_id(client, world, settings):
    """The id a trusted proxy passes on is kept (nginx's $request_id); a client's own is not:
    it could make its rows look like another request's."""
    admin = world.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    unit = world.cc_center
    spoofed = client.get("/inbox/", HTTP_X_REQUEST_ID="trace-abcdef123")
    assert spoofed["X-Request-ID"] != "trace-abcdef123" and len(spoofed["X-Request-ID"]) == 32
    settings.LAUREL_TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.post(
        f"/orgs/units/{unit.pk}/active/",
        {"active": "0", "reason": "机构改革撤并"},
        HTTP_X_REQUEST_ID="trace-abcdef123",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "trace-abcdef123"
    row = AuditLog.objects.for_object(unit).order_by("id").last()
    assert (row.actor, row.request_id, row.reason) == (admin, "trace-abcdef123", "机构改革撤并")
    assert row.changes == [{"field": "is_active", "label": "启用", "old": "是", "new": "否"}]
    assert Unit.objects.get(pk=unit.pk).is_active is False


def test_the_audit_trail_speaks_chinese_not_field_names_or_codes(published, cc_staff, nanguan_unit):
    """Issue 20: change logs showed `sort order`, `decided by`, `bachelor`, "民族：01" and
    "原则性要求说明：{}"."""
    from laurel.nominations.services import nominees as nominee_service
    from tests.nominations.conftest import complete_individual

    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    nominee_service.save_draft(cc_staff, nominee, ethnicity="02", education="master")
    rows = list(AuditLog.objects.for_object(nominee))
    changes = [c for row in rows for c in row.changes]
    labels = {c["label"] for c in changes}
    assert not [label for label in labels if label.isascii()], labels
    assert {"排序", "推荐对象"} & labels
    ethnicity = next(c for c in changes if c["field"] == "ethnicity" and c["old"])
    assert (ethnicity["old"], ethnicity["new"]) == ("汉族", "蒙古族")
    education = next(c for c in changes if c["field"] == "education" and c["old"])
    assert "bachelor" not in str(education) and "master" not in str(education)
    assert not [c for c in changes if c["field"] == "justifications" and c["new"] == {}]


def test_role_labels_name_the_departments_functions(world):
    from tests.factories import UnitFactory, UserFactory

    union = UnitFactory(name="长春市总工会", functions=[UnitFunction.Function.TRADE_UNION])
    reviewer = UserFactory(unit=union, roles=[Role.REVIEWING_DEPARTMENT])
    assert reviewer.role_labels == ["审核部门（工会）"]


def test_lists_export_the_rows_the_user_sees_as_xlsx(client, world):
    """Issue 20: the audit log, users, units and notices export what the page shows, with its
    filter, in words."""
    import io

    import openpyxl

    office = world.user(Role.PROVINCIAL_OFFICE)
    admin = world.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    page = client.get("/core/audit/").content.decode()
    assert 'data-testid="export-xlsx"' in page
    for url, query, expect in (
        ("/core/audit/", {}, "审计日志"),
        ("/users/", {"q": office.username}, office.username),
        ("/orgs/units/", {}, "单位全称"),
    ):
        response = client.get(url, {**query, "format": "xlsx"})
        assert response.status_code == 200, url
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert any(expect in c for c in cells), (url, cells[:10])
    rows = openpyxl.load_workbook(
        io.BytesIO(client.get("/users/", {"q": office.username, "format": "xlsx"}).content)
    ).active
    assert rows.max_row == 4  # title, blank, header, the one user the filter finds


def test_a_loaded_row_and_a_partly_loaded_row_both_diff_against_what_was_stored(world):
    """Issue 22: a whole row keeps its loaded values as the audit's "old" side (no getattr per
    field); a row loaded with deferred fields reads them, so its diff is the same."""
    for loaded in (
        Unit.objects.get(pk=world.cc_center.pk),
        Unit.objects.only("pk", "short_name").get(pk=world.cc_center.pk),
    ):
        before = loaded.name
        loaded.name = before + "（更名）"
        loaded.save()
        row = _rows_for(world.cc_center)[-1]
        assert row.action == "update"
        assert [(c["field"], c["old"], c["new"]) for c in row.changes] == [
            ("name", before, before + "（更名）")
        ]
    partly = Unit.objects.only("pk").get(pk=world.cc_center.pk)
    name = Unit.objects.get(pk=partly.pk).name
    partly.delete()
    deleted = _rows_for(world.cc_center)[-1]
    assert deleted.action == "delete"
    assert ("name", name) in [(c["field"], c["old"]) for c in deleted.changes]


def test_an_app_server_process_freezes_what_start_up_made():
    """Issue 22: `laurel.wsgi` settles each process (URLconf loaded, gc.freeze), so that a full
    garbage collection walks only what requests made."""
    import gc

    from laurel.core.runtime import settle

    gc.unfreeze()
    try:
        settle()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_trail_names_a_departments_function_and_a_tier_in_words(
    published, cc_staff, nanguan_unit
):
    """Walk-through: the change history showed 征求意见部门：public_security, 审核层级：city."""
    from laurel.core.models import AuditLog
    from laurel.nominations.models import ClearanceRequest, ReviewOpinion
    from tests.nominations.conftest import complete_individual

    nominee = complete_individual(cc_staff, published, nanguan_unit)
    police = ClearanceRequest.objects.get(nominee=nominee, function="public_security")
    created = AuditLog.objects.get(
        content_type__model="clearancerequest",
        object_id=str(police.pk),
        action=AuditLog.Action.CREATE,
    )
    words = {c["field"]: c["new"] for c in created.changes}
    assert words["function"] == "公安"
    opinion = ReviewOpinion(nominee=nominee, round=1, tier="city", function="hr_social_security")
    assert opinion.audit_display_tier("city") == "市级"
    assert "人力资源" in opinion.audit_display_function("hr_social_security")
