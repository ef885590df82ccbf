from pathlib import Path

import pytest
import yaml

from laurel.campaigns.models import Campaign
from laurel.campaigns.services.definitions import load_definition
from laurel.core.models import Division
from laurel.core.roles import Role
from tests.factories import UnitFactory, UserFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "campaigns"
JILIN = EXAMPLES / "jilin-affordable-housing-2022.yaml"
SECOND = EXAMPLES / "hrss-service-windows-2026.yaml"


def units_for(path: Path) -> dict:
    """Create just the units a definition file names (far quicker than the whole demo)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    province = Division.objects.get(code="220000")
    units = {}
    names = [data.get("office_unit")] + [b.get("unit") for b in data["bodies"]]
    divisions = [None] + [b.get("division") for b in data["bodies"]]
    for name, code in zip(names, divisions, strict=True):
        if name and name not in units:
            division = Division.objects.get(code=str(code)) if code else province
            units[name] = UnitFactory(
                name=name, division=division, tier="province" if not code else "prefecture"
            )
    return units


@pytest.fixture
def jilin_text():
    return JILIN.read_text(encoding="utf-8")


@pytest.fixture
def jilin_units(db):
    return units_for(JILIN)


@pytest.fixture
def jilin(jilin_units, jilin_text) -> Campaign:
    return load_definition(None, jilin_text, source=JILIN.name).campaign


@pytest.fixture
def office(db):
    unit = UnitFactory(name="表彰办测试处", division=Division.objects.get(code="220000"))
    return UserFactory(unit=unit, roles=[Role.PROVINCIAL_OFFICE])
