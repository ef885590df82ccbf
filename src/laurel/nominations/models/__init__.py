from .nominees import ClaimedCondition, Nominee, NomineeRecord, ResumeEntry

__all__ = ["ClaimedCondition", "Nominee", "NomineeRecord", "ResumeEntry"]
