"""Background tasks (django-tasks); they take ids and plain values only."""

from __future__ import annotations

import datetime

from django.core.mail import send_mail, send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from laurel.accounts.queries import clearance_emails, reviewer_emails
from laurel.nominations import tiers
from laurel.nominations.models import ClearanceRequest, Nominee

REMINDER_DAYS = 3


@task()
def send_clearance_reminders(today: str | None = None) -> int:
    """Daily: remind each department of the opinions it owes that fall due within a few days."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    due = (
        ClearanceRequest.objects.filter(
            state__in=[ClearanceRequest.State.PENDING, ClearanceRequest.State.VERIFYING],
            department__isnull=False,
            due_on__gte=day,
            due_on__lte=day + datetime.timedelta(days=REMINDER_DAYS),
        )
        .select_related("nominee", "department")
        .order_by("department_id", "due_on")
    )
    by_department: dict[int, list] = {}
    for item in due:
        by_department.setdefault(item.department_id, []).append(item)
    sent = 0
    for department_id, items in by_department.items():
        recipients = clearance_emails([department_id])
        if not recipients:
            continue
        lines = [
            f"{i.nominee.name}（{i.nominee.category.name}），{_('回复期限')} {i.due_on}"
            for i in items
        ]
        send_mail(
            _("【评比达标表彰】征求意见即将到期"),
            _("以下推荐对象的征求意见即将到期，请及时登录系统回复：\n") + "\n".join(lines),
            None,
            recipients,
        )
        sent += 1
    return sent


@task()
def send_notice(subject: str, body: str, recipients: list[str]) -> int:
    """The notification, one mail per recipient (queued after the transaction that caused it
    commits), so that no recipient sees the others."""
    return send_mass_mail([(subject, body, None, [address]) for address in recipients])


@task()
def send_review_reminders(today: str | None = None) -> int:
    """Daily: remind reviewing departments of nominees waiting at their tier when the
    campaign's material deadline is a few days away (or past)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    waiting = Nominee.objects.filter(state=Nominee.State.SUBMITTED).select_related(
        "campaign", "category", "body__division", "division"
    )
    for nominee in waiting:
        deadline = nominee.campaign.phase("material_deadline")
        if deadline is None or deadline.ends_on is None:
            continue
        if deadline.ends_on > day + datetime.timedelta(days=REMINDER_DAYS):
            continue
        done = set(tiers.opinions(nominee).values_list("function", flat=True))
        for function, unit in tiers.reviewers(nominee).items():
            if unit is None or function in done:
                continue
            recipients = reviewer_emails([unit.pk])
            if recipients:
                send_mail(
                    _("【评比达标表彰】审核即将到期：%s") % nominee.name,
                    _("“%(name)s”待本部门审核，材料报送截止日期为%(due)s，请及时办理。")
                    % {"name": nominee.name, "due": deadline.ends_on.isoformat()},
                    None,
                    recipients,
                )
                sent += 1
    return sent
