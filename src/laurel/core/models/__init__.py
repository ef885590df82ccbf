from .audit import AuditLog
from .calendar import CalendarOverride, CalendarYear
from .codes import CodeItem, CodeNames, CodeTable
from .divisions import Division
from .paper import PaperOpinion

__all__ = [
    "AuditLog",
    "CalendarOverride",
    "CalendarYear",
    "CodeItem",
    "CodeNames",
    "CodeTable",
    "Division",
    "PaperOpinion",
]
