"""One factory per model; they commit, so that requests made by the test client see the rows."""

import secrets

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import (
    AdviserAssignment,
    LearningNetwork,
    Membership,
    Programme,
    School,
    WarmCity,
)

PASSWORD = "correct horse battery"
# Hashing once keeps the factories fast; the cheap scrypt parameters are for tests only.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"persoon{n}@school.example.org")
    name = factory.Faker("name", locale="nl_BE")
    password_hash = _PASSWORD_HASH
    locale = "nl"
    session_token = factory.LazyFunction(lambda: secrets.token_hex(8))


class ProgrammeFactory(BaseFactory):
    class Meta:
        model = Programme
        sqlalchemy_get_or_create = ("name",)

    name = "Warme Scholen"


class WarmCityFactory(BaseFactory):
    class Meta:
        model = WarmCity

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Stad {n}")


class LearningNetworkFactory(BaseFactory):
    class Meta:
        model = LearningNetwork

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Lerend netwerk {n}")


class SchoolFactory(BaseFactory):
    class Meta:
        model = School

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    city = factory.SubFactory(WarmCityFactory)
    network = factory.SubFactory(LearningNetworkFactory)
    level = "secundair"


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = "forum"
    stakeholder_group = factory.LazyAttribute(lambda m: "staff" if m.role == "forum" else None)


class AdviserAssignmentFactory(BaseFactory):
    class Meta:
        model = AdviserAssignment

    adviser = factory.SubFactory(UserFactory, is_adviser=True)
    school = factory.SubFactory(SchoolFactory)
    network = None
