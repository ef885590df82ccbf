import random

import factory
from faker import Faker

from laurel.accounts.models import User, UserRole
from laurel.core.models import Division
from laurel.core.synthetic import social_credit_code
from laurel.orgs.models import Unit

fake = Faker("zh_CN")
_rng = random.Random(7)


class UnitFactory(factory.django.DjangoModelFactory):
    """Builds units through the same path rules as the service (tree path set after save)."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    division = factory.LazyFunction(lambda: Division.objects.get(code="220100"))
    tier = "prefecture"
    kind = "agency"
    admin_level = "none"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from laurel.orgs.services.units import create_unit

        functions = kwargs.pop("functions", ())
        if kwargs.get("kind") == "enterprise":
            kwargs.setdefault("ownership", "state_owned")
        if kwargs.get("kind") in ("enterprise", "social_organization"):
            kwargs.setdefault("uscc", social_credit_code(_rng))
        return create_unit(None, functions=functions, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(fake.name)
    password = factory.django.Password("Laurel-Test-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            UserRole.objects.create(user=self, role=role)
        self.forget_roles()
