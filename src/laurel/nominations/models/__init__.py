from .clearance import ClearanceRequest
from .nominees import ClaimedCondition, Nominee, NomineeRecord, ResumeEntry
from .review import ReviewOpinion

__all__ = [
    "ClaimedCondition",
    "ClearanceRequest",
    "Nominee",
    "NomineeRecord",
    "ResumeEntry",
    "ReviewOpinion",
]
