"""Demo treatment (H-7): the example policy (amounts marked as examples), so every demo
honoree has entitlements (the retired ones a pension supplement too); then one more award of
the finished round is revoked (C-11), which ends its honoree's allowance that day."""

from __future__ import annotations

from django.conf import settings

from laurel.accounts.models import User
from laurel.evaluation.models import Award
from laurel.evaluation.services.awards import revoke_award
from laurel.treatment.models import Policy
from laurel.treatment.services.entitlements import refresh_all
from laurel.treatment.services.policies import load_policy

EXAMPLE = settings.BASE_DIR / "examples" / "treatment" / "policy-example.yaml"


def load() -> Policy | None:
    existing = Policy.objects.order_by("-effective_from").first()
    if existing is not None:
        return existing
    policy = load_policy(None, EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name).policy
    award = (
        Award.objects.filter(state=Award.State.VALID, registry_honour__isnull=False)
        .order_by("-pk")
        .first()
    )
    office = User.objects.filter(username="office").first()
    if award is not None and office is not None:
        revoke_award(
            office,
            award,
            reason="演示数据：经核查，获奖后受到党纪处分，依规撤销表彰。",
            evidence="演示数据：省纪委监委通报〔2026〕3号",
            certificate_recovered=True,
            bonus_recovered=False,
        )
    # Computed here, inside the demo's transaction, rather than by the task queued after
    # commit: the demo's pages (and the tests that load it) have entitlements at once. The task
    # then finds nothing to change.
    refresh_all(policy.effective_from)
    return policy
