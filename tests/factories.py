"""factory_boy factories, one per model. Geography factories make extra rows beside the real reference
data (codes that the data files do not use), for tests that need more rows than Kosovo has."""

import factory
from factory.django import DjangoModelFactory

from field_offices.models import Community, District, FieldTeam, Municipality, Region
from mission.accounts.models import User
from mission.accounts.roles import Department, Role


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"X{n:02d}")
    name_en = factory.Sequence(lambda n: f"Test region {n}")
    name_sq = factory.Sequence(lambda n: f"Rajoni provë {n}")
    name_sr = factory.Sequence(lambda n: f"Probni region {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name_en = factory.Sequence(lambda n: f"Test district {n}")
    name_sq = factory.Sequence(lambda n: f"Rajoni administrativ {n}")
    name_sr = factory.Sequence(lambda n: f"Probni okrug {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: f"{(n % 60) + 40}")
    name_en = factory.Sequence(lambda n: f"Test municipality {n}")
    name_sq = factory.Sequence(lambda n: f"Komuna provë {n}")
    name_sr = factory.Sequence(lambda n: f"Probna opština {n}")
    name_sr_cyrl = factory.Sequence(lambda n: f"Пробна општина {n}")
    region = factory.SubFactory(RegionFactory)
    district = factory.SubFactory(DistrictFactory)
    population = 1000


class FieldTeamFactory(DjangoModelFactory):
    class Meta:
        model = FieldTeam

    code = factory.Sequence(lambda n: f"FT-TEST-{n:03d}")
    name_en = factory.Sequence(lambda n: f"Test team {n}")
    name_sq = factory.Sequence(lambda n: f"Ekipi provë {n}")
    name_sr = factory.Sequence(lambda n: f"Probni tim {n}")
    region = factory.SubFactory(RegionFactory)


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name_en = factory.Sequence(lambda n: f"Test community {n}")
    name_sq = factory.Sequence(lambda n: f"Komuniteti provë {n}")
    name_sr = factory.Sequence(lambda n: f"Probna zajednica {n}")


class UserFactory(DjangoModelFactory):
    """A Human Rights monitor in Prizren unless told otherwise; traits give the other roles."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.MONITOR
    department = Department.RIGHTS
    region = factory.LazyFunction(lambda: Region.objects.get(code="PRZ"))
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    class Params:
        supervisor = factory.Trait(role=Role.SUPERVISOR)
        department_head = factory.Trait(role=Role.DEPARTMENT_HEAD, region=None)
        management = factory.Trait(role=Role.MANAGEMENT, department=Department.MISSION, region=None)
        partner = factory.Trait(role=Role.PARTNER, department="", region=None, organisation="Test NGO")
        administrator = factory.Trait(
            role=Role.ADMINISTRATOR, department=Department.MISSION, region=None, is_staff=True, is_superuser=True
        )

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy passes the object first)
        if create:
            obj.save()
