"""Background tasks of core (django-tasks): the one notification mail every app queues."""

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_notification(subject: str, body: str, recipients: list[str]) -> int:
    """One notification mail (queued after the transaction that caused it commits)."""
    return send_mail(subject, body, None, recipients)


def notify(subject: str, body: str, recipients) -> None:
    """Queue a mail to ``recipients`` once the current transaction commits; none when nobody
    has an address (the in-app inbox shows the same work)."""
    recipients = sorted({r for r in recipients if r})
    if recipients:
        transaction.on_commit(
            lambda: send_notification.enqueue(str(subject), str(body), recipients)
        )
