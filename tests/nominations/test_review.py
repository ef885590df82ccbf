"""Tiered review (C-8 step 2, 附件2/附件3 review rows): county → city → province."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from laurel.core.models import AuditLog, Division
from laurel.core.roles import Role
from laurel.nominations import tiers
from laurel.nominations.models import Nominee, ReviewOpinion
from laurel.nominations.services import nominees as nominee_service
from laurel.nominations.services import review
from laurel.orgs.models import UnitFunction
from tests.factories import UnitFactory, UserFactory
from tests.nominations.conftest import complete_collective, complete_individual

pytestmark = pytest.mark.django_db
F = UnitFunction.Function


@pytest.fixture
def reviewers(jilin_units):
    def department(name, code, function, existing=None):
        unit = existing or UnitFactory(name=name, division=Division.objects.get(code=code))
        UnitFunction.objects.get_or_create(unit=unit, function=function)
        return UserFactory(
            unit=unit, roles=[Role.REVIEWING_DEPARTMENT], email=f"{function}{code}@x.invalid"
        )

    return {
        ("county", "hr"): department("南关区人社局", "220102", F.HR_SOCIAL_SECURITY),
        ("county", "housing"): department("南关区住建局", "220102", F.HOUSING),
        ("city", "hr"): department("长春市人社局", "220100", F.HR_SOCIAL_SECURITY),
        ("city", "housing"): department(
            "", "220100", F.HOUSING, jilin_units["长春市住房和城乡建设局"]
        ),
        ("province", "hr"): department("吉林省人社厅", "220000", F.HR_SOCIAL_SECURITY),
        ("province", "housing"): department(
            "", "220000", F.HOUSING, jilin_units["吉林省住房和城乡建设厅"]
        ),
    }


def _agree(reviewers, tier, nominee):
    for function in ("hr", "housing"):
        nominee = review.record_review(reviewers[(tier, function)], nominee, decision="agree")
    return nominee


def _transitions(nominee):
    rows = AuditLog.objects.filter(
        content_type__model="nominee", object_id=str(nominee.pk), action="transition"
    ).order_by("id")
    return [(c["old"], c["new"]) for row in rows for c in row.changes if c["field"] == "state"]


def test_c8_individual_walks_county_city_province_with_a_send_back(
    published, cc_staff, nanguan_unit, reviewers, django_capture_on_commit_callbacks, mailoutbox
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    assert tiers.tiers_for(nominee) == ["county", "city", "province"]
    with django_capture_on_commit_callbacks(execute=True):
        nominee = nominee_service.submit_nominee(cc_staff, nominee)
    assert (nominee.review_tier, nominee.review_round) == ("county", 1)
    assert {a for m in mailoutbox for a in m.to} == {
        "hr_social_security220102@x.invalid",
        "housing220102@x.invalid",
    }
    nominee = review.record_review(reviewers[("county", "hr")], nominee, decision="agree")
    assert nominee.review_tier == "county"  # one of two departments is not enough
    nominee = review.record_review(reviewers[("county", "housing")], nominee, decision="agree")
    assert nominee.review_tier == "city"
    nominee.created_by.email = "unit@x.invalid"
    nominee.created_by.save()
    with django_capture_on_commit_callbacks(execute=True):
        nominee = review.send_back(reviewers[("city", "hr")], nominee, "主要事迹数据需核实")
    assert nominee.state == Nominee.State.SENT_BACK
    assert "主要事迹数据需核实" in mailoutbox[-1].body and mailoutbox[-1].to == ["unit@x.invalid"]
    nominee = nominee_service.save_draft(
        cc_staff, nominee, deeds="该同志（已核实）" + "扎实工作。" * 40
    )
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    assert (nominee.state, nominee.review_tier, nominee.review_round) == ("submitted", "county", 2)
    nominee = _agree(reviewers, "county", nominee)
    nominee = _agree(reviewers, "city", nominee)
    assert nominee.review_tier == "province"
    nominee = _agree(reviewers, "province", nominee)
    assert nominee.state == Nominee.State.RECEIVED
    assert _transitions(nominee) == [
        ("草稿", "审核中"),
        ("审核中", "退回修改"),
        ("退回修改", "审核中"),
        ("审核中", "省级已接收"),
    ]
    assert nominee.review_opinions.filter(round=1).count() == 2  # history of the first round kept
    assert nominee.review_opinions.filter(round=2).count() == 6
    send_back_row = AuditLog.objects.filter(
        content_type__model="nominee", object_id=str(nominee.pk), action="transition"
    ).order_by("id")[1]
    assert send_back_row.reason == "主要事迹数据需核实"
    assert send_back_row.actor == reviewers[("city", "hr")]


def test_c8_city_level_collective_skips_the_county_row_through_the_pages(
    client, published, cc_staff, cc_unit, reviewers
):
    nominee = complete_collective(cc_staff, published, cc_unit, name="长春市某中心")
    assert tiers.tiers_for(nominee) == ["city", "province"]
    client.force_login(cc_staff)
    assert client.post(f"/nominations/{nominee.pk}/submit/").status_code == 302
    for tier in ("city", "province"):
        for function in ("hr", "housing"):
            user = reviewers[(tier, function)]
            client.force_login(user)
            assert nominee.name in client.get("/inbox/").content.decode()
            response = client.post(
                f"/nominations/{nominee.pk}/review/",
                {"decision": "agree", "text": "", "officer_name": user.full_name},
            )
            assert response.status_code == 302
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.RECEIVED
    assert not nominee.review_opinions.filter(tier="county").exists()
    # Every state change went through a service: one transition row each, by the acting user.
    assert _transitions(nominee) == [("草稿", "审核中"), ("审核中", "省级已接收")]
    assert ReviewOpinion.objects.filter(nominee=nominee).count() == 4


def test_provincial_unit_nominee_goes_straight_to_the_province(published, jilin_units, reviewers):
    unit = jilin_units["吉林省财政厅"]
    staff = UserFactory(unit=unit, roles=[Role.NOMINATING_UNIT])
    nominee = complete_collective(staff, published, unit, name="省财政厅某处")
    assert tiers.tiers_for(nominee) == ["province"]
    nominee = nominee_service.submit_nominee(staff, nominee)
    assert nominee.review_tier == "province"


def test_only_the_current_tier_reviews_and_disagreement_needs_a_reason(
    published, cc_staff, nanguan_unit, reviewers
):
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    with pytest.raises(PermissionDenied):
        review.record_review(reviewers[("city", "hr")], nominee, decision="agree")
    with pytest.raises(PermissionDenied):
        review.record_review(cc_staff, nominee, decision="agree")
    with pytest.raises(ValidationError):
        review.record_review(reviewers[("county", "hr")], nominee, decision="disagree", text=" ")
    review.record_review(reviewers[("county", "hr")], nominee, decision="disagree", text="材料不全")
    with pytest.raises(ValidationError):
        review.record_review(reviewers[("county", "hr")], nominee, decision="agree")
    review.record_review(reviewers[("county", "housing")], nominee, decision="agree")
    nominee.refresh_from_db()
    assert nominee.review_tier == "county"  # a disagreement stops it at this tier
    with pytest.raises(PermissionDenied):
        review.send_back(reviewers[("city", "housing")], nominee, "不是本级")
    review.send_back(reviewers[("county", "hr")], nominee, "请补充材料")


def test_bulk_approval_with_one_opinion(client, published, cc_staff, nanguan_unit, reviewers):
    first = complete_individual(cc_staff, published, nanguan_unit, name="甲")
    second = complete_individual(cc_staff, published, nanguan_unit, name="乙")
    for nominee in (first, second):
        nominee_service.submit_nominee(cc_staff, nominee)
    user = reviewers[("county", "hr")]
    client.force_login(user)
    assert "甲" in client.get("/nominations/review/").content.decode()
    response = client.post(
        "/nominations/review/",
        {
            "nominees": [first.pk, second.pk],
            "decision": "agree",
            "text": "",
            "officer_name": "某某",
        },
    )
    assert response.status_code == 302
    assert ReviewOpinion.objects.filter(department=user.unit).count() == 2
    assert "没有待本部门审核" in client.get("/nominations/review/").content.decode()


def test_dashboard_counts_each_stage_passed(published, cc_staff, nanguan_unit, reviewers):
    from laurel.nominations.queries import progress_counts

    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    nominee = _agree(reviewers, "county", nominee)
    counts = progress_counts(published)[(nominee.body_id, nominee.category_id)]
    assert counts == {"submitted": 1, "county": 1}


def test_review_reminders_before_the_deadline(
    published, cc_staff, nanguan_unit, reviewers, mailoutbox
):
    import datetime

    from laurel.nominations.tasks import send_review_reminders

    nominee_service.submit_nominee(cc_staff, complete_individual(cc_staff, published, nanguan_unit))
    mailoutbox.clear()
    assert send_review_reminders.call(today="2023-02-01") == 0
    assert send_review_reminders.call(today=datetime.date(2023, 3, 8).isoformat()) == 2
    assert {a for m in mailoutbox for a in m.to} == {
        "hr_social_security220102@x.invalid",
        "housing220102@x.invalid",
    }
    assert "2023-03-10" in mailoutbox[0].body


def test_office_overview_counts_states_and_lists_send_backs(
    client, published, cc_staff, nanguan_unit, reviewers, office
):
    first = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="甲")
    )
    second = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="乙")
    )
    review.send_back(reviewers[("county", "hr")], second, "缺少单位意见")
    _agree(reviewers, "county", first)
    client.force_login(office)
    html = client.get(f"/nominations/overview/?campaign={published.pk}").content.decode()
    assert "长春市（含公主岭市）" in html and "缺少单位意见" in html
    assert "甲" in html  # past the 2023-03-10 deadline and still in review: overdue
    client.force_login(cc_staff)
    assert client.get("/nominations/overview/").status_code == 403


def test_every_state_changing_url_goes_through_a_service(
    client, published, cc_staff, nanguan_unit, reviewers
):
    """Each POST that changes a nominee's state leaves exactly one transition row, made by
    the user who posted (which only the services' audit context gives)."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    steps = [
        (cc_staff, f"/nominations/{nominee.pk}/submit/", {}),
        (cc_staff, f"/nominations/{nominee.pk}/withdraw/", {"reason": "补充材料"}),
        (cc_staff, f"/nominations/{nominee.pk}/submit/", {}),
        (reviewers[("county", "hr")], f"/nominations/{nominee.pk}/send-back/", {"reason": "退回"}),
        (cc_staff, f"/nominations/{nominee.pk}/submit/", {}),
    ]
    for user, url, data in steps:
        before = len(_transitions(nominee))
        client.force_login(user)
        assert client.post(url, data).status_code == 302
        rows = AuditLog.objects.filter(
            content_type__model="nominee", object_id=str(nominee.pk), action="transition"
        ).order_by("id")
        assert len(_transitions(nominee)) == before + 1, url
        assert rows.last().actor == user, url
    nominee.refresh_from_db()
    assert (nominee.state, nominee.review_round) == ("submitted", 3)


def test_c8_only_the_body_that_owns_a_list_orders_it(client, published, cc_staff, nanguan_unit):
    """Issue 17 (the rule ``nominations.rank_nominees``): the city body orders the city's list
    (C-8 step 2); a county body, which sees its own nominees on that list, cannot move them —
    neither on the page nor with a crafted POST — and the list shows it no buttons."""
    county_body = UserFactory(
        unit=UnitFactory(
            name="长春市南关区住房和城乡建设局",
            division=Division.objects.get(code="220102"),
            tier="county",
        ),
        roles=[Role.NOMINATING_BODY],
    )
    first, second, third = (
        complete_individual(cc_staff, published, nanguan_unit, name=name)
        for name in ("甲", "乙", "丙")
    )
    assert county_body.has_perm("nominations.view_nominee", third)
    with pytest.raises(PermissionDenied):
        nominee_service.move_nominee(county_body, third, -1)
    client.force_login(county_body)
    for _attempt in range(3):
        response = client.post(f"/nominations/{third.pk}/move/", {"direction": "up"})
        assert response.status_code == 403
    third.refresh_from_db()
    assert third.rank == 3
    html = client.get(f"/nominations/?campaign={published.pk}").content.decode()
    assert "丙" in html and 'aria-label="上移"' not in html
    # The city body's own unit, with a nominating unit's role: not the body either.
    officer = UserFactory(unit=cc_staff.unit, roles=[Role.NOMINATING_UNIT])
    with pytest.raises(PermissionDenied):
        nominee_service.move_nominee(officer, third, -1)
    nominee_service.move_nominee(cc_staff, third, -1)
    third.refresh_from_db()
    assert third.rank == 2 and first.rank == 1 and second.pk
    # Once the province has received the list, nobody reorders it.
    Nominee.objects.filter(pk=third.pk).update(state=Nominee.State.RECEIVED)
    third.refresh_from_db()
    with pytest.raises(ValidationError):
        nominee_service.move_nominee(cc_staff, third, -1)


def test_c8_a_disagreement_stays_on_the_record_after_a_withdrawal(
    client, published, cc_staff, nanguan_unit, reviewers
):
    """Issue 18 §6: after a county reviewer disagreed, the unit withdrew the nominee and
    resubmitted it unchanged, the disagreement out of sight. It passes that tier again, and the
    reviewer sees the earlier disagreement on the list and on the nominee's page."""
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    county_hr = reviewers[("county", "hr")]
    review.record_review(county_hr, nominee, decision="disagree", text="业绩材料与实际不符")
    nominee = nominee_service.withdraw_nominee(cc_staff, nominee, "撤回补充")
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    assert (nominee.review_tier, nominee.review_round) == ("county", 2)
    client.force_login(county_hr)
    listed = client.get("/nominations/review/").content.decode()
    assert nominee.name in listed and "业绩材料与实际不符" in listed
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert 'data-testid="disagreements"' in page and "业绩材料与实际不符" in page


def test_c8_where_the_plan_says_so_a_withdrawal_after_a_disagreement_is_final(
    published, cc_staff, nanguan_unit, reviewers
):
    published.withdrawal_after_disagreement = "out"
    published.save()
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    review.record_review(reviewers[("county", "hr")], nominee, decision="disagree", text="不符")
    nominee = nominee_service.withdraw_nominee(cc_staff, nominee, "撤回")
    assert nominee.state == Nominee.State.WITHDRAWN
    with pytest.raises((ValidationError, PermissionDenied)):
        nominee_service.submit_nominee(cc_staff, nominee)
    # Without a disagreement, a withdrawal is still back to a draft.
    other = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="另一人")
    )
    assert nominee_service.withdraw_nominee(cc_staff, other, "撤回").state == "draft"


def test_c8_a_collective_out_after_a_disagreement_is_not_entered_again_under_its_name(
    published, cc_staff, cc_unit, reviewers
):
    """Review of issue 18: the "out" rule held for individuals (one ID per campaign) but a
    withdrawn collective came back as a new record under the same name."""
    published.withdrawal_after_disagreement = "out"
    published.save()
    group = nominee_service.submit_nominee(
        cc_staff, complete_collective(cc_staff, published, cc_unit, name="长春市某服务中心")
    )
    first_tier = tiers.tiers_for(group)[0]
    reviewer = next(user for (tier, _f), user in reviewers.items() if tier == first_tier)
    review.record_review(reviewer, group, decision="disagree", text="事迹不实")
    assert nominee_service.withdraw_nominee(cc_staff, group, "撤回").state == "withdrawn"
    with pytest.raises(ValidationError) as error:
        complete_collective(cc_staff, published, cc_unit, name="长春市某服务中心")
    assert "不得再次推荐" in error.value.messages[0]
    # Renaming another draft to that name does not get it up either.
    other = complete_collective(cc_staff, published, cc_unit, name="另一个集体")
    Nominee.objects.filter(pk=other.pk).update(name="长春市某服务中心")
    with pytest.raises(ValidationError):
        nominee_service.submit_nominee(cc_staff, Nominee.objects.get(pk=other.pk))


def test_c8_a_body_cannot_move_a_received_nominee_by_moving_its_neighbour(
    published, cc_staff, nanguan_unit
):
    """Review of issue 18: moving a submitted nominee up swapped it with one the province had
    received, whose rank changed."""
    first, second = (
        nominee_service.submit_nominee(
            cc_staff, complete_individual(cc_staff, published, nanguan_unit, name=name)
        )
        for name in ("甲", "乙")
    )
    Nominee.objects.filter(pk=first.pk).update(state=Nominee.State.RECEIVED)
    with pytest.raises(ValidationError) as error:
        nominee_service.move_nominee(cc_staff, Nominee.objects.get(pk=second.pk), -1)
    assert "已被省级接收" in error.value.messages[0]
    assert Nominee.objects.get(pk=first.pk).rank == 1


def test_c8_a_nominee_sent_back_after_the_deadline_may_go_up_again_corrected(
    published, cc_staff, nanguan_unit, office
):
    """Review of issue 18: the deadline stranded a nominee the province sent back after it,
    holding its place, until the office extended the whole body's deadline."""
    from laurel.campaigns.models import NominatingBody

    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    NominatingBody.objects.filter(campaign=published).update(deadline_extended_to=None)
    nominee = review.send_back(office, Nominee.objects.get(pk=nominee.pk), "补充材料")
    assert nominee.state == Nominee.State.SENT_BACK
    again = nominee_service.submit_nominee(cc_staff, Nominee.objects.get(pk=nominee.pk))
    assert again.state == Nominee.State.SUBMITTED and again.review_round == 2
    fresh = complete_individual(cc_staff, published, nanguan_unit, name="新人")
    with pytest.raises(ValidationError):  # a new one still may not
        nominee_service.submit_nominee(cc_staff, fresh)


def test_a_send_back_is_seen_at_the_top_of_the_unit_inbox_and_the_nominee_page(
    client, published, cc_staff, nanguan_unit, reviewers
):
    """Issue 20: the reason was the last column of the change log at the bottom of the page."""
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    nominee = review.send_back(reviewers[("county", "hr")], nominee, "请补充单位意见")
    assert nominee.sent_back_reason == "请补充单位意见"
    assert nominee.sent_back_by == reviewers[("county", "hr")].unit.name
    client.force_login(cc_staff)
    inbox = client.get("/inbox/").content.decode()
    assert 'data-testid="sent-back"' in inbox and "请补充单位意见" in inbox
    assert 'data-testid="todo-badge" aria-label="1项待办">1</span>' in inbox  # the menu's badge
    assert inbox.index("被退回修改") < inbox.index("草稿") if "草稿" in inbox else True
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    banner = page.index('data-testid="sent-back-banner"')
    assert banner < page.index("推荐审批表信息") and "请补充单位意见" in page[banner:]
    client.force_login(reviewers[("county", "hr")])  # the reviewer's 已办 lists it
    done = client.get("/inbox/", {"tab": "done"}).content.decode()
    assert 'data-testid="done"' in done and "请补充单位意见" in done and nominee.name in done
    client.force_login(cc_staff)
    nominee = nominee_service.submit_nominee(cc_staff, nominee)  # submitted again: no banner
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert 'data-testid="sent-back-banner"' not in page
    assert 'data-testid="sent-back"' not in client.get("/inbox/").content.decode()


def test_c8_a_tier_department_without_an_account_answers_on_paper(
    client, published, cc_staff, nanguan_unit, reviewers, office
):
    """Issue 20: 南关区住建局 has no account; the office records its sealed opinion with the
    scan, and the nominee moves up once the other department agrees. Nobody else may record
    it, and never for a department that answers in Laurel."""
    from django.utils import timezone

    from tests.nominations.test_clearance import _scan

    housing = reviewers[("county", "housing")]
    housing.is_active = False
    housing.save()
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    letter = dict(
        decision="agree",
        text="",
        officer_name="王科长",
        decided_on=timezone.localdate(),
        scan=_scan(),
    )
    with pytest.raises(PermissionDenied):
        review.record_paper_review(cc_staff, nominee, function="housing", **letter)
    with pytest.raises(PermissionDenied):
        review.record_paper_review(
            reviewers[("county", "hr")], nominee, function="housing", **letter
        )
    with pytest.raises(ValidationError) as error:
        review.record_paper_review(office, nominee, function="hr_social_security", **letter)
    assert "有系统账号" in str(error.value) or "没有该审核部门" in str(error.value)
    assert list(review.paper_review_departments(nominee)) == ["housing"]
    import datetime

    for day, words in (
        (timezone.localdate() - datetime.timedelta(days=1), "早于上报日期"),  # backdated
        (timezone.localdate() + datetime.timedelta(days=1), "晚于今天"),
        (None, "落款日期"),
    ):
        with pytest.raises(ValidationError) as error:
            review.record_paper_review(
                office, nominee, function="housing", **{**letter, "decided_on": day}
            )
        assert words in error.value.message_dict["decided_on"][0]
    assert not nominee.review_opinions.exists()
    client.force_login(office)
    response = client.post(
        f"/nominations/{nominee.pk}/review/paper/",
        {
            "function": "housing",
            "decision": "agree",
            "officer_name": "王科长",
            "decided_on": timezone.localdate().isoformat(),
            "scan": _scan(),
        },
    )
    assert response.status_code == 302
    opinion = nominee.review_opinions.get(function="housing")
    assert opinion.on_paper and opinion.decided_by == office and opinion.scan_file
    nominee = review.record_review(reviewers[("county", "hr")], nominee, decision="agree")
    assert nominee.review_tier == "city"
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert "纸质意见" in page and f"/nominations/review-opinions/{opinion.pk}/scan/" in page
    assert client.get(f"/nominations/review-opinions/{opinion.pk}/scan/").status_code == 200
    with pytest.raises(ValidationError):  # the county tier is over: nothing more to record
        review.record_paper_review(
            office, nominee, function="housing", **{**letter, "scan": _scan()}
        )


def test_c8_a_function_no_department_performs_at_a_tier_is_a_clear_refusal_not_a_crash(
    published, cc_staff, nanguan_unit, reviewers
):
    """The plan asks 人社, 住建 and 工会 at every tier, but 南关区 has no trade union department
    in Laurel: recording its opinion (as the system does for a department without an account)
    is refused with the tier and the function named, and nothing is saved."""
    published.review_functions = [F.HR_SOCIAL_SECURITY, F.HOUSING, F.TRADE_UNION]
    published.save()
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="缺部门")
    )
    assert nominee.review_tier == "county"
    with pytest.raises(ValidationError) as refused:
        review.record_review(
            None, nominee, decision="agree", function=F.TRADE_UNION, officer_name="经办人"
        )
    assert "县级没有承担“工会”审核职能的部门，请先在“单位管理”中设置。" in str(refused.value)
    assert not nominee.review_opinions.exists()


def test_c8_a_merged_bureau_answers_both_of_its_functions_in_turn(
    client, published, cc_staff, nanguan_unit
):
    """Probe: a county unit performing both the HR and the housing review answered only the
    first; the second opinion could never be recorded and the nominee stayed at the county.
    Each function is signed as the page names it; a repeated POST is refused as a repeat and
    never signs the other function unasked."""
    merged = UnitFactory(
        name="南关区人社和住建局", division=Division.objects.get(code="220102"), tier="county"
    )
    for function in (F.HR_SOCIAL_SECURITY, F.HOUSING):
        UnitFunction.objects.get_or_create(unit=merged, function=function)
    officer = UserFactory(unit=merged, roles=[Role.REVIEWING_DEPARTMENT])
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    assert nominee.review_tier == "county"
    client.force_login(officer)
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert "此次以“人力资源和社会保障”职能出具意见" in page
    post = {"decision": "agree", "officer_name": "张三", "function": F.HR_SOCIAL_SECURITY}
    client.post(f"/nominations/{nominee.pk}/review/", post)
    client.post(f"/nominations/{nominee.pk}/review/", post)  # a double click: a repeat
    assert list(nominee.review_opinions.values_list("function", flat=True)) == [
        F.HR_SOCIAL_SECURITY
    ]
    nominee.refresh_from_db()
    with pytest.raises(ValidationError):  # a batch or the API: which of the two is not said
        review.record_review(officer, nominee, decision="agree")
    batch = client.post(
        "/nominations/review/",
        {"decision": "agree", "officer_name": "张三", "nominees": [nominee.pk]},
        follow=True,
    ).content.decode()
    assert f"“{nominee.name}”：本单位承担本级多项审核职能" in batch  # the batch names whom
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert "此次以“住房和城乡建设”职能出具意见" in page
    client.post(f"/nominations/{nominee.pk}/review/", {**post, "function": F.HOUSING})
    nominee.refresh_from_db()
    assert nominee.review_tier == "city"
    functions = set(nominee.review_opinions.values_list("function", flat=True))
    assert functions == {F.HR_SOCIAL_SECURITY, F.HOUSING}


def test_c8_a_review_page_opened_before_a_send_back_never_signs_the_next_round(
    client, published, cc_staff, nanguan_unit, reviewers
):
    """Probe (sixth session, found on registrations, true here too): the review forms carried
    no round, so a county reviewer's page (the nominee's page or the batch list) opened in
    round 1 signed the resubmitted round 2 unread. Each posts the round it showed; another
    round is refused with a message naming the nominee."""
    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    hr = reviewers[("county", "hr")]
    client.force_login(hr)
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert 'name="review_round" value="1"' in page
    listed = client.get("/nominations/review/").content.decode()
    assert f'name="round-{nominee.pk}" value="1"' in listed
    nominee = review.send_back(reviewers[("county", "housing")], nominee, "主要事迹数据需核实")
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    assert nominee.review_round == 2
    stale = {"decision": "agree", "officer_name": hr.full_name, "review_round": "1"}
    response = client.post(f"/nominations/{nominee.pk}/review/", stale, follow=True)
    assert "您打开的页面是第1轮的，请刷新页面阅读后再审核" in response.content.decode()
    batch = {"decision": "agree", "officer_name": hr.full_name, "nominees": [nominee.pk]}
    response = client.post("/nominations/review/", {**batch, f"round-{nominee.pk}": "1"})
    assert "您打开的页面是第1轮的" in response.content.decode()
    assert not nominee.review_opinions.filter(round=2).exists()
    client.post("/nominations/review/", {**batch, f"round-{nominee.pk}": "2"})
    assert nominee.review_opinions.filter(round=2, department=hr.unit).exists()
