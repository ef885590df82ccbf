"""Background tasks of the registry (django-tasks); ids and plain values only."""

import datetime

from django.core.mail import send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from laurel.accounts.queries import registrar_emails, reviewer_emails
from laurel.registry import routing
from laurel.registry.models import Drive, Registration, RegistrationOpinion
from laurel.registry.privacy import CLASSIFIED_NAME
from laurel.registry.services.statistics import refresh

REMINDER_DAYS = 3


@task()
def refresh_statistics() -> int:
    return refresh()


@task()
def send_registry_reminders(today: str | None = None) -> int:
    """Daily (H-5): remind the reviewing departments of the registrations waiting at their tier
    when that tier's deadline is a few days away or past, and the filing units of drafts and
    send-backs when their deadline is near. One mail per department."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    soon = day + datetime.timedelta(days=REMINDER_DAYS)
    waiting: dict[int, list[str]] = {}
    filing: dict[int, list[str]] = {}
    for registration in Registration.objects.filter(
        drive__status=Drive.Status.OPEN,
        state__in=[
            Registration.State.SUBMITTED,
            Registration.State.DRAFT,
            Registration.State.SENT_BACK,
        ],
    ).select_related("drive", "filing_unit__division"):
        due = routing.deadline(registration.drive, registration)
        if due > soon:
            continue
        line = _("%(name)s（%(drive)s），%(tier)s截止 %(due)s") % {
            # a mail leaves Laurel: a classified person is never named in it
            "name": CLASSIFIED_NAME if registration.classified else registration.name,
            "drive": registration.drive.name,
            "tier": registration.get_current_tier_display() or _("报送"),
            "due": due.isoformat(),
        }
        if registration.state == Registration.State.SUBMITTED:
            answered = set(
                RegistrationOpinion.objects.filter(
                    registration=registration,
                    round=registration.round,
                    tier=registration.current_tier,
                ).values_list("function", flat=True)
            )
            for function, unit in routing.reviewers(registration).items():
                if unit is not None and function not in answered:
                    waiting.setdefault(unit.pk, []).append(line)
        else:
            filing.setdefault(registration.filing_unit_id, []).append(line)
    sent = 0
    for unit_id, lines in waiting.items():
        sent += _mail(reviewer_emails([unit_id]) + registrar_emails([unit_id]), lines)
    for unit_id, lines in filing.items():
        sent += _mail(registrar_emails([unit_id]), lines)
    return sent


def _mail(recipients, lines) -> int:
    recipients = sorted(set(recipients))
    if not recipients:
        return 0
    subject = _("【表彰人员统计登记】登记表审核即将到期")
    body = _("以下登记表的办理期限将到或已过，请及时登录系统办理：\n") + "\n".join(lines)
    send_mass_mail([(subject, body, None, [address]) for address in recipients])
    return 1
