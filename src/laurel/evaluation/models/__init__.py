from .awards import Approval, Award
from .lists import Assessment, ListEntry, PreliminaryList
from .panels import Candidate, Panel, PanelMember, PanelResult, Recheck, Recusal, Vote

__all__ = [
    "Approval",
    "Assessment",
    "Award",
    "Candidate",
    "ListEntry",
    "Panel",
    "PanelMember",
    "PanelResult",
    "PreliminaryList",
    "Recheck",
    "Recusal",
    "Vote",
]
