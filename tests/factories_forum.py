"""Factories for the forum's models (and the few sprint rows the forum's tests need)."""

from datetime import date, timedelta

import factory

from tests.factories import BaseFactory, SchoolFactory, UserFactory
from warmeveranderen.forum.models import Advice, AdviceRound, Decision, ForumSession
from warmeveranderen.sprints.models import Initiative, Sprint
from warmeveranderen.timeutil import utcnow


class ForumSprintFactory(BaseFactory):
    class Meta:
        model = Sprint

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    end_date = factory.LazyAttribute(lambda s: s.start_date + timedelta(days=69))
    goal = "Een warm onthaal voor elke nieuwe leerling"
    state = "active"


class ForumInitiativeFactory(BaseFactory):
    class Meta:
        model = Initiative

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Initiatief {n}")
    description = "Een initiatief van het vliegwiel."
    building_block = "culture"
    status = "ready_for_forum"
    position = factory.Sequence(lambda n: n)
    owner = factory.SubFactory(UserFactory)
    sprint = None


class ForumSessionFactory(BaseFactory):
    class Meta:
        model = ForumSession

    school = factory.SubFactory(SchoolFactory)
    starts_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=7))
    location = "Refter"


class AdviceRoundFactory(BaseFactory):
    class Meta:
        model = AdviceRound

    school = factory.SubFactory(SchoolFactory)
    subject_kind = "initiative"
    # No such subject (negative), and a different one per round: one open round per subject.
    subject_id = factory.Sequence(lambda n: -(n + 1))
    subject_title = factory.Sequence(lambda n: f"Onderwerp {n}")
    question = "Wat vinden jullie hiervan?"
    deadline = factory.LazyFunction(lambda: utcnow() + timedelta(days=7))


class AdviceFactory(BaseFactory):
    class Meta:
        model = Advice

    round = factory.SubFactory(AdviceRoundFactory)
    author = factory.SubFactory(UserFactory)
    stakeholder_group = "parent"
    stance = "support"
    # Every objection has a kind (seed 001); a factory objection is a principled one unless told.
    objection_kind = factory.LazyAttribute(lambda a: "principled" if a.stance == "objection" else None)
    reasoning = "Goed idee."


class DecisionFactory(BaseFactory):
    class Meta:
        model = Decision

    round = factory.SubFactory(AdviceRoundFactory)
    school_id = factory.LazyAttribute(lambda d: d.round.school_id)
    outcome = "adopt"
    reasons = "Zo doen we het."
    subject_kind = factory.LazyAttribute(lambda d: d.round.subject_kind)
    subject_title = factory.LazyAttribute(lambda d: d.round.subject_title)
