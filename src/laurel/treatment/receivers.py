"""How treatment follows the registry (H-7): a changed honour or person has their entitlements
brought up to date after commit; a bulk import does it in the background; the person's page
gets the entitlements section."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.permissions import may
from laurel.registry.models import Honour, Person
from laurel.registry.signals import people_changed, person_sections
from laurel.treatment import queries
from laurel.treatment.models import HardshipApplication, Policy, StatusReturn, StatusReview
from laurel.treatment.services.entitlements import refresh_person
from laurel.treatment.services.hardship import OPEN_STATES as OPEN_HARDSHIP
from laurel.treatment.services.hardship import may_apply_for
from laurel.treatment.tasks import refresh_people

# More people changed in one transaction than this (a decision filing a category's awards)
# are replayed by the task queue; fewer, at once after commit, so the page that made the change
# already shows the new entitlements.
INLINE_PEOPLE = 20


class _Pending:
    """The people a transaction changed, replayed once each when it commits."""

    def __init__(self):
        self.ids: set[int] = set()

    def __call__(self):
        connection = transaction.get_connection()
        if getattr(connection, "laurel_treatment_pending", None) is self:
            connection.laurel_treatment_pending = None
        ids = sorted(self.ids)
        if len(ids) > INLINE_PEOPLE:
            first = Policy.objects.order_by("effective_from").values_list(
                "effective_from", flat=True
            )
            refresh_people.enqueue(ids, first[0].isoformat())
            return
        for person in Person.objects.filter(pk__in=ids):
            refresh_person(None, person, reason=_("登记信息变化，重新核定待遇"))


def _refresh_later(person_pk: int) -> None:
    """After commit: the person's entitlements replayed (the registry dates what changed) —
    once per person however many of their rows the transaction saved."""
    if not Policy.objects.exists():
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "laurel_treatment_pending", None)
    queued = [callback for _sids, callback, _robust in connection.run_on_commit]
    if pending is not None and pending in queued:
        pending.ids.add(person_pk)
        return
    # None yet, or rolled back with a savepoint. Outside a transaction on_commit runs at once.
    pending = _Pending()
    pending.ids.add(person_pk)
    if connection.in_atomic_block:
        connection.laurel_treatment_pending = pending
    transaction.on_commit(pending, robust=True)


@receiver(post_save, sender=Honour, dispatch_uid="treatment-honour")
def honour_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.person_id)


@receiver(post_save, sender=Person, dispatch_uid="treatment-person")
def person_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:  # a new person has no honours yet
        _refresh_later(instance.pk)


@receiver(people_changed, dispatch_uid="treatment-bulk")
def people_imported(sender, id_hashes, on, **kwargs):
    if not Policy.objects.exists():
        return
    ids = []
    for start in range(0, len(id_hashes), 5000):
        ids += Person.objects.filter(id_hash__in=id_hashes[start : start + 5000]).values_list(
            "pk", flat=True
        )
    first = Policy.objects.order_by("effective_from").values_list("effective_from", flat=True)
    refresh_people.enqueue(list(ids), first[0].isoformat())


@receiver(person_sections, dispatch_uid="treatment-person-section")
def entitlements_section(sender, person, user, seen, **kwargs):
    """Entitlements with the honour and rule that give them; nothing of a classified person to
    whoever sees them desensitised (H-6)."""
    if seen.desensitised or not may(user, "treatment.view_entitlement"):
        return None
    rows = list(queries.person_entitlements(user, person))
    today = timezone.localdate()
    return {
        "template": "treatment/_person_entitlements.html",
        "context": {
            "current": [e for e in rows if e.ends_on is None or e.ends_on > today],
            "ended": [e for e in rows if e.ends_on is not None and e.ends_on <= today],
            "policy": queries.policy_in_force(),
        },
    }


@receiver(person_sections, dispatch_uid="treatment-person-hardship")
def hardship_section(sender, person, user, seen, **kwargs):
    """The person's hardship applications (never public) and, for a unit that may apply, the
    way to a new one."""
    if seen.desensitised or not may(user, "treatment.list_hardship"):
        return None
    history = list(queries.hardship_history(user, person))
    open_one = any(a.state in OPEN_HARDSHIP for a in history)
    may_apply = (
        may(user, "treatment.apply_hardship")
        and user.unit is not None
        and may_apply_for(user.unit, person)
        and person.living
        and not person.classified
        and not open_one
    )
    if not history and not may_apply:
        return None
    return {
        "template": "treatment/_person_hardship.html",
        "context": {"history": history, "may_apply": may_apply, "person": person},
    }


def routing_in_use(sender, unit, **kwargs) -> bool:
    """``orgs.signals.routing_in_use``: an open hardship application or status return of
    ``unit`` (its supervising unit and tiers follow where the unit sits)."""
    return (
        HardshipApplication.objects.filter(
            applying_unit=unit,
            state__in=[HardshipApplication.State.SUBMITTED, HardshipApplication.State.SENT_BACK],
        ).exists()
        or StatusReturn.objects.filter(unit=unit, review__status=StatusReview.Status.OPEN)
        .exclude(state=StatusReturn.State.FILED)
        .exists()
    )
