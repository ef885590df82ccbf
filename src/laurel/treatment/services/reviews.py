"""The yearly status review (动态管理, H-7): open a review, a unit's return (online, or on
paper typed by the office), the check at each tier, the province's filing into the registry.
One function per state change: permission → guard → save → audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import signs_registrations_in_laurel
from laurel.core import audit
from laurel.core.audit import audit_context
from laurel.core.models import AuditLog
from laurel.core.permissions import may, require
from laurel.core.uploads import store_document
from laurel.core.validators import validate_any_phone
from laurel.registry.models import Honour, Person
from laurel.treatment import routing
from laurel.treatment.models import StatusReturn, StatusReview

R = StatusReturn
Outcome = StatusReturn.Outcome


@transaction.atomic
def open_review(actor, **fields) -> StatusReview:
    """A review for a year: one return for every living filed honoree, for their registering
    unit (H-2), routed as registration is (H-4)."""
    require(actor, "treatment.manage_status_reviews")
    review = StatusReview(**fields)
    review.full_clean()
    order = [review.units_due, review.counties_due, review.cities_due, review.province_due]
    if order != sorted(order):
        raise ValidationError(_("截止日期应依次为：单位报送、县级核实、市级核实、省级归档。"))
    if StatusReview.objects.filter(status=StatusReview.Status.OPEN).exists():
        raise ValidationError(_("上一年度的动态管理尚未结束，请先结束后再开展新的一轮。"))
    with audit_context(actor, _("开展表彰人员动态管理")):
        review.save()
        # Living people holding an honour; the classified are reviewed offline (H-6), as their
        # hardship assistance is.
        people = (
            Person.objects.filter(living=True, classified=False)
            .filter(pk__in=Honour.objects.filter(status=Honour.Status.HELD).values("person_id"))
            .select_related("unit__division", "unit__parent", "division")
        )
        batch = []
        for person in people.iterator(chunk_size=2000):
            batch.append(
                R(
                    review=review,
                    person=person,
                    unit=person.unit,
                    division=person.division,
                    route=routing.return_route(person.unit),
                )
            )
            if len(batch) == 2000:
                R.objects.bulk_create(batch)
                batch = []
        R.objects.bulk_create(batch)
    return review


@transaction.atomic
def close_review(actor, review: StatusReview) -> StatusReview:
    require(actor, "treatment.manage_status_reviews")
    review = StatusReview.objects.select_for_update().get(pk=review.pk)
    if review.status != StatusReview.Status.OPEN:
        raise ValidationError(_("该年度的动态管理已结束。"))
    with audit_context(actor, _("结束表彰人员动态管理")):
        review.status = StatusReview.Status.CLOSED
        review.save()
    return review


def _report_fields(status_return, person, *, outcome, died_on, retired_on, unit_name, phone, note):
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择人员状态。")})
    today = timezone.localdate()
    errors = {}
    seen = last_seen(person)
    born = person.birth_date  # imported people may have no filing date: at least not before birth

    def checked_date(day, field, label):
        if day is None:
            errors[field] = [_("请填写%s。") % label]
        elif day > today:
            errors[field] = [_("%s不能晚于今天。") % label]
        elif born and day < born:
            errors[field] = [_("%s早于出生日期，请核对。") % label]
        elif seen and day < seen:
            # The registry knew them living and working on that day (filed, or last year's
            # return): an earlier date would rewrite entitlements already settled.
            errors[field] = [
                _(
                    "%(label)s早于%(seen)s（登记或上次核实时的状态），请核对；如确需更正，请由省级办公室在数据库中修改。"
                )
                % {"label": label, "seen": seen.isoformat()}
            ]
        return day

    if outcome == Outcome.DECEASED and not person.living:
        errors["outcome"] = [_("该人员已登记为去世，无需再报。")]

    died_on = (
        checked_date(died_on, "died_on", _("去世日期")) if outcome == Outcome.DECEASED else None
    )
    retired_on = (
        checked_date(retired_on, "retired_on", _("退休日期"))
        if outcome == Outcome.RETIRED
        else None
    )
    unit_name = (unit_name or "").strip()
    if outcome == Outcome.MOVED and not unit_name and not (phone or "").strip():
        errors["unit_name"] = [_("请填写变动后的工作单位或联系电话。")]
    phone = (phone or "").strip()
    if phone:
        try:
            validate_any_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    status_return.outcome = outcome
    status_return.died_on = died_on
    status_return.retired_on = retired_on
    status_return.unit_name = unit_name[:100]
    status_return.phone = phone
    status_return.note = (note or "").strip()[:500]


def last_seen(person) -> datetime.date | None:
    """The last day the registry knew the person's status: filed, or a later filed return."""
    days = [timezone.localdate(person.filed_at)] if person.filed_at else []
    latest = (
        R.objects.filter(person=person, state=R.State.FILED)
        .exclude(outcome=Outcome.DECEASED)
        .order_by("-reported_at")
        .values_list("reported_at", flat=True)
        .first()
    )
    if latest:
        days.append(timezone.localdate(latest))
    return max(days) if days else None


def _submit(actor, status_return) -> StatusReturn:
    units = routing.freeze_checkers(status_return)
    status_return.checking_units.set(units)
    status_return.state = R.State.SUBMITTED
    status_return.round += 1
    status_return.current_tier = status_return.route[0]
    status_return.reported_by = actor if actor is not None and actor.is_authenticated else None
    status_return.reported_at = timezone.now()
    status_return.save()
    return status_return


def _open(status_return) -> StatusReturn:
    status_return = (
        R.objects.select_for_update().select_related("review", "person").get(pk=status_return.pk)
    )
    if status_return.review.status != StatusReview.Status.OPEN:
        raise ValidationError(_("该年度的动态管理已结束。"))
    return status_return


@transaction.atomic
def report_status(actor, status_return: StatusReturn, **fields) -> StatusReturn:
    """The unit's return, given online; it goes to the first tier of the route."""
    status_return = _open(status_return)
    require(actor, "treatment.report_status", status_return)
    _report_fields(status_return, status_return.person, **fields)
    status_return.on_paper = False
    with audit_context(actor, _("报送人员状态：%s") % Outcome(status_return.outcome).label):
        return _submit(actor, status_return)


@transaction.atomic
def record_paper_return(actor, status_return: StatusReturn, *, scan, **fields) -> StatusReturn:
    """A unit without an account answered on paper with its seal: the office types it and keeps
    the scan."""
    status_return = _open(status_return)
    require(actor, "treatment.record_paper_return", status_return)
    _report_fields(status_return, status_return.person, **fields)
    path, content_type, _size = store_document(scan, "status-returns", field="scan")
    status_return.on_paper, status_return.scan_file, status_return.scan_type = (
        True,
        path,
        content_type,
    )
    with audit_context(actor, _("录入纸质人员状态报送")):
        return _submit(actor, status_return)


@transaction.atomic
def check_return(
    actor, status_return: StatusReturn, *, decision: str, text: str = ""
) -> StatusReturn:
    """The check at the current tier (agree: on to the next tier; send back: the unit reports
    again, with the reason). At the province, agreeing files the return into the registry."""
    status_return = _open(status_return)
    if status_return.state != R.State.SUBMITTED:
        raise ValidationError(_("该报送不在核实中。"))
    at_province = status_return.current_tier == R.Tier.PROVINCE
    require(
        actor,
        "treatment.file_status_return" if at_province else "treatment.check_status_return",
        status_return,
    )
    if decision not in ("agree", "send_back"):
        raise ValidationError({"decision": _("请选择核实意见。")})
    text = (text or "").strip()
    if decision == "send_back" and not text:
        raise ValidationError({"text": _("退回须写明理由。")})
    checker = None if at_province else routing.return_checker(status_return)
    on_paper = False
    if actor is not None and not at_province and (checker is None or checker.pk != actor.unit_id):
        if not (may(actor, "treatment.record_paper_return") and checker is not None):
            raise PermissionDenied(_("本级核实不由您所在单位负责。"))
        if signs_registrations_in_laurel(checker.pk):
            raise PermissionDenied(_("本级核实单位有系统账号，应由其在系统中核实。"))
        on_paper = True  # the office types the checking department's sealed answer
    department = checker or (actor.unit if actor is not None else None)
    status_return.checks = [
        *status_return.checks,
        {
            "round": status_return.round,
            "tier": status_return.current_tier,
            "department": str(department) if department else _("省级表彰工作办公室"),
            "officer": (actor.get_full_name() or actor.get_username()) if actor else _("经办人"),
            "on": timezone.localdate().isoformat(),
            "decision": decision,
            "text": text,
            "on_paper": on_paper,
        },
    ]
    with audit_context(actor, text or _("核实无误")):
        if decision == "send_back":
            status_return.state = R.State.SENT_BACK
            status_return.current_tier = ""
            status_return.save()
            return status_return
        route = status_return.route
        if not at_province:
            status_return.current_tier = route[route.index(status_return.current_tier) + 1]
            status_return.save()
            return status_return
        _file(status_return)
    return status_return


def _file(status_return: StatusReturn) -> None:
    """Into the registry: a death or retirement with its date (entitlements follow from it), a
    new unit name or phone. The person's save is audited like any change."""
    person = Person.objects.select_for_update().get(pk=status_return.person_id)
    outcome = status_return.outcome
    if not person.living:
        # Recorded dead in the registry meanwhile: a return must not move the date (it would
        # reopen entitlements between the two) nor say anything else of them.
        raise ValidationError(
            _("该人员在核实期间已登记为去世（%s），请退回或核对后处理。") % person.died_on
        )
    if outcome == Outcome.DECEASED:
        person.living = False
        person.died_on = status_return.died_on
    elif outcome == Outcome.RETIRED and not person.retired:
        person.retired = True
        person.retired_on = status_return.retired_on
    if outcome == Outcome.MOVED and status_return.unit_name:
        person.unit_name = status_return.unit_name
    if outcome != Outcome.DECEASED and status_return.phone:
        person.set_phone(status_return.phone)
    person.save()
    status_return.state = R.State.FILED
    status_return.current_tier = ""
    status_return.save()


def progress(returns) -> dict[str, int]:
    """How many returns stand where: state → count (one GROUP BY)."""
    counts = {state: 0 for state in R.State.values}
    for row in returns.order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def deadline(status_return) -> datetime.date:
    return routing.return_deadline(status_return.review, status_return)


def log_scan_opening(actor, status_return) -> None:
    """Who opened the scan of whose paper return, when (H-6)."""
    with audit_context(actor, _("查看纸质人员状态报送扫描件")):
        audit.record(
            status_return,
            AuditLog.Action.VIEW,
            [
                {
                    "field": "scan_file",
                    "label": _("纸质报送扫描件"),
                    "new": str(status_return.person),
                }
            ],
        )
