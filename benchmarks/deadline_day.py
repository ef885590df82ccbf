"""Deadline day under load (issue 22): unit users log in, open their lists, save their nominee's
form with a photo and submit it, and start a second draft, while county reviewers review what
arrives and the office watches the overview — over HTTP, against the production set-up of
`make serve-prod` (settings_production, gunicorn with deploy/gunicorn.conf.py, django-tasks
database workers, PostgreSQL, Redis), on 127.0.0.1 only.

    make deadline-day                      # 200 unit users, 20 reviewers, the office
    cd benchmarks && ../.venv/bin/python deadline_day.py --users 20 --reviewers 4   # quick

It builds its own database (``laurel_deadline_day``, dropped and made again on every run, so
nothing of a trial installation is touched): reference data, the demo's units, a campaign of
the Jilin plan's shape with room in 长春's quota, and per simulated user a county-level unit,
an account and one nominee whose clearance and unit notice are done but whose photo is
missing — as on the last day. Then it runs two rounds with a fresh cohort each:

1. one app server (gunicorn, ``--web-workers`` sync workers) and one task worker;
2. two app servers on two ports and two task workers, sharing PostgreSQL and Redis; clients
   alternate between the ports (nginx's round robin, without nginx).

Each round prints throughput, p50/p99 per action, errors (any status ≥ 400, a refused form, a
missing success message: must be 0), the most database connections seen, and afterwards
checks in the database that every nominee was submitted and every review recorded.
Bounded: every user makes one journey; a round ends when they are done (``--timeout`` caps it).
"""

from __future__ import annotations

import argparse
import html.parser
import http.client
import io
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Deadline-Day-2026"  # synthetic accounts in a throw-away database
SLUG = "deadline-day-load-test"
CITY = "220100"


# ── environment ────────────────────────────────────────────────────────────────────────────
def environment(database: str, cache: str) -> dict[str, str]:
    """The variables `make serve-prod` sets, with this run's own keys and database."""
    keys = ROOT / "var" / "deadline-day.env"
    if not keys.exists():
        from cryptography.fernet import Fernet

        keys.parent.mkdir(exist_ok=True)
        keys.write_text(
            f"LAUREL_SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"LAUREL_FIELD_KEYS={Fernet.generate_key().decode()}\n"
            f"LAUREL_LOOKUP_KEY={secrets.token_urlsafe(40)}\n"
        )
        keys.chmod(0o600)
    env = dict(os.environ)
    for line in keys.read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    env.update(
        DATABASE_URL=database,
        LAUREL_ALLOWED_HOSTS="127.0.0.1,localhost",
        LAUREL_SECURE_COOKIES="false",
        LAUREL_CACHE_URL=cache,
        LAUREL_PUBLIC_URL="http://127.0.0.1",
        LAUREL_VAR_DIR=str(ROOT / "var" / "deadline-day"),
        DJANGO_SETTINGS_MODULE="laurel.settings_production",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_command(env, *args: str) -> None:
    subprocess.run([PY, "-m", "django", *args], env=env, cwd=ROOT, check=True)


# ── preparation (in this process, production settings) ────────────────────────────────────
def prepare(env, cohorts: int, users: int, reviewers: int) -> dict:
    """The campaign, the reviewers and the office, and ``cohorts`` × ``users`` unit users each
    with a nominee ready but for its photo. Returns the account names per cohort."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import datetime

    import yaml
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from laurel.accounts.models import User
    from laurel.accounts.services.users import create_user
    from laurel.campaigns.services.campaigns import extend_deadline, publish_campaign
    from laurel.campaigns.services.definitions import load_definition
    from laurel.core.models import Division
    from laurel.core.roles import Role
    from laurel.core.synthetic import resident_id
    from laurel.demo import orgs
    from laurel.nominations.models import ClearanceRequest
    from laurel.nominations.services import nominees as service
    from laurel.nominations.services.clearance import open_clearances, record_opinion
    from laurel.orgs.models import Unit, UnitFunction
    from laurel.orgs.services.units import create_unit
    from laurel.public.services.notices import create_notice

    units = orgs.load()
    data = yaml.safe_load(
        (ROOT / "examples/campaigns/jilin-affordable-housing-2022.yaml").read_text()
    )
    data.update(slug=SLUG, name="截止日压力测试（合成数据）", short_name="截止日压力测试")
    for body in data["bodies"]:
        if body.get("division") == CITY:
            body["quotas"] = {"collective": 20, "individual": cohorts * users + 20}
            body.pop("reserved", None)
    campaign = load_definition(None, yaml.safe_dump(data, allow_unicode=True), source=SLUG).campaign
    campaign = publish_campaign(None, campaign, reason="截止日压力测试")
    for body in campaign.bodies.all():
        extend_deadline(None, body, timezone.localdate() + datetime.timedelta(days=30), "压力测试")
    category = campaign.categories.get(kind="individual")
    condition = category.conditions.first()

    # Each account's password is hashed once here (PBKDF2 takes ~0.4 s; logging in pays it, as
    # in production): create_user runs as it does for the administrator, with the hash copied.
    hashed = make_password(PASSWORD)

    def make_user(username, role, unit, position):
        with mock.patch.object(
            User, "set_password", lambda user, raw: setattr(user, "password", hashed)
        ):
            return create_user(
                None,
                username=username,
                password=PASSWORD,
                roles=[role],
                must_change_password=False,
                reason="压力测试",
                full_name="压测用户",
                unit=unit,
                position=position,
            )

    counties = list(
        Division.objects.filter(parent__code=CITY, level=Division.Level.COUNTY).order_by("code")
    )[: max(1, reviewers // 2)]
    names = {"office": "dd_office", "reviewers": [], "cohorts": []}
    make_user("dd_office", Role.PROVINCIAL_OFFICE, units["省人社厅"], "表彰办")
    F = UnitFunction.Function
    for county in counties:
        for function, short in ((F.HR_SOCIAL_SECURITY, "hr"), (F.HOUSING, "zj")):
            username = f"dd_review_{county.code}_{short}"
            make_user(
                username, Role.REVIEWING_DEPARTMENT, units[f"{county.code}:{function}"], "科长"
            )
            names["reviewers"].append(username)
    rng = random.Random(20261127)
    start = timezone.localdate() - datetime.timedelta(days=30)
    for cohort in range(cohorts):
        cohort_names = []
        for index in range(users):
            county = counties[index % len(counties)]
            unit = create_unit(
                None,
                name=f"{orgs.local_name(county)}压测单位{cohort + 1}-{index + 1:03d}",
                division=county,
                location_division=county,
                tier=Unit.Tier.COUNTY,
                kind=Unit.Kind.PUBLIC_INSTITUTION,
                admin_level=Unit.AdminLevel.SECTION,
                reason="压力测试",
            )
            username = f"dd{cohort + 1}_u{index + 1:03d}"
            user = make_user(username, Role.NOMINATING_UNIT, unit, "人事干事")
            birth = datetime.date(1975 + index % 20, 1 + index % 12, 1 + index % 28)
            nominee = service.create_nominee(
                user,
                campaign,
                category,
                name=f"压测{cohort + 1}{index + 1:03d}",
                gender="1",
                ethnicity="01",
                native_place="吉林省农安县",
                birth_date=birth,
                political_status="01",
                education="bachelor",
                work_start=datetime.date(1998, 7, 1),
                id_number=resident_id(rng, county.code, birth, "1"),
                staffing_type="public_institution",
                position_rank="保障科科长",
                admin_level="section",
                work_unit_name=unit.name,
                unit_affiliation="county",
                unit_nature="public_institution",
                unit_division=county,
                unit_address=f"{orgs.local_name(county)}人民大街{index + 1}号",
                unit_phone="0431-88888888",
                mobile="13812345678",
                field_work_since=datetime.date(2012, 3, 1),
                deeds="该同志" + "扎实工作，成绩突出。" * 40,
            )
            service.set_resume(
                user,
                nominee,
                [
                    {
                        "start": datetime.date(1994, 9, 1),
                        "end": datetime.date(1998, 7, 1),
                        "text": "吉林建筑大学学生",
                    },
                    {"start": datetime.date(1998, 7, 1), "end": None, "text": f"{unit.name}科长"},
                ],
            )
            service.set_conditions(user, nominee, [condition.pk])
            open_clearances(None, nominee)
            for request in nominee.clearances.filter(state=ClearanceRequest.State.PENDING):
                record_opinion(None, request, state="agreed", opinion="", officer_name="经办人")
            create_notice(
                None,
                campaign,
                level="unit",
                nominees=[nominee],
                starts_on=start,
                contact="联系人 0431-88888888",
            )
            cohort_names.append(username)
        names["cohorts"].append(cohort_names)
    names["campaign"] = campaign.pk
    return names


# ── HTTP: a browser's worth of behaviour ───────────────────────────────────────────────────
class Failure(Exception):
    recorded = False  # set once the recorder has it


class FormParser(html.parser.HTMLParser):
    """The POST forms of a page with what a browser would send (no submit buttons, files)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append(
                [a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")]
            )
        elif tag == "select" and a.get("name"):
            self._select = {
                "name": a["name"],
                "first": None,
                "chosen": [],
                "multiple": "multiple" in a,
            }
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._form is not None and value:
                self._form.setdefault("options", {}).setdefault(self._select["name"], [])
                self._form["options"][self._select["name"]].append(value)
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["chosen"] or (
                [] if self._select["multiple"] else [self._select["first"] or ""]
            )
            for value in chosen:
                self._form["fields"].append([self._select["name"], value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            value = self._textarea[1]
            self._form["fields"].append(
                [self._textarea[0], value[1:] if value.startswith("\n") else value]
            )
            self._textarea = None


def post_form(page: str, has: str) -> dict:
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if form["method"] == "post" and any(name == has for name, _ in form["fields"]):
            return form
    raise Failure(f"页面上没有含 {has} 的表单")


def multipart(fields: list, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    for name, (filename, content, kind) in files.items():
        out.write(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One user's keep-alive connection with its cookies; follows redirects as a browser does."""

    def __init__(self, base: str, recorder: Recorder):
        target = urlsplit(base)
        self.host, self.port = target.hostname, target.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.recorder = recorder

    def _send(self, method, path, body=None, content_type=None):
        headers = {"Accept": "text/html", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        if method == "POST":
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt or method != "GET":  # a POST may have been carried out: no resend
                    raise
                self.connection.close()  # a recycled worker closed the kept-alive connection
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status >= 400:
            raise Failure(f"{method} {path} → {response.status}")
        return response.status, response.getheader("Location"), data.decode("utf-8", "replace")

    def go(self, action, method, path, fields=None, files=None):
        """One user action (the request and the redirects it leads to), timed and recorded."""
        start = time.perf_counter()
        try:
            if files:
                body, kind = multipart(fields, files)
            elif fields is not None:
                body, kind = (
                    urlencode([tuple(f) for f in fields]).encode(),
                    "application/x-www-form-urlencoded",
                )
            else:
                body = kind = None
            status, location, page = self._send(method, path, body, kind)
            hops = 0
            while status in (301, 302, 303) and hops < 5:
                path = urlsplit(location).path + (
                    f"?{urlsplit(location).query}" if urlsplit(location).query else ""
                )
                status, location, page = self._send("GET", path)
                hops += 1
        except Failure as failure:
            self.recorder.failed(action, str(failure))
            failure.recorded = True
            raise
        except OSError as error:
            self.recorder.failed(action, f"{type(error).__name__}: {error}")
            failure = Failure(str(error))
            failure.recorded = True
            raise failure from None
        if path.startswith("/login/") and not action.endswith("登录页"):
            self.expect(action, action == "登录", f"会话丢失：{action} 回到了登录页")
        self.recorder.timed(action, time.perf_counter() - start)
        return path, page

    def expect(self, action, condition, message):
        if not condition:
            self.recorder.failed(action, message)
            failure = Failure(message)
            failure.recorded = True
            raise failure

    def login(self, username):
        _, page = self.go("打开登录页", "GET", "/login/")
        form = post_form(page, "csrfmiddlewaretoken")
        fields = dict(form["fields"]) | {"username": username, "password": PASSWORD}
        path, page = self.go("登录", "POST", "/login/", list(fields.items()))
        self.expect("登录", not path.startswith("/login/"), f"{username} 登录未成功")

    @property
    def csrf(self):
        return self.cookies.get("csrftoken", "")


def why(page: str) -> str:
    """The refusal a page shows (form errors, error messages), for the report."""
    found = re.findall(r'class="[^"]*(?:errorlist|error)[^"]*"[^>]*>(.*?)</', page, re.S)
    text = " ".join(re.sub(r"<[^>]+>|\s+", " ", f).strip() for f in found)
    return text[:200] or "页面上没有成功提示"


NOMINEE_LINK = re.compile(r'href="/nominations/(\d+)/(?:edit/)?"')


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def timed(self, action, seconds):
        with self.lock:
            self.times[action].append(seconds)

    def failed(self, action, message):
        with self.lock:
            self.errors[action].append(message)


def _photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (330, 462), (67, 142, 219))
    ImageDraw.Draw(image).ellipse((115, 90, 215, 210), fill=(220, 190, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


PHOTO = None


def unit_journey(base, username, campaign, recorder, think):
    """Log in, open the list, open the nominee, save the form with the photo, submit it, then
    start a second nominee."""
    browser = Browser(base, recorder)
    try:
        browser.login(username)
        time.sleep(think())
        _, page = browser.go("推荐对象列表", "GET", f"/nominations/?campaign={campaign}")
        ids = NOMINEE_LINK.findall(page)
        browser.expect("推荐对象列表", ids, f"{username} 的列表里没有推荐对象")
        pk = ids[0]
        time.sleep(think())
        _, page = browser.go("打开推荐审批表", "GET", f"/nominations/{pk}/edit/")
        form = post_form(page, "deeds")
        fields = [[n, v] for n, v in form["fields"] if n != "then"]
        for field in fields:
            if field[0] == "deeds":
                field[1] = field[1] + "截止日当天补充了事迹。"
        time.sleep(think())
        _, page = browser.go(
            "保存（含照片）",
            "POST",
            f"/nominations/{pk}/edit/",
            fields,
            files={"photo": ("照片.jpg", PHOTO, "image/jpeg")},
        )
        browser.expect(
            "保存（含照片）", "已保存草稿" in page, f"{username} 保存未成功：{why(page)}"
        )
        time.sleep(think())
        path, page = browser.go(
            "上报", "POST", f"/nominations/{pk}/submit/", [["csrfmiddlewaretoken", browser.csrf]]
        )
        browser.expect(
            "上报",
            "已上报" in page and not path.endswith("/edit/"),
            f"{username} 上报未成功：{why(page)}",
        )
        time.sleep(think())
        _, page = browser.go("新建推荐对象", "GET", f"/nominations/new/{campaign}/")
        form = post_form(page, "name")
        category = form.get("options", {}).get("category", [""])[-1]  # 先进个人
        fields = dict(form["fields"]) | {
            "name": "压测第二人" + re.sub(r"\D", "", username),
            "category": category,
        }
        path, page = browser.go(
            "建立草稿", "POST", f"/nominations/new/{campaign}/", list(fields.items())
        )
        browser.expect(
            "建立草稿",
            path.endswith("/edit/") and "已建立草稿" in page,
            f"{username} 建立草稿未成功：{why(page)}",
        )
    except Failure as failure:
        if not failure.recorded:  # a page without the form it should have
            recorder.failed("页面", str(failure))
    except Exception as error:  # a bug of this script is an error of the run too
        recorder.failed("脚本", f"{type(error).__name__}: {error}")
    finally:
        browser.connection.close()


def reviewer_loop(base, username, recorder, think, done: threading.Event):
    """Open the review list; review whatever waits (同意); until the unit users are done and
    nothing is left."""
    browser = Browser(base, recorder)
    try:
        browser.login(username)
        while True:
            finished = done.is_set()
            _, page = browser.go("待审核列表", "GET", "/nominations/review/")
            waiting = list(dict.fromkeys(NOMINEE_LINK.findall(page)))
            if not waiting:
                if finished:
                    return
                time.sleep(think() * 2)
                continue
            for pk in waiting[:5]:
                _, page = browser.go("打开推荐对象", "GET", f"/nominations/{pk}/")
                time.sleep(think())
                _, page = browser.go(
                    "审核同意",
                    "POST",
                    f"/nominations/{pk}/review/",
                    [
                        ["csrfmiddlewaretoken", browser.csrf],
                        ["decision", "agree"],
                        ["text", ""],
                        ["officer_name", "经办人"],
                    ],
                )
                browser.expect(
                    "审核同意",
                    "审核意见已提交" in page,
                    f"{username} 审核未成功（{pk}）：{why(page)}",
                )
    except Failure as failure:
        if not failure.recorded:  # a page without the form it should have
            recorder.failed("页面", str(failure))
    except Exception as error:  # a bug of this script is an error of the run too
        recorder.failed("脚本", f"{type(error).__name__}: {error}")
    finally:
        browser.connection.close()


def office_loop(base, username, campaign, recorder, think, done: threading.Event):
    browser = Browser(base, recorder)
    try:
        browser.login(username)
        while not done.is_set():
            browser.go("办公室总览", "GET", f"/nominations/overview/?campaign={campaign}")
            time.sleep(think() * 3)
            browser.go("办公室推荐对象列表", "GET", f"/nominations/?campaign={campaign}")
            time.sleep(think() * 3)
    except Failure as failure:
        if not failure.recorded:  # a page without the form it should have
            recorder.failed("页面", str(failure))
    except Exception as error:  # a bug of this script is an error of the run too
        recorder.failed("脚本", f"{type(error).__name__}: {error}")
    finally:
        browser.connection.close()


def sample_connections(database: str, stop: threading.Event, seen: list) -> None:
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        while not stop.is_set():
            count = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()[0]
            seen.append(count)
            stop.wait(0.5)


# ── servers and rounds ─────────────────────────────────────────────────────────────────────
def start_servers(env, ports, workers, web_workers, logs: Path):
    processes = []
    for port in ports:
        server_env = env | {
            "LAUREL_BIND": f"127.0.0.1:{port}",
            "LAUREL_WEB_WORKERS": str(web_workers),
        }
        with open(logs / f"gunicorn-{port}.log", "w") as log:  # the child keeps its own
            processes.append(
                subprocess.Popen(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "-c",
                        "deploy/gunicorn.conf.py",
                        "laurel.wsgi",
                    ],
                    env=server_env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    for index in range(workers):
        with open(logs / f"worker-{index + 1}.log", "w") as log:
            processes.append(
                subprocess.Popen(
                    [PY, "-m", "django", "db_worker"],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    deadline = time.monotonic() + 60
    for port, server in zip(ports, processes, strict=False):
        while True:
            if server.poll() is not None:  # exited (the port taken by another server?)
                stop_servers(processes)
                raise SystemExit(f"127.0.0.1:{port} 的应用服务器已退出，见 {logs}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/login/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                stop_servers(processes)
                raise SystemExit(f"127.0.0.1:{port} 未能启动，见 {logs}")
            time.sleep(0.5)
    return processes


def stop_servers(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def run_round(args, env, names, number, servers, workers):
    cohort = names["cohorts"][number - 1]
    ports = [args.port + i for i in range(servers)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    logs = Path(env["LAUREL_VAR_DIR"])
    processes = start_servers(env, ports, workers, args.web_workers, logs)
    try:
        return _crowd(args, env, names, cohort, bases, servers, workers, number)
    finally:
        stop_servers(processes)


def _crowd(args, env, names, cohort, bases, servers, workers, number):
    recorder = Recorder()
    rng = random.Random(number)
    rng_lock = threading.Lock()

    def think():
        with rng_lock:
            return args.think * rng.uniform(0.5, 1.5)

    global PHOTO
    PHOTO = _photo()
    done = threading.Event()
    stop_sampling = threading.Event()
    connections: list[int] = []
    sampler = threading.Thread(
        target=sample_connections, args=(env["DATABASE_URL"], stop_sampling, connections)
    )
    sampler.daemon = True
    sampler.start()
    campaign = names["campaign"]
    watchers = [
        threading.Thread(
            target=office_loop, args=(bases[0], names["office"], campaign, recorder, think, done)
        )
    ]
    watchers += [
        threading.Thread(
            target=reviewer_loop, args=(bases[i % len(bases)], name, recorder, think, done)
        )
        for i, name in enumerate(names["reviewers"])
    ]
    began = time.perf_counter()
    for thread in watchers:
        thread.daemon = True  # Ctrl-C ends the run; the servers are stopped in run_round
        thread.start()
    users = []
    for index, username in enumerate(cohort):
        target = began + args.ramp * index / max(1, len(cohort))
        time.sleep(max(0.0, target - time.perf_counter()))
        thread = threading.Thread(
            target=unit_journey,
            args=(bases[index % len(bases)], username, campaign, recorder, think),
        )
        thread.daemon = True
        thread.start()
        users.append(thread)
    for thread in users:
        thread.join(timeout=max(1.0, began + args.timeout - time.perf_counter()))
    done.set()
    for thread in watchers:
        thread.join(timeout=max(1.0, began + args.timeout - time.perf_counter()))
    wall = time.perf_counter() - began
    stop_sampling.set()
    sampler.join()
    return report(args, number, servers, workers, cohort, recorder, wall, connections)


def check_database(cohort) -> tuple[list[str], list[str]]:
    """What the round should have left in the database; the problems found."""
    from django.db import close_old_connections

    from laurel.nominations.models import Nominee, ReviewOpinion

    close_old_connections()
    mine = Nominee.objects.filter(created_by__username__in=cohort)
    first = mine.exclude(name__startswith="压测第二人")
    submitted = first.exclude(state=Nominee.State.DRAFT).count()
    drafts = mine.filter(name__startswith="压测第二人", state=Nominee.State.DRAFT).count()
    photos = first.exclude(photo="").count()
    opinions = ReviewOpinion.objects.filter(nominee__in=first, tier="county").count()
    moved_on = first.filter(review_tier="city").count()
    lines = [
        f"{submitted}/{len(cohort)} 已上报，{photos}/{len(cohort)} 有照片，"
        f"{drafts}/{len(cohort)} 个第二份草稿",
        f"县级审核意见 {opinions}/{2 * len(cohort)}，{moved_on} 个已转到市级审核",
    ]
    problems = []
    if submitted != len(cohort) or photos != len(cohort) or drafts != len(cohort):
        problems.append("有用户的上报、照片或草稿没有落库")
    if opinions != 2 * len(cohort) or moved_on != len(cohort):
        problems.append("有推荐对象未完成县级审核")
    try:
        from django_tasks_db.models import DBTaskResult

        left = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).count()
        failed = DBTaskResult.objects.filter(status="FAILED").count()
        lines.append(f"后台任务：未完成 {left}，失败 {failed}")
        if failed:
            problems.append(f"{failed} 个后台任务失败")
    except ImportError:
        pass
    return lines, problems


def report(args, number, servers, workers, cohort, recorder, wall, connections) -> int:
    requests = sum(len(t) for t in recorder.times.values())
    errors = sum(len(e) for e in recorder.errors.values())
    print(
        f"\n第{number}轮：{servers} 个应用服务器进程（各 {args.web_workers} 个 worker），"
        f"{workers} 个任务 worker；{len(cohort)} 个单位用户、{args.reviewers} 个审核人、办公室 1 人"
    )
    print(
        f"  {requests:,} 个操作，用时 {wall:.1f} s：{requests / wall:.1f} 个/秒；错误 {errors}；"
        f"数据库连接最多 {max(connections or [0])}"
    )
    print(f"  {'操作':<14}{'次数':>6}{'p50 ms':>10}{'p99 ms':>10}")
    for action, times in recorder.times.items():
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"  {action:<14}{len(times):>6}"
            f"{statistics.median(times) * 1000:>10.0f}{p99 * 1000:>10.0f}"
        )
    for action, messages in recorder.errors.items():
        print(f"  错误 {action}：{len(messages)} 次，例如 {messages[0]}")
    lines, problems = check_database(cohort)
    for line in lines:
        print(f"  数据库核对：{line}")
    for problem in problems:
        print(f"  数据库核对未通过：{problem}")
    return errors + len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200, help="unit users per round")
    parser.add_argument(
        "--reviewers", type=int, default=20, help="county reviewers (two per county)"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between a user's actions, s"
    )
    parser.add_argument(
        "--ramp", type=float, default=60.0, help="users start over this many seconds"
    )
    parser.add_argument(
        "--web-workers", type=int, default=2, help="gunicorn workers per app server"
    )
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--timeout", type=float, default=900.0, help="a round's cap, s")
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/laurel_deadline_day"
    )
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()
    if args.users > 500 or args.reviewers > 60:
        raise SystemExit("最多 500 个单位用户、60 个审核人（本脚本只在本机做有限的压力测试）")
    if urlsplit(args.database).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("只对本机数据库运行")
    target = urlsplit(args.database)
    name = target.path.lstrip("/")
    if target.query or not re.fullmatch(r"[a-z0-9_]*deadline[a-z0-9_]*", name):
        # it is dropped and made again on every run
        raise SystemExit("数据库名须含 deadline 且只含小写字母、数字和 _（每次运行都会删除重建）")
    env = environment(args.database, args.cache)
    Path(env["LAUREL_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    recreate_database(args.database)
    django_command(env, "migrate", "--noinput", "--verbosity", "0")
    django_command(env, "load_reference")
    django_command(env, "collectstatic", "--noinput", "--verbosity", "0")
    names = prepare(env, 2, args.users, args.reviewers)
    print(f"准备完成（{time.perf_counter() - began:.0f} s）：数据库 {args.database}")
    failures = run_round(args, env, names, 1, servers=1, workers=1)
    failures += run_round(args, env, names, 2, servers=2, workers=2)
    print(f"\n{'通过：错误为 0' if not failures else f'未通过：{failures} 处错误'}")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
