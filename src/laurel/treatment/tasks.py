"""Background work of the treatment app (ids only)."""

import datetime

from django_tasks import task

from laurel.treatment.models import Policy
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
