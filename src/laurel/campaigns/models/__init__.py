from .campaign import (
    AchievementCondition,
    AwardCategory,
    Campaign,
    CampaignMember,
    CampaignPhase,
)
from .quotas import NominatingBody, Quota, QuotaReservation

__all__ = [
    "AchievementCondition",
    "AwardCategory",
    "Campaign",
    "CampaignMember",
    "CampaignPhase",
    "NominatingBody",
    "Quota",
    "QuotaReservation",
]
