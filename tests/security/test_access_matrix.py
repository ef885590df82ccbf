"""Issue 11 §1: the access-control matrix.

Every URL of the site and of the API, for every demo account (every role) and for anonymous
visitors, with objects inside and outside the account's jurisdiction, on the full demo data:

- anonymous visitors reach only the public pages; everything else sends them to the login page
  (the API answers 401/403);
- an object the account may not see (by the one jurisdiction filter, ``restrict``, or the rule
  of its model) is refused — 403, 404 or 405, or a redirect — for GET and for POST, the refusal
  carries none of the object's data, and a refused POST changes nothing (no audit row);
- an object the account may see, and every page without an object, never ends in a server
  error.

A new URL fails this test until it is classified below (``OBJECT_URLS`` / ``PUBLIC_URLS``)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from laurel.accounts.models import User
from laurel.campaigns.models import AwardCategory, Campaign, NominatingBody, Quota
from laurel.core.models import AuditLog, CalendarOverride
from laurel.demo.accounts import DEMO_ACCOUNTS
from laurel.documents.models import ExportJob
from laurel.evaluation.models import Panel
from laurel.nominations.models import ClearanceRequest, Nominee, ReviewOpinion
from laurel.orgs.models import Unit
from laurel.public.models import Objection, PublicNotice
from laurel.registry.models import Drive, Evidence, Person, Registration, RegistrationOpinion
from laurel.treatment.models import (
    Entitlement,
    HardshipApplication,
    HardshipEvidence,
    HardshipOpinion,
    Payment,
    StatusReturn,
    StatusReview,
)

pytestmark = pytest.mark.django_db

# URL name → the model its object parameter names (pk, campaign_pk or category_pk).
OBJECT_URLS = {
    "accounts:user_detail": User,
    "accounts:user_edit": User,
    "accounts:user_set_active": User,
    "accounts:user_reset_password": User,
    "accounts:user_unlock": User,
    "orgs:unit_detail": Unit,
    "orgs:unit_edit": Unit,
    "orgs:unit_set_active": Unit,
    "core:calendar_remove": CalendarOverride,
    "campaigns:detail": Campaign,
    "campaigns:edit": Campaign,
    "campaigns:phase_add": Campaign,
    "campaigns:quotas": Campaign,
    "campaigns:rules": Campaign,
    "campaigns:definition_export": Campaign,
    "campaigns:publish": Campaign,
    "campaigns:close": Campaign,
    "campaigns:body_deadline": NominatingBody,
    "campaigns:copy": Campaign,
    "campaigns:category_add": Campaign,
    "campaigns:body_add": Campaign,
    "nominations:dashboard": Campaign,
    "nominations:create": Campaign,
    "nominations:import": Campaign,
    "nominations:template": Campaign,
    "nominations:export": Campaign,
    "nominations:detail": Nominee,
    "nominations:edit": Nominee,
    "nominations:submit": Nominee,
    "nominations:withdraw": Nominee,
    "nominations:delete": Nominee,
    "nominations:move": Nominee,
    "nominations:photo": Nominee,
    "nominations:clearance_open": Nominee,
    "nominations:clearance": ClearanceRequest,
    "nominations:review_record": Nominee,
    "nominations:send_back": Nominee,
    "nominations:clearance_decide": ClearanceRequest,
    "nominations:clearance_paper": ClearanceRequest,
    "nominations:review_paper": Nominee,
    "nominations:review_scan": ReviewOpinion,
    "nominations:clearance_scan": ClearanceRequest,
    "nominations:clearance_reassign": ClearanceRequest,
    "site:notice": PublicNotice,
    "public:create": Campaign,
    "public:manage_notice": PublicNotice,
    "public:close": PublicNotice,
    "public:cancel": PublicNotice,
    "public:objection": Objection,
    "evaluation:recheck": Nominee,
    "evaluation:panel": Panel,
    "evaluation:panel_close": Panel,
    "evaluation:panel_choose": Panel,
    "evaluation:vote": Panel,
    "evaluation:panel_runoff": Panel,
    "evaluation:panel_minutes": Panel,
    "evaluation:list": AwardCategory,
    "documents:nominee_form": Nominee,
    "documents:booklet": Nominee,
    "documents:summary": Campaign,
    "documents:decision": Campaign,
    "documents:decision_pdf": Campaign,
    "documents:plaques": Campaign,
    "documents:certificates": Campaign,
    "documents:export_start": Campaign,
    "documents:export": ExportJob,
    "documents:export_download": ExportJob,
    "registry:person": Person,
    "registry:drive": Drive,
    "registry:registration": Registration,
    "registry:registration_edit": Registration,
    "registry:submit": Registration,
    "registry:review": Registration,
    "registry:registration_paper": Registration,
    "registry:opinion_scan": RegistrationOpinion,
    "documents:registration_form": Registration,
    "registry:evidence_upload": Registration,
    "registry:evidence": Evidence,
    "api:campaign-detail": Campaign,
    "api:quota-detail": Quota,
    "api:nominee-detail": Nominee,
    "api:person-detail": Person,
    "api:entitlement-detail": Entitlement,
    "api:payment-detail": Payment,
    "treatment:hardship": HardshipApplication,
    "treatment:hardship_edit": HardshipApplication,
    "treatment:hardship_submit": HardshipApplication,
    "treatment:hardship_review": HardshipApplication,
    "treatment:hardship_paper": HardshipApplication,
    "treatment:hardship_approve": HardshipApplication,
    "treatment:hardship_refuse": HardshipApplication,
    "treatment:hardship_payment": HardshipApplication,
    "treatment:hardship_evidence_upload": HardshipApplication,
    "treatment:hardship_evidence": HardshipEvidence,
    "treatment:hardship_opinion_scan": HardshipOpinion,
    "treatment:review": StatusReview,
    "treatment:status_return": StatusReturn,
    "treatment:return_scan": StatusReturn,
}
# Pages anyone may open without logging in.
PUBLIC_URLS = {
    "login",
    "site:home",
    "site:notices",
    "site:notice_archive",
    "site:notice",
    "site:objection_outcome",
    "site:verify",
    "site:honours",
}
# Without a login these answer without data: the home page sends visitors on (to the public
# notices or the login), logout takes POST only, the API schema and its docs page describe the
# interface (no records).
OPEN_WITHOUT_DATA = {"home", "logout", "api:schema", "api:docs"}
# Objects whose pages are public once published: the matrix checks the staff side elsewhere.
PUBLIC_OBJECT_URLS = {"site:notice"}
REFUSED = {403, 404, 405}


def _urls():
    """(name, route) of every URL pattern, without the API's format-suffix duplicates."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    f"{namespace}:{inner}".strip(":") if inner else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if "format" in route:
                    continue
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route

    seen = {}
    for name, route in walk(get_resolver().url_patterns, "", ""):
        seen.setdefault(name, route)
    return seen


def _path(route: str, pk) -> str:
    """A concrete path for ``route`` with ``pk`` in its object parameter."""
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<pk>[^)]*\)", str(pk), path)
    path = re.sub(r"<id:(pk|campaign_pk|category_pk)>", str(pk), path)
    path = path.replace("<str:form>", "approval")
    return "/" + path


# Pages that read a nominee by the rows of "read" (the jurisdiction, and what a panel lends its
# experts: issue 20), not of "view".
READ_URLS = {"nominations:detail", "nominations:photo", "documents:booklet"}


def _visible(user, obj, action: str = "view") -> bool:
    """May ``user`` see ``obj``, by the rule of its model?"""
    model = type(obj)
    if action != "view":
        return model.objects.restrict(user, action).filter(pk=obj.pk).exists()
    if model is ClearanceRequest and user.unit_id and obj.department_id == user.unit_id:
        return True  # the asked department answers about a nominee outside its area
    if getattr(model, "jurisdiction", None) is not None:
        return model.objects.restrict(user).filter(pk=obj.pk).exists()
    if model is Campaign:
        return Campaign.objects.restrict(user).filter(pk=obj.pk).exists()
    if model is AwardCategory:
        return Campaign.objects.restrict(user).filter(pk=obj.campaign_id).exists()
    if model is ExportJob:
        return obj.requested_by_id == user.pk
    if model is Panel:
        return (
            user.has_perm("campaigns.manage_campaigns") or obj.members.filter(expert=user).exists()
        )
    if model is ReviewOpinion:
        return Nominee.objects.restrict(user).filter(pk=obj.nominee_id).exists()
    if model is RegistrationOpinion:
        return Registration.objects.restrict(user).filter(pk=obj.registration_id).exists()
    if model is Evidence:
        return Registration.objects.restrict(user).filter(pk=obj.registration_id).exists()
    if model in (HardshipEvidence, HardshipOpinion):
        return HardshipApplication.objects.restrict(user).filter(pk=obj.application_id).exists()
    if model is StatusReview:
        return user.has_perm("treatment.list_status_returns")
    if model is Drive:
        return True  # a registration drive is a notice to every unit, like a published plan
    if model is CalendarOverride:
        return user.has_perm("core.manage_calendar")
    raise AssertionError(f"no visibility rule for {model.__name__}")


def _marks(obj) -> list[str]:
    """Text that would betray the object if it appeared in a refusal."""
    marks = []
    for field in ("name", "title", "id_number", "file_name", "username", "full_name"):
        value = getattr(obj, field, None)
        if isinstance(value, str) and len(value) >= 2:
            marks.append(value)
    return marks


def _samples(model) -> list:
    """Objects to try: spread over the areas and units of the demo."""
    queryset = model.objects.all() if model is not User else User.objects.all()
    rows = list(queryset.order_by("pk"))
    if len(rows) <= 12:
        return rows
    step = len(rows) / 12
    return [rows[int(index * step)] for index in range(12)]


@pytest.fixture
def demo(db, settings):
    settings.AXES_ENABLED = False
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    # Export jobs of two users, so that the one who did not ask is refused.
    office = User.objects.get(username="office_hr")
    body = User.objects.get(username="cc_body")
    campaign = Campaign.objects.filter(status=Campaign.Status.PUBLISHED).first()
    for user in (office, body):
        ExportJob.objects.create(campaign=campaign, requested_by=user, file_name=f"{user}.zip")
    CalendarOverride.objects.get_or_create(
        date=datetime.date(2030, 10, 8), defaults={"is_working_day": True, "note": "演示"}
    )


def test_every_url_for_every_role_inside_and_outside_the_jurisdiction(demo):
    urls = _urls()
    unclassified = [
        name
        for name, route in urls.items()
        if re.search(r"<id:|<int:|\(\?P<pk>", route) and name not in OBJECT_URLS
    ]
    assert not unclassified, f"classify these URLs in OBJECT_URLS: {unclassified}"
    samples = {model: _samples(model) for model in set(OBJECT_URLS.values())}
    for model, rows in samples.items():
        assert rows, f"the demo has no {model.__name__}: the matrix would test nothing"
    problems: list[str] = []

    # Anonymous visitors.
    anonymous = Client()
    for name, route in urls.items():
        model = OBJECT_URLS.get(name)
        path = _path(route, samples[model][0].pk if model else 0)
        response = anonymous.get(path)
        if name in PUBLIC_URLS or name in OPEN_WITHOUT_DATA:
            if response.status_code >= 500:
                problems.append(f"anonymous GET {path}: {response.status_code}")
        elif name.startswith("api:") and name not in {"api:schema", "api:docs", "api:token"}:
            if response.status_code not in (401, 403):
                problems.append(f"anonymous GET {path}: {response.status_code}, not 401/403")
        elif not (response.status_code == 302 and "/login/" in response["Location"]):
            problems.append(f"anonymous GET {path}: {response.status_code}, not sent to login")

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        client = Client()
        client.force_login(user)
        for name, route in urls.items():
            model = OBJECT_URLS.get(name)
            if model is None:
                if "<" in route or "(?P" in route:
                    continue
                response = client.get(_path(route, 0))
                if response.status_code >= 500:
                    problems.append(f"{user} GET /{route}: {response.status_code}")
                continue
            if name in PUBLIC_OBJECT_URLS:
                continue
            action = "read" if name in READ_URLS else "view"
            seen = [obj for obj in samples[model] if _visible(user, obj, action)][:1]
            hidden = [obj for obj in samples[model] if not _visible(user, obj, action)][:1]
            for obj in seen:
                response = client.get(_path(route, obj.pk))
                if response.status_code >= 500:
                    problems.append(f"{user} GET {_path(route, obj.pk)}: {response.status_code}")
            for obj in hidden:
                path = _path(route, obj.pk)
                for method in ("get", "post"):
                    before = AuditLog.objects.count()
                    response = getattr(client, method)(path)
                    status = response.status_code
                    if status not in REFUSED and status != 302:
                        problems.append(
                            f"{user} {method.upper()} {path} ({model.__name__} outside): {status}"
                        )
                    body = b"" if response.streaming else response.content
                    text = body.decode("utf-8", "replace")
                    leaked = [mark for mark in _marks(obj) if mark in text]
                    if leaked and status != 302:
                        problems.append(f"{user} {method.upper()} {path}: shows {leaked}")
                    if method == "post" and AuditLog.objects.count() != before:
                        problems.append(f"{user} POST {path}: changed something")
    assert not problems, "\n".join(problems[:80]) + f"\n({len(problems)} problems)"


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1", "1e3"])
def test_ids_that_no_object_can_have_are_a_404_never_a_500(pk, db, settings, client):
    """Every address with an object id, as the provincial office (who may see everything): an
    id of twenty digits, zero, negative or not a number is "not found"."""
    from laurel.core.roles import Role
    from tests.factories import UserFactory

    settings.AXES_ENABLED = False
    office = UserFactory(roles=[Role.PROVINCIAL_OFFICE])
    client.force_login(office)
    for name, route in _urls().items():
        if name not in OBJECT_URLS:
            continue
        path = re.sub(r"<id:(pk|campaign_pk|category_pk)>|\(\?P<pk>[^)]*\)", pk, route)
        path = "/" + path.replace("^", "").replace("$", "").replace("<str:form>", "approval")
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            assert status in (403, 404, 405), (name, method, path, status)
