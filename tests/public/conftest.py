# Fixtures shared with the campaign and nomination tests.
from tests.campaigns.conftest import jilin, jilin_text, jilin_units, office  # noqa: F401
from tests.nominations.conftest import cc_staff, cc_unit, nanguan_unit, published  # noqa: F401
from tests.nominations.test_review import reviewers  # noqa: F401
