import datetime

import pytest

from laurel.campaigns.models import Campaign
from laurel.core.roles import Role
from laurel.nominations.models import Nominee
from tests.factories import UnitFactory, UserFactory
from tests.nominations.conftest import complete_individual, pass_procedure, photo_file
from tests.registry.conftest import new_id

pytestmark = pytest.mark.django_db


def _edit_data(nominee, **overrides):
    data = {
        "name": nominee.name,
        "gender": "1",
        "ethnicity": "01",
        "native_place": "吉林省农安县",
        "birth_date": "1980-05-17",
        "political_status": "01",
        "education": "bachelor",
        "work_start": "2002.07",
        "id_number": nominee.id_number,
        "staffing_type": "public_institution",
        "position_rank": "科长",
        "admin_level": "section",
        "work_unit_name": "某中心",
        "unit_affiliation": "county",
        "unit_nature": "public_institution",
        "unit_division": nominee.unit_division_id,
        "unit_address": "地址",
        "unit_phone": "0431-88888888",
        "mobile": "13812345678",
        "field_work_since": "2015年3月",
        "deeds": "该同志工作扎实。",
        "resume-TOTAL_FORMS": "3",
        "resume-INITIAL_FORMS": "0",
        "resume-0-start": "1998.09",
        "resume-0-end": "2002.07",
        "resume-0-text": "学生",
        "resume-1-start": "2002.07",
        "resume-1-end": "",
        "resume-1-text": "科员",
        "award-TOTAL_FORMS": "1",
        "award-INITIAL_FORMS": "0",
        "punishment-TOTAL_FORMS": "1",
        "punishment-INITIAL_FORMS": "0",
        "conditions": [str(nominee.category.conditions.first().pk)],
    }
    data.update(overrides)
    return data


def test_create_edit_and_submit_through_the_pages(client, published, cc_staff, nanguan_unit):
    client.force_login(cc_staff)
    category = published.categories.get(kind="individual")
    response = client.post(
        f"/nominations/new/{published.pk}/", {"category": category.pk, "name": "赵某"}
    )
    nominee = Nominee.objects.get(name="赵某")
    assert response["Location"] == f"/nominations/{nominee.pk}/edit/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-count-max="800"' in page and "个人简历" in page and "评选条件" in page
    template = complete_individual(cc_staff, published, nanguan_unit)  # for a valid ID and division
    person = new_id(
        birth=template.birth_date, gender=template.gender
    )  # not the template's: once a campaign
    data = _edit_data(template, name="赵某", id_number=person)
    data["resume-1-start"] = "2003.01"  # a gap from 2002.08 to 2002.12
    data["photo"] = photo_file()
    response = client.post(f"/nominations/{nominee.pk}/edit/", data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "简历断档：2002年8月至2002年12月没有经历。" in page
    html = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert "尚未征求公安的意见。" in html and "尚未在单位进行公示" in html
    pass_procedure(Nominee.objects.get(pk=nominee.pk))
    data = _edit_data(template, name="赵某", id_number=person, then="submit")
    response = client.post(f"/nominations/{nominee.pk}/edit/", data)
    nominee.refresh_from_db()
    assert nominee.state == Nominee.State.SUBMITTED
    assert response["Location"] == f"/nominations/{nominee.pk}/"


def test_autosave_saves_valid_input_and_reports_invalid_input(
    client, published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    data = _edit_data(nominee, position_rank="副科长")
    html = client.post(
        f"/nominations/{nominee.pk}/edit/", data, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "已自动保存草稿" in html and "<html" not in html
    nominee.refresh_from_db()
    assert nominee.position_rank == "副科长"
    data = _edit_data(nominee, position_rank="科长", id_number="220102800517123")
    html = client.post(
        f"/nominations/{nominee.pk}/edit/", data, HTTP_HX_REQUEST="true"
    ).content.decode()
    # Issue 20: one bad field no longer throws the draft away — the valid fields are saved,
    # the bad one keeps its value and is listed with a link to its field.
    assert "已自动保存填写正确的内容" in html and "15位" in html
    assert 'href="#id_id_number"' in html
    before = nominee.id_number
    nominee.refresh_from_db()
    assert nominee.position_rank == "科长" and nominee.id_number == before
    data = _edit_data(nominee, deeds="该同志（改）扎实工作。", id_number="2201")
    page = client.post(f"/nominations/{nominee.pk}/edit/", data).content.decode()
    assert 'data-testid="unsaved-fields"' in page and "已保存填写正确的内容" in page
    assert 'value="2201"' in page  # what the user typed stays on the page to correct
    nominee.refresh_from_db()
    assert nominee.deeds == "该同志（改）扎实工作。" and nominee.id_number == before


def test_other_bodies_cannot_see_or_touch_a_nominee(
    client, published, cc_staff, nanguan_unit, jilin_units
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    other = UserFactory(unit=jilin_units["吉林市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    client.force_login(other)
    for url in ("", "edit/", "photo/"):
        assert client.get(f"/nominations/{nominee.pk}/{url}").status_code == 404
    assert client.post(f"/nominations/{nominee.pk}/submit/").status_code == 404
    assert "王某某" not in client.get(f"/nominations/?campaign={published.pk}").content.decode()


def test_personal_data_is_masked_for_roles_that_may_not_see_it(
    client, published, cc_staff, nanguan_unit, jilin_units
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    assert nominee.id_number in client.get(f"/nominations/{nominee.pk}/").content.decode()
    leader = UserFactory(unit=jilin_units["吉林省住房和城乡建设厅"], roles=[Role.LEADING_GROUP])
    client.force_login(leader)
    html = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert nominee.id_number not in html and "138****5678" in html
    assert "变更记录" not in html


def test_list_shows_quota_use_and_findings(client, published, cc_staff, nanguan_unit):
    nominee = complete_individual(
        cc_staff, published, nanguan_unit, field_work_since=datetime.date(2021, 1, 1)
    )
    client.force_login(cc_staff)
    html = client.get(f"/nominations/?campaign={published.pk}").content.decode()
    assert "名额使用" in html and "长春市（含公主岭市）" in html and "不符合 1" in html
    assert nominee.name in html


def test_ranking_buttons_and_safe_redirect(client, published, cc_staff, nanguan_unit):
    a = complete_individual(cc_staff, published, nanguan_unit, name="甲")
    b = complete_individual(cc_staff, published, nanguan_unit, name="乙")
    client.force_login(cc_staff)
    response = client.post(
        f"/nominations/{b.pk}/move/", {"direction": "up", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/nominations/")
    a.refresh_from_db(), b.refresh_from_db()
    assert b.rank < a.rank


def test_the_lists_ranking_buttons_post_to_the_nominees_own_move_address(
    client, published, cc_staff, nanguan_unit
):
    """Issue 22 review: the list's rows are written in Python; each ↑/↓ form posts to its
    nominee's move address with the page's CSRF token and the list as where to come back."""
    import re

    a = complete_individual(cc_staff, published, nanguan_unit, name="甲")
    b = complete_individual(cc_staff, published, nanguan_unit, name="乙")
    client.force_login(cc_staff)
    html = client.get("/nominations/", {"campaign": published.pk}).content.decode()
    actions = re.findall(r'<form method="post" action="([^"]+/move/)" class="inline">', html)
    assert sorted(actions) == sorted([f"/nominations/{a.pk}/move/", f"/nominations/{b.pk}/move/"])
    assert f'name="next" value="/nominations/?campaign={published.pk}"' in html
    assert 'aria-label="上移"' in html and 'aria-label="下移"' in html
    response = client.post(
        actions[-1] if str(b.pk) in actions[-1] else actions[0], {"direction": "up"}
    )
    assert response.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert b.rank < a.rank


def test_nominating_unit_outside_every_body_is_told_so(client, published):
    from laurel.core.models import Division

    stray = UnitFactory(name="外省某单位", division=Division.objects.get(code="220000"))
    user = UserFactory(unit=stray, roles=[Role.NOMINATING_UNIT])
    client.force_login(user)
    # A unit that is no body of a published campaign does not even see the campaign.
    assert client.get(f"/nominations/new/{published.pk}/").status_code == 404
    assert Campaign.objects.restrict(user).count() == 0


def test_saved_dates_are_rendered_so_that_the_date_input_keeps_them(
    client, published, cc_staff, nanguan_unit
):
    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    html = client.get(f"/nominations/{nominee.pk}/edit/").content.decode()
    assert 'type="date" name="birth_date" value="1980-05-17"' in html
    assert 'name="work_start" value="2002.07"' in html


def test_malformed_query_parameters_are_ignored_not_errors(client, published, cc_staff):
    client.force_login(cc_staff)
    assert client.get("/nominations/?category=abc&state=zzz&page=x").status_code == 200
    assert client.get(f"/nominations/export/{published.pk}/?body=abc").status_code == 200


def test_irreversible_actions_ask_with_a_summary_first(client, published, cc_staff, nanguan_unit):
    """Issue 20: 上报 went straight through; now the button says what will happen to whom."""
    from tests.nominations.conftest import complete_individual

    nominee = complete_individual(cc_staff, published, nanguan_unit)
    client.force_login(cc_staff)
    page = client.get(f"/nominations/{nominee.pk}/").content.decode()
    assert f'data-confirm="上报“{nominee.name}”（{nominee.category.name}' in page
    edit = client.get(f"/nominations/{nominee.pk}/edit/").content.decode()
    assert f'data-confirm="保存并上报“{nominee.name}”' in edit
    script = b"".join(client.get("/static/laurel/app.js").streaming_content).decode()
    assert 'querySelectorAll("button[data-confirm]")' in script


def test_list_rows_escape_what_units_type_and_show_state_and_ranking(
    client, published, cc_staff, nanguan_unit
):
    """Issue 22: the rows are written in Python (core.text.escape), not by the template: a
    name's markup is shown as text; the state's label, the findings and the ranking form are
    there as before."""
    from laurel.nominations.models import Nominee

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="甲")
    Nominee.objects.filter(pk=nominee.pk).update(name='<b>"甲"</b>&')
    client.force_login(cc_staff)
    html = client.get(f"/nominations/?campaign={published.pk}&q=甲").content.decode()
    assert "<b>" not in html and "&lt;b&gt;&quot;甲&quot;&lt;/b&gt;&amp;" in html
    assert f'href="/nominations/{nominee.pk}/"' in html
    assert f'<span class="tag">{Nominee.State(nominee.state).label}</span>' in html
    assert f'action="/nominations/{nominee.pk}/move/"' in html
    assert 'name="next" value="/nominations/?campaign=' in html and "&amp;q=" in html


def test_the_lists_rankable_column_is_the_rank_rules_rows_and_multiplies_no_row(
    client, published, office, cc_staff, nanguan_unit
):
    """Issue 22 review: the list asks the rank rule's rows as a column of its own query (an
    annotation: joins, no subquery). For every kind of user the column is true exactly on the
    rows ``restrict(user, "rank")`` returns, and the annotated query has one row per nominee —
    a rows Q through a multi-valued relation would repeat rows."""
    from laurel.campaigns.models import NominatingBody
    from laurel.nominations.queries import rankable_column

    complete_individual(cc_staff, published, nanguan_unit, name="甲")
    complete_individual(cc_staff, published, nanguan_unit, name="乙")
    provincial = published.bodies.filter(kind=NominatingBody.Kind.PROVINCIAL_UNIT).first()
    provincial_staff = UserFactory(unit=provincial.unit, roles=[Role.NOMINATING_BODY])
    complete_individual(provincial_staff, published, provincial.unit, name="丙")
    users = [
        office,
        cc_staff,
        provincial_staff,
        UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT]),
        UserFactory(unit=nanguan_unit, roles=[Role.PANEL_EXPERT]),
    ]
    total = Nominee.objects.count()
    assert total == 3
    for user in users:
        rows = list(
            Nominee.objects.annotate(rankable=rankable_column(user)).values_list("pk", "rankable")
        )
        assert len(rows) == total
        assert {type(rankable) for _, rankable in rows} == {bool}  # the expert's NOTHING too
        expected = set(Nominee.objects.restrict(user, "rank").values_list("pk", flat=True))
        assert {pk for pk, rankable in rows if rankable} == expected
    assert len(Nominee.objects.restrict(office, "rank")) == 3
    assert len(Nominee.objects.restrict(cc_staff, "rank")) == 2
    assert len(Nominee.objects.restrict(provincial_staff, "rank")) == 1
    client.force_login(cc_staff)
    html = client.get("/nominations/", {"campaign": published.pk}).content.decode()
    assert html.count('/move/" class="inline">') == 2
