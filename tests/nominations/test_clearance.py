"""C-9 clearance: every row of the rule and both notes, routing and opinions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from laurel.campaigns.clearance import default_rules, requirements
from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.core.validators import mask_resident_id
from laurel.nominations import procedure
from laurel.nominations.models import ClearanceRequest, Nominee
from laurel.nominations.services import clearance as service
from laurel.nominations.services import nominees as nominee_service
from laurel.orgs.models import UnitFunction
from tests.factories import UnitFactory, UserFactory
from tests.nominations.conftest import complete_collective, complete_individual

pytestmark = pytest.mark.django_db

ORG_DISC = {"organization", "discipline_inspection"}
ENTERPRISE = {
    "ecology_environment",
    "hr_social_security",
    "tax",
    "market_regulation",
    "emergency_management",
}


def _needs(kind="collective", nature="agency", ownership="", head=False):
    nominee = Nominee(
        kind=kind,
        collective_type=nature if kind == "collective" else "",
        unit_nature=nature if kind == "individual" else "",
        ownership=ownership,
        is_enterprise_head=head,
    )
    return {r.function for r in requirements(nominee, default_rules())}


def test_c9_note_public_security_for_every_collective_and_individual():
    for kind in ("collective", "individual"):
        for nature in ("agency", "public_institution", "enterprise", "other"):
            assert "public_security" in _needs(kind, nature, "non_public")


@pytest.mark.parametrize("nature", ["agency", "civil_service_managed", "public_institution"])
def test_c9_agencies_and_public_institutions_organization_and_discipline(nature):
    assert _needs("collective", nature) == ORG_DISC | {"public_security"}
    assert _needs("individual", nature) == ORG_DISC | {"public_security"}


def test_c9_social_organisations_add_civil_affairs_and_sector_authority():
    assert _needs("collective", "social_organization") == (
        ORG_DISC | {"public_security", "civil_affairs", "sector_authority"}
    )


def test_c9_state_owned_enterprise_skips_united_front_and_consults_audit():
    needs = _needs("collective", "enterprise", "state_owned")
    assert needs == ENTERPRISE | ORG_DISC | {"public_security", "audit"}
    assert not needs & {"united_front", "federation_industry_commerce"}


@pytest.mark.parametrize("ownership", ["non_public", "collective"])
def test_c9_other_ownership_skips_audit_and_adds_united_front_and_federation(ownership):
    needs = _needs("collective", "enterprise", ownership)
    assert needs == ENTERPRISE | {"public_security", "united_front", "federation_industry_commerce"}
    assert "audit" not in needs


def test_c9_enterprise_heads_need_the_enterprise_departments_staff_do_not():
    assert _needs("individual", "enterprise", "non_public", head=True) == (
        ENTERPRISE | {"public_security", "united_front", "federation_industry_commerce"}
    )
    assert _needs("individual", "enterprise", "non_public", head=False) == {"public_security"}
    assert _needs("individual", "enterprise", "state_owned", head=True) == (
        ENTERPRISE | ORG_DISC | {"public_security", "audit"}
    )


def test_campaign_rules_replace_the_default(published):
    published.clearance_rules = [
        {
            "rule": "仅公安",
            "applies_to": ["collective", "individual"],
            "departments": ["public_security"],
        }
    ]
    nominee = Nominee(kind="collective", collective_type="agency", campaign=published)
    assert [r.function for r in requirements(nominee)] == ["public_security"]


def _department(name, code, function):
    return UnitFactory(
        name=name, division=Division.objects.get(code=code), tier="county", functions=[function]
    )


def test_requests_route_to_the_department_of_the_right_locality(published, cc_staff, nanguan_unit):
    county_police = _department(
        "长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY
    )
    city_org = _department("中共长春市委组织部", "220100", UnitFunction.Function.ORGANIZATION)
    nominee = complete_collective(cc_staff, published, nanguan_unit, procedure=False)
    created = {c.function: c for c in service.open_clearances(cc_staff, nominee)}
    assert created["public_security"].department == county_police  # the county's own
    assert created["organization"].department == city_org  # none in the county: the city's
    assert created["discipline_inspection"].department is None  # nobody: the office assigns
    # the body's own last day (the fixture extends every body's past the plan's 2023-03-10)
    assert created["public_security"].due_on == nominee.body.deadline_extended_to
    assert service.open_clearances(cc_staff, nominee) == []  # idempotent


def test_opinions_by_the_department_and_a_disagreement_blocks_until_the_office_decides(
    published, cc_staff, nanguan_unit, office
):
    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    officer = UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT])
    outsider = UserFactory(unit=nanguan_unit, roles=[Role.CLEARANCE_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    with pytest.raises(PermissionDenied):
        service.record_opinion(outsider, request, state="agreed", opinion="", officer_name="某")
    with pytest.raises(ValidationError) as error:
        service.record_opinion(
            officer, request, state="disagreed", opinion=" ", officer_name="张警官"
        )
    assert "理由" in error.value.messages[0]
    service.record_opinion(
        officer, request, state="disagreed", opinion="有违法记录待查", officer_name="张警官"
    )
    assert "公安不同意，待办公室决定。" in procedure.clearance_problems(nominee)
    with pytest.raises(ValidationError):
        nominee_service.submit_nominee(cc_staff, nominee)
    with pytest.raises(PermissionDenied):
        service.decide_disagreement(cc_staff, request, proceed=True, note="x")
    service.decide_disagreement(office, request, proceed=False, note="经核实存在违法记录")
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.WITHDRAWN
    request.refresh_from_db()
    assert request.office_decision == ClearanceRequest.Decision.STOP


def test_missing_opinions_are_listed(published, cc_staff, nanguan_unit):
    nominee = complete_collective(cc_staff, published, nanguan_unit, procedure=False)
    assert "尚未征求公安的意见。" in procedure.clearance_problems(nominee)
    service.open_clearances(cc_staff, nominee)
    problems = procedure.clearance_problems(nominee)
    assert len(problems) == 3 and all("尚未回复" in p for p in problems)


def test_clearance_reminders_mail_the_departments_before_the_deadline(
    published, cc_staff, nanguan_unit, mailoutbox, settings
):
    import datetime

    from laurel.nominations.tasks import send_clearance_reminders

    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT], email="police@example.invalid")
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    due = nominee.body.deadline_extended_to  # the body's own last day, not the plan's
    sent = send_clearance_reminders.call(today=(due - datetime.timedelta(days=2)).isoformat())
    assert sent == 1 and mailoutbox[0].to == ["police@example.invalid"]
    assert due.isoformat() in mailoutbox[0].body and nominee.name in mailoutbox[0].body
    early = due - datetime.timedelta(days=40)
    assert send_clearance_reminders.call(today=early.isoformat()) == 0


def test_clearance_page_masks_the_id_for_readers_who_are_not_the_department(
    client, published, cc_staff, nanguan_unit, jilin_units
):
    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    officer = UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    client.force_login(officer)
    assert nominee.id_number in client.get(f"/nominations/clearance/{request.pk}/").content.decode()
    leader = UserFactory(unit=jilin_units["吉林省住房和城乡建设厅"], roles=[Role.LEADING_GROUP])
    client.force_login(leader)
    html = client.get(f"/nominations/clearance/{request.pk}/").content.decode()
    assert nominee.id_number not in html and mask_resident_id(nominee.id_number) in html


def test_c9_clearance_follows_management_authority_not_the_field_the_nominator_fills(
    published, cc_staff, cc_unit, jilin_units, office
):
    """Issue 18 §5: departments were chosen by the county of the free field 工作单位行政区划,
    so a provincial department's cadre went to 长春市's organisation department, and a
    nominator could pick the district that vets its own nominee. They follow the unit tree: the
    level of government that manages the nominating unit."""
    province, changchun, nanguan = (
        Division.objects.get(code=c) for c in ("220000", "220100", "220102")
    )
    F = UnitFunction.Function
    prov_org = UnitFactory(name="中共吉林省委组织部", division=province, functions=[F.ORGANIZATION])
    city_org = UnitFactory(
        name="中共长春市委组织部", division=changchun, functions=[F.ORGANIZATION]
    )
    UnitFactory(
        name="中共长春市南关区委组织部", division=nanguan, tier="county", functions=[F.ORGANIZATION]
    )
    prov_police = UnitFactory(name="吉林省公安厅", division=province, functions=[F.PUBLIC_SECURITY])
    UnitFactory(
        name="长春市公安局南关分局", division=nanguan, tier="county", functions=[F.PUBLIC_SECURITY]
    )
    # A cadre of the provincial housing department, with the free field set to 南关区.
    provincial_unit = jilin_units["吉林省住房和城乡建设厅"]
    provincial_staff = UserFactory(unit=provincial_unit, roles=[Role.NOMINATING_UNIT])
    cadre = complete_individual(provincial_staff, published, provincial_unit, procedure=False)
    Nominee.objects.filter(pk=cadre.pk).update(unit_division=nanguan)
    cadre.refresh_from_db()
    routed = {c.function: c.department for c in service.open_clearances(provincial_staff, cadre)}
    assert routed["organization"] == prov_org and routed["public_security"] == prov_police
    # A city bureau's cadre: the city's departments, whatever district the field names.
    city_cadre = complete_individual(cc_staff, published, cc_unit, procedure=False)
    Nominee.objects.filter(pk=city_cadre.pk).update(unit_division=nanguan)
    city_cadre.refresh_from_db()
    routed = {c.function: c.department for c in service.open_clearances(cc_staff, city_cadre)}
    assert routed["organization"] == city_org
    assert routed["public_security"] == prov_police  # no city police unit here: up the line


def test_c9_enterprise_departments_are_those_of_the_place_of_registration(
    published, cc_staff, jilin_units
):
    F = UnitFunction.Function
    changchun, nanguan = Division.objects.get(code="220100"), Division.objects.get(code="220102")
    county_tax = UnitFactory(
        name="国家税务总局长春市南关区税务局", division=nanguan, tier="county", functions=[F.TAX]
    )
    UnitFactory(name="国家税务总局长春市税务局", division=changchun, functions=[F.TAX])
    company = UnitFactory(
        name="长春某建设有限公司",
        division=changchun,
        location_division=nanguan,
        kind="enterprise",
        ownership="non_public",
    )
    nominee = complete_collective(
        cc_staff,
        published,
        company,
        procedure=False,
        collective_type="enterprise",
        ownership="non_public",
    )
    routed = {c.function: c.department for c in service.open_clearances(cc_staff, nominee)}
    assert routed["tax"] == county_tax


def test_c9_the_office_reroutes_a_request_with_a_reason_and_nobody_else_can(
    client, published, cc_staff, nanguan_unit, office
):
    from laurel.core.models import AuditLog

    F = UnitFunction.Function
    wrong = _department("长春市公安局南关分局", "220102", F.PUBLIC_SECURITY)
    right = UnitFactory(
        name="长春市公安局",
        division=Division.objects.get(code="220100"),
        functions=[F.PUBLIC_SECURITY],
    )
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    assert request.department == wrong
    client.force_login(cc_staff)
    response = client.post(
        f"/nominations/clearance/{request.pk}/reassign/",
        {"reassign-department": right.pk, "reassign-reason": "挑选审核部门"},
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.department == wrong
    with pytest.raises(ValidationError):
        service.assign_department(office, request, right, reason=" ")
    client.force_login(office)
    client.post(
        f"/nominations/clearance/{request.pk}/reassign/",
        {"reassign-department": right.pk, "reassign-reason": "该同志由市公安局管理"},
    )
    request.refresh_from_db()
    assert request.department == right
    assert AuditLog.objects.filter(reason="该同志由市公安局管理").exists()
    not_police = UnitFactory(name="某无关单位", division=Division.objects.get(code="220100"))
    with pytest.raises(ValidationError):
        service.assign_department(office, request, not_police, reason="误选")


def test_c9_a_plan_declares_a_clearance_department_of_its_own(jilin_units, office):
    """Issue 18 §5: a plan could only name departments of a fixed list. It declares its own
    (name, routing, the units that perform it) and uses it in its rules, as data."""
    from laurel.campaigns.services.definitions import DefinitionError, load_definition
    from tests.campaigns.conftest import JILIN

    sports = UnitFactory(name="吉林省体育局", division=Division.objects.get(code="220000"))
    text = JILIN.read_text(encoding="utf-8").replace(
        "slug: jilin-affordable-housing-2022", "slug: jilin-with-sports"
    )
    undeclared = text + (
        "clearance:\n"
        "  - rule: 方案另行规定：征求体育部门意见\n"
        "    applies_to: [individual]\n"
        "    departments: [public_security, sports]\n"
    )
    with pytest.raises(DefinitionError) as error:
        load_definition(office, undeclared)
    assert "sports" in str(error.value) and "未在 clearance_departments 中声明" in str(error.value)
    declared = undeclared + (
        "clearance_departments:\n  - key: sports\n    name: 体育部门\n    units: [吉林省体育局]\n"
    )
    campaign = load_definition(office, declared).campaign
    assert "sports" in sports.function_codes
    nominee = Nominee(kind="individual", campaign=campaign, unit_nature="agency")
    assert [r.function for r in requirements(nominee)] == ["public_security", "sports"]
    assert ClearanceRequest(nominee=nominee, function="sports").function_label == "体育部门"
    from laurel.documents import official  # 附件4 gives it a row of its own, by that name

    request = ClearanceRequest(nominee=nominee, function="sports")
    assert official._clearance_label("sports", [request]) == "体育部门意见"


def test_c9_a_body_cannot_move_a_nominating_unit_whose_nominees_are_in_play(
    published, cc_staff, nanguan_unit, office
):
    """Review of issue 18: moving the nominating unit to another division re-routed its
    nominees' clearance to that division's departments. Once a nominee is beyond the draft,
    only the office moves the unit."""
    from laurel.orgs.services import units as unit_service

    chaoyang = Division.objects.get(code="220104")
    unit_service.update_unit(cc_staff, nanguan_unit, address="南关区某路1号")
    nominee_service.submit_nominee(cc_staff, complete_individual(cc_staff, published, nanguan_unit))
    with pytest.raises(PermissionDenied):
        unit_service.update_unit(cc_staff, nanguan_unit, division=chaoyang)
    unit_service.update_unit(office, nanguan_unit, division=chaoyang, reason="行政区划调整")


def _scan(kind="pdf"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    if kind == "html":
        return SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("函件.pdf", buffer.getvalue(), content_type="application/pdf")


def test_c9_a_department_without_an_account_answers_on_paper(
    client, published, cc_staff, nanguan_unit, office, jilin_units
):
    """Issue 20: 公安 answers with a sealed letter; the body whose list the nominee is on records
    it — signer, the letter's date, conclusion, scan — and it shows as 纸质意见. The nominating
    unit cannot vouch for its own candidate, a date cannot be invented, and a department with an
    account answers itself."""
    import datetime

    from django.utils import timezone

    from laurel.core.models import AuditLog

    _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    today = timezone.localdate()
    letter = dict(state="agreed", opinion="", officer_name="张警官", decided_on=today)
    unit_user = UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT])
    with pytest.raises(PermissionDenied):
        service.record_paper_opinion(unit_user, request, **letter, scan=_scan())
    for day, words in (
        (today + datetime.timedelta(days=1), "晚于今天"),
        (today - datetime.timedelta(days=1), "早于征求意见"),
    ):
        with pytest.raises(ValidationError) as error:
            service.record_paper_opinion(
                cc_staff, request, **{**letter, "decided_on": day}, scan=_scan()
            )
        assert words in error.value.message_dict["decided_on"][0]
    with pytest.raises(ValidationError) as error:
        service.record_paper_opinion(cc_staff, request, **letter, scan=None)
    assert "scan" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        service.record_paper_opinion(cc_staff, request, **letter, scan=_scan("html"))
    assert "scan" in error.value.message_dict
    request.refresh_from_db()
    assert request.state == ClearanceRequest.State.PENDING and not request.on_paper

    client.force_login(cc_staff)
    response = client.post(
        f"/nominations/clearance/{request.pk}/paper/",
        {
            "paper-state": "agreed",
            "paper-officer_name": "张警官",
            "paper-decided_on": today.isoformat(),
            "paper-scan": _scan(),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.on_paper, request.officer_name) == ("agreed", True, "张警官")
    assert request.scan_type == "application/pdf" and request.decided_by == cc_staff
    assert AuditLog.objects.for_object(request).filter(reason__contains="纸质").exists()
    html = client.get(f"/nominations/clearance/{request.pk}/").content.decode()
    assert "纸质意见" in html and "签发人张警官" in html and "查看扫描件" in html
    assert client.get(f"/nominations/clearance/{request.pk}/scan/").status_code == 200
    # Once answered, nobody records it again.
    with pytest.raises(ValidationError):
        service.record_paper_opinion(office, request, **letter, scan=_scan())
    stranger = UserFactory(unit=jilin_units["吉林市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    client.force_login(stranger)
    assert client.get(f"/nominations/clearance/{request.pk}/scan/").status_code == 404


def test_c9_a_department_with_an_account_answers_itself_unless_the_office_records_paper(
    published, cc_staff, nanguan_unit, office
):
    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    letter = dict(
        state="disagreed", opinion="有违法记录待查", officer_name="张警官", decided_on=None
    )
    from django.utils import timezone

    letter["decided_on"] = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        service.record_paper_opinion(cc_staff, request, **letter, scan=_scan())
    assert "有系统账号" in error.value.messages[0]
    service.record_paper_opinion(office, request, **letter, scan=_scan())
    assert "公安不同意，待办公室决定。" in procedure.clearance_problems(nominee)


def test_c9_an_online_opinion_cannot_be_dated_in_the_future(published, cc_staff, nanguan_unit):
    import datetime

    from django.utils import timezone

    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    officer = UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    with pytest.raises(ValidationError) as error:
        service.record_opinion(
            officer,
            request,
            state="agreed",
            opinion="",
            officer_name="张警官",
            decided_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert list(error.value.message_dict) == ["decided_on"]


def test_c9_a_body_never_records_paper_for_its_own_candidate(published, cc_staff, cc_unit, office):
    from django.utils import timezone

    _department("长春市公安局", "220100", UnitFunction.Function.PUBLIC_SECURITY)
    nominee = complete_individual(cc_staff, published, cc_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    letter = dict(
        state="agreed", opinion="", officer_name="张警官", decided_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        service.record_paper_opinion(cc_staff, request, **letter, scan=_scan())
    assert service.record_paper_opinion(office, request, **letter, scan=_scan()).on_paper


def test_c9_an_answer_in_laurel_after_a_paper_one_is_not_shown_as_paper(
    client, published, cc_staff, nanguan_unit, office
):
    from django.utils import timezone

    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    officer = UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT])
    other = _department("长春市南关区卫生健康局", "220102", UnitFunction.Function.CIVIL_AFFAIRS)
    neighbour = UserFactory(unit=other, roles=[Role.CLEARANCE_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    service.record_paper_opinion(
        office,
        request,
        state="verifying",
        opinion="需核实户籍信息",
        officer_name="张警官",
        decided_on=timezone.localdate(),
        scan=_scan(),
    )
    # The scan: the department and the office, not another department of the area.
    client.force_login(neighbour)
    assert client.get(f"/nominations/clearance/{request.pk}/scan/").status_code == 404
    client.force_login(officer)
    scan = client.get(f"/nominations/clearance/{request.pk}/scan/")
    assert scan.status_code == 200 and "no-store" in scan["Cache-Control"]
    service.record_opinion(officer, request, state="agreed", opinion="", officer_name="张警官")
    request.refresh_from_db()
    assert (request.on_paper, request.scan_file, request.decided_by) == (False, "", officer)


def test_c9_a_department_is_mailed_when_a_request_reaches_it(
    published, cc_staff, nanguan_unit, mailoutbox, django_capture_on_commit_callbacks
):
    police = _department("长春市公安局南关分局", "220102", UnitFunction.Function.PUBLIC_SECURITY)
    UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT], email="police@x.invalid")
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    with django_capture_on_commit_callbacks(execute=True):
        service.open_clearances(cc_staff, nominee)
    [mail] = [m for m in mailoutbox if "police@x.invalid" in m.to]
    assert nominee.name in mail.subject and "回复期限" in mail.body
    assert nominee.id_number not in mail.body


def test_c9_an_opinion_vouches_for_its_person_a_swapped_person_is_asked_about_again(
    published, cc_staff, nanguan_unit
):
    """Every department agreed about one person; the unit then changes the draft's name and ID
    number to another. Each answered request is pending again, the earlier answer stays in the
    audit trail, and submission waits for the new answers."""
    import datetime

    from laurel.core.models import AuditLog
    from tests.nominations.conftest import _fresh_id

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="原被征求人")
    requests = list(nominee.clearances.all())
    assert requests and all(r.state == ClearanceRequest.State.AGREED for r in requests)
    assert procedure.clearance_problems(nominee) == []
    nominee_service.save_draft(cc_staff, nominee, deeds="该同志" + "扎实工作。" * 51)
    assert procedure.clearance_problems(nominee) == []  # the same person: nothing asked again
    new_id = _fresh_id(datetime.date(1979, 1, 2))
    nominee_service.save_draft(cc_staff, nominee, name="换了一个人", id_number=new_id)
    states = set(nominee.clearances.values_list("state", flat=True))
    assert states == {ClearanceRequest.State.PENDING}
    # due by the body's extended deadline (the fixture's), not the plan's passed 2023-03-10
    extended = published.material_deadline(nominee.body)
    assert set(nominee.clearances.values_list("due_on", flat=True)) == {extended}
    assert not any(r.is_overdue for r in nominee.clearances.all())
    assert nominee.clearances.count() == len(requests)
    problems = procedure.clearance_problems(nominee)
    assert len(problems) == len(requests) and all("尚未回复" in p for p in problems)
    assert (
        AuditLog.objects.filter(
            content_type__model="clearancerequest", object_id=str(requests[0].pk)
        )
        .filter(reason__contains="重新征求意见")
        .exists()
    )
    with pytest.raises(ValidationError):
        nominee_service.submit_nominee(cc_staff, nominee)


def test_c9_a_disagreement_binds_whatever_the_profile_says_now(published, cc_staff, nanguan_unit):
    """Probe: 纪检监察 answered 不同意; the body set 工作单位性质 to 其他 (which asks no
    discipline opinion) and submitted. A request once sent binds until it is settled."""
    from laurel.public.services.notices import create_notice

    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    for request in nominee.clearances.all():
        disagrees = request.function == "discipline_inspection"
        service.record_opinion(
            None,
            request,
            state="disagreed" if disagrees else "agreed",
            opinion="有问题在查" if disagrees else "",
            officer_name="某",
        )
    create_notice(
        None,
        published,
        level="unit",
        nominees=[nominee],
        starts_on=datetime.date(2026, 6, 1),
        contact="联系人 0431-88888888",
    )
    nominee_service.save_draft(cc_staff, nominee, unit_nature="other", staffing_type="enterprise")
    nominee.refresh_from_db()
    assert "discipline_inspection" not in {r.function for r in requirements(nominee)}
    assert "纪检监察不同意，待办公室决定。" in procedure.clearance_problems(nominee)
    with pytest.raises(ValidationError):
        nominee_service.submit_nominee(cc_staff, nominee)
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.DRAFT


def test_c9_another_department_of_the_area_reads_no_answer_on_the_nominee_page(
    client, published, cc_staff, nanguan_unit
):
    """Probe: the to-do list of the nominee page told the area's police that 纪检监察 had
    disagreed; it is for those who enter the nominee."""
    police = UnitFactory(
        name="长春市公安局南关分局",
        division=Division.objects.get(code="220102"),
        tier="county",
        functions=[UnitFunction.Function.PUBLIC_SECURITY],
    )
    officer = UserFactory(unit=police, roles=[Role.CLEARANCE_DEPARTMENT])
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="discipline_inspection")
    service.record_opinion(None, request, state="disagreed", opinion="在查", officer_name="某")
    client.force_login(officer)
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert "纪检监察不同意" not in page and "上报前还需完成" not in page
    client.force_login(cc_staff)
    assert (
        "纪检监察不同意，待办公室决定" in client.get(f"/nominations/{nominee.pk}/").content.decode()
    )


def test_c9_a_request_is_due_on_the_bodys_own_last_day(published, cc_staff, nanguan_unit):
    """Probe: requests were due on the plan's deadline (2023) although the office had extended
    the body's, so they were overdue on arrival and reminded at once."""
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    service.open_clearances(cc_staff, nominee)
    extended = nominee.body.deadline_extended_to
    assert extended > datetime.date(2023, 12, 31)
    assert {r.due_on for r in nominee.clearances.all()} == {extended}


def test_c9_a_question_no_longer_required_and_unanswered_does_not_hold_the_nominee(
    published, cc_staff, nanguan_unit
):
    """Review: a request left pending after the profile was corrected held the nominee for
    good (nothing cancels a request); it does not — an answer given later still would."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    discipline = nominee.clearances.get(function="discipline_inspection")
    ClearanceRequest.objects.filter(pk=discipline.pk).update(state="pending", opinion="")
    nominee_service.save_draft(cc_staff, nominee, unit_nature="other", staffing_type="enterprise")
    nominee.refresh_from_db()
    assert not any("纪检" in p for p in procedure.clearance_problems(nominee))
    ClearanceRequest.objects.filter(pk=discipline.pk).update(state="verifying", opinion="待核")
    assert any("纪检" in p for p in procedure.clearance_problems(nominee))


def test_c9_a_disagreement_no_longer_required_survives_a_name_changed_and_back(
    published, cc_staff, nanguan_unit
):
    """Review: 纪检监察 disagreed; the profile stopped requiring it; a name changed and changed
    back reset its answer to pending (asked again), which no longer held the nominee."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    discipline = nominee.clearances.get(function="discipline_inspection")
    ClearanceRequest.objects.filter(pk=discipline.pk).update(state="disagreed", opinion="在查")
    nominee_service.save_draft(cc_staff, nominee, unit_nature="other", staffing_type="enterprise")
    name = nominee.name
    nominee_service.save_draft(cc_staff, nominee, name="王某甲")
    nominee = nominee_service.save_draft(cc_staff, nominee, name=name)
    assert ClearanceRequest.objects.get(pk=discipline.pk).state == "disagreed"
    assert "纪检监察不同意，待办公室决定。" in procedure.clearance_problems(nominee)


def test_c9_a_clearance_rule_changed_after_publishing_does_not_hold_what_is_in_review(
    published, cc_staff, nanguan_unit, reviewers
):
    """Review: a department the office added to the plan's rules after publishing was never
    asked about a nominee already in review, and every tier's agreement was refused."""
    from laurel.nominations.services import review

    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    nominee.clearances.filter(function="public_security").delete()  # as if never required
    assert any("公安" in p for p in procedure.clearance_problems(nominee))
    assert procedure.review_problems(nominee) == []
    nominee = review.record_review(reviewers[("county", "hr")], nominee, decision="agree")
    assert nominee.review_opinions.filter(decision="agree").count() == 1
