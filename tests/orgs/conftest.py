# Fixtures shared with the campaign, nomination and registry tests.
from tests.campaigns.conftest import jilin, jilin_text, jilin_units, office  # noqa: F401
from tests.nominations.conftest import cc_staff, cc_unit, nanguan_unit, published  # noqa: F401
from tests.registry.conftest import area, drive  # noqa: F401
