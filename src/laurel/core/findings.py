"""Findings of a rule check (eligibility of a nominee, scope of a registration): blocking, or an
"in principle" warning that needs a written justification."""

from dataclasses import dataclass

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    severity: str
    message: str
    # What only the office may read (another person's honours behind a C-5 check): never shown
    # to the unit whose nominee it concerns.
    detail: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING
