"""The honoree registry (honoree-registration-notice.txt): people entitled to provincial/
ministerial-level or national honoree treatment, their honours, and the registration drive that
collects them through the tiers (H-1 … H-7).

ID numbers and phones are stored encrypted (``core.crypto``) with a keyed hash for exact search
and a masked copy for lists; the plain value exists only in memory."""

from .drives import Drive, DriveContact
from .people import (
    KIND_LEVEL,
    EncryptedIdentity,
    Honour,
    HonourType,
    Kind,
    Level,
    MilitaryMerit,
    Person,
    PersonQuerySet,
    StatisticCell,
    StatisticRollup,
)
from .registrations import Evidence, RegisteredHonour, Registration, RegistrationOpinion

__all__ = [
    "KIND_LEVEL",
    "Drive",
    "DriveContact",
    "EncryptedIdentity",
    "Evidence",
    "Honour",
    "HonourType",
    "Kind",
    "Level",
    "MilitaryMerit",
    "Person",
    "PersonQuerySet",
    "RegisteredHonour",
    "Registration",
    "RegistrationOpinion",
    "StatisticCell",
    "StatisticRollup",
]
