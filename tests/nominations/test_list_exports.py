"""Every list exports the rows its user sees (issue 20): review queue, review overview,
clearance requests, a notice's objections, the preliminary list — same filter, same cells."""

import io

import openpyxl
import pytest
from django.urls import reverse

from laurel.core.roles import Role
from laurel.nominations.models import ClearanceRequest
from laurel.nominations.services import nominees as service
from laurel.public.services import notices as notice_service
from tests.factories import UserFactory
from tests.nominations.conftest import complete_individual
from tests.nominations.test_review import reviewers  # noqa: F401
from tests.public.test_notices import _notice

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_clearance_list_shows_and_exports_only_what_the_user_may_see(
    client, published, cc_staff, nanguan_unit, jilin_units, office
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="赵清")
    count = ClearanceRequest.objects.filter(nominee=nominee).count()
    assert count >= 2
    client.force_login(cc_staff)
    html = client.get(reverse("nominations:clearance_list")).content.decode()
    assert "赵清" in html and "公安" in html
    rows = _rows(client.get(reverse("nominations:clearance_list") + "?format=xlsx"))
    assert rows[0][:3] == ("推荐对象", "推荐单位", "征求意见部门")
    assert len(rows) == 1 + count and {r[0] for r in rows[1:]} == {"赵清"}
    assert {r[6] for r in rows[1:]} == {"同意"}
    pending = client.get(reverse("nominations:clearance_list") + "?state=pending&format=xlsx")
    assert _rows(pending)[1:] == []
    other_body = UserFactory(
        unit=jilin_units["吉林市住房和城乡建设局"], roles=[Role.NOMINATING_BODY]
    )
    client.force_login(other_body)
    html = client.get(reverse("nominations:clearance_list")).content.decode()
    assert "赵清" not in html and "没有符合条件的征求意见。" in html
    assert _rows(client.get(reverse("nominations:clearance_list") + "?format=xlsx"))[1:] == []
    client.force_login(office)
    rows = _rows(client.get(reverse("nominations:clearance_list") + "?format=xlsx"))
    assert len(rows) == 1 + count


def test_the_review_queue_and_the_overview_export_their_rows(
    client,
    published,
    cc_staff,
    nanguan_unit,
    reviewers,  # noqa: F811
    office,
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="钱进")
    service.submit_nominee(cc_staff, nominee)  # a county nominee: to the county's review
    client.force_login(reviewers[("county", "hr")])
    rows = _rows(client.get(reverse("nominations:review") + "?format=xlsx"))
    assert [r[:3] for r in rows] == [
        ("推荐对象", "类别", "申报单位"),
        ("钱进", "先进个人", nanguan_unit.name),
    ]
    client.force_login(office)
    rows = _rows(
        client.get(reverse("nominations:overview") + f"?campaign={published.pk}&format=xlsx")
    )
    assert rows[0][:2] == ("推荐单位", "名额")
    changchun = next(r for r in rows if r[0] == "长春市（含公主岭市）")
    assert changchun[1] == 42 and sum(v for v in changchun[2:] if isinstance(v, int)) == 1


def test_a_notices_objections_export(client, published, cc_staff, nanguan_unit, office):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="孙立")
    notice = _notice(nominee)
    objection = notice_service.file_objection(notice, nominee.pk, content="业绩不实。")
    client.force_login(cc_staff)
    rows = _rows(client.get(reverse("public:manage_notice", args=[notice.pk]) + "?format=xlsx"))
    assert [r[:2] for r in rows] == [("受理编号", "推荐对象"), (objection.reference, "孙立")]
    assert rows[1][3] == objection.get_state_display()


def test_a_name_excel_refuses_as_a_sheet_name_does_not_break_an_export(client, published, office):
    """A campaign named “2025/2026年度 [试点]…”: the characters a worksheet name may not hold
    are replaced, the export works."""
    from laurel.core.spreadsheets import sheet_name

    assert (
        sheet_name("推荐审核进度：2025/2026年度[试点]*?") == "推荐审核进度：2025_2026年度_试点___"
    )
    published.name = "2025/2026年度[试点]保障性安居工程评选表彰"
    published.save()
    client.force_login(office)
    response = client.get(reverse("nominations:overview") + f"?campaign={published.pk}&format=xlsx")
    assert response.status_code == 200
    assert _rows(response)[0][:2] == ("推荐单位", "名额")


def test_c9_another_department_of_the_area_or_an_expert_of_the_unit_reads_no_opinion(
    client, published, cc_staff, nanguan_unit
):
    """A department's opinion on a person is for the department asked and those who work the
    file: another department of the district, or an expert who happens to sit in the
    nominee's unit, finds it neither in the list, nor the export, nor by its address."""
    from laurel.core.models import Division
    from laurel.orgs.models import UnitFunction
    from tests.factories import UnitFactory

    nominee = complete_individual(cc_staff, published, nanguan_unit, name="吴桐")
    police = ClearanceRequest.objects.get(nominee=nominee, function="public_security")
    police_unit = UnitFactory(name="南关区公安分局", division=Division.objects.get(code="220102"))
    ClearanceRequest.objects.filter(pk=police.pk).update(
        department=police_unit, opinion="有违法记录待查"
    )
    civil = UnitFactory(name="南关区民政局", division=Division.objects.get(code="220102"))
    UnitFunction.objects.create(unit=civil, function="civil_affairs")
    outsiders = [
        UserFactory(unit=civil, roles=[Role.CLEARANCE_DEPARTMENT]),
        UserFactory(unit=nanguan_unit, roles=[Role.PANEL_EXPERT]),
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(reverse("nominations:clearance", args=[police.pk])).status_code == 404
        html = client.get(reverse("nominations:clearance_list")).content.decode()
        assert "吴桐" not in html
        export = client.get(reverse("nominations:clearance_list") + "?format=xlsx")
        assert export.status_code == 403 or _rows(export)[1:] == []
        # nor on the nominee's page, nor in 附件4 or the booklet (final review of issue 20)
        # (both read the nominee itself: the district's departments and the unit's people do)
        page = client.get(reverse("nominations:detail", args=[nominee.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "有违法记录待查" not in html and "意见仅供承办部门和办理该推荐的单位查看" in html
        form4 = client.get(f"/documents/nominees/{nominee.pk}/clearance.docx")
        assert form4.status_code == 403
        booklet = client.get(f"/documents/nominees/{nominee.pk}/booklet.pdf")
        assert booklet.status_code == 200
        from tests.documents.helpers import pdf_text

        text = pdf_text(booklet.content)
        assert "征求意见表" not in text and "有违法记录待查" not in text
    # the department asked still reads its own request
    asked = UserFactory(unit=police_unit, roles=[Role.CLEARANCE_DEPARTMENT])
    client.force_login(asked)
    assert client.get(reverse("nominations:clearance", args=[police.pk])).status_code == 200
