"""Issue 11 §4: crash recovery. A task worker killed in the middle of an export leaves the job
unfinished and no file to download (the ZIP is written under a temporary name and renamed only
when complete); the page reports it as interrupted once it has been silent for ten minutes, and
a new export then works. An import interrupted halfway saves nothing: see
tests/registry/test_spreadsheets.py (one transaction) and the process-kill test below."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from laurel.documents import services
from laurel.documents.models import ExportJob
from laurel.registry.models import Honour, Person
from tests.nominations.conftest import complete_individual

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        user = db.get("USER") or "postgres"
        return f"postgres://{user}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _worker(code: str) -> subprocess.Popen:
    """A separate Python process on the same database and files, as a task worker is."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "LAUREL_VAR_DIR": str(django_settings.VAR_DIR),
        "DJANGO_SETTINGS_MODULE": "laurel.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    return subprocess.Popen(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(
                (out + err).decode()[-3000:]
                + f"exit {process.returncode}; jobs: {list(ExportJob.objects.values())}"
            )
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the worker never reached the point to be killed at")


def test_a_worker_killed_mid_export_leaves_no_file_and_the_job_can_be_redone(
    client, published, cc_staff, nanguan_unit, office
):
    from laurel.nominations.services import nominees as nominee_service

    for index in range(6):
        nominee_service.submit_nominee(
            cc_staff, complete_individual(cc_staff, published, nanguan_unit, name=f"导出{index}")
        )
    job = ExportJob.objects.create(campaign=published, requested_by=office)
    worker = _worker(f"from laurel.documents.services import run_export; run_export({job.pk})")
    _kill_when(worker, lambda: ExportJob.objects.get(pk=job.pk).progress >= 2)

    job.refresh_from_db()
    assert job.state == ExportJob.State.RUNNING and job.progress < job.total
    assert not services.export_path(job).exists()
    client.force_login(office)
    response = client.get(f"/documents/exports/{job.pk}/download/")
    assert response.status_code == 302 and not getattr(response, "streaming", False)
    # Ten minutes without progress: the page says it was interrupted, and still serves nothing.
    ExportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert "导出任务已中断" in client.get(f"/documents/exports/{job.pk}/").content.decode()
    assert client.get(f"/documents/exports/{job.pk}/download/").status_code == 302
    # A new export of the same campaign completes and downloads.
    again = services.request_export(office, published)
    services.run_export(again.pk)
    again.refresh_from_db()
    assert again.state == ExportJob.State.DONE
    download = client.get(f"/documents/exports/{again.pk}/download/")
    assert download.status_code == 200 and download.streaming


def _sheet(count: int) -> bytes:
    """A valid summary sheet (汇总表) of ``count`` people, one honour each."""
    import random

    from laurel.core.models import Division
    from laurel.core.spreadsheets import workbook_bytes
    from laurel.core.synthetic import resident_id
    from laurel.registry.services.spreadsheets import COLUMNS

    rng = random.Random(5)
    county = Division.objects.get(code="220102")
    numbers: list[str] = []
    while len(numbers) < count:
        number = resident_id(rng, county.code, None, "1")
        if number not in numbers:
            numbers.append(number)
    rows = [
        [
            index,
            f"测试{index}",
            "",
            "汉族",
            numbers[index - 1],
            "某单位",
            "职工",
            county.full_name,
            "否",
            "13900000000",
            "吉林省劳动模范",
            "劳动模范（先进工作者）",
            "省部级：省委、省政府表彰并明确享受省级待遇",
            "中共吉林省委、吉林省人民政府",
            "2015-04-28",
            "吉发〔2015〕10号",
            "享受省级劳动模范待遇",
            "",
            "",
            "否",
            "",
        ]
        for index in range(1, count + 1)
    ]
    return workbook_bytes([("汇总表", "汇总表", COLUMNS, rows)])


def test_a_process_killed_in_the_middle_of_a_bulk_import_saves_nothing(area):
    """The registry's bulk import runs in one transaction: the process is killed after the
    rows were copied into the staging tables, before the commit."""
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path of the bulk import: PostgreSQL")
    path = Path(django_settings.VAR_DIR) / "kill-import.xlsx"
    path.write_bytes(_sheet(3000))
    before = (Person.objects.count(), Honour.objects.count())
    code = "\n".join(
        [
            "import time",
            "from laurel.registry.services import bulk",
            "original = bulk._write_copy",
            "def slow(*args, **kwargs):",
            "    added = original(*args, **kwargs)",
            "    print('copied', flush=True)",
            "    time.sleep(60)",
            "    return added",
            "bulk._write_copy = slow",
            f"result = bulk.import_database(None, open({str(path)!r}, 'rb').read())",
            "print('not written:', result.errors[:3], flush=True)",
        ]
    )
    worker = _worker(code)
    line = worker.stdout.readline().decode()
    assert line.strip() == "copied", worker.stderr.read().decode()[-2000:]
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    path.unlink()
    assert (Person.objects.count(), Honour.objects.count()) == before


def test_dropped_database_connections_recover_without_manual_steps():
    """What the app sees when PostgreSQL restarts: its connections are cut. With the production
    settings (persistent connections, CONN_HEALTH_CHECKS) the next request reconnects by itself
    instead of failing. Requests go through Django's WSGI handler in this thread, so that the
    persistent connection is the one that was cut (without health checks the first request
    after the cut is a 500: checked by turning them off)."""
    from wsgiref.util import setup_testing_defaults

    import psycopg
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL")
    handler = WSGIHandler()

    def get(path: str) -> int:
        environ: dict = {}
        setup_testing_defaults(environ)
        environ["PATH_INFO"] = path
        status: list[str] = []
        body = handler(environ, lambda line, headers, exc_info=None: status.append(line))
        b"".join(body)
        body.close()  # request_finished: the connection stays open (CONN_MAX_AGE)
        return int(status[0].split()[0])

    db = connections.settings["default"]
    saved = db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]
    db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"] = 600, True
    connections.close_all()  # reopen with the settings above
    try:
        assert get("/public/notices/") == 200
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        assert get("/public/honours/") == 200
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] == pid  # one persistent connection
        settings_dict = connection.settings_dict
        with psycopg.connect(
            host=settings_dict.get("HOST") or "127.0.0.1",
            port=settings_dict.get("PORT") or 5432,
            user=settings_dict.get("USER") or "postgres",
            dbname=settings_dict["NAME"],
            autocommit=True,
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert [get("/public/notices/") for _ in range(3)] == [200, 200, 200]
    finally:
        db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"] = saved
        connections.close_all()
