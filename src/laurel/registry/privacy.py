"""H-6: personal data shown masked unless the role may see it; the classified are shown
de-sensitised to everyone but the provincial office. Reads only: unmasking, which writes an
audit row, is ``services.privacy.unmask``."""

from __future__ import annotations

from dataclasses import dataclass

HIDDEN = "（涉密，已脱密）"
# A classified person as everyone but the office sees them: no surname, gender, area, dates or
# document numbers — together they narrow a province down to one person (issue 19).
CLASSIFIED_NAME = "涉密人员"


@dataclass
class Shown:
    """What a user may see of a person (or a registration)."""

    name: str
    id_number: str
    phone: str
    unit_name: str
    position: str
    desensitised: bool
    full: bool


def shown(user, record, *, unmasked: bool = False) -> Shown:
    """``unmasked`` only after :func:`unmask` logged it."""
    if record.classified and not user.has_perm("registry.view_classified"):
        return Shown(CLASSIFIED_NAME, "", "", HIDDEN, HIDDEN, True, False)
    full = unmasked and user.has_perm("registry.view_personal_data", record)
    return Shown(
        record.name,
        record.id_number if full else record.id_masked,
        record.phone if full else record.phone_masked,
        record.unit_name,
        record.position,
        False,
        full,
    )
