"""Background tasks of core (django-tasks): the one notification mail every app queues."""

from django.core.mail import send_mass_mail
from django.db import transaction
from django_tasks import task


@task()
def send_notification(subject: str, body: str, recipients: list[str]) -> int:
    """The notification, one mail per recipient (queued after the transaction that caused it
    commits): nobody learns who else received it — a panel's experts each other's names."""
    return send_mass_mail([(subject, body, None, [address]) for address in recipients])


def notify(subject: str, body: str, recipients) -> None:
    """Queue a mail to ``recipients`` once the current transaction commits; none when nobody
    has an address (the in-app inbox shows the same work)."""
    recipients = sorted({r for r in recipients if r})
    if recipients:
        transaction.on_commit(
            lambda: send_notification.enqueue(str(subject), str(body), recipients)
        )
