import pytest
from django.conf import settings

from laurel.registry.models import Person
from laurel.treatment.services.policies import load_policy
from tests.registry.conftest import area, drive, file_through, new_id, register  # noqa: F401

EXAMPLE = settings.BASE_DIR / "examples" / "treatment" / "policy-example.yaml"


@pytest.fixture
def example_text():
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block leaves for after commit (entitlements are
    brought up to date then), as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def policy(db, example_text, committed):
    with committed():
        return load_policy(None, example_text, "policy-example.yaml").policy


@pytest.fixture
def filed(area, drive, committed):  # noqa: F811
    """A person registered by the school and filed through every tier."""

    def file(honours, **fields):
        birth = fields.pop("birth_date", None)
        if birth is not None:  # the birth date is read from the ID number
            fields["id_number"] = new_id(birth=birth)
        with committed():
            file_through(area, register(area, drive, honours=honours, **fields))
        return Person.objects.get(name=fields.get("name", "张志强"))

    return file
