"""Background work of the treatment app (ids only)."""

import datetime

from django.core.mail import send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from laurel.accounts.queries import registrar_emails, reviewer_emails
from laurel.treatment import routing
from laurel.treatment.models import Policy, StatusReturn, StatusReview
from laurel.treatment.services.entitlements import refresh_all


@task()
def recompute_entitlements(policy_id: int) -> str:
    """Everyone's entitlements from the policy's effective date (and under each later version)."""
    policy = Policy.objects.get(pk=policy_id)
    created, updated, deleted = refresh_all(policy.effective_from)
    return f"+{created} ~{updated} -{deleted}"


@task()
def refresh_people(person_ids: list[int], on: str) -> int:
    """People changed in bulk (an import): their entitlements from ``on`` (ISO date)."""
    created, updated, deleted = refresh_all(datetime.date.fromisoformat(on), person_ids)
    return created + updated + deleted


REMINDER_DAYS = 3


@task()
def send_status_review_reminders(today: str | None = None) -> int:
    """Daily: remind the units whose honorees' status is still to report when the units'
    deadline is a few days away or past, and the checking departments of the returns waiting
    at their tier when that tier's deadline is. One mail per unit, naming nobody (the count
    only: a mail leaves Laurel)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    soon = day + datetime.timedelta(days=REMINDER_DAYS)
    to_report: dict[int, int] = {}
    to_check: dict[int, int] = {}
    for status_return in (
        StatusReturn.objects.filter(
            review__status=StatusReview.Status.OPEN,
            state__in=[
                StatusReturn.State.PENDING,
                StatusReturn.State.SENT_BACK,
                StatusReturn.State.SUBMITTED,
            ],
        )
        .select_related("review")
        .iterator(chunk_size=2000)
    ):
        if routing.return_deadline(status_return.review, status_return) > soon:
            continue
        if status_return.state != StatusReturn.State.SUBMITTED:
            if status_return.unit_id:
                to_report[status_return.unit_id] = to_report.get(status_return.unit_id, 0) + 1
            continue
        checker = (status_return.panel or {}).get(status_return.current_tier)  # frozen
        if checker:
            to_check[checker] = to_check.get(checker, 0) + 1
    sent = 0
    for unit_id, n in to_report.items():
        sent += _mail(registrar_emails([unit_id]), _("本单位尚有%d名表彰人员的状态未报送") % n)
    for unit_id, n in to_check.items():
        sent += _mail(
            reviewer_emails([unit_id]) + registrar_emails([unit_id]),
            _("尚有%d份表彰人员状态报送待本级核实") % n,
        )
    return sent


def _mail(recipients, line: str) -> int:
    recipients = sorted(set(recipients))
    if not recipients:
        return 0
    subject = _("【表彰人员动态管理】报送、核实即将到期")
    body = _("%s，办理期限将到或已过，请及时登录系统办理。") % line
    send_mass_mail([(subject, body, None, [address]) for address in recipients])
    return 1
