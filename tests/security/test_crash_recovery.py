"""Issue 11 §4: crash recovery. A task worker killed in the middle of an export leaves the job
unfinished and no file to download (the ZIP is written under a temporary name and renamed only
when complete); the page reports it as interrupted once it has been silent for ten minutes, and
a new export then works. An import interrupted halfway saves nothing: see
tests/registry/test_spreadsheets.py (one transaction) and the process-kill test below.

On PostgreSQL: cut connections reconnect by themselves; while the database is unreachable pages
answer 503 (retry), not 500; and a real restart of the server under load recovers without
manual steps. That last test restarts the local cluster, so it runs only where
LAUREL_TEST_RESTART_POSTGRES=1 says it may (.ci/run sets it)."""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
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


def _worker(code: str, **extra_env: str) -> subprocess.Popen:
    """A separate Python process on the same database and files, as a task worker is."""
    # The worker writes exports where this process looks for them.
    assert services.EXPORT_DIR == Path(django_settings.VAR_DIR) / "exports"
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"},
        **extra_env,
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
    job = ExportJob.objects.create(
        campaign=published, requested_by=office, requested_as=ExportJob.standing_of(office)
    )
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
    from laurel.registry.interfaces.spreadsheets import COLUMNS

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


class Wsgi:
    """Requests through Django's WSGI handler in the calling thread, so that the persistent
    connection of that thread is the one a cut or a restart hits (the test client would not
    run the request_started/finished connection handling)."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def get(self, path: str) -> tuple[int, dict]:
        from wsgiref.util import setup_testing_defaults

        environ: dict = {}
        setup_testing_defaults(environ)
        environ["PATH_INFO"] = path
        answer: list = []
        body = self.handler(
            environ, lambda line, headers, exc_info=None: answer.append((line, headers))
        )
        content = b"".join(body)
        body.close()  # request_finished: the connection stays open (CONN_MAX_AGE)
        line, headers = answer[0]
        return int(line.split()[0]), {**dict(headers), "content": content.decode()}


@contextlib.contextmanager
def _persistent_connections(health_checks: bool = True):
    """The production settings: persistent connections, checked before each request."""
    from django.db import connections

    db = connections.settings["default"]
    saved = db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]
    db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"] = 600, health_checks
    connections.close_all()  # reopen with the settings above
    try:
        yield
    finally:
        db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"] = saved
        connections.close_all()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _direct_connection():
    """A psycopg connection of its own to the test database, outside Django."""
    import psycopg

    settings_dict = connection.settings_dict
    return psycopg.connect(
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or 5432,
        user=settings_dict.get("USER") or "postgres",
        dbname=settings_dict["NAME"],
        autocommit=True,
    )


def _terminate(pid: int) -> None:
    with _direct_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_dropped_database_connections_recover_without_manual_steps():
    """What the app sees when PostgreSQL restarts: its connections are cut. With the production
    settings (persistent connections, CONN_HEALTH_CHECKS) the next request reconnects by itself
    instead of failing."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL")
    wsgi = Wsgi()
    with _persistent_connections():
        assert wsgi.get("/public/notices/")[0] == 200
        pid = _backend_pid()
        assert wsgi.get("/public/honours/")[0] == 200
        assert _backend_pid() == pid  # one persistent connection
        _terminate(pid)
        assert [wsgi.get("/public/notices/")[0] for _ in range(3)] == [200, 200, 200]


def test_without_health_checks_a_cut_connection_is_a_503_to_retry_then_recovers():
    """Without CONN_HEALTH_CHECKS the first request after the cut meets the dead connection. It
    is answered 503 with Retry-After and a page saying nothing was lost (core.views.server_error),
    not a 500; the broken connection is dropped at the end of that request and the next works."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL")
    wsgi = Wsgi()
    with _persistent_connections(health_checks=False):
        assert wsgi.get("/public/notices/")[0] == 200
        _terminate(_backend_pid())
        status, answer = wsgi.get("/public/notices/")
        assert (status, answer["Retry-After"]) == (503, "10")
        assert "系统暂时不可用" in answer["content"] and "已保存的数据不受影响" in answer["content"]
        assert [wsgi.get("/public/notices/")[0] for _ in range(2)] == [200, 200]


def test_other_server_errors_keep_the_plain_500_page(rf):
    from laurel.core.views import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and "系统错误" in response.content.decode()


def _local_cluster() -> tuple[str, str] | None:
    """(version, name) of the Debian PostgreSQL cluster serving the test database, when this
    process may restart it (allowed by LAUREL_TEST_RESTART_POSTGRES=1, root, pg_ctlcluster, a
    local server); otherwise None."""
    settings_dict = connection.settings_dict
    host = settings_dict.get("HOST") or "127.0.0.1"
    if os.environ.get("LAUREL_TEST_RESTART_POSTGRES") != "1":
        return None
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster"):
        return None
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        return None
    port = str(settings_dict.get("PORT") or 5432)
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout
    for line in listing.splitlines():
        version, name, cluster_port, status, *_rest = line.split()
        if cluster_port == port and status.startswith("online"):
            return version, name
    return None


@pytest.mark.serial
def test_a_postgresql_restart_under_load_recovers_without_manual_steps(
    published, cc_staff, nanguan_unit, office
):
    """A real restart of the PostgreSQL server (pg_ctlcluster … restart) while three threads
    request pages and a task worker waits for work. Pages answer 200, or 503 while the server
    is down, never a 500, and all answer 200 again without anyone stepping in. The worker either
    rides the restart out or exits, and systemd starts it again (Restart=always in
    deploy/laurel-worker.service, started again here as systemd does); an export queued after
    the restart is built."""
    import threading

    from django.db import connections

    from laurel.nominations.services import nominees as nominee_service

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL")
    cluster = _local_cluster()
    if cluster is None:
        pytest.skip(
            "restarts the local PostgreSQL: needs LAUREL_TEST_RESTART_POSTGRES=1, root and "
            "Debian's pg_ctlcluster"
        )
    assert "Restart=always" in (ROOT / "deploy/laurel-worker.service").read_text()
    nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="重启后导出")
    )
    job = ExportJob.objects.create(
        campaign=published, requested_by=office, requested_as=ExportJob.standing_of(office)
    )
    worker_code = (
        "from django.db import connections\n"
        "connections['default'].settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)\n"
        "from django.core.management import call_command\n"
        "call_command('db_worker', interval=0.2, reload=False)\n"
    )
    queue = {"LAUREL_TASK_BACKEND": "database"}
    workers = [_worker(worker_code, **queue)]
    statuses: list[int] = []
    stop = threading.Event()

    def load() -> None:
        wsgi = Wsgi()
        try:
            while not stop.is_set():
                statuses.append(wsgi.get("/public/notices/")[0])
        finally:
            connections.close_all()

    try:
        with _persistent_connections():
            threads = [threading.Thread(target=load) for _ in range(3)]
            for thread in threads:
                thread.start()
            try:
                _wait_for(lambda: len(statuses) >= 30, "pages under load")
                connections.close_all()
                subprocess.run(
                    ["pg_ctlcluster", *cluster, "restart", "-m", "fast"], check=True, timeout=120
                )
                _wait_for(_database_answers, "the server accepting connections")
                restarted = len(statuses)
                _wait_for(
                    lambda: len(statuses) > restarted + 30 and statuses[-30:] == [200] * 30,
                    "pages answering again",
                )
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=60)
        assert set(statuses) <= {200, 503}, sorted(set(statuses))
        assert 503 in statuses  # the load did meet the server down
        if workers[-1].poll() is not None:  # it died with the connection: systemd restarts it
            assert b"OperationalError" in workers[-1].communicate()[1]
            workers.append(_worker(worker_code, **queue))
        enqueue = _worker(
            f"from laurel.documents.tasks import build_export; build_export.enqueue({job.pk})",
            **queue,
        )
        assert enqueue.wait(timeout=120) == 0, enqueue.communicate()
        _wait_for(
            lambda: ExportJob.objects.get(pk=job.pk).state == ExportJob.State.DONE,
            "the export after the restart",
        )
        assert services.export_path(ExportJob.objects.get(pk=job.pk)).exists()
    finally:
        for worker in workers:
            worker.kill()
            worker.wait(timeout=30)


def _database_answers() -> bool:
    import psycopg

    try:
        _direct_connection().close()
    except psycopg.OperationalError:
        return False
    return True


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
