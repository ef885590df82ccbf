"""Demo campaigns: the Jilin plan (published) and the second example (draft)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from laurel.campaigns.models import Campaign
from laurel.campaigns.services.campaigns import extend_deadline, publish_campaign
from laurel.campaigns.services.definitions import load_definition

EXAMPLES = settings.BASE_DIR / "examples" / "campaigns"
JILIN = EXAMPLES / "jilin-affordable-housing-2022.yaml"
SECOND = EXAMPLES / "hrss-service-windows-2026.yaml"


def load() -> list[Campaign]:
    campaigns = []
    for path in (JILIN, SECOND):
        result = load_definition(None, path.read_text(encoding="utf-8"), source=path.name)
        campaigns.append(result.campaign)
    jilin = campaigns[0]
    if jilin.status == Campaign.Status.DRAFT:
        jilin = publish_campaign(None, jilin, reason="演示数据")
    # The plan's date (2023-03-10) has passed; the office gives every body time to submit, as
    # it may for a body that asks (recorded with the reason).
    until = timezone.localdate() + datetime.timedelta(days=60)
    for body in jilin.bodies.exclude(deadline_extended_to__gte=until):
        extend_deadline(None, body, until, "演示数据：推荐材料报送延期，以便在当前日期演示上报")
    return campaigns
