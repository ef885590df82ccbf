"""Found by the adversarial review of 2026-11-29 (third session): filing into a person the
database already holds, classified people on the pages around the registration page, evidence,
duplicates through an edit, honours dated on days that cannot be."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.orgs.models import UnitFunction
from laurel.registry.models import Registration
from laurel.registry.services import registrations as service
from tests.factories import UnitFactory, UserFactory
from tests.registry.conftest import file_through, model_worker, new_id, register
from tests.registry.test_views import PDF

F = UnitFunction.Function
D = datetime.date
pytestmark = pytest.mark.django_db


def _later_drive(area, name, year):
    """A drive after the first one, its deadlines in the H-5 pattern from ``year``."""
    return service.open_drive(
        area.office,
        name=name,
        contacts_due=D(year, 12, 10),
        provincial_units_due=D(year, 12, 31),
        counties_due=D(year + 1, 1, 15),
        cities_due=D(year + 1, 1, 31),
        province_due=D(year + 1, 2, 28),
    )


@pytest.fixture
def second_drive(area):
    return _later_drive(area, "第二次统计登记", 2023)


def _through_the_tiers(area, registration, functions=(F.HR_SOCIAL_SECURITY, F.TRADE_UNION)):
    for tier in ("county", "city", "province"):
        for function in functions:
            registration = service.record_opinion(
                area.reviewer(tier, function), registration, decision="agree"
            )
    return registration


def test_h1_a_person_the_database_holds_as_deceased_is_not_filed_again_as_living(
    client, area, drive, second_drive
):
    """The registering unit is not told whom the database holds (that would be an unlogged
    look-up by ID number for any registrar); the reviewers are, and the filing is refused."""
    from laurel.registry import checks

    id_number = new_id()
    person = file_through(area, register(area, drive, id_number=id_number)).person
    person.living = False
    person.save()
    again = register(
        area, second_drive, unit=area.township, user=area.township_user, id_number=id_number
    )
    assert checks.findings(again) == []  # nothing the township sees
    again = service.submit_registration(area.township_user, again)
    assert [f.code for f in checks.filed_person_findings(again)] == ["h1_filed_deceased"]
    client.force_login(area.reviewer("county", F.HR_SOCIAL_SECURITY))
    page = client.get(f"/registry/registrations/{again.pk}/").content.decode()
    assert "已登记为去世" in page
    with pytest.raises(ValidationError) as refused:
        _through_the_tiers(area, again)
    assert "已登记为去世" in refused.value.messages[0]
    person.refresh_from_db()
    assert person.living is False and person.died_on is not None


def test_h6_a_classified_person_stays_classified_on_a_later_registration_and_when_filed(
    area, drive, second_drive
):
    from laurel.registry import checks

    id_number = new_id()
    person = file_through(
        area, register(area, drive, id_number=id_number, classified=True, position="")
    ).person
    again = register(
        area,
        second_drive,
        unit=area.township,
        user=area.township_user,
        id_number=id_number,
        name="王某某",
        classified=False,
        position="",
    )
    assert again.classified is True  # its pages de-sensitise the person for every reviewer
    codes = [f.code for f in checks.filed_person_findings(again)]
    assert codes == ["h6_filed_name"]  # the reviewers are told before they agree
    again = service.submit_registration(area.township_user, again)
    assert _through_the_tiers(area, again).state == Registration.State.FILED
    person.refresh_from_db()
    assert person.classified is True


def test_h6_the_inbox_drive_page_and_audit_trail_never_name_a_classified_person(
    client, area, drive
):
    registration = register(area, drive, name="保密人", classified=True, position="")
    registration = service.submit_registration(area.school_user, registration)
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)
    inbox = client.get("/inbox/").content.decode()
    assert "涉密人员" in inbox and "保密人" not in inbox and "南关区实验小学" not in inbox
    drive_page = client.get(f"/registry/drives/{drive.pk}/").content.decode()
    assert "保密人" not in drive_page  # the drive's 2022 deadlines are past: it is overdue
    assert "涉密人员" in drive_page
    service.record_opinion(reviewer, registration, decision="agree")
    union = area.reviewer("county", F.TRADE_UNION)
    service.record_opinion(union, registration, decision="agree")  # moves it up: an audit row
    client.force_login(union)
    done = client.get("/inbox/", {"tab": "done"}).content.decode()
    assert "涉密人员" in done and "保密人" not in done
    page = client.get(f"/registry/registrations/{registration.pk}/").content.decode()
    assert "保密人" not in page and "南关区实验小学" not in page


def test_h6_a_classified_draft_is_edited_only_by_its_own_unit_and_the_office(client, area, drive):
    registration = register(area, drive, name="保密人", classified=True, position="")
    county_body = UserFactory(
        unit=UnitFactory(
            name="南关区评选推荐工作机构",
            division=Division.objects.get(code="220102"),
            tier="county",
        ),
        roles=[Role.NOMINATING_BODY],
    )
    for user in (area.bureau_user, county_body):
        assert not user.has_perm("registry.change_registration", registration)
        client.force_login(user)
        edit = client.get(f"/registry/registrations/{registration.pk}/edit/")
        assert "保密人" not in edit.content.decode()
    assert area.school_user.has_perm("registry.change_registration", registration)
    assert area.office.has_perm("registry.change_registration", registration)
    plain = register(area, drive, id_number=new_id(), name="普通人")
    assert area.bureau_user.has_perm("registry.change_registration", plain)


def test_h6_the_printed_form_of_a_classified_person_leaves_out_the_ethnicity(client, area, drive):
    registration = register(
        area, drive, name="保密人", classified=True, position="", ethnicity="02"
    )
    client.force_login(area.bureau_user)
    response = client.get(f"/documents/registrations/{registration.pk}/form.docx")
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "保密人" not in xml and "蒙古族" not in xml and "南关区实验小学" not in xml


def test_h6_evidence_is_served_to_who_may_read_the_person_not_to_every_viewer(
    client, area, drive, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    secret = register(area, drive, name="保密人", classified=True, position="")
    plain = register(area, drive, id_number=new_id(), name="普通人")
    client.force_login(area.school_user)
    for registration in (secret, plain):
        client.post(
            f"/registry/registrations/{registration.pk}/evidence/",
            {"title": "表彰文件", "file": SimpleUploadedFile("a.pdf", PDF)},
        )
    secret_file, plain_file = secret.evidence_files.get(), plain.evidence_files.get()
    for registration in (secret, plain):
        service.submit_registration(area.school_user, registration)
    police = UserFactory(
        unit=UnitFactory(
            name="长春市公安局", division=Division.objects.get(code="220100"), tier="prefecture"
        ),
        roles=[Role.CLEARANCE_DEPARTMENT],
    )
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    cases = [
        (police, secret_file, 404),
        (police, plain_file, 404),  # no right to a person's data at all
        (reviewer, secret_file, 404),  # classified: the office and the filing unit only
        (reviewer, plain_file, 200),
        (area.bureau_user, plain_file, 200),  # the supervising unit reviews it first
        (area.bureau_user, secret_file, 404),
        (area.school_user, secret_file, 200),  # its own upload
        (area.office, secret_file, 200),
    ]
    for user, evidence, status in cases:
        client.force_login(user)
        response = client.get(f"/registry/evidence/{evidence.pk}/")
        assert response.status_code == status, (user.username, evidence.registration.name)
    client.force_login(reviewer)
    page = client.get(f"/registry/registrations/{secret.pk}/").content.decode()
    assert "表彰文件" not in page and "已上传佐证材料1份" in page


def test_one_id_number_is_registered_once_a_drive_an_edit_included(area, drive):
    taken = new_id()
    register(area, drive, unit=area.township, user=area.township_user, id_number=taken)
    mine = register(area, drive, id_number=new_id())
    with pytest.raises(ValidationError) as refused:
        service.update_registration(area.school_user, mine, id_number=taken, gender="")
    assert "id_number" in refused.value.message_dict
    mine.refresh_from_db()
    assert Registration.objects.filter(drive=drive, id_hash=mine.id_hash).count() == 1
    # the database holds it too, against two units saving at the same moment
    from django.db import IntegrityError, transaction

    copy = Registration.objects.get(pk=mine.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_h1_an_honour_dated_after_today_or_before_birth_is_refused(area, drive):
    registration = register(
        area,
        drive,
        id_number=new_id(birth=D(1980, 1, 1)),
        honours=[
            model_worker(awarded_on=D(2099, 4, 28)),
            model_worker(title="吉林省先进工作者", awarded_on=D(1960, 1, 1)),
        ],
    )
    with pytest.raises(ValidationError) as refused:
        service.submit_registration(area.school_user, registration)
    messages = " ".join(refused.value.messages)
    assert "授予时间晚于今天" in messages and "授予时间早于出生日期" in messages


def test_h2_a_farmer_is_registered_by_the_township_not_by_another_unit(area, drive):
    with pytest.raises(ValidationError) as refused:
        register(area, drive, is_farmer_or_no_unit=True, unit_name="")
    assert "is_farmer_or_no_unit" in refused.value.message_dict
    farmer = register(
        area,
        drive,
        unit=area.township,
        user=area.township_user,
        is_farmer_or_no_unit=True,
        unit_name="",
        position="",
    )
    assert service.submit_registration(area.township_user, farmer).state == "submitted"
    drafted = register(area, drive, id_number=new_id())
    with pytest.raises(ValidationError):
        service.update_registration(area.school_user, drafted, is_farmer_or_no_unit=True)


def test_h2_a_non_public_enterprise_without_a_supervisor_does_not_register_itself(area, drive):
    private = UnitFactory(
        name="某民营公司",
        division=Division.objects.get(code="220102"),
        tier="county",
        kind="enterprise",
        ownership="non_public",
    )
    user = UserFactory(unit=private, roles=[Role.NOMINATING_UNIT])
    with pytest.raises(ValidationError) as refused:
        register(area, drive, unit=private, user=user)
    assert "无主管部门" in refused.value.messages[0]
    assert not Registration.objects.filter(filing_unit=private).exists()


def test_h5_a_closed_drive_takes_no_new_edit_or_submission_and_reviews_what_it_holds(
    client, area, drive
):
    draft = register(area, drive)
    under_review = service.submit_registration(
        area.school_user, register(area, drive, id_number=new_id(), name="李四")
    )
    client.force_login(area.school_user)
    assert client.post(f"/registry/drives/{drive.pk}/", {"action": "close", "reason": "x"})
    drive.refresh_from_db()
    assert drive.status == "open"  # only the office closes a drive
    with pytest.raises(ValidationError):
        service.close_drive(area.office, drive, reason="  ")
    client.force_login(area.office)
    client.post(f"/registry/drives/{drive.pk}/", {"action": "close", "reason": "已按期完成备案"})
    drive.refresh_from_db()
    assert drive.status == "closed"
    with pytest.raises(ValidationError) as refused:
        service.update_registration(area.school_user, draft, position="校长")
    assert "统计登记工作已结束" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        service.submit_registration(area.school_user, draft)
    with pytest.raises(ValidationError):
        register(area, drive, id_number=new_id(), name="王五")
    reviewed = service.record_opinion(area.bureau_user, under_review, decision="agree")
    assert reviewed.current_tier == "county"


def test_h6_a_classified_registrations_findings_name_an_honour_without_its_date(
    client, area, drive
):
    """The findings printed each honour's month, which the table on the same page hides for a
    classified person (H-6: no date)."""
    from laurel.registry import checks

    registration = register(
        area,
        drive,
        classified=True,
        position="",
        honours=[model_worker(title="某工程特等功", treatment="")],
    )
    messages = [f.message for f in checks.findings(registration)]
    assert "第1项表彰“某工程特等功”：请填写表彰文件中明确的待遇（如“享受省级劳动模范待遇”）。" in (
        messages
    )
    assert not any("2015" in m for m in messages)
    client.force_login(area.school_user)
    page = client.get(f"/registry/registrations/{registration.pk}/").content.decode()
    assert "第1项表彰“某工程特等功”" in page and "2015.04" not in page
    plain = register(area, drive, honours=[model_worker(treatment="")])
    assert any("“吉林省劳动模范”（2015.04）" in f.message for f in checks.findings(plain))


def test_h3_h6_only_the_departments_that_review_honours_read_an_honorees_data(
    client, area, drive, settings, tmp_path
):
    """Probe (sixth session): every reviewing department of the area — the county housing
    bureau that reviews a campaign's nominees included — searched the honorees, unmasked ID
    numbers and phones and downloaded the personnel-file evidence. H-3 names who reviews
    honours (organization, HR & social security, the trade union), and a department reads a
    person's data only for the honours it reviews (H-6 "谁审核、谁负责")."""
    settings.MEDIA_ROOT = tmp_path
    housing = UserFactory(
        unit=UnitFactory(
            name="南关区住房和城乡建设局",
            division=Division.objects.get(code="220102"),
            tier="county",
            functions=[F.HOUSING],
        ),
        roles=[Role.REVIEWING_DEPARTMENT],
    )
    registration = register(area, drive, name="李建国", phone="13911112222")  # a model worker
    client.force_login(area.school_user)
    client.post(
        f"/registry/registrations/{registration.pk}/evidence/",
        {"title": "人事档案页", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    evidence = registration.evidence_files.get()
    registration = file_through(area, registration)
    person = registration.person

    client.force_login(housing)
    assert client.get("/registry/", {"name": "李"}).status_code == 403
    assert client.get("/registry/statistics/").status_code == 403
    assert client.get("/treatment/entitlements/").status_code == 403
    assert client.get("/treatment/").status_code == 403  # nor the policy page that links there
    page = client.post(f"/registry/people/{person.pk}/", {"action": "unmask"})
    assert registration.id_number not in page.content.decode()
    assert "13911112222" not in page.content.decode()
    assert client.get(f"/registry/evidence/{evidence.pk}/").status_code == 404
    # The organization department reviews Party honours and 人民满意的公务员, not a model worker's.
    org = area.reviewer("county", F.ORGANIZATION)
    assert not org.has_perm("registry.view_evidence", registration)
    assert not org.has_perm("registry.view_personal_data", person)
    assert org.has_perm("registry.search_people")  # it reviews other honourees of the county
    # The departments on the model worker's route read it (H-3: HR with the trade union).
    for function in (F.HR_SOCIAL_SECURITY, F.TRADE_UNION):
        reviewer = area.reviewer("county", function)
        assert reviewer.has_perm("registry.view_evidence", registration)
        assert reviewer.has_perm("registry.view_personal_data", person)


def test_h6_the_account_that_entered_a_registration_does_not_sign_its_review(area, drive):
    """Probe (sixth session): a county HR bureau's officer with a registrar's and a reviewer's
    role entered its own staff's registration, submitted it and signed the county HR review
    with the same account. Four eyes, as for hardship: another officer of the bureau signs."""
    hr_unit, _reviewer = area.departments[("county", F.HR_SOCIAL_SECURITY)]
    officer = UserFactory(unit=hr_unit, roles=[Role.NOMINATING_UNIT, Role.REVIEWING_DEPARTMENT])
    registration = register(
        area,
        drive,
        unit=hr_unit,
        user=officer,
        honours=[model_worker(title="吉林省五一劳动奖章", honour_type="other")],
    )
    registration = service.submit_registration(officer, registration)
    assert registration.current_tier == "county" and registration.submitted_by_id == officer.pk
    assert not officer.has_perm("registry.review_registration", registration)
    with pytest.raises(ValidationError) as error:
        service.record_opinion(officer, registration, decision="agree")
    assert error.value.messages == [
        "该登记表由您本人填报或上报，须由本单位其他人员审核（双人复核）。"
    ]
    colleague = UserFactory(unit=hr_unit, roles=[Role.REVIEWING_DEPARTMENT])
    registration = service.record_opinion(colleague, registration, decision="agree")
    assert registration.current_tier == "city"


def test_h4_a_review_page_opened_before_a_send_back_never_signs_the_next_round(client, area, drive):
    """Probe (sixth session): the review form carried no round, so county HR's page opened in
    round 1 signed round 2 (resubmitted with other honours) unread. The form posts the round it
    showed; another round is refused with a message."""
    registration = register(area, drive)
    registration = service.submit_registration(area.school_user, registration)
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    hr = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(hr)
    page = client.get(f"/registry/registrations/{registration.pk}/").content.decode()
    assert 'name="round" value="1"' in page
    service.record_opinion(
        area.reviewer("county", F.TRADE_UNION), registration, decision="send_back", text="补材料"
    )
    registration.refresh_from_db()
    registration = service.submit_registration(area.school_user, registration)
    registration = service.record_opinion(area.bureau_user, registration, decision="agree")
    assert (registration.round, registration.current_tier) == (2, "county")
    response = client.post(
        f"/registry/registrations/{registration.pk}/review/",
        {"decision": "agree", "round": "1"},
        follow=True,
    )
    assert "您打开的页面是第1轮的，请刷新页面阅读后再审核" in response.content.decode()
    registration.refresh_from_db()
    assert (
        registration.current_tier == "county"
        and not registration.opinions.filter(round=2, department=hr.unit).exists()
    )
    client.post(
        f"/registry/registrations/{registration.pk}/review/", {"decision": "agree", "round": "2"}
    )
    assert registration.opinions.filter(round=2, department=hr.unit).exists()


def test_h5_a_closed_drive_takes_no_contact_table(client, area, drive):
    """Probe (sixth session): after the drive closed, its page still took a 附件5 table."""
    service.close_drive(area.office, drive, "已按期完成省级备案")
    client.force_login(area.school_user)
    page = client.get(f"/registry/drives/{drive.pk}/").content.decode()
    assert 'name="contact_name"' not in page
    response = client.post(
        f"/registry/drives/{drive.pk}/",
        {
            "leader_name": "李明",
            "leader_position": "校长",
            "contact_name": "王芳",
            "contact_position": "办公室主任",
            "office_phone": "0431-88888888",
            "mobile": "13800000000",
        },
        follow=True,
    )
    assert "该统计登记工作已结束，不能再报送负责人员联系表。" in response.content.decode()
    assert not drive.contacts.exists()


def test_h1_c11_an_honour_the_database_holds_as_revoked_is_not_filed_again_as_held(
    area, drive, second_drive
):
    """Probe (sixth session): after a revocation the next drive registered the same title dated
    a day off, no reviewer was told, and filing added a second, held honour of that title."""
    from laurel.registry import checks
    from laurel.registry.models import Honour
    from laurel.registry.services.honours import revoke_honour

    id_number = new_id()
    person = file_through(area, register(area, drive, id_number=id_number)).person
    revoke_honour(None, person.honours.get(), "撤销其劳动模范称号")
    again = register(
        area, second_drive, id_number=id_number, honours=[model_worker(awarded_on=D(2015, 4, 29))]
    )
    again = service.submit_registration(area.school_user, again)
    [finding] = checks.filed_person_findings(again)
    assert finding.blocking and "“吉林省劳动模范”在省级数据库中已撤销" in finding.message
    again = service.record_opinion(area.bureau_user, again, decision="agree")
    with pytest.raises(ValidationError) as error:
        _through_the_tiers(area, again)
    assert "已撤销，不能再备案为保持荣誉" in error.value.messages[0]
    assert not person.honours.filter(status=Honour.Status.HELD).exists()
    # The same title awarded again another year (final review): a warning, and it is filed.
    third_drive = _later_drive(area, "第三次统计登记", 2024)
    repeat = register(
        area, third_drive, id_number=id_number, honours=[model_worker(awarded_on=D(2020, 4, 28))]
    )
    repeat = service.submit_registration(area.school_user, repeat)
    [finding] = checks.filed_person_findings(repeat)
    assert not finding.blocking and "曾在另一年度被撤销" in finding.message
    repeat = service.record_opinion(area.bureau_user, repeat, decision="agree")
    repeat = _through_the_tiers(area, repeat)
    assert repeat.state == Registration.State.FILED
    assert person.honours.filter(status=Honour.Status.HELD, awarded_on=D(2020, 4, 28)).exists()


def test_h3_h6_a_refusal_is_named_to_the_reviewers_of_a_registration_entered_again(area, drive):
    """Probe (sixth session): the trade union refused a model worker (不予登记); the unit entered
    the same ID number again typed "other", so HR alone filed it and nobody read the refusal.
    The title decides the type (blocking), and the earlier refusal is shown to the reviewers."""
    from laurel.registry import checks

    id_number = new_id()
    first = register(area, drive, id_number=id_number)
    first = service.submit_registration(area.school_user, first)
    first = service.record_opinion(area.bureau_user, first, decision="agree")
    first = service.record_opinion(
        area.reviewer("county", F.HR_SOCIAL_SECURITY), first, decision="agree"
    )
    first = service.record_opinion(
        area.reviewer("county", F.TRADE_UNION),
        first,
        decision="reject",
        text="非劳动模范，查无此文",
    )
    assert first.state == Registration.State.REJECTED
    again = register(area, drive, id_number=id_number, honours=[model_worker(honour_type="other")])
    with pytest.raises(ValidationError) as error:
        service.submit_registration(area.school_user, again)
    assert error.value.messages == [
        "“吉林省劳动模范”（2015.04）：该称号属于“劳动模范（先进工作者）”，表彰类型须选此项"
        "（H-3：按类型确定审核部门）。"
    ]
    service.set_honours(area.school_user, again, [model_worker()])
    again = service.submit_registration(area.school_user, again)
    warnings = [f.message for f in checks.filed_person_findings(again)]
    assert any("曾被" in w and "不予登记" in w and "非劳动模范，查无此文" in w for w in warnings)


def test_h6_a_registration_matching_a_classified_person_is_logged_as_a_lookup(
    area, drive, second_drive
):
    """Probe (sixth session): a township that may not see a classified person typed ID numbers
    into a draft and watched it turn 涉密 — a silent test against the classified list. The form
    must still turn 涉密 (its pages would otherwise name the person), so each match is written to
    the audit trail as a lookup by ID number, which the office reads."""
    from laurel.core.models import AuditLog
    from laurel.registry.models import Person

    secret_id = new_id()
    file_through(area, register(area, drive, id_number=secret_id, classified=True, position=""))
    township = area.township_user
    assert not Person.objects.restrict(township).exists()
    draft = register(
        area, second_drive, unit=area.township, user=township, is_farmer_or_no_unit=True
    )
    service.update_registration(township, draft, id_number=new_id(), classified=False)
    assert not AuditLog.objects.filter(object_id="search", actor=township).exists()
    draft = service.update_registration(township, draft, id_number=secret_id, classified=False)
    assert draft.classified
    [row] = AuditLog.objects.filter(object_id="search", actor=township)
    assert row.object_repr.startswith("按身份证号码查询：") and secret_id not in row.object_repr
    # saving the same form again (its number unchanged) is no new lookup (review)
    service.update_registration(township, draft, id_number=secret_id, position="")
    service.update_registration(township, draft, name="张三")
    assert AuditLog.objects.filter(object_id="search", actor=township).count() == 1
    # a form that turns 涉密 on a later save (the person classified since) is logged too
    Registration.objects.filter(pk=draft.pk).update(classified=False)
    service.update_registration(township, draft, name="张三", classified=False)
    assert AuditLog.objects.filter(object_id="search", actor=township).count() == 2


def test_h3_a_ministrys_advanced_worker_is_another_honour_whatever_its_title(area, drive):
    """Review: H-3 names the national and Jilin 劳动模范（先进工作者）; a ministry's system honour
    (H-1's ministry kinds) is "other", HR leading — the title check does not force its type."""
    from laurel.registry import checks

    honour = model_worker(
        title="全国教育系统先进工作者",
        kind="ministry_from_1995",
        honour_type="other",
        awarding_body="教育部、人力资源和社会保障部",
        document_number="人社部发〔2019〕60号",
        confirmation_document="人社部发〔2019〕60号",
        awarded_on=D(2019, 9, 5),
        treatment="享受省部级先进工作者待遇",
    )
    assert checks.title_type(honour["title"], honour["kind"]) is None
    # but the province's own 劳动模范 under a ministry's kind is still a model worker (review)
    assert checks.title_type("吉林省劳动模范", "ministry_from_1995") == "model_worker"
    assert checks.title_type("全国优秀共产党员", "ministry_pre_1995") == "party"
    assert (
        checks.title_type("吉林省先进工作者", "provincial_committee_government") == "model_worker"
    )
    registration = service.submit_registration(
        area.school_user, register(area, drive, honours=[honour])
    )
    assert registration.state == Registration.State.SUBMITTED
