"""C-8 step 6, C-2, C-11: approval, awards, public verification, revocation."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from laurel.core.roles import Role
from laurel.evaluation.models import Award
from laurel.evaluation.services import awards as award_services
from laurel.evaluation.services import lists as list_services
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as nominee_service
from tests.evaluation.test_list import through_the_leading_group
from tests.factories import UnitFactory, UserFactory
from tests.nominations.conftest import complete_individual

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(published, cc_staff, nanguan_unit, office):
    """Two individuals through recheck, panel, assessment, list and re-examination."""
    cache.clear()
    category = published.categories.get(kind="individual")
    people = []
    for index in range(3):
        person = complete_individual(cc_staff, published, nanguan_unit, name=f"获奖{index}")
        Nominee.objects.filter(pk=person.pk).update(state=Nominee.State.RECEIVED, review_round=1)
        person.refresh_from_db()
        people.append(person)
    chosen = through_the_leading_group(office, published, category, people)
    collective_list = published.categories.get(kind="collective")
    from laurel.evaluation.models import PreliminaryList

    PreliminaryList.objects.create(campaign=published, category=collective_list, state="approved")
    return chosen


def _provincial_notice(office, campaign, nominees):
    from laurel.public.services.notices import create_notice

    return create_notice(
        None,  # it ran in the past: the system's record of it
        campaign,
        level="province",
        nominees=nominees,
        starts_on=datetime.date(2026, 6, 1),
        contact="省表彰办 0431-1",
    )


def approve(office, campaign, awarded, document_number="吉政函〔2023〕12号"):
    """The provincial notice has run its course and the government approved (C-8 steps 5-6)."""
    _provincial_notice(office, campaign, awarded)
    return award_services.record_approval(
        office, campaign, document_number=document_number, approved_on=datetime.date(2026, 6, 20)
    )


def test_c2_awards_after_approval_with_certificates_and_bonus(published, office, awarded):
    with pytest.raises(ValidationError):
        award_services.issue_awards(office, published)  # no approval yet
    with pytest.raises(ValidationError) as error:
        award_services.record_approval(
            office,
            published,
            document_number="吉政函〔2023〕12号",
            approved_on=datetime.date(2026, 6, 20),
        )
    assert "尚未经省级公示期满" in error.value.messages[0]  # C-8 step 5
    approve(office, published, awarded)
    awards = award_services.issue_awards(office, published)
    assert len(awards) == 2
    assert all(a.bonus_amount == Decimal("4000.00") and a.certificate_number for a in awards)
    assert len({a.certificate_number for a in awards}) == 2
    assert set(
        Nominee.objects.filter(pk__in=[p.pk for p in awarded]).values_list("state", flat=True)
    ) == {"awarded"}
    assert award_services.issue_awards(office, published) == []  # idempotent


def test_verification_page_answers_valid_revoked_and_unknown(client, published, office, awarded):
    approve(office, published, awarded)
    award = award_services.issue_awards(office, published)[0]
    name, number = award.nominee.name, award.certificate_number
    html = client.post("/public/verify/", {"number": number, "name": name}).content.decode()
    assert "证书有效" in html and "吉林省保障性安居工程先进个人" in html
    assert award.nominee.id_number not in html and award.nominee.mobile not in html
    # typed off paper: full-width digits, groups spaced or dashed (issue 21)
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in number)
    for typed in (
        full_width,
        f"{number[:4]} {number[4:8]} {number[8:]}",
        f"{number[:4]}-{number[4:]}",
    ):
        answer = client.post("/public/verify/", {"number": typed, "name": name}).content.decode()
        assert "证书有效" in answer, typed
    assert (
        "未查到该证书"
        in client.post("/public/verify/", {"number": number, "name": "别人"}).content.decode()
    )
    assert (
        "未查到该证书"
        in client.post("/public/verify/", {"number": "0000", "name": name}).content.decode()
    )
    assert (
        f"<strong>{name}</strong>" in client.get("/public/honours/", {"q": name}).content.decode()
    )
    award_services.revoke_award(
        office,
        award,
        reason="查实弄虚作假",
        evidence="纪委函〔2023〕3号",
        certificate_recovered=True,
        bonus_recovered=True,
    )
    html = client.post("/public/verify/", {"number": number, "name": name}).content.decode()
    assert "该表彰已撤销" in html
    # Issue 20: the honour roll is searched by name or unit; a revoked award is gone from it.
    assert "没有找到" in client.get("/public/honours/", {"q": name}).content.decode()
    assert "没有找到" in client.get("/public/honours/", {"q": "不存在的名字"}).content.decode()
    # Issue 20: asked by POST only — a name in the address stays in histories and logs.
    html = client.get("/public/verify/", {"number": number, "name": name}).content.decode()
    assert 'method="post"' in html and "该表彰已撤销" not in html and "证书有效" not in html


def test_c11_revocation_recovers_and_forbids_resubmission(
    published, cc_staff, nanguan_unit, office, awarded
):
    approve(office, published, awarded)
    award = award_services.issue_awards(office, published)[0]
    with pytest.raises(ValidationError):
        award_services.revoke_award(
            office,
            award,
            reason="x",
            evidence=" ",
            certificate_recovered=False,
            bonus_recovered=False,
        )
    award = award_services.revoke_award(
        office,
        award,
        reason="查实弄虚作假",
        evidence="纪委函",
        certificate_recovered=True,
        bonus_recovered=False,
    )
    assert (award.state, award.certificate_recovered, award.bonus_recovered) == (
        "revoked",
        True,
        False,
    )
    nominee = Nominee.objects.get(pk=award.nominee_id)
    assert nominee.state == Nominee.State.REVOKED
    # No substitution: the approved list keeps its other names only; nobody is added.
    assert Award.objects.filter(state="valid").count() == 1
    # No resubmission of the same person in this campaign.
    with pytest.raises(ValidationError) as error:
        nominee_service.create_nominee(
            cc_staff,
            published,
            nominee.category,
            nominating_unit=nanguan_unit,
            name=nominee.name,
            id_number=nominee.id_number,
        )
    assert "不得重报" in error.value.messages[0]
    # Another unit of the body trying the same number learns only that it cannot be nominated:
    # neither the name on record nor that it was revoked (issue 19).
    other_unit = UnitFactory(
        name="长春市朝阳区住房保障服务中心",
        division=nanguan_unit.division,
        tier="county",
        kind="public_institution",
    )
    with pytest.raises(ValidationError) as error:
        nominee_service.create_nominee(
            cc_staff,
            published,
            nominee.category,
            nominating_unit=other_unit,
            name="另一人",
            id_number=nominee.id_number,
        )
    message = " ".join(error.value.messages)
    assert "不能再被推荐" in message
    assert nominee.name not in message and "撤销" not in message and "C-11" not in message


def test_approval_needs_every_list_re_examined(published, office):
    with pytest.raises(ValidationError) as error:
        award_services.record_approval(
            office, published, document_number="x", approved_on=datetime.date(2026, 6, 20)
        )
    assert "尚未经领导小组复审同意" in error.value.messages[0]


def test_c11_a_bonus_recovered_after_the_revocation_is_recorded_and_the_form_says_revoked(
    client, published, office, awarded, cc_staff
):
    """Probe: the recovery of a certificate or a bonus could only be recorded with the
    revocation itself (the rule required a valid award), and 附件3 printed afterwards showed the
    approval as if the award stood."""
    from laurel.documents import docx, official
    from tests.documents.helpers import docx_text

    approve(office, published, awarded)
    award = award_services.issue_awards(office, published)[0]
    with pytest.raises(ValidationError):  # a valid award: nothing to recover
        award_services.record_recovery(
            office, award, certificate_recovered=True, bonus_recovered=False
        )
    award = award_services.revoke_award(
        office,
        award,
        reason="查实弄虚作假",
        evidence="纪委函",
        certificate_recovered=True,
        bonus_recovered=False,
    )
    with pytest.raises(PermissionDenied):
        award_services.record_recovery(
            cc_staff, award, certificate_recovered=True, bonus_recovered=True
        )
    client.force_login(office)
    page = client.get(f"/evaluation/awards/?campaign={published.pk}").content.decode()
    assert 'value="recover"' in page
    client.post(
        f"/evaluation/awards/?campaign={published.pk}",
        {"action": "recover", "award": award.pk, "bonus_recovered": "1"},
    )
    award.refresh_from_db()
    assert (award.certificate_recovered, award.bonus_recovered) == (True, True)
    with pytest.raises(ValidationError):  # nothing new to record
        award_services.record_recovery(
            office, award, certificate_recovered=False, bonus_recovered=False
        )
    Award.objects.filter(pk=award.pk).update(bonus_amount=0, bonus_recovered=False)
    with pytest.raises(ValidationError) as error:  # a crafted POST: no bonus was ever paid
        award_services.record_recovery(
            office, award, certificate_recovered=False, bonus_recovered=True
        )
    assert "无奖金可收回" in error.value.messages[0]
    nominee = Nominee.objects.get(pk=award.nominee_id)
    form = docx_text(docx.render(official.nominee_documents(nominee, full=True)[0]))
    assert "（该表彰已撤销）" in form


def test_awards_page_records_approval_issues_and_revokes(client, published, office, awarded):
    _provincial_notice(office, published, awarded)
    client.force_login(office)
    url = f"/evaluation/awards/?campaign={published.pk}"
    client.post(
        url,
        {"action": "approve", "document_number": "吉政函〔2023〕12号", "approved_on": "2026-06-20"},
    )
    client.post(url, {"action": "issue"})
    html = client.get(url).content.decode()
    assert "吉政函〔2023〕12号" in html and "8000.00" in html
    award = Award.objects.first()
    client.post(
        url,
        {
            "action": "revoke",
            "award": award.pk,
            "reason": "弄虚作假",
            "evidence": "函",
            "certificate_recovered": "1",
            "bonus_recovered": "1",
        },
    )
    award.refresh_from_db()
    assert award.state == "revoked"
    assert client.post(url, {"action": "approve", "approved_on": "not-a-date"}).status_code == 302
    cc = UserFactory(unit=office.unit, roles=[Role.NOMINATING_BODY])
    client.force_login(cc)
    assert client.get(url).status_code == 403


def test_honour_roll_lists_valid_awards_only(client, published, office, awarded):
    approve(office, published, awarded)
    first, second = award_services.issue_awards(office, published)
    html = client.get("/public/honours/").content.decode()
    assert first.nominee.name in html and second.nominee.name in html
    assert first.nominee.id_number not in html and "吉林省保障性安居工程先进个人" in html
    award_services.revoke_award(
        office,
        first,
        reason="弄虚作假",
        evidence="函",
        certificate_recovered=True,
        bonus_recovered=True,
    )
    html = client.get("/public/honours/").content.decode()
    assert first.nominee.name not in html and second.nominee.name in html


def test_awards_reach_the_registry_in_the_same_transaction_and_follow_revocation(
    published, office, awarded
):
    """Issue 17: evaluation files an award of a title with treatment in the registry through the
    registry's service, inside the award's own transaction (never half done), and keeps the
    link; issuing again adds nothing; a revocation revokes the honour."""
    from laurel.registry.models import Honour

    category = published.categories.get(kind="individual")
    category.treatment = "享受省级劳动模范待遇"
    category.save()
    approve(office, published, awarded)
    awards = award_services.issue_awards(office, published)
    linked = [a for a in awards if a.registry_honour_id]
    assert len(linked) == 2 and Honour.objects.count() == 2
    assert {h.origin for h in Honour.objects.all()} == {Honour.Origin.AWARD}
    assert award_services.issue_awards(office, published) == []
    assert Honour.objects.count() == 2
    award_services.revoke_award(
        office,
        linked[0],
        reason="弄虚作假",
        evidence="函",
        certificate_recovered=True,
        bonus_recovered=True,
    )
    assert Honour.objects.get(pk=linked[0].registry_honour_id).status == Honour.Status.REVOKED
    assert Honour.objects.get(pk=linked[1].registry_honour_id).status == Honour.Status.HELD


def test_assessments_are_settled_once_the_government_has_approved(
    client, published, office, awarded
):
    from laurel.evaluation.models import Assessment

    colleague = UserFactory(unit=office.unit, roles=[Role.ASSESSMENT_TEAM])  # not yet assessed
    client.force_login(colleague)
    # The lists went to the leading group: the assessments are what it read.
    page = client.get("/evaluation/assess/").content.decode()
    assert awarded[0].name not in page and "暂无考核对象" in page
    assert "待考核" not in client.get("/inbox/").content.decode()
    with pytest.raises(ValidationError) as error:
        list_services.record_assessment(colleague, awarded[0], recommend=False, findings="不同意")
    assert error.value.messages == ["初选名单已报领导小组复审，考核情况不能再修改。"]
    approve(office, published, awarded)
    with pytest.raises(ValidationError) as error:
        list_services.record_assessment(colleague, awarded[0], recommend=False, findings="不同意")
    assert error.value.messages == ["该活动已经审定，考核情况不能再修改。"]
    assert not Assessment.objects.filter(assessor=colleague).exists()
    page = client.get("/evaluation/assess/").content.decode()
    assert awarded[0].name not in page and "暂无考核对象" in page
    assert "待考核" not in client.get("/inbox/").content.decode()


def test_the_nominating_unit_is_told_of_the_decision(
    published, office, awarded, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 20: the award step is mailed to the officers of each nominating unit."""
    unit = awarded[0].nominating_unit
    officer = UserFactory(unit=unit, roles=[Role.NOMINATING_UNIT], email="tb@x.invalid")
    approve(office, published, awarded)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.issue_awards(office, published)
    mails = [m for m in mailoutbox if "表彰决定已下达" in m.subject and officer.email in m.to]
    assert len(mails) == 1
    names = [n.name for n in awarded if n.nominating_unit_id == unit.pk]
    assert "吉政函〔2023〕12号" in mails[0].body and "、".join(names) in mails[0].body


def test_c11_a_nominee_withdrawn_by_a_founded_objection_is_neither_approved_nor_awarded(
    published, office, awarded
):
    """A founded objection on the provincial notice withdraws the nominee (C-8 step 5, C-11):
    the approval and the awards go to the rest of the list, with no substitute."""
    from laurel.public.models import Objection
    from laurel.public.services import notices as notice_services

    notice = _provincial_notice(office, published, awarded)
    target, other = awarded
    objection = Objection.objects.create(
        reference="YY20260601000001", notice=notice, nominee=target, content="材料造假"
    )
    notice_services.resolve_objection(office, objection, founded=True, note="经核查属实")
    award_services.record_approval(
        office,
        published,
        document_number="吉政函〔2026〕12号",
        approved_on=datetime.date(2026, 6, 20),
    )
    awards = award_services.issue_awards(office, published)
    assert [a.nominee_id for a in awards] == [other.pk]
    target.refresh_from_db()
    assert target.state == Nominee.State.WITHDRAWN and not Award.objects.filter(nominee=target)


def test_c11_an_awarded_nominee_is_not_withdrawn_through_a_new_unit_notice(
    published, office, awarded, cc_staff
):
    """The nominating body cannot put a commended nominee on a unit notice of its own and
    withdraw it by its own objection's verdict: a commendation is taken back by the office's
    revocation only."""
    from django.utils import timezone

    from laurel.public.services import notices as notice_services

    approve(office, published, awarded)
    award_services.issue_awards(office, published)
    target = Nominee.objects.get(pk=awarded[0].pk)
    for level, actor in (("unit", cc_staff), ("province", office)):
        with pytest.raises(ValidationError) as refused:
            notice_services.create_notice(
                actor,
                published,
                level=level,
                nominees=[target],
                starts_on=timezone.localdate(),
                contact="长春 0431",
            )
        assert "当前状态为“已表彰”" in refused.value.messages[0]
    target.refresh_from_db()
    assert target.state == Nominee.State.AWARDED


def test_c8_the_approval_is_dated_after_the_provincial_notice_and_not_in_the_future(
    published, office, awarded
):
    _provincial_notice(office, published, awarded)  # 2026-06-01 … 2026-06-05
    for day, message in (
        (datetime.date(2023, 4, 20), "审定日期须在省级公示期满（2026-06-05）之后"),
        (datetime.date(2026, 6, 5), "审定日期须在省级公示期满（2026-06-05）之后"),
        (datetime.date(2099, 12, 31), "审定日期不能晚于今天"),
    ):
        with pytest.raises(ValidationError) as refused:
            award_services.record_approval(
                office, published, document_number="吉政函〔2026〕12号", approved_on=day
            )
        assert message in refused.value.messages[0]
    approval = award_services.record_approval(
        office,
        published,
        document_number="吉政函〔2026〕12号",
        approved_on=datetime.date(2026, 6, 8),
    )
    assert approval.approved_on == datetime.date(2026, 6, 8)


def test_c11_an_objection_found_true_after_the_award_leaves_the_award_to_revocation(
    published, office, awarded
):
    """Should an objection reach a commended nominee, its verdict does not withdraw the
    nominee behind the award's back: the office is told to revoke (reason, evidence, recovery)."""
    from laurel.public.models import Objection
    from laurel.public.services import notices as notice_services

    notice = _provincial_notice(office, published, awarded)
    approve(office, published, awarded)
    award_services.issue_awards(office, published)
    target = Nominee.objects.get(pk=awarded[0].pk)
    late = Objection.objects.create(
        reference="YY20260601000002", notice=notice, nominee=target, content="材料造假"
    )
    with pytest.raises(ValidationError) as refused:
        notice_services.resolve_objection(office, late, founded=True, note="经核查属实")
    assert "须由省级表彰工作办公室依程序撤销表彰" in refused.value.messages[0]
    target.refresh_from_db()
    assert target.state == Nominee.State.AWARDED and target.award.state == Award.State.VALID
