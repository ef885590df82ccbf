from .clearance import ClearanceRequest
from .nominees import ClaimedCondition, Nominee, NomineeRecord, ResumeEntry

__all__ = ["ClaimedCondition", "ClearanceRequest", "Nominee", "NomineeRecord", "ResumeEntry"]
