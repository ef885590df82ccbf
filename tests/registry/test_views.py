"""Registry pages: search (exact ID), person page with logged unmasking, statistics, the flow
through the pages, and jurisdiction."""

import datetime
import io

import openpyxl
import pytest

from laurel.core.models import AuditLog, Division
from laurel.orgs.models import UnitFunction
from laurel.registry.models import Person
from laurel.registry.services import registrations as service
from tests.factories import UnitFactory, UserFactory
from tests.registry.conftest import file_through, model_worker, new_id, register

F = UnitFunction.Function
pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()


def _file(area, registration):
    return file_through(area, registration).person


def test_search_by_exact_id_and_unmask_with_a_log_row(client, area, drive):
    id_number = new_id()
    person = _file(area, register(area, drive, id_number=id_number))
    register(area, drive, id_number=new_id(), name="李四")
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)
    html = client.get("/registry/", {"id_number": id_number.lower()}).content.decode()
    assert "张志强" in html and id_number not in html and person.id_masked in html
    assert "张志强" not in client.get("/registry/", {"id_number": new_id()}).content.decode()
    page = client.get(f"/registry/people/{person.pk}/").content.decode()
    assert id_number not in page and "吉林省劳动模范" in page
    page = client.post(f"/registry/people/{person.pk}/", {"action": "unmask"}).content.decode()
    assert id_number in page and "13912345678" in page
    assert AuditLog.objects.filter(action="view", actor=reviewer, object_id=str(person.pk)).exists()


def test_person_pages_follow_the_jurisdiction(client, area, drive):
    person = _file(area, register(area, drive))
    unit = UnitFactory(
        name="朝阳区人社局",
        division=Division.objects.get(code="220104"),
        tier="county",
        functions=[F.HR_SOCIAL_SECURITY],
    )
    client.force_login(UserFactory(unit=unit, roles=["reviewing_department"]))
    assert client.get(f"/registry/people/{person.pk}/").status_code == 404
    assert "张志强" not in client.get("/registry/").content.decode()
    client.force_login(area.school_user)  # the unit sees its person, masked, no unmask
    page = client.get(f"/registry/people/{person.pk}/").content.decode()
    assert "张志强" in page and 'data-testid="unmask"' not in page
    assert client.post(f"/registry/people/{person.pk}/", {"action": "unmask"}).status_code == 403


@pytest.mark.parametrize(
    "search",
    [{}, {"kind": "provincial_committee_government"}, {"year": "2015"}, {"name": "张"}],
)
def test_deeper_pages_of_a_search_walk_the_keys_and_keep_the_search(client, area, drive, search):
    """Issue 22: from page 2 on the list walks the offset on keys only (core.http.window) — also
    for a search by kind or year, which joins the honours and asks for distinct people."""
    _file(area, register(area, drive))
    later = model_worker(awarded_on=datetime.date(2020, 4, 28), kind="national_honoree")
    _file(area, register(area, drive, id_number=new_id(), name="张三", honours=[later]))
    client.force_login(area.office)
    first = client.get("/registry/", search).content.decode()
    assert "张志强" in first
    assert ("张三" in first) == ("kind" not in search and "year" not in search)
    for page in ("2", "3"):
        response = client.get("/registry/", {**search, "page": page})
        assert response.status_code == 200
        html = response.content.decode()
        assert "张志强" not in html and "没有符合条件的人员。" in html


def test_statistics_page_and_export(client, area, drive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # filing queues the recount
        _file(area, register(area, drive))
    client.force_login(area.office)
    html = client.get("/registry/statistics/").content.decode()
    assert "按地区（市州）统计荣誉" in html and "长春市" in html and "省部级" in html
    content = client.get("/registry/statistics/?format=xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    level = book["level"]
    assert [c.value for c in level[4]] == ["省部级", 1]
    assert "导出：" in level["A1"].value


def test_registration_through_the_pages(client, area, drive):
    client.force_login(area.school_user)
    response = client.post(
        "/registry/registrations/new/",
        {
            "name": "王红",
            "gender": "2",
            "ethnicity": "01",
            "unit_name": "南关区实验小学",
            "position": "教师",
            "living": "on",
            "has_personnel_file": "on",
            "id_number": new_id(gender="2"),
            "phone": "13900001111",
            "honours-TOTAL_FORMS": "2",
            "honours-INITIAL_FORMS": "0",
            "honours-MIN_NUM_FORMS": "0",
            "honours-MAX_NUM_FORMS": "20",
            "honours-0-title": "吉林省劳动模范",
            "honours-0-kind": "provincial_committee_government",
            "honours-0-honour_type": "model_worker",
            "honours-0-awarding_body": "吉林省人民政府",
            "honours-0-awarded_on": "2015-04-28",
            "honours-0-treatment": "享受省级劳动模范待遇",
        },
    )
    assert response.status_code == 302
    registration = area.school.__class__.objects.none()
    from laurel.registry.models import Registration

    registration = Registration.objects.get(name="王红")
    assert registration.honours.count() == 1
    page = client.get(f"/registry/registrations/{registration.pk}/").content.decode()
    assert "符合统计登记范围" in page
    client.post(f"/registry/registrations/{registration.pk}/submit/")
    registration.refresh_from_db()
    assert registration.current_tier == "supervisor"
    client.force_login(area.bureau_user)
    assert "王红" in client.get("/inbox/").content.decode()
    client.post(f"/registry/registrations/{registration.pk}/review/", {"decision": "agree"})
    registration.refresh_from_db()
    assert registration.current_tier == "county"
    docx = client.get(f"/documents/registrations/{registration.pk}/form.docx")
    from tests.documents.helpers import docx_text

    text = docx_text(docx.content)
    assert "吉林省享受省部级以上表彰奖励获得者待遇人员登记表" in text and "王红" in text
    # the school's supervisor agreed online: marked so, the seal box left for the stamp
    assert "（网上审核意见）同意" in text and "已盖章" not in text and "（H-" not in text
    # Walk-through: a county's send-back note was printed in its box as its opinion.
    client.force_login(area.reviewer("county", "hr_social_security"))
    client.post(
        f"/registry/registrations/{registration.pk}/review/",
        {"decision": "send_back", "text": "请补充表彰文件复印件。"},
    )
    registration.refresh_from_db()
    assert registration.state == "sent_back"
    client.force_login(area.office)
    text = docx_text(client.get(f"/documents/registrations/{registration.pk}/form.docx").content)
    assert "请补充表彰文件复印件" not in text and "（网上审核意见）同意" in text


def test_drive_dashboard_shows_overdue_and_contacts(client, area, drive):
    registration = service.submit_registration(area.school_user, register(area, drive))
    client.force_login(area.office)
    html = client.get(f"/registry/drives/{drive.pk}/").content.decode()
    assert "逾期未完成" in html and registration.name in html  # 2022 deadlines have passed
    assert Person.objects.count() == 0


def test_evidence_upload_checks_content_and_serves_only_within_jurisdiction(
    client, area, drive, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    registration = register(area, drive)
    client.force_login(area.school_user)
    url = f"/registry/registrations/{registration.pk}/evidence/"
    fake = SimpleUploadedFile(
        "表彰文件.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    client.post(url, {"title": "表彰文件", "file": fake})
    assert registration.evidence_files.count() == 0  # a renamed executable is refused
    pdf = SimpleUploadedFile("x.bin", PDF, content_type="application/octet-stream")
    client.post(url, {"title": "表彰文件复印件", "file": pdf})
    evidence = registration.evidence_files.get()
    assert (evidence.content_type, evidence.title) == ("application/pdf", "表彰文件复印件")
    response = client.get(f"/registry/evidence/{evidence.pk}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    outsider_unit = UnitFactory(
        name="朝阳区某局", division=Division.objects.get(code="220104"), tier="county"
    )
    client.force_login(UserFactory(unit=outsider_unit, roles=["nominating_unit"]))
    assert client.get(f"/registry/evidence/{evidence.pk}/").status_code == 404
    service.submit_registration(area.school_user, registration)
    client.force_login(area.school_user)
    client.post(url, {"title": "补充", "file": SimpleUploadedFile("y.pdf", PDF)})
    assert registration.evidence_files.count() == 1  # no additions once submitted
    from django.core.files.storage import default_storage

    default_storage.delete(evidence.file)  # a file lost on disk: a clear 404, not a 500
    assert client.get(f"/registry/evidence/{evidence.pk}/").status_code == 404


def test_people_list_pages_without_counting(client, area):
    people = []
    for index in range(55):
        person = Person(name=f"翻页{index:02d}", division=Division.objects.get(code="220102"))
        person.set_id_number(new_id())
        people.append(person)
    Person.objects.bulk_create(people)
    client.force_login(area.office)
    first = client.get("/registry/", {"name": "翻页"})
    rows = first.content.decode().count('<tr><td><a href="/registry/people/')
    assert first.context["page"].has_next and rows == 50
    html = client.get("/registry/", {"name": "翻页", "page": 2}).content.decode()
    assert "翻页54" in html and "翻页00" not in html and "第 2 页" in html and "下一页" not in html
    assert client.get("/registry/", {"page": "x"}).status_code == 200


def test_people_search_by_division_keeps_that_division_and_below(client, area):
    here = Person(name="南关甲", division=Division.objects.get(code="220102"))
    there = Person(name="朝阳乙", division=Division.objects.get(code="220104"))
    elsewhere = Person(name="吉林丙", division=Division.objects.get(code="220202"))
    for person in (here, there, elsewhere):
        person.set_id_number(new_id())
    Person.objects.bulk_create([here, there, elsewhere])
    client.force_login(area.office)
    changchun = Division.objects.get(code="220100")
    html = client.get("/registry/", {"division": changchun.pk}).content.decode()
    assert "南关甲" in html and "朝阳乙" in html and "吉林丙" not in html
    assert f'<option value="{changchun.pk}" selected>长春市</option>' in html
    refused = client.get("/registry/", {"division": "999999"})
    assert refused.status_code == 200 and "吉林丙" in refused.content.decode()
    assert "地区：选择一个有效的选项" in refused.content.decode()


def test_precomputed_statistics_agree_with_live_counts_within_the_jurisdiction(area, drive):
    from laurel.registry import statistics
    from laurel.registry.services.statistics import refresh

    _file(area, register(area, drive))
    _file(area, register(area, drive, id_number=new_id(gender="2"), name="李红", gender="2"))
    refresh()
    for user in (
        area.office,
        area.reviewer("city", F.HR_SOCIAL_SECURITY),
        area.reviewer("county", F.HR_SOCIAL_SECURITY),
    ):
        assert {k: sorted(v) for k, v in statistics.tables(user).items()} == {
            k: sorted(v) for k, v in statistics.live_tables(user).items()
        }
    outsider = UnitFactory(
        name="朝阳区人社局",
        division=Division.objects.get(code="220104"),
        tier="county",
        functions=[F.HR_SOCIAL_SECURITY],
    )
    nobody = UserFactory(unit=outsider, roles=["reviewing_department"])
    assert statistics.tables(nobody)["level"] == []
    # nothing registered in 朝阳区, so no rollup: the tables are empty, and counted all the same
    assert statistics.refreshed_at(nobody) == statistics.refreshed_at(area.office) is not None
    assert dict(statistics.tables(area.office)["sex"]) == {"男": 1, "女": 1}


def test_a_county_reviewer_on_the_leading_group_counts_only_its_county(client, area, drive):
    """The statistics reach as far as the role that may read them: a county reviewing
    department that also sits on the leading group (which sees the province but reads no
    statistics) gets its county's counts, page and live tables alike — not the province's."""
    from laurel.core.roles import Role
    from laurel.registry import statistics
    from laurel.registry.models import Honour
    from laurel.registry.services.statistics import refresh

    _file(area, register(area, drive))
    elsewhere = Person(name="吉林市居民", division=Division.objects.get(code="220202"))
    elsewhere.set_id_number(new_id(gender="2"))
    elsewhere.gender = "2"
    elsewhere.save()
    Honour.objects.create(person=elsewhere, level="provincial", **model_worker())
    refresh()
    county = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    both = UserFactory(unit=county.unit, roles=[Role.REVIEWING_DEPARTMENT, Role.LEADING_GROUP])
    assert dict(statistics.tables(area.office)["sex"]) == {"男": 1, "女": 1}
    assert statistics.tables(both) == statistics.tables(county)
    assert dict(statistics.tables(both)["sex"]) == {"男": 1}
    assert dict(statistics.live_tables(both)["sex"]) == {"男": 1}
    client.force_login(both)
    page = client.get("/registry/statistics/")
    assert page.status_code == 200
    assert "吉林市" not in page.content.decode().split("按地区")[1].split("</table>")[0]


def test_the_statistics_page_reads_one_precomputed_row_of_the_jurisdiction(
    area, drive, django_assert_num_queries
):
    """Issue 22: the page is one indexed fetch — the rollup of the user's jurisdiction's
    topmost division, through the jurisdiction filter — whatever the size of the registry."""
    from laurel.core.models import Division
    from laurel.registry import statistics
    from laurel.registry.models import StatisticRollup
    from laurel.registry.services.statistics import refresh

    _file(area, register(area, drive))
    refresh()
    city = area.reviewer("city", F.HR_SOCIAL_SECURITY)
    for user, division in ((area.office, "220000"), (city, "220100")):
        assert user.role_codes  # the user's roles, read once a request by the login
        # the page's own permission check (a department's functions, read once a request)
        assert user.has_perm("registry.view_statistics")
        with django_assert_num_queries(1):
            rollup = statistics.jurisdiction_rollup(user)
        expected = StatisticRollup.objects.get(division=Division.objects.get(code=division))
        assert rollup["pk"] == expected.pk
        # the rollup's content is read once a process; every later page is the one fetch above
        statistics.tables(user, rollup)
        with django_assert_num_queries(0):
            shown = statistics.tables(user, rollup)
            assert statistics.refreshed_at(user, rollup) == expected.refreshed_at
        assert shown == statistics.tables(user) and shown["level"]
        assert dict(shown["sex"]) == {"男": 1}


def test_the_statistics_query_is_shared_by_a_jurisdiction_and_follows_a_move(area, drive):
    """Issue 22: the rollup's query is compiled once per jurisdiction (the same roles, unit and
    place give the same filter); a reviewer moved to another city's unit gets that city's rollup,
    never the one compiled for the old unit; a refresh's new counts show at once."""
    from laurel.core.jurisdiction import scope_key
    from laurel.registry import statistics
    from laurel.registry.models import StatisticRollup
    from laurel.registry.services.statistics import refresh

    _file(area, register(area, drive))
    refresh()
    first = area.reviewer("city", F.HR_SOCIAL_SECURITY)
    second = UserFactory(unit=first.unit, roles=list(first.role_codes))
    assert scope_key(first) == scope_key(second) != scope_key(area.office)
    assert statistics.jurisdiction_rollup(first) == statistics.jurisdiction_rollup(second)
    assert dict(statistics.tables(second)["sex"]) == {"男": 1}

    elsewhere = UnitFactory(
        name="四平市人社局",
        division=Division.objects.get(code="220300"),
        tier="prefecture",
        functions=[F.HR_SOCIAL_SECURITY],
    )
    second.unit = elsewhere
    assert scope_key(second) != scope_key(first)
    # nothing registered in 四平: no rollup, empty tables — not 长春's counts
    assert statistics.jurisdiction_rollup(second) is None
    assert statistics.tables(second)["sex"] == []

    _file(area, register(area, drive, id_number=new_id(gender="2"), name="李红", gender="2"))
    before = statistics.jurisdiction_rollup(first)
    refresh()
    after = statistics.jurisdiction_rollup(first)
    assert after != before
    assert StatisticRollup.objects.filter(pk=before["pk"]).exists() is False
    assert dict(statistics.tables(first)["sex"]) == {"男": 1, "女": 1}


def test_database_export_masks_desensitises_and_follows_the_search(client, area, drive):
    import openpyxl

    _file(area, register(area, drive))
    secret_id = new_id()
    _file(
        area,
        register(area, drive, id_number=secret_id, name="保密人", classified=True, position=""),
    )
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)

    def export(**query):
        response = client.get("/registry/", {"format": "xlsx", **query})
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return sheet, [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]

    sheet, rows = export()
    assert "导出：" in sheet["A1"].value
    plain = next(r for r in rows if r[0] == "张志强")
    assert "*" in plain[2] and plain[5] == "吉林省劳动模范"
    # A classified person's place in a list sorted by name would spell the name out: outside the
    # office they are found by their exact ID number only.
    assert {r[0] for r in rows} == {"张志强"}
    sheet, rows = export(id_number=secret_id)
    assert [r[0] for r in rows] == ["涉密人员"]
    secret = rows[0]
    assert secret[2] is None and secret[3] == "（涉密，已脱密）"
    # Issue 19: nothing that narrows the person down — no surname, gender, area, awarding
    # body, date or document number.
    assert secret[1] is None and secret[4] is None
    assert secret[8] is None and secret[9] is None and secret[10] is None
    assert [r[0] for r in export(name="涉")[1]] == [] and [r[0] for r in export(name="保")[1]] == []
    response = client.get("/registry/", {"format": "xlsx", "name": "张"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A4"].value == "张志强" and sheet.max_row == 4


def test_h6_a_search_by_id_number_leaves_an_audit_row_without_the_number(client, area, drive):
    person_id = new_id()
    _file(area, register(area, drive, id_number=person_id))
    reviewer = area.reviewer("county", F.HR_SOCIAL_SECURITY)
    client.force_login(reviewer)
    html = client.get("/registry/", {"id_number": person_id}).content.decode()
    assert "张志强" in html
    client.get("/registry/", {"id_number": new_id()})
    rows = AuditLog.objects.filter(actor=reviewer, object_id="search").order_by("pk")
    assert [r.changes[0]["new"] for r in rows] == [1, 0]
    assert person_id not in rows[0].object_repr and person_id[:4] in rows[0].object_repr
    assert person_id not in str(rows[0].changes)
    client.get("/registry/", {"name": "张"})  # a search by name is not logged so
    assert AuditLog.objects.filter(actor=reviewer, object_id="search").count() == 2


@pytest.mark.django_db(transaction=True)
def test_upgrading_rolls_up_the_counts_already_refreshed(area, drive):
    """Issue 22 review: migration 0011 builds the rollups from the counts a refresh left, so the
    page shows them right after the upgrade, not only after the next filing."""
    from django.core.management import call_command

    from laurel.core.models import Division
    from laurel.registry.models import StatisticRollup
    from laurel.registry.services.statistics import refresh

    _file(area, register(area, drive))
    refresh()
    province = Division.objects.get(code="220000")
    expected = StatisticRollup.objects.get(division=province).tables
    call_command("migrate", "registry", "0010", verbosity=0)  # unapplies what depends on it too
    call_command("migrate", verbosity=0)  # …so every app forward again (treatment: issue 23)
    assert StatisticRollup.objects.get(division=province).tables == expected


@pytest.mark.parametrize(
    "data",
    [{}, {"page": "3"}, {"name": '张"<b>'}, {"year": "1800"}, {"division": "x"}, {"unit": "局"}],
)
def test_the_search_fields_are_written_as_the_template_wrote_them(area, data):
    """Issue 22: the filter bar is written in Python, the empty form once a process; the same
    fields, values and error messages as the template loop it replaces, typed text escaped."""
    from django.http import QueryDict
    from django.template import engines
    from django.test.html import parse_html

    from laurel.registry import forms

    loop = engines["django"].from_string(
        "{% for field in form %}<label>{{ field.label }} {{ field }}</label>{% if field.errors %}"
        '<span class="error" role="alert">{{ field.label }}：{{ field.errors|join:"；" }}</span>'
        "{% endif %}{% endfor %}"
    )
    query = QueryDict(mutable=True)
    query.update(data)
    for _ in range(2):  # the second time from the process's copy where the form is empty
        form = forms.SearchForm(query or None)
        form.is_valid()
        assert parse_html(forms.filters_html(form)) == parse_html(loop.render({"form": form}))
    html = forms.filters_html(form)
    assert "<b>" not in html
    if "year" in data:
        assert 'role="alert"' in html and "1949" in html


def test_the_statistics_of_a_reviewer_who_sees_no_division_are_empty_not_an_error(
    client, area, drive, django_assert_num_queries
):
    """A reviewing-department account not yet placed in a unit sees no rollup: its filter
    matches nothing, so the tables are empty (no query for the rollup, no error), and the page
    itself stays closed to it until it has a unit."""
    from laurel.registry import statistics
    from laurel.registry.services.statistics import refresh

    _file(area, register(area, drive))
    refresh()
    unplaced = UserFactory(unit=None, roles=["reviewing_department"])
    assert unplaced.role_codes  # read once a request by the login
    for _ in range(2):  # compiled once, then answered from the cache: both without a query
        with django_assert_num_queries(0):
            assert statistics.jurisdiction_rollup(unplaced) is None
    assert statistics.tables(unplaced)["level"] == []
    client.force_login(unplaced)
    assert client.get("/registry/statistics/").status_code == 403
    assert statistics.tables(area.office)["level"]  # the office, beside it, sees the counts


def test_h6_other_criteria_beside_an_id_number_do_not_spell_out_a_classified_person(area, drive):
    """Probe: with the number of a classified person, ``name=王`` found them and ``name=李``
    did not — the name, unit, area and year read one letter at a time (page and API)."""
    from rest_framework.test import APIClient

    number = new_id()
    registration = register(
        area, drive, id_number=number, classified=True, name="王秘密", unit_name="某研究所"
    )
    file_through(area, registration)
    reviewer = area.reviewer("county", UnitFunction.Function.HR_SOCIAL_SECURITY)
    api = APIClient()
    api.force_authenticate(reviewer)
    for criteria in ({"name": "王"}, {"name": "李"}, {"unit": "研究所"}, {"unit": "小学"}):
        found = api.get("/api/registry/people/", {"id_number": number, **criteria}).json()
        assert [row["name"] for row in found["results"]] == ["涉密人员"], criteria
    file_through(area, register(area, drive, name="王明"))  # not classified: criteria narrow
    assert api.get("/api/registry/people/", {"name": "王"}).json()["results"][0]["name"] == "王明"


def test_h5_the_drives_and_their_contact_form_are_reached_from_the_registrations(
    client, area, drive
):
    """Crawl (sixth session): no page linked to the drives, where a unit sends its 附件5
    contact table and the office opens and closes a drive."""
    client.force_login(area.school_user)
    page = client.get("/registry/registrations/").content.decode()
    assert 'href="/registry/drives/"' in page
    drives = client.get("/registry/drives/").content.decode()
    assert f'href="/registry/drives/{drive.pk}/"' in drives
    assert 'name="contact_name"' in client.get(f"/registry/drives/{drive.pk}/").content.decode()
