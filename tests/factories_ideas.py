"""Factories for the idea box."""

import factory

from tests.factories import BaseFactory, SchoolFactory, UserFactory
from warmeveranderen.ideas.models import Idea, IdeaSupport


class IdeaFactory(BaseFactory):
    class Meta:
        model = Idea

    school = factory.SubFactory(SchoolFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idee {n}")
    body = "Een moestuin op de speelplaats, omdat we dan buiten leren."
    state = "open"


class IdeaSupportFactory(BaseFactory):
    class Meta:
        model = IdeaSupport

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(UserFactory)
