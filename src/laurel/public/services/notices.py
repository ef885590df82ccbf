"""Public notices (公示) in working days; objections (异议): filed by anyone, verified, resolved."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.queries import organiser_emails
from laurel.core import calendar, throttle
from laurel.core.audit import audit_context
from laurel.core.permissions import in_area, require
from laurel.core.tasks import notify
from laurel.core.text import count_chars
from laurel.nominations.models import Nominee
from laurel.public.models import NoticeEntry, Objection, PublicNotice
from laurel.public.signals import provincial_notice_problems

CONTENT_MAX = 2000
CONTACT_MAX = 100
SUMMARY_CHARS = 120
OBJECTIONS_PER_HOUR = 5


def summary_of(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "……"


@transaction.atomic
def create_notice(
    actor,
    campaign,
    *,
    level: str,
    nominees: list[Nominee],
    starts_on: datetime.date,
    contact: str,
    title: str = "",
) -> PublicNotice:
    """Publish a notice; its end is ``starts_on`` plus the campaign's working days (C-16).

    A notice runs from the day it is published or later, never from before (C-8: only days on
    the public page count). Only the system itself (``actor=None``: the demo's history, a
    migration) records a notice that ran in the past."""
    today = timezone.localdate()
    if actor is not None and starts_on < today:
        raise ValidationError(
            {
                "starts_on": _("公示开始日期不能早于发布当日（%s）：只有公开的日子才计入公示期。")
                % today.isoformat()
            }
        )
    if not nominees:
        raise ValidationError(_("请至少选择一个推荐对象。"))
    if not contact.strip():
        raise ValidationError({"contact": _("请填写受理异议的联系人及电话。")})
    require(actor, "public.organise_notice", campaign)
    if level == PublicNotice.Level.PROVINCE:
        require(actor, "public.publish_provincial_notice", campaign)
    # A unit notice precedes submission (C-8 step 1): a nominee under review, received by the
    # province, withdrawn, commended or revoked is past it; a provincial notice shows the
    # names received at the province (step 5). An objection on a notice can withdraw whom it
    # shows, so a notice never takes a nominee whose fate is no longer the notice's to decide.
    noticeable = (
        {Nominee.State.RECEIVED}
        if level == PublicNotice.Level.PROVINCE
        else {Nominee.State.DRAFT, Nominee.State.SENT_BACK}
    )
    states = dict(
        Nominee.objects.filter(pk__in=[n.pk for n in nominees]).values_list("pk", "state")
    )
    for nominee in nominees:
        if nominee.campaign_id != campaign.pk:
            raise ValidationError(_("“%s”不属于本活动。") % nominee)
        if not in_area(actor, "public.organise_notice", nominee):
            raise PermissionDenied(_("只能公示本人权限范围内的推荐对象。"))
        if states.get(nominee.pk) not in noticeable:
            raise ValidationError(
                _("“%(name)s”当前状态为“%(state)s”，不能列入%(level)s。")
                % {
                    "name": nominee.name,
                    "state": Nominee.State(states[nominee.pk]).label
                    if nominee.pk in states
                    else "—",
                    "level": PublicNotice.Level(level).label,
                }
            )
    if level == PublicNotice.Level.PROVINCE:
        # C-8 steps 4-5: the provincial notice shows what the leading group re-examined, not
        # names still before the panel or the assessment (the apps above say which).
        problems = [
            problem
            for _receiver, answer in provincial_notice_problems.send(
                sender=PublicNotice, campaign=campaign, nominees=nominees
            )
            for problem in answer or ()
        ]
        if problems:
            raise ValidationError(problems)
    try:
        ends_on = calendar.period_end(starts_on, campaign.public_notice_working_days)
    except calendar.CalendarNotCovered as missing:
        raise ValidationError({"starts_on": str(missing)}) from None
    if actor is not None:
        publisher = actor.unit
    elif level == PublicNotice.Level.PROVINCE and campaign.office_unit_id:
        publisher = campaign.office_unit
    else:
        publisher = nominees[0].nominating_unit
    level_label = PublicNotice.Level(level).label
    with audit_context(actor, _("发布公示")):
        notice = PublicNotice.objects.create(
            published_at=timezone.now()
            if actor is not None or starts_on >= today
            else _start_of(starts_on),
            campaign=campaign,
            level=level,
            publisher=publisher,
            title=title or f"{campaign.name}{level_label}",
            starts_on=starts_on,
            working_days=campaign.public_notice_working_days,
            ends_on=ends_on,
            contact=contact.strip(),
        )
        for order, nominee in enumerate(nominees):
            NoticeEntry.objects.create(notice=notice, sort_order=order, **public_copy(nominee))
    return notice


def public_copy(nominee: Nominee) -> dict:
    """What a notice shows of ``nominee``, kept on its entry as it was published."""
    if nominee.is_individual:
        unit_name = nominee.work_unit_name
    else:
        unit_name = nominee.parent_unit_name or nominee.nominating_unit.name
    return {
        "nominee": nominee,
        "name": nominee.name,
        "unit_name": unit_name,
        "honour_title": nominee.category.honour_title,
        "id_number": nominee.id_number or "",
        "summary": summary_of(nominee.deeds),
    }


@transaction.atomic
def close_notice(actor, notice: PublicNotice, note: str = "") -> PublicNotice:
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.state == PublicNotice.State.CLOSED:
        return notice
    require(actor, "public.close_notice", notice)
    with audit_context(actor, note or _("公示期满")):
        notice.state = PublicNotice.State.CLOSED
        notice.closed_note = note
        notice.save()
    return notice


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@transaction.atomic
def cancel_notice(actor, notice: PublicNotice, reason: str) -> PublicNotice:
    """Take a notice down before its end, with the reason recorded: it is void, and its
    nominees need a new notice of the full period (C-8, C-16). Objections already filed stay
    to be verified."""
    if not reason.strip():
        raise ValidationError({"reason": _("请写明撤销公示的原因。")})
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    require(actor, "public.cancel_notice", notice)
    with audit_context(actor, reason.strip()):
        notice.state = PublicNotice.State.CANCELLED
        notice.cancelled_reason = reason.strip()
        notice.save()
    return notice


def _reference() -> str:
    return f"YY{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def rate_limited(
    client_key: str, scope: str = "objections", per_hour: int = OBJECTIONS_PER_HOUR
) -> bool:
    """Count one more request from ``client_key``; True once the hourly allowance is used."""
    return not throttle.spend(scope, client_key, per_hour)


@transaction.atomic
def file_objection(
    notice: PublicNotice,
    nominee_id,
    content: str,
    contact: str = "",
    client_key: str = "",
) -> Objection:
    """Anyone files an objection; text is stored as typed and escaped wherever it is shown."""
    errors = {}
    content = (content or "").strip()
    contact = (contact or "").strip()
    if not content:
        errors["content"] = _("请填写异议内容。")
    elif len(content) > CONTENT_MAX:
        errors["content"] = _("异议内容不能超过%(max)d字（当前%(count)d字）。") % {
            "max": CONTENT_MAX,
            "count": count_chars(content),
        }
    if len(contact) > CONTACT_MAX:
        errors["contact"] = _("联系方式不能超过%d字。") % CONTACT_MAX
    entry = notice.entries.filter(nominee_id=nominee_id).select_related("nominee").first()
    if entry is None:
        errors["nominee"] = _("请选择本公示中的推荐对象。")
    elif entry.nominee.is_withdrawn:
        errors["nominee"] = _("“%s”已撤销推荐，不再受理对其的异议。") % entry.name
    if not notice.is_running():
        errors["__all__"] = _("该公示不在公示期内，不能提出异议。")
    if errors:
        raise ValidationError(errors)
    if client_key and rate_limited(client_key):
        raise ValidationError(_("提交过于频繁，请一小时后再试，或按公示中的联系方式反映。"))
    with audit_context(None, _("公众提出异议")):
        for _attempt in range(5):
            reference = _reference()
            if not Objection.objects.filter(reference=reference).exists():
                break
        objection = Objection.objects.create(
            reference=reference,
            notice=notice,
            nominee=entry.nominee,
            content=content,
            contact=contact,
        )
    # The organiser of the notice learns at once (never the objector's contact, nor the text:
    # a mail leaves Laurel; the inbox shows the objection).
    notify(
        _("【评比达标表彰】公示收到异议：%s") % notice.title,
        _("“%(notice)s”收到对“%(name)s”的异议（受理编号 %(ref)s），请登录系统核查办理。")
        % {"notice": notice.title, "name": entry.nominee.name, "ref": reference},
        organiser_emails([_handler_unit(notice, entry.nominee)]),
    )
    return objection


def _handler_unit(notice, nominee) -> int | None:
    """Whose officers handle an objection (and are mailed): the office for a provincial notice,
    the nominee's nominating body for a unit notice — never the nominee's own unit."""
    office = notice.campaign.office_unit_id or notice.publisher_id
    if notice.level == PublicNotice.Level.PROVINCE:
        return office
    if nominee.body.unit_id == nominee.nominating_unit_id:  # the body's own unit's nominee
        return office
    return nominee.body.unit_id or notice.publisher_id


@transaction.atomic
def assign_objection(actor, objection: Objection, verifier) -> Objection:
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    require(actor, "public.handle_objection", objection)
    with audit_context(actor, _("分派核查")):
        objection.assigned_to = verifier
        objection.state = Objection.State.ASSIGNED
        objection.save()
    return objection


@transaction.atomic
def resolve_objection(actor, objection: Objection, *, founded: bool, note: str) -> Objection:
    """Record the verification; a founded objection withdraws the nominee (C-8, C-11)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    require(actor, "public.handle_objection", objection)
    if not note.strip():
        raise ValidationError({"note": _("请填写核查情况。")})
    with audit_context(actor, note):
        objection.state = Objection.State.FOUNDED if founded else Objection.State.UNFOUNDED
        objection.verifier_note = note.strip()
        objection.resolved_at = timezone.now()
        objection.save()
        if founded:
            nominee = Nominee.objects.select_for_update().get(pk=objection.nominee_id)
            if nominee.state in (Nominee.State.AWARDED, Nominee.State.REVOKED):
                # a commendation is taken back only by the office's revocation (C-11), with
                # its reason and evidence, never by an objection's verdict
                raise ValidationError(
                    _("该对象已受表彰：异议属实的，须由省级表彰工作办公室依程序撤销表彰。")
                )
            if nominee.state == Nominee.State.RECEIVED:
                require(actor, "public.withdraw_received_nominee")
            if nominee.state != Nominee.State.WITHDRAWN:  # a second founded objection: out already
                nominee.state = Nominee.State.WITHDRAWN
                nominee.save()
    return objection


def notice_problems_receiver(sender, nominee, **kwargs) -> list[str]:
    """``nominations.signals.procedure_problems``: what the notice still needs."""
    return notice_problems(nominee)


def notice_problems(nominee: Nominee) -> list[str]:
    """C-8 step 1: a unit notice of the nominee that has run its whole period (a cancelled one
    is void), and no open objection."""
    problems = []
    today = timezone.localdate()
    entries = list(
        nominee.notice_entries.filter(notice__level=PublicNotice.Level.UNIT)
        .exclude(notice__state=PublicNotice.State.CANCELLED)
        .select_related("notice")
    )
    if not entries:
        problems.append(
            _("尚未在单位进行公示（不少于%d个工作日）。")
            % nominee.campaign.public_notice_working_days
        )
    elif not any(e.shows(nominee) for e in entries):
        problems.append(
            _("公示后姓名或身份证号码已改动：须以现在的信息重新在单位公示（不少于%d个工作日）。")
            % nominee.campaign.public_notice_working_days
        )
    elif not any(e.notice.has_run(today) for e in entries if e.shows(nominee)):
        end = min(e.notice.ends_on for e in entries if e.shows(nominee))
        problems.append(_("单位公示至%s结束，期满后方可上报。") % end.isoformat())
    return problems + open_objections(nominee)


def open_objection_receiver(sender, nominee, **kwargs) -> list[str]:
    """``nominations.signals.review_holds``: an objection still open holds every tier."""
    return open_objections(nominee)


def open_objections(nominee: Nominee) -> list[str]:
    open_count = nominee.objections.filter(state__in=Objection.OPEN_STATES).count()
    return [_("有%d件异议尚未核查办结。") % open_count] if open_count else []
