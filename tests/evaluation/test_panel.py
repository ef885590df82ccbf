"""C-8 step 3: eligibility recheck and the review panel (recusal, secret votes, quorum,
threshold, ties, and the differential bound on assessment candidates)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from laurel.core.models import Division
from laurel.core.roles import Role
from laurel.evaluation import queries
from laurel.evaluation.models import Panel, Recusal
from laurel.evaluation.services import panels as panel_services
from laurel.nominations.models import Nominee
from tests.factories import UnitFactory, UserFactory
from tests.nominations.conftest import complete_collective

pytestmark = pytest.mark.django_db


def _received(actor, campaign, unit, count):
    nominees = []
    for index in range(count):
        nominee = complete_collective(actor, campaign, unit, name=f"集体{index}")
        Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.RECEIVED, review_round=1)
        nominee.refresh_from_db()
        nominees.append(nominee)
    return nominees


@pytest.fixture
def experts(jilin_units):
    university = UnitFactory(
        name="吉林建筑大学", division=Division.objects.get(code="220000"), kind="public_institution"
    )
    return [UserFactory(unit=university, roles=[Role.PANEL_EXPERT]) for _ in range(3)]


def test_c8_recheck_records_a_verdict_and_excludes_the_ineligible(
    published, cc_staff, cc_unit, office
):
    first, second = _received(cc_staff, published, cc_unit, 2)
    panel_services.record_recheck(office, first, eligible=True)
    with pytest.raises(ValidationError):
        panel_services.record_recheck(office, second, eligible=False, reason=" ")
    panel_services.record_recheck(
        office, second, eligible=False, reason="2019年受过处分，材料未如实填报"
    )
    second.refresh_from_db()
    assert second.state == Nominee.State.WITHDRAWN and second.recheck.reason.startswith("2019")
    with pytest.raises(PermissionDenied):
        panel_services.record_recheck(cc_staff, first, eligible=True)


def test_c8_recheck_cannot_pass_a_blocking_finding(published, cc_staff, cc_unit, office):
    from laurel.nominations.services import nominees as nominee_service

    [nominee] = _received(cc_staff, published, cc_unit, 1)
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.DRAFT)
    nominee.refresh_from_db()
    nominee_service.set_conditions(cc_staff, nominee, [])  # no achievement condition: C-6
    Nominee.objects.filter(pk=nominee.pk).update(state=Nominee.State.RECEIVED)
    with pytest.raises(ValidationError) as error:
        panel_services.record_recheck(office, nominee, eligible=True)
    assert "不符合项" in error.value.messages[0]


def test_panel_recusal_secret_votes_quorum_threshold_and_bound(
    published, cc_staff, cc_unit, office, experts, jilin_units
):
    nominees = _received(cc_staff, published, cc_unit, 6)
    for nominee in nominees:
        panel_services.record_recheck(office, nominee, eligible=True)
    insider = UserFactory(unit=cc_unit, roles=[Role.PANEL_EXPERT])  # the nominees' own unit
    category = published.categories.get(kind="collective")
    panel = panel_services.create_panel(
        office,
        published,
        category,
        name="先进集体评审组",
        quorum=3,
        pass_ratio=Decimal("0.667"),
        experts=[*experts, insider],
    )
    assert Recusal.objects.filter(panel=panel, expert=insider, automatic=True).count() == 6
    with pytest.raises(ValidationError):
        panel_services.cast_vote(insider, panel, nominees[0], approve=True)
    panel_services.declare_conflict(experts[2], panel, nominees[5], "系其近亲属所在单位")
    with pytest.raises(ValidationError):
        panel_services.cast_vote(experts[2], panel, nominees[5], approve=True)
    with pytest.raises(ValidationError):
        queries.tally(panel)  # hidden until the panel closes
    panel_services.cast_vote(experts[0], panel, nominees[0], approve=True)
    with pytest.raises(ValidationError) as error:
        panel_services.close_panel(office, panel)
    assert "少于规定的3人" in error.value.messages[0]
    # Votes: nominee i gets approvals from experts per the pattern below.
    pattern = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (1, 1, 1), (0, 0, 0), (1, 1, None)]
    for nominee, votes in zip(nominees, pattern, strict=True):
        for expert, vote in zip(experts, votes, strict=True):
            if vote is not None:
                panel_services.cast_vote(expert, panel, nominee, approve=bool(vote))
    panel_services.close_panel(office, panel)
    with pytest.raises(ValidationError):
        panel_services.cast_vote(experts[0], panel, nominees[4], approve=True)
    rows = queries.tally(Panel.objects.get(pk=panel.pk))
    passed = {r.nominee.name for r in rows if r.passed}
    # Two thirds of 3 is 2: 3/3, 2/3, 3/3 and 2/2 (one expert recused) pass; 1/3 and 0/3 fail.
    assert passed == {"集体0", "集体1", "集体3", "集体5"}
    # 集体0 and 集体3 3/3 and 集体5 2/2 stand level: all approved by every expert who may judge
    assert [r.tied for r in rows[:4]] == [True, True, True, False]
    assert {r.nominee.name for r in rows[:3]} == {"集体0", "集体3", "集体5"}
    assert queries.bound(panel) == 5  # 6 received ÷ 1.2
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[2].pk])
    assert "集体2" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:  # part of a level set needs a run-off
        panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[3].pk])
    assert "票数相同" in error.value.messages[0]
    chosen = panel_services.choose_candidates(
        office, panel, [nominees[0].pk, nominees[3].pk, nominees[5].pk]
    )
    assert {c.nominee.name for c in chosen} == {"集体0", "集体3", "集体5"}


def test_c3_candidates_beyond_the_differential_bound_are_refused(
    published, cc_staff, cc_unit, office, experts
):
    nominees = _received(cc_staff, published, cc_unit, 3)
    for nominee in nominees:
        panel_services.record_recheck(office, nominee, eligible=True)
    panel = panel_services.create_panel(
        office,
        published,
        published.categories.get(kind="collective"),
        name="组",
        quorum=1,
        pass_ratio=Decimal("0.5"),
        experts=experts[:1],
    )
    for nominee in nominees:
        panel_services.cast_vote(experts[0], panel, nominee, approve=True)
    panel_services.close_panel(office, panel)
    assert queries.bound(panel) == 2  # 3 ÷ 1.2
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [n.pk for n in nominees])
    assert "超过差额比例允许的2个" in error.value.messages[0]


def test_expert_pages_show_only_own_votes(client, published, cc_staff, cc_unit, office, experts):
    nominees = _received(cc_staff, published, cc_unit, 2)
    for nominee in nominees:
        panel_services.record_recheck(office, nominee, eligible=True)
    panel = panel_services.create_panel(
        office,
        published,
        published.categories.get(kind="collective"),
        name="评审组",
        quorum=2,
        pass_ratio=Decimal("0.667"),
        experts=experts[:2],
    )
    client.force_login(experts[0])
    assert "评审投票" in client.get("/inbox/").content.decode()
    response = client.post(
        f"/evaluation/panels/{panel.pk}/vote/",
        {
            f"vote-{nominees[0].pk}": "1",
            f"rank-{nominees[0].pk}": "1",
            f"vote-{nominees[1].pk}": "0",
        },
    )
    assert response.status_code == 302
    client.force_login(experts[1])
    html = client.get(f"/evaluation/panels/{panel.pk}/vote/").content.decode()
    assert "checked" not in html  # the other expert's votes are not shown
    assert client.get(f"/evaluation/panels/{panel.pk}/").status_code == 403
    client.force_login(office)
    html = client.get(f"/evaluation/panels/{panel.pk}/").content.decode()
    assert "评审专家" in html and "计票结果" not in html and "评审纪要" not in html


@pytest.mark.parametrize(
    "ratio, voters, needed",
    [
        ("0.667", 3, 2),
        ("0.667", 6, 4),
        ("0.667", 30, 20),
        ("0.667", 29, 20),
        ("0.5", 3, 2),
        ("0.5", 4, 2),
        ("0.75", 4, 3),
        ("1", 5, 5),
    ],
)
def test_pass_threshold_two_thirds_and_others(ratio, voters, needed):
    assert queries.required_approvals(Decimal(ratio), voters) == needed


def test_a_ballot_is_saved_whole_or_not_at_all(
    client, published, cc_staff, cc_unit, nanguan_unit, office, experts
):
    """Issue 17 (``cast_ballot``): the expert's ballot is one change. A ballot with a line the
    expert may not cast (a vote on a nominee from which the expert is recused) saves none of
    its lines — before, the votes above the bad line were kept, a half-saved ballot."""
    from laurel.evaluation.models import Vote

    first = _received(cc_staff, published, cc_unit, 1)[0]
    second = complete_collective(cc_staff, published, nanguan_unit, name="南关集体")
    Nominee.objects.filter(pk=second.pk).update(state=Nominee.State.RECEIVED, review_round=1)
    for nominee in (first, second):
        panel_services.record_recheck(office, Nominee.objects.get(pk=nominee.pk), eligible=True)
    neighbour = UserFactory(unit=nanguan_unit, roles=[Role.PANEL_EXPERT])
    panel = panel_services.create_panel(
        office,
        published,
        published.categories.get(kind="collective"),
        name="评审组",
        quorum=1,
        pass_ratio=Decimal("0.5"),
        experts=[neighbour, experts[0]],
    )
    assert Recusal.objects.filter(panel=panel, expert=neighbour, nominee=second).exists()
    client.force_login(neighbour)
    ballot = {f"vote-{first.pk}": "1", f"vote-{second.pk}": "1"}
    response = client.post(f"/evaluation/panels/{panel.pk}/vote/", ballot, follow=True)
    assert "需回避" in response.content.decode()
    assert not Vote.objects.filter(panel=panel).exists()
    with pytest.raises(ValidationError):
        panel_services.cast_ballot(
            neighbour,
            panel,
            [
                panel_services.BallotLine(first.pk, approve=True),
                panel_services.BallotLine(second.pk, approve=False),
            ],
        )
    assert not Vote.objects.filter(panel=panel).exists()
    client.post(f"/evaluation/panels/{panel.pk}/vote/", {f"vote-{first.pk}": "0"})
    assert list(Vote.objects.filter(panel=panel).values_list("nominee", "approve")) == [
        (first.pk, False)
    ]


def _open_panel(office, published, experts, nominees, **options):
    for nominee in nominees:
        panel_services.record_recheck(office, Nominee.objects.get(pk=nominee.pk), eligible=True)
    return panel_services.create_panel(
        office,
        published,
        published.categories.get(kind="collective"),
        name="评审组",
        quorum=options.get("quorum", 1),
        pass_ratio=Decimal(options.get("pass_ratio", "0.5")),
        experts=experts,
    )


def test_c8_a_closed_panel_takes_no_votes_and_no_conflicts(
    client, published, cc_staff, cc_unit, office, experts
):
    """Issue 18 §3: on a closed panel an expert declared a conflict with a crafted POST, which
    deleted the vote and turned 1/2 未通过 into 1/1 通过. Votes and conflicts are refused once a
    panel closes, and the tally stays as counted."""
    from laurel.evaluation.models import Vote

    nominees = _received(cc_staff, published, cc_unit, 2)
    panel = _open_panel(office, published, experts[:2], nominees, quorum=2, pass_ratio="0.667")
    panel_services.cast_vote(experts[0], panel, nominees[0], approve=True)
    panel_services.cast_vote(experts[1], panel, nominees[0], approve=False)
    panel = panel_services.close_panel(office, panel)
    before = [(r.nominee.pk, r.approvals, r.voters, r.passed) for r in queries.tally(panel)]
    assert before[0] == (nominees[0].pk, 1, 2, False)
    client.force_login(experts[1])
    client.post(f"/evaluation/panels/{panel.pk}/vote/", {f"conflict-{nominees[0].pk}": "回避"})
    client.post(f"/evaluation/panels/{panel.pk}/vote/", {f"vote-{nominees[0].pk}": "1"})
    with pytest.raises(ValidationError):
        panel_services.declare_conflict(experts[1], panel, nominees[0], "回避")
    with pytest.raises(ValidationError):
        panel_services.cast_vote(experts[1], panel, nominees[0], approve=True)
    assert Vote.objects.filter(panel=panel).count() == 2
    assert not Recusal.objects.filter(panel=panel, expert=experts[1]).exists()
    panel.refresh_from_db()
    assert [(r.nominee.pk, r.approvals, r.voters, r.passed) for r in queries.tally(panel)] == before


def test_c8_recusal_holds_for_a_nominee_that_arrives_after_the_panel_was_formed(
    client, published, cc_staff, cc_unit, nanguan_unit, office, experts
):
    """Issue 18 §3: recusals were computed once, when the panel was formed; a nominee arriving
    later was voted on by an expert of its own unit's line. The check is made at every vote and
    recorded when the nominee arrives."""
    first = _received(cc_staff, published, cc_unit, 1)[0]
    neighbour = UserFactory(unit=nanguan_unit, roles=[Role.PANEL_EXPERT])
    panel = _open_panel(office, published, [neighbour, experts[0]], [first])
    late = complete_collective(cc_staff, published, nanguan_unit, name="迟到的集体")
    Nominee.objects.filter(pk=late.pk).update(state=Nominee.State.RECEIVED, review_round=1)
    late = Nominee.objects.get(pk=late.pk)
    assert Recusal.objects.filter(panel=panel, nominee=late).count() == 0
    with pytest.raises(ValidationError):  # not rechecked yet: not in the pool
        panel_services.cast_vote(neighbour, panel, late, approve=True)
    Recusal.objects.all().delete()  # even with no recorded recusal, the vote checks the line
    panel_services.record_recheck(office, late, eligible=True)
    assert Recusal.objects.filter(panel=panel, expert=neighbour, nominee=late).exists()
    Recusal.objects.filter(nominee=late).delete()
    with pytest.raises(ValidationError) as error:
        panel_services.cast_vote(neighbour, panel, late, approve=True)
    assert "需回避" in error.value.messages[0]
    client.force_login(neighbour)
    html = client.get(f"/evaluation/panels/{panel.pk}/vote/").content.decode()
    assert f'name="vote-{late.pk}"' not in html and "与推荐对象属同一单位或上下级单位" in html
    panel_services.cast_vote(experts[0], panel, late, approve=True)
    panel = panel_services.close_panel(office, panel)
    assert Recusal.objects.filter(panel=panel, expert=neighbour, nominee=late).exists()
    row = next(r for r in queries.tally(panel) if r.nominee.pk == late.pk)
    assert (row.voters, row.recused) == (1, 1)


def test_c8_an_expert_whose_department_reviewed_the_nominee_below_recuses(
    published, cc_staff, cc_unit, office, experts
):
    """Probe: experts of the city and county departments that had signed a nominee's review
    voted on it at the province. The province's own review departments sign every nominee and
    are not barred by that alone."""
    import datetime

    from laurel.nominations.models import ReviewOpinion

    nominee = _received(cc_staff, published, cc_unit, 1)[0]
    city_hr = UnitFactory(name="长春市人力资源和社会保障局", division=cc_unit.division)
    province_hr = UnitFactory(
        name="吉林省人力资源和社会保障厅", division=Division.objects.get(code="220000")
    )
    for tier, department in (("city", city_hr), ("province", province_hr)):
        ReviewOpinion.objects.create(
            nominee=nominee,
            round=1,
            tier=tier,
            function="hr",
            department=department,
            decision="agree",
            officer_name="经办人",
            decided_on=datetime.date(2026, 11, 2),
        )
    from_city = UserFactory(unit=city_hr, roles=[Role.PANEL_EXPERT])
    from_province = UserFactory(unit=province_hr, roles=[Role.PANEL_EXPERT])
    panel = _open_panel(office, published, [from_city, from_province, experts[0]], [nominee])
    assert "县级或市级审核" in queries.conflict(from_city, nominee)
    assert queries.conflict(from_province, nominee) is None
    with pytest.raises(ValidationError) as error:
        panel_services.cast_vote(from_city, panel, nominee, approve=True)
    assert "需回避" in error.value.messages[0]
    panel_services.cast_vote(from_province, panel, nominee, approve=True)
    assert Recusal.objects.filter(panel=panel, expert=from_city, nominee=nominee).exists()


def test_c8_ballots_stay_secret_in_the_audit_trail(
    client, published, cc_staff, cc_unit, office, experts
):
    """Issue 18 §3: the office read every ballot while the panel was open, in the audit log.
    The trail records that a vote was cast, never how."""
    from laurel.core.models import AuditLog
    from laurel.evaluation.models import Vote

    nominees = _received(cc_staff, published, cc_unit, 1)
    panel = _open_panel(office, published, experts[:1], nominees)
    panel_services.cast_vote(experts[0], panel, nominees[0], approve=False, rank=1)
    rows = AuditLog.objects.filter(content_type__model="vote")
    assert rows.exists()
    for row in rows:
        for change in row.changes:
            if change["field"] in ("approve", "rank"):
                assert change["new"] == "******" and change.get("old") in (None, "", "******")
    client.force_login(office)
    html = client.get("/core/audit/?q=%E6%8A%95%E7%A5%A8").content.decode()
    assert "不赞成" not in html and "False" not in html
    assert Vote.objects.get().approve is False  # the vote itself is kept, for the tally


def test_c8_a_closed_panel_keeps_its_tally_and_minutes_as_counted(
    client, published, cc_staff, cc_unit, office, experts
):
    """Issue 18 §3: after the awards the finished round's tally showed 36 nominees instead of
    126 — it was recomputed from today's data. It is stored when the panel closes; the minutes
    are a record, printable and exportable."""
    nominees = _received(cc_staff, published, cc_unit, 3)
    panel = _open_panel(office, published, experts[:2], nominees, quorum=2)
    for position, nominee in enumerate(nominees, start=1):
        for expert in experts[:2]:
            panel_services.cast_vote(expert, panel, nominee, approve=True, rank=position)
    panel = panel_services.close_panel(office, panel)
    Nominee.objects.filter(pk__in=[n.pk for n in nominees]).update(state=Nominee.State.AWARDED)
    panel.refresh_from_db()
    assert [r.nominee.pk for r in queries.tally(panel)] == [n.pk for n in nominees]
    assert queries.bound(panel) == 2 and panel.minutes["received"] == 3
    client.force_login(office)
    page = client.get(f"/evaluation/panels/{panel.pk}/minutes/").content.decode()
    assert nominees[2].name in page and "评审纪要" in page and experts[0].full_name in page
    sheet = client.get(f"/evaluation/panels/{panel.pk}/minutes/?format=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_c8_a_tie_at_the_cut_goes_to_a_recorded_run_off(
    published, cc_staff, cc_unit, office, experts
):
    """Issue 18 §3: a tie was only flagged, and the office picked among the tied. Taking part of
    a tie needs a run-off among the tied, voted by the same experts and recorded; its result
    decides."""
    nominees = _received(cc_staff, published, cc_unit, 3)  # bound: ⌊3 ÷ 1.2⌋ = 2
    panel = _open_panel(office, published, experts[:2], nominees, quorum=2)
    for expert in experts[:2]:
        panel_services.cast_vote(expert, panel, nominees[0], approve=True, rank=1)
        panel_services.cast_vote(expert, panel, nominees[1], approve=True, rank=2)
        panel_services.cast_vote(expert, panel, nominees[2], approve=True, rank=2)
    panel = panel_services.close_panel(office, panel)
    tied = [nominees[1].pk, nominees[2].pk]
    assert [[r.nominee.pk for r in g] for g in queries.tie_groups(queries.tally(panel))] == [tied]
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[1].pk])
    assert "须先组织加票" in error.value.messages[0]
    with pytest.raises(ValidationError):  # a run-off only among the tied
        panel_services.create_runoff(office, panel, [nominees[0].pk, nominees[1].pk])
    runoff = panel_services.create_runoff(office, panel, tied)
    for expert in experts[:2]:
        panel_services.cast_vote(expert, runoff, nominees[2], approve=True, rank=1)
        panel_services.cast_vote(expert, runoff, nominees[1], approve=True, rank=2)
    with pytest.raises(ValidationError):
        panel_services.cast_vote(experts[0], runoff, nominees[0], approve=True)  # not in it
    runoff = panel_services.close_panel(office, runoff)
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[1].pk])
    assert "按加票结果选择" in error.value.messages[0]
    chosen = panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[2].pk])
    assert {c.nominee_id for c in chosen} == {nominees[0].pk, nominees[2].pk}
    # The run-off's result stands: no second run-off to undo it.
    with pytest.raises(ValidationError) as error:
        panel_services.create_runoff(office, panel, tied)
    assert "不再重新投票" in error.value.messages[0]


def test_c8_a_run_off_is_repeated_only_among_names_it_left_equal(
    published, cc_staff, cc_unit, office, experts
):
    """Probe: the office held run-off after run-off (another open beside it, or after one had
    decided) until the order suited it."""
    nominees = _received(cc_staff, published, cc_unit, 3)
    panel = _open_panel(office, published, experts[:2], nominees, quorum=2)
    for expert in experts[:2]:
        panel_services.cast_vote(expert, panel, nominees[0], approve=True, rank=1)
        panel_services.cast_vote(expert, panel, nominees[1], approve=True, rank=2)
        panel_services.cast_vote(expert, panel, nominees[2], approve=True, rank=2)
    panel = panel_services.close_panel(office, panel)
    tied = [nominees[1].pk, nominees[2].pk]
    runoff = panel_services.create_runoff(office, panel, tied)
    with pytest.raises(ValidationError) as error:
        panel_services.create_runoff(office, panel, tied)
    assert "尚未结束的加票" in error.value.messages[0]
    for expert in experts[:2]:  # equal again
        panel_services.cast_vote(expert, runoff, nominees[1], approve=True, rank=1)
        panel_services.cast_vote(expert, runoff, nominees[2], approve=True, rank=1)
    panel_services.close_panel(office, runoff)
    second = panel_services.create_runoff(office, panel, tied)  # left equal: allowed
    panel_services.cast_vote(experts[0], second, nominees[1], approve=True, rank=1)
    panel_services.cast_vote(experts[0], second, nominees[2], approve=True, rank=2)
    panel_services.cast_vote(experts[1], second, nominees[1], approve=True, rank=1)
    panel_services.cast_vote(experts[1], second, nominees[2], approve=False, rank=2)
    panel_services.close_panel(office, second)
    with pytest.raises(ValidationError) as error:
        panel_services.create_runoff(office, panel, tied)
    assert "不再重新投票" in error.value.messages[0]
    chosen = panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[1].pk])
    assert {c.nominee_id for c in chosen} == {nominees[0].pk, nominees[1].pk}


def test_c8_a_later_run_off_among_the_names_still_level_decides_their_order(
    published, cc_staff, cc_unit, office, experts
):
    """Review: three tied for two places; the first run-off put one ahead and left two level.
    A second run-off among those two must decide the cut (it was refused, or not read)."""
    nominees = _received(cc_staff, published, cc_unit, 3)  # bound: ⌊3 ÷ 1.2⌋ = 2
    panel = _open_panel(office, published, experts[:2], nominees, quorum=2)
    for expert in experts[:2]:
        for nominee in nominees:
            panel_services.cast_vote(expert, panel, nominee, approve=True, rank=1)
    panel = panel_services.close_panel(office, panel)
    a, b, c = (n.pk for n in nominees)
    first = panel_services.create_runoff(office, panel, [a, b, c])
    for expert in experts[:2]:
        panel_services.cast_vote(expert, first, nominees[0], approve=True, rank=1)
        panel_services.cast_vote(expert, first, nominees[1], approve=True, rank=2)
        panel_services.cast_vote(expert, first, nominees[2], approve=True, rank=2)
    panel_services.close_panel(office, first)
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [a, b])
    assert "请再次组织加票" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        panel_services.create_runoff(office, panel, [a, b, c])  # the first one's order stands
    assert nominees[1].name in error.value.messages[0]
    second = panel_services.create_runoff(office, panel, [b, c])
    for expert in experts[:2]:
        panel_services.cast_vote(expert, second, nominees[2], approve=True, rank=1)
        panel_services.cast_vote(expert, second, nominees[1], approve=True, rank=2)
    panel_services.close_panel(office, second)
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [a, b])
    assert "按加票结果选择" in error.value.messages[0]
    chosen = panel_services.choose_candidates(office, panel, [a, c])
    assert {x.nominee_id for x in chosen} == {a, c}


def test_c8_an_expert_who_does_not_vote_counts_as_not_approving(
    published, cc_staff, cc_unit, office, experts
):
    """Probe: the pass ratio was of the experts who voted on a nominee, so two abstaining
    experts let one approval pass a nominee that one vote against would have failed."""
    nominees = _received(cc_staff, published, cc_unit, 2)
    panel = _open_panel(office, published, experts, nominees, quorum=3, pass_ratio="0.667")
    for expert in experts:
        panel_services.cast_vote(expert, panel, nominees[0], approve=True, rank=1)
    panel_services.cast_vote(experts[0], panel, nominees[1], approve=True, rank=2)
    rows = {r.nominee.pk: r for r in queries.tally(panel_services.close_panel(office, panel))}
    assert (rows[nominees[0].pk].passed, rows[nominees[0].pk].approvals) == (True, 3)
    assert (rows[nominees[1].pk].passed, rows[nominees[1].pk].voters) == (False, 1)


def test_c8_a_member_who_never_voted_does_not_count_against_a_nominee(
    published, cc_staff, cc_unit, office, experts
):
    """Review: with the ratio taken of every member, two members absent from a panel of five
    failed every nominee three present experts approved unanimously (the quorum is three)."""
    absent = [UserFactory(unit=experts[0].unit, roles=[Role.PANEL_EXPERT]) for _ in range(2)]
    nominees = _received(cc_staff, published, cc_unit, 2)
    panel = _open_panel(
        office, published, [*experts, *absent], nominees, quorum=3, pass_ratio="0.667"
    )
    for expert in experts:
        for rank, nominee in enumerate(nominees, start=1):
            panel_services.cast_vote(expert, panel, nominee, approve=True, rank=rank)
    rows = queries.tally(panel_services.close_panel(office, panel))
    assert [(r.approvals, r.voters, r.passed) for r in rows] == [(3, 3, True), (3, 3, True)]


def test_c8_no_new_panel_once_the_round_is_approved(published, office, experts):
    from laurel.evaluation.models import Approval

    Approval.objects.create(
        campaign=published, document_number="吉政函〔2023〕1号", approved_on="2023-04-20"
    )
    with pytest.raises(ValidationError) as error:
        panel_services.create_panel(
            office,
            published,
            published.categories.get(kind="collective"),
            name="迟到的评审组",
            quorum=1,
            pass_ratio=Decimal("0.5"),
            experts=experts[:1],
        )
    assert "已经审定" in error.value.messages[0]


def test_c8_candidates_are_the_top_of_the_passed_ranking(
    published, cc_staff, cc_unit, office, experts
):
    """Review of issue 18: the office skipped a nominee with more approvals and took a lower
    one. Nobody is taken over a passed nominee who stands higher."""
    nominees = _received(cc_staff, published, cc_unit, 4)  # bound: ⌊4 ÷ 1.2⌋ = 3
    panel = _open_panel(office, published, experts[:3], nominees, quorum=3)
    approvals = {0: 3, 1: 3, 2: 2, 3: 2}
    for index, count in approvals.items():
        for expert in experts[:3]:
            panel_services.cast_vote(
                expert,
                panel,
                nominees[index],
                approve=experts.index(expert) < count,
                rank=index + 1,
            )
    panel = panel_services.close_panel(office, panel)
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[2].pk])
    assert "须按评审票数从高到低确定" in error.value.messages[0]
    assert nominees[1].name in error.value.messages[0]
    chosen = panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[1].pk])
    assert {c.nominee_id for c in chosen} == {nominees[0].pk, nominees[1].pk}


def test_c8_a_nominee_who_failed_is_never_tied_with_one_who_passed(
    published, cc_staff, cc_unit, office, experts
):
    """Review of issue 18: 2/2 (passed, one expert recused) and 2/3 (failed at 0.75) counted
    as a tie, so the passed one could not be chosen without a run-off."""
    nominees = _received(cc_staff, published, cc_unit, 2)  # bound: ⌊2 ÷ 1.2⌋ = 1
    panel = _open_panel(office, published, experts[:3], nominees, quorum=2, pass_ratio="0.75")
    panel_services.declare_conflict(experts[2], panel, nominees[0], reason="曾在该单位任职")
    for expert in experts[:2]:
        panel_services.cast_vote(expert, panel, nominees[0], approve=True)
        panel_services.cast_vote(expert, panel, nominees[1], approve=True)
    panel_services.cast_vote(experts[2], panel, nominees[1], approve=False)
    panel = panel_services.close_panel(office, panel)
    rows = {r.nominee.pk: r for r in queries.tally(panel)}
    assert rows[nominees[0].pk].passed and not rows[nominees[1].pk].passed
    assert queries.tie_groups(queries.tally(panel)) == []
    chosen = panel_services.choose_candidates(office, panel, [nominees[0].pk])
    assert [c.nominee_id for c in chosen] == [nominees[0].pk]


def test_c8_one_panel_per_category_and_no_choice_after_approval(
    published, cc_staff, cc_unit, office, experts
):
    """Review of issue 18: a second panel in the same category let the office take five from
    one tally and the sixth from another; after the approval the candidates could be re-chosen."""
    from laurel.evaluation.models import Approval

    nominees = _received(cc_staff, published, cc_unit, 2)
    panel = _open_panel(office, published, experts[:1], nominees)
    for nominee in nominees:
        panel_services.cast_vote(experts[0], panel, nominee, approve=True)
    panel = panel_services.close_panel(office, panel)
    with pytest.raises(ValidationError) as error:
        panel_services.create_panel(
            office,
            published,
            published.categories.get(kind="collective"),
            name="第二评审组",
            quorum=1,
            pass_ratio=Decimal("0.5"),
            experts=experts[1:2],
        )
    assert "已组建评审组" in error.value.messages[0]
    Approval.objects.create(
        campaign=published, document_number="吉政函〔2023〕1号", approved_on="2023-04-20"
    )
    with pytest.raises(ValidationError) as error:
        panel_services.choose_candidates(office, panel, [nominees[0].pk])
    assert "已经审定" in error.value.messages[0]


def test_c8_experts_read_the_full_record_of_their_open_panel_only(
    client, published, cc_staff, cc_unit, office, experts, nanguan_unit
):
    """Issue 20: experts judge from the full materials — the nominee's record page and the PDF
    of its forms — read-only and with personal data masked; never a nominee outside their
    panel, and no longer once the panel is closed."""
    from tests.nominations.conftest import complete_individual

    nominees = _received(cc_staff, published, cc_unit, 1)
    outside = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    panel = _open_panel(office, published, experts[:2], nominees, quorum=2, pass_ratio="0.667")
    client.force_login(experts[0])
    ballot = client.get(f"/evaluation/panels/{panel.pk}/vote/").content.decode()
    assert f"/nominations/{nominees[0].pk}/" in ballot and "完整材料" in ballot
    page = client.get(f"/nominations/{nominees[0].pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and nominees[0].deeds[:20] in html
    assert 'data-testid="record-facts"' in html and "集体人数" in html
    assert nominees[0].leader_phone not in html  # masked for experts
    assert "填写/修改" not in html and "退回申报单位" not in html
    booklet = client.get(f"/documents/nominees/{nominees[0].pk}/booklet.pdf")
    assert booklet.status_code == 200 and booklet["Content-Type"] == "application/pdf"
    assert client.get(f"/nominations/{outside.pk}/").status_code == 404
    client.force_login(experts[2])  # not on this panel
    assert client.get(f"/nominations/{nominees[0].pk}/").status_code == 404
    # Reading is lent for judging: not in a list, an export or the API.
    assert nominees[0].name not in client.get("/nominations/").content.decode()
    client.force_login(experts[0])
    # nor a photo of a nominee outside the panel (an individual's, which has one)
    assert outside.photo and client.get(f"/nominations/{outside.pk}/photo/").status_code == 404
    listed = client.get("/api/nominees/")
    assert listed.status_code == 200 and listed.json()["results"] == []
    for expert in experts[:2]:
        panel_services.cast_vote(expert, panel, nominees[0], approve=True)
    panel_services.close_panel(office, panel)
    client.force_login(experts[0])
    assert client.get(f"/nominations/{nominees[0].pk}/").status_code == 404


def test_c8_an_expert_does_not_read_the_record_of_a_nominee_they_are_recused_from(
    client, published, cc_staff, cc_unit, office, experts
):
    """The same unit's expert is recused by conflict of interest; a declared recusal too."""
    insider = UserFactory(unit=cc_unit, roles=[Role.PANEL_EXPERT])
    nominees = _received(cc_staff, published, cc_unit, 2)
    panel = _open_panel(
        office, published, [*experts[:2], insider], nominees, quorum=2, pass_ratio="0.667"
    )
    # The insider sees its own unit's nominees anyway (its jurisdiction) but judges none.
    client.force_login(insider)
    assert client.get(f"/nominations/{nominees[0].pk}/").status_code == 200
    assert queries.to_judge(panel, insider) == []
    panel_services.declare_conflict(experts[0], panel, nominees[1], "曾在该集体工作")
    assert [n.pk for n in queries.to_judge(panel, experts[0])] == [nominees[0].pk]
    client.force_login(experts[0])
    assert client.get(f"/nominations/{nominees[1].pk}/").status_code == 404
    assert client.get(f"/nominations/{nominees[0].pk}/").status_code == 200
    assert queries.votes_to_cast(panel, experts[0]) == 1


def test_no_opinion_is_chosen_for_the_reviewer():
    from laurel.nominations.forms import ReviewForm

    html = ReviewForm().as_p()
    assert "checked" not in html


def test_the_office_inbox_holds_its_provincial_tasks(client, published, cc_staff, cc_unit, office):
    """Issue 20: the recheck and the choice of assessment candidates appeared in no inbox."""
    nominees = _received(cc_staff, published, cc_unit, 2)
    client.force_login(office)
    inbox = client.get("/inbox/").content.decode()
    assert "2个已接收的推荐对象待资格复核" in inbox
    assert f"/evaluation/?campaign={published.pk}" in inbox
    for nominee in nominees:
        panel_services.record_recheck(office, nominee, eligible=True)
    assert "待资格复核" not in client.get("/inbox/").content.decode()
    client.force_login(cc_staff)
    assert "省级评审工作" not in client.get("/inbox/").content.decode()


def test_experts_are_mailed_when_a_panel_is_formed(
    published, cc_staff, cc_unit, office, experts, mailoutbox, django_capture_on_commit_callbacks
):
    nominees = _received(cc_staff, published, cc_unit, 1)
    for index, expert in enumerate(experts[:2]):
        expert.email = f"expert{index}@x.invalid"
        expert.save()
    with django_capture_on_commit_callbacks(execute=True):
        panel = _open_panel(office, published, experts[:2], nominees, quorum=2, pass_ratio="0.667")
    mails = [m for m in mailoutbox if panel.name in m.subject]
    # one mail each: no expert learns who else sits on the panel
    assert sorted(m.to[0] for m in mails) == ["expert0@x.invalid", "expert1@x.invalid"]
    assert all(len(m.to) == 1 and not m.cc and "完整材料" in m.body for m in mails)


def test_c8_a_rank_lies_within_the_pool_and_a_repeated_choice_is_one_choice(
    published, cc_staff, cc_unit, office, experts
):
    """One expert's rank of 10⁹ (or −1) would outweigh the others' in the mean rank that
    orders equal approvals; a nominee posted twice among the candidates is chosen once."""
    nominees = _received(cc_staff, published, cc_unit, 3)
    panel = _open_panel(office, published, experts[:1], nominees, quorum=1)
    for rank in (0, -1, 4, 10**9):
        with pytest.raises(ValidationError) as refused:
            panel_services.cast_vote(experts[0], panel, nominees[0], approve=True, rank=rank)
        assert "名次须为1至3之间的整数" in refused.value.messages[0]
    for position, nominee in enumerate(nominees, start=1):
        panel_services.cast_vote(experts[0], panel, nominee, approve=True, rank=position)
    panel = panel_services.close_panel(office, panel)
    chosen = panel_services.choose_candidates(office, panel, [nominees[0].pk, nominees[0].pk])
    assert [c.nominee_id for c in chosen] == [nominees[0].pk]


def test_a_closed_panel_offers_its_experts_no_links_they_cannot_open_nor_a_to_do(
    client, published, cc_staff, cc_unit, office, experts
):
    """Walk-through: after the panel closed, every 完整材料/PDF link of the ballot was a 404
    (experts read records of open panels only) and the inbox still listed the panel as a to-do."""
    nominees = _received(cc_staff, published, cc_unit, 2)
    panel = _open_panel(office, published, experts[:1], nominees)
    client.force_login(experts[0])
    page = client.get(f"/evaluation/panels/{panel.pk}/vote/").content.decode()
    link = f"/nominations/{nominees[0].pk}/"
    assert link in page and client.get(link).status_code == 200
    to_do = f'href="/evaluation/panels/{panel.pk}/vote/"'
    assert to_do in client.get("/inbox/").content.decode()
    for rank, nominee in enumerate(nominees, start=1):
        panel_services.cast_vote(experts[0], panel, nominee, approve=True, rank=rank)
    assert to_do not in client.get("/inbox/").content.decode()  # nothing left to do
    panel_services.close_panel(office, panel)
    page = client.get(f"/evaluation/panels/{panel.pk}/vote/").content.decode()
    assert link not in page and "评审已结束" in page
    assert client.get(link).status_code == 404


def test_c8_a_run_off_is_among_the_whole_level_set_and_judged_by_the_same_experts(
    published, cc_staff, cc_unit, office, experts
):
    """Review: a run-off among part of a level set was accepted and then read by nothing (so
    the same pair could be voted again); and an expert recused from one name of a run-off
    approved the others, whose one approval more ordered them ahead."""
    nominees = _received(cc_staff, published, cc_unit, 3)  # bound: ⌊3 ÷ 1.2⌋ = 2
    a, b, c = nominees
    panel = _open_panel(office, published, experts, nominees, quorum=2, pass_ratio="0.5")
    x, y, z = experts
    panel_services.declare_conflict(x, panel, a, reason="曾在该单位任职")
    for expert in (y, z):
        for nominee in nominees:
            panel_services.cast_vote(expert, panel, nominee, approve=True, rank=1)
    panel = panel_services.close_panel(office, panel)
    level = {a.pk, b.pk, c.pk}
    assert [{r.nominee.pk for r in g} for g in queries.tie_groups(queries.tally(panel))] == [level]
    with pytest.raises(ValidationError) as error:
        panel_services.create_runoff(office, panel, [b.pk, c.pk])  # part of the level set
    assert "仍票数相同" in error.value.messages[0]
    runoff = panel_services.create_runoff(office, panel, [a.pk, b.pk, c.pk])
    assert set(runoff.members.values_list("expert_id", flat=True)) == {y.pk, z.pk}
    assert runoff.quorum == 2
    with pytest.raises(PermissionDenied):
        panel_services.cast_vote(x, runoff, b, approve=True, rank=1)  # sits this one out
    for expert in (y, z):
        for rank, nominee in enumerate(nominees, start=1):
            panel_services.cast_vote(expert, runoff, nominee, approve=True, rank=rank)
    panel_services.close_panel(office, runoff)
    assert queries.runoff_order(panel, level)[0] == [{a.pk}, {b.pk}, {c.pk}]
    chosen = panel_services.choose_candidates(office, panel, [a.pk, b.pk])
    assert {x.nominee_id for x in chosen} == {a.pk, b.pk}


def test_c8_an_expert_standing_aside_costs_the_nominee_no_place(
    client, published, cc_staff, cc_unit, office, experts
):
    """Known defect (fifth session): the tally ranked by approvals, so a nominee one expert had
    to stand aside from (2 of 2) stood below one with 3 of 3, and level with one with 2 of 3.
    It ranks by the share of the experts who may judge it."""
    nominees = _received(cc_staff, published, cc_unit, 3)
    panel = _open_panel(office, published, experts, nominees, quorum=3, pass_ratio="0.5")
    aside, full, two_of_three = nominees
    panel_services.declare_conflict(experts[2], panel, aside, "本人曾在该单位任职")
    for expert in experts[:2]:
        panel_services.cast_vote(expert, panel, aside, approve=True, rank=1)
    for expert in experts:
        panel_services.cast_vote(expert, panel, full, approve=True, rank=1)
    panel_services.cast_vote(experts[0], panel, two_of_three, approve=True, rank=2)
    panel_services.cast_vote(experts[1], panel, two_of_three, approve=True, rank=2)
    panel_services.cast_vote(experts[2], panel, two_of_three, approve=False)
    rows = queries.tally(panel_services.close_panel(office, panel))
    assert [r.nominee.pk for r in rows] == [aside.pk, full.pk, two_of_three.pk]
    assert [(r.nominee.pk, r.approvals, r.base, r.tied) for r in rows] == [
        (aside.pk, 2, 2, True),  # 2 of 2 and 3 of 3 stand level (then by mean rank, then id)
        (full.pk, 3, 3, True),
        (two_of_three.pk, 2, 3, False),
    ]
    assert [[r.nominee.pk for r in g] for g in queries.tie_groups(rows)] == [[aside.pk, full.pk]]
    client.force_login(office)
    minutes = client.get(f"/evaluation/panels/{panel.pk}/minutes/").content.decode()
    assert "赞成/应评" in minutes and "<td>2/2</td>" in minutes and "<td>2/3</td>" in minutes
    # A tally stored before ``judges`` was kept still prints approvals out of the votes cast.
    panel.results.update(judges=None)
    minutes = client.get(f"/evaluation/panels/{panel.pk}/minutes/").content.decode()
    assert "赞成/投票" in minutes and "赞成/应评" not in minutes


def test_c8_a_nominee_rechecked_after_its_panel_closed_is_flagged_and_never_a_candidate(
    client, published, cc_staff, cc_unit, office, experts
):
    """Known defect (fifth session): a nominee received (a body's deadline extended) and
    rechecked after its category's panel closed was never reviewed, and nothing said so. The
    recheck, the panel page, the evaluation page and the office's inbox name it; it cannot be
    chosen as a candidate."""
    nominees = _received(cc_staff, published, cc_unit, 1)
    panel = _open_panel(office, published, experts[:1], nominees)
    panel_services.cast_vote(experts[0], panel, nominees[0], approve=True)
    panel = panel_services.close_panel(office, panel)
    assert queries.missed_review(published) == [] and queries.missed_review_count(published) == 0
    late = complete_collective(cc_staff, published, cc_unit, name="迟到的集体")
    Nominee.objects.filter(pk=late.pk).update(state=Nominee.State.RECEIVED, review_round=1)
    client.force_login(office)
    response = client.post(f"/evaluation/recheck/{late.pk}/", {"eligible": "1"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert (
        "“先进集体”的评审组已结束评审：迟到的集体未经评审，不能列为考核对象，请核实后处理。"
        in shown
    )
    assert [n.pk for n in queries.missed_review(published)] == [late.pk]
    assert queries.missed_review_count(published) == 1
    assert 'data-testid="missed-review"' in response.content.decode()  # the evaluation page
    page = client.get(f"/evaluation/panels/{panel.pk}/").content.decode()
    assert "评审结束后到达的推荐对象" in page and "迟到的集体" in page
    inbox = client.get("/inbox/").content.decode()
    assert "1个推荐对象在评审结束后复核合格，未经评审" in inbox
    with pytest.raises(ValidationError):
        panel_services.choose_candidates(office, panel, [nominees[0].pk, late.pk])
