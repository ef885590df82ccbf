"""Reads of public notices and objections shared by pages and other apps' signals."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.public.models import Objection, PublicNotice


def unfinished_business(sender, campaign, **kwargs) -> list[str]:
    """What keeps ``campaign`` from closing: a notice still running (the public could not
    object any more), an objection not yet concluded (it could never be)."""
    today = timezone.localdate()
    problems = []
    running = PublicNotice.objects.filter(
        campaign=campaign, state=PublicNotice.State.PUBLISHED, ends_on__gte=today
    )
    for notice in running:
        problems.append(
            _("公示“%(title)s”公示至%(day)s，尚未结束。")
            % {"title": notice.title, "day": notice.ends_on.isoformat()}
        )
    open_objections = Objection.objects.filter(
        notice__campaign=campaign, state__in=Objection.OPEN_STATES
    ).count()
    if open_objections:
        problems.append(_("还有%d件异议未办结。") % open_objections)
    return problems


def record_section(sender, nominee, user, **kwargs) -> dict | None:
    """``nominations.signals.record_sections``: the public notices the nominee was on, their
    period and state, and the objections filed against the nominee — outcomes for every reader
    of the record (an expert judges knowing them), the objection itself (a link to its file)
    only where ``user`` may open it."""
    entries = list(
        nominee.notice_entries.select_related("notice__publisher").order_by("notice__starts_on")
    )
    if not entries:
        return None
    objections = list(
        Objection.objects.filter(nominee=nominee).select_related("notice").order_by("filed_at")
    )
    visible = set(
        Objection.objects.restrict(user).filter(nominee=nominee).values_list("pk", flat=True)
    )
    for objection in objections:
        objection.may_open = objection.pk in visible
    notices = []
    for entry in entries:
        notice = entry.notice
        notice.nominee_objections = [o for o in objections if o.notice_id == notice.pk]
        notices.append(notice)
    return {
        "template": "public/record_notices.html",
        "context": {"notices": notices, "today": timezone.localdate()},
    }
