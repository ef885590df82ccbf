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
