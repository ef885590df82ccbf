"""Issue 8 §5: a body's documents as a ZIP built by a background task, with progress; a failed
job never serves a partial ZIP."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from laurel.core.roles import Role
from laurel.documents import services
from laurel.documents.docx import render as docx_render
from laurel.documents.models import ExportJob
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as nominee_service
from tests.documents.helpers import docx_text
from tests.factories import UserFactory
from tests.nominations.conftest import complete_collective, complete_individual

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(published, cc_staff, cc_unit, nanguan_unit, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(services, "EXPORT_DIR", tmp_path / "exports")  # restored after the test
    people = [
        complete_individual(cc_staff, published, nanguan_unit, name="周一"),
        complete_collective(cc_staff, published, cc_unit, name="长春市某保障中心"),
    ]
    return [nominee_service.submit_nominee(cc_staff, n) for n in people]


def test_body_zip_through_the_task_with_progress_and_download(
    client, published, cc_staff, submitted, django_capture_on_commit_callbacks
):
    client.force_login(cc_staff)
    body = submitted[0].body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/documents/campaigns/{published.pk}/exports/", {"body": body.pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/exports/{job.pk}/"
    # 2 nominees, each rendered alone and again in the body's bound booklet, + the summary
    assert (job.state, job.progress, job.total) == ("done", 5, 5)
    page = client.get(f"/documents/exports/{job.pk}/").content.decode()
    assert '<progress max="5" value="5"' in page and "下载ZIP" in page
    partial = client.get(f"/documents/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.strip().startswith('<div id="export-progress"') and "hx-trigger" not in partial
    response = client.get(f"/documents/exports/{job.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "README.txt" in names
    # entries a clerk recognises (issue 21): 单位-姓名-附件N.docx, the print copy, 附件6
    person_unit, collective_unit = (n.nominating_unit.name for n in submitted)
    assert any(n.endswith(f"周一-{submitted[0].pk}/{person_unit}-周一-附件3.docx") for n in names)
    assert any(n.endswith(f"周一-{submitted[0].pk}/{person_unit}-周一-附件4.docx") for n in names)
    assert any(n.endswith(f"周一-{submitted[0].pk}/{person_unit}-周一-打印本.pdf") for n in names)
    assert any(
        n.endswith(
            f"长春市某保障中心-{submitted[1].pk}/{collective_unit}-长春市某保障中心-附件2.docx"
        )
        for n in names
    )
    assert not any("form" in n or "booklet" in n for n in names)
    # the body's materials bound as one: cover, 附件6, then each nominee's forms (C-12)
    bound = archive.read(f"{body.name}/{body.name}-合订本.pdf")
    from tests.documents.helpers import pdf_text

    text = pdf_text(bound)
    assert text.index("推荐材料") < text.index("推荐对象汇总表") < text.index("周一")
    assert "推荐对象：2个" in text
    summary = next(n for n in names if n.endswith(f"{body.name}-附件6.docx"))
    assert "周一" in docx_text(archive.read(summary))
    assert "导出人：" in archive.read("README.txt").decode()


def test_failed_export_keeps_no_file_and_refuses_download(
    client, published, cc_staff, submitted, django_capture_on_commit_callbacks
):
    # A photo that is not an image (a damaged upload) makes the job fail half way.
    from django.core.files.storage import default_storage

    broken = default_storage.save("photos/broken.jpg", io.BytesIO(b"not an image"))
    Nominee.objects.filter(pk=submitted[0].pk).update(photo=broken)
    client.force_login(cc_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/campaigns/{published.pk}/exports/", {"body": submitted[0].body.pk})
    job = ExportJob.objects.get()
    assert job.state == "failed" and "生成材料时出错" in job.error
    assert not services.export_path(job).exists()
    assert not services.export_path(job).with_suffix(".zip.part").exists()
    response = client.get(f"/documents/exports/{job.pk}/download/")
    assert response.status_code == 302
    assert "导出失败" in client.get(f"/documents/exports/{job.pk}/").content.decode()


def test_exports_are_filtered_by_jurisdiction(client, published, cc_staff, submitted, jilin_units):
    other = UserFactory(unit=jilin_units["吉林市住房和城乡建设局"], roles=[Role.NOMINATING_BODY])
    client.force_login(other)
    response = client.post(
        f"/documents/campaigns/{published.pk}/exports/", {"body": submitted[0].body.pk}
    )
    assert response.status_code == 403 and not ExportJob.objects.exists()
    # The whole campaign is for the office only.
    assert client.post(f"/documents/campaigns/{published.pk}/exports/").status_code == 403
    job = services.request_export(cc_staff, published, submitted[0].body)
    assert client.get(f"/documents/exports/{job.pk}/").status_code == 403  # not theirs


def test_nominee_documents_downloads_mask_for_readers(client, published, cc_staff, submitted):
    person = submitted[0]
    client.force_login(cc_staff)
    content = client.get(f"/documents/nominees/{person.pk}/approval.docx").content
    assert person.id_number in docx_text(content)
    booklet = client.get(f"/documents/nominees/{person.pk}/booklet.pdf?copies=3")
    assert booklet["Content-Type"] == "application/pdf"
    assert client.get(f"/documents/nominees/{person.pk}/nonsense.docx").status_code == 403
    outsider = UserFactory(roles=[Role.NOMINATING_BODY])
    client.force_login(outsider)
    assert client.get(f"/documents/nominees/{person.pk}/approval.docx").status_code == 404


def test_two_nominees_of_one_name_and_rank_never_overwrite_each_other_in_the_zip(
    client, published, cc_staff, cc_unit, nanguan_unit, django_capture_on_commit_callbacks
):
    """Ranks count per body and category: an individual and a collective both called 周一,
    each first in its list, once shared a folder and one's forms replaced the other's."""
    people = [
        complete_individual(cc_staff, published, nanguan_unit, name="周一"),
        complete_collective(cc_staff, published, cc_unit, name="周一"),
    ]
    people = [nominee_service.submit_nominee(cc_staff, n) for n in people]
    assert {n.rank for n in people} == {1}
    client.force_login(cc_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/campaigns/{published.pk}/exports/", {"body": people[0].body_id})
    job = ExportJob.objects.get()
    response = client.get(f"/documents/exports/{job.pk}/download/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == len(set(names))
    assert {n.split("/")[1] for n in names if n.count("/") == 2} == {
        f"001-周一-{people[0].pk}",
        f"001-周一-{people[1].pk}",
    }


def test_h6_a_body_zip_binds_no_clearance_opinion_the_requester_may_not_read(
    client,
    published,
    cc_staff,
    nanguan_unit,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """Probe: a clearance department of the area was refused 附件4 by its address, and read
    every other department's opinion in the body's ZIP (附件4 and the bound volume)."""
    from laurel.core.models import Division
    from laurel.nominations.models import ClearanceRequest
    from laurel.orgs.models import UnitFunction
    from tests.documents.helpers import pdf_text
    from tests.factories import UnitFactory

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(services, "EXPORT_DIR", tmp_path / "exports")
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="吴桐")
    ClearanceRequest.objects.filter(nominee=nominee, function="public_security").update(
        opinion="有违法记录待查"
    )
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    civil = UnitFactory(name="长春市民政局", division=Division.objects.get(code="220100"))
    UnitFunction.objects.create(unit=civil, function="civil_affairs")
    outsider = UserFactory(unit=civil, roles=[Role.CLEARANCE_DEPARTMENT])

    def exported(user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/documents/campaigns/{published.pk}/exports/", {"body": nominee.body_id})
        job = ExportJob.objects.filter(requested_by=user).get()
        assert job.state == ExportJob.State.DONE, job.error
        response = client.get(f"/documents/exports/{job.pk}/download/")
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    client.force_login(outsider)
    assert client.get(f"/documents/nominees/{nominee.pk}/clearance.docx").status_code == 403
    archive = exported(outsider)
    names = archive.namelist()
    assert not [n for n in names if n.endswith("附件4.docx")]
    assert [n for n in names if n.endswith("附件3.docx")]
    for name in names:
        if name.endswith(".pdf"):
            assert "有违法记录待查" not in pdf_text(archive.read(name)), name
    archive = exported(cc_staff)  # the body that works the file binds it all
    form4 = next(n for n in archive.namelist() if n.endswith("附件4.docx"))
    assert "有违法记录待查" in docx_text(archive.read(form4))
    bound = next(n for n in archive.namelist() if n.endswith("合订本.pdf"))
    assert "有违法记录待查" in pdf_text(archive.read(bound))


def test_c9_form4_of_a_social_organisation_names_its_sector_authority(
    client,
    published,
    cc_staff,
    office,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """Probe: a social organisation's clearance asks its 业务主管单位 (C-9); 附件4 was a server
    error, and one such nominee failed its body's whole ZIP."""
    from laurel.core.models import Division
    from laurel.documents import official
    from laurel.nominations.models import ClearanceRequest
    from tests.factories import UnitFactory

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(services, "EXPORT_DIR", tmp_path / "exports")
    association = UnitFactory(
        name="长春市住房保障协会",
        division=Division.objects.get(code="220100"),
        kind="social_organization",
    )
    nominee = complete_collective(
        cc_staff,
        published,
        association,
        name="长春市住房保障协会",
        collective_type="social_organization",
    )
    functions = set(nominee.clearances.values_list("function", flat=True))
    assert {"civil_affairs", "sector_authority"} <= functions
    ClearanceRequest.objects.filter(nominee=nominee, function="sector_authority").update(
        opinion="同意推荐（主管单位）"
    )
    text = docx_text(docx_render(official.clearance_form(nominee)))
    row = text.split("民政部门和业务主管单位（行业管理部门）意见", 1)[1]
    assert "同意推荐（主管单位）" in row  # its own row, the last of the form
    client.force_login(office)
    assert client.get(f"/documents/nominees/{nominee.pk}/clearance.docx").status_code == 200
    nominee_service.submit_nominee(cc_staff, nominee)
    client.force_login(cc_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/campaigns/{published.pk}/exports/", {"body": nominee.body_id})
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE, job.error


def test_c12_the_summary_sheet_lists_what_was_submitted_as_the_zip_does(
    client, published, cc_staff, nanguan_unit, submitted
):
    """Probe: 附件6 downloaded from the list page listed drafts not yet through clearance and
    the unit notice; the ZIP's 附件6 did not."""
    complete_individual(cc_staff, published, nanguan_unit, name="草稿甲")
    client.force_login(cc_staff)
    response = client.get(
        f"/documents/campaigns/{published.pk}/summary.docx", {"body": submitted[0].body_id}
    )
    text = docx_text(b"".join(response))
    assert "周一" in text and "草稿甲" not in text


def test_h6_an_export_is_taken_away_with_the_role_that_requested_it(
    client, published, cc_staff, submitted, django_capture_on_commit_callbacks, jilin_units
):
    """A ZIP built while the requester could export the body is not served after their unit or
    role changed: it holds the nominees' forms and materials (known defect, fifth session)."""
    client.force_login(cc_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/campaigns/{published.pk}/exports/", {"body": submitted[0].body.pk})
    job = ExportJob.objects.get()
    assert job.state == "done"
    assert client.get(f"/documents/exports/{job.pk}/download/").status_code == 200
    # A role changed, though the body may still be exported: the ZIP was built with the rights
    # of then (full ID numbers, the departments' opinions), so it goes (review).
    grant = cc_staff.role_assignments.create(role=Role.LEADING_GROUP)
    cc_staff.forget_roles()
    assert cc_staff.has_perm("documents.export_body", submitted[0].body)
    assert client.get(f"/documents/exports/{job.pk}/download/").status_code == 403
    grant.delete()
    assert client.get(f"/documents/exports/{job.pk}/download/").status_code == 200
    cc_staff.unit = jilin_units["吉林市住房和城乡建设局"]  # moved to another city
    cc_staff.save()
    assert client.get(f"/documents/exports/{job.pk}/download/").status_code == 403
    assert client.get(f"/documents/exports/{job.pk}/").status_code == 403
    cc_staff.unit = submitted[0].body.unit
    cc_staff.save()
    cc_staff.role_assignments.all().delete()  # no longer a nominating body's officer
    assert client.get(f"/documents/exports/{job.pk}/download/").status_code == 403


def test_an_officer_queues_at_most_three_exports_at_once(client, published, cc_staff, submitted):
    """Each ZIP is minutes of a task worker: a fourth while three wait is refused with a message,
    and an interrupted job (silent for ten minutes) holds no place."""
    body = submitted[0].body
    jobs = [services.request_export(cc_staff, published, body) for _ in range(3)]  # not run
    client.force_login(cc_staff)
    response = client.post(
        f"/documents/campaigns/{published.pk}/exports/", {"body": body.pk}, follow=True
    )
    assert "您已有3个导出任务正在排队或生成" in response.content.decode()
    assert ExportJob.objects.count() == 3
    stale = timezone.now() - datetime.timedelta(seconds=services.STALE_AFTER_SECONDS + 1)
    ExportJob.objects.filter(pk=jobs[0].pk).update(updated_at=stale)
    services.request_export(cc_staff, published, body)
    assert ExportJob.objects.count() == 4


def test_an_export_queued_before_the_upgrade_keeps_its_requester(
    client, published, cc_staff, submitted
):
    """Final review: jobs of before ``requested_as`` was kept had it empty, which no standing
    matches — the data migration gives them their requester's unit and roles at the upgrade."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("laurel.documents.migrations.0003_export_requested_as_fill")
    job = ExportJob.objects.create(
        campaign=published, body=submitted[0].body, requested_by=cc_staff
    )
    client.force_login(cc_staff)
    assert client.get(f"/documents/exports/{job.pk}/").status_code == 403
    state = MigrationExecutor(connection).loader.project_state(
        ("documents", "0003_export_requested_as_fill")
    )
    migration.fill(state.apps, None)
    job.refresh_from_db()
    assert job.requested_as == ExportJob.standing_of(cc_staff)
    assert client.get(f"/documents/exports/{job.pk}/").status_code == 200
