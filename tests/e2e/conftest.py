import pytest
from django.core.management import call_command

from tests.browser.test_smoke import page  # noqa: F401


@pytest.fixture
def demo_data(transactional_db):
    """The whole demo, the finished 2019 round included (its awards and certificates)."""
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
