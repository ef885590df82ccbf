"""Demo campaigns: the Jilin plan (published) and the second example (draft)."""

from __future__ import annotations

from django.conf import settings

from laurel.campaigns.models import Campaign
from laurel.campaigns.services.campaigns import publish_campaign
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
        publish_campaign(None, jilin, reason="演示数据")
    return campaigns
