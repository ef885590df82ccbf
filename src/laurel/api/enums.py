"""Choice sets named for the OpenAPI schema (drf-spectacular ENUM_NAME_OVERRIDES)."""

from laurel.nominations.models import Nominee
from laurel.registry.models import Kind

AwardKind = Nominee.Kind
HonourKind = Kind
