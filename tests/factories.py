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
    languages = factory.LazyFunction(lambda: ["sq", "en"])
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


# --- Trial monitoring -------------------------------------------------------------------------------
# These build rows directly (fast, for lists and query counts); behaviour tests go through the services.
import datetime  # noqa: E402

from rights.models import (  # noqa: E402
    Case,
    CaseCategory,
    CourtDepartment,
    Flag,
    FlagRule,
    Hearing,
    HearingType,
    Intervention,
    InterventionType,
    Observation,
    Party,
    PartyRole,
    Questionnaire,
    StandardRating,
)
from rights.models import Court as _Court  # noqa: E402


class CaseFactory(DjangoModelFactory):
    """A case at the Basic Court of Prizren unless told otherwise."""

    class Meta:
        model = Case

    court = factory.LazyFunction(lambda: _Court.objects.get(code="BC-PZ"))
    case_number = factory.Sequence(lambda n: f"P. nr. {n + 1}/2026")
    municipality = factory.LazyAttribute(lambda case: case.court.seat)
    court_department = CourtDepartment.GENERAL_CRIMINAL
    category = CaseCategory.OTHER
    charges = "CCK Art. 186"
    created_by = factory.LazyFunction(lambda: User.objects.filter(role=Role.MONITOR).first())


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    role = PartyRole.ACCUSED
    ordinal = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Test Person {n}")


class HearingFactory(DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    court = factory.LazyAttribute(lambda h: h.case.court)  # as hearing_create keeps it
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    scheduled_start = datetime.time(9, 0)
    hearing_type = HearingType.MAIN_TRIAL
    held = True
    recorded = True
    created_by = factory.LazyAttribute(lambda h: h.case.created_by)


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = Observation
        skip_postgeneration_save = True

    hearing = factory.SubFactory(HearingFactory)
    monitor = factory.LazyAttribute(lambda o: o.hearing.created_by)
    questionnaire = factory.LazyFunction(lambda: Questionnaire.objects.get(is_current=True))
    summary = "A summary."
    hearing_date = factory.LazyAttribute(lambda o: o.hearing.date)  # as observation_start copies it

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy passes the object first)
        # What the observation services keep: an approved observation publishes its hearing and case.
        if create and obj.status == "approved":
            Hearing.objects.filter(pk=obj.hearing_id).update(published=True)
            Case.objects.filter(pk=obj.hearing.case_id).update(published=True)


class StandardRatingFactory(DjangoModelFactory):
    class Meta:
        model = StandardRating

    observation = factory.SubFactory(ObservationFactory)
    standard = factory.LazyAttribute(lambda r: r.observation.questionnaire.standards.first())
    rating = "complied"


class FlagFactory(DjangoModelFactory):
    class Meta:
        model = Flag

    hearing = factory.SubFactory(HearingFactory)
    case = factory.LazyAttribute(lambda f: f.hearing.case)
    rule = FlagRule.NOT_RECORDED
    subject = factory.LazyAttribute(lambda f: f"hearing:{f.hearing.pk}")


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = Intervention

    flag = factory.SubFactory(FlagFactory)
    intervention_type = InterventionType.LETTER
    addressee = "President of the Basic Court"
    date = factory.LazyFunction(datetime.date.today)
    recorded_by = factory.LazyAttribute(lambda i: i.flag.case.created_by)
