"""Factories for the sprint models."""

from datetime import date

import factory

from tests.factories import BaseFactory, SchoolFactory, UserFactory
from warmeveranderen.sprints.models import (
    BasketItem,
    Checkpoint,
    FlywheelMeeting,
    Initiative,
    InitiativeEvent,
    Sprint,
    SprintCalendar,
)


class SprintCalendarFactory(BaseFactory):
    class Meta:
        model = SprintCalendar

    school = factory.SubFactory(SchoolFactory)
    start_date = date(2026, 9, 7)


class SprintFactory(BaseFactory):
    class Meta:
        model = Sprint

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = date(2026, 9, 7)
    end_date = date(2026, 11, 15)
    goal = ""
    state = "planned"


class BasketItemFactory(BaseFactory):
    class Meta:
        model = BasketItem

    programme = factory.LazyAttribute(lambda o: SchoolFactory().programme)
    title = factory.Sequence(lambda n: f"Aanbod {n}")
    what = "Een beproefde praktijk."
    building_block = "culture"
    core_missions = factory.LazyFunction(lambda: ["involvement"])


class InitiativeFactory(BaseFactory):
    class Meta:
        model = Initiative

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Initiatief {n}")
    building_block = "culture"
    status = "idea"
    position = factory.Sequence(lambda n: n + 1)
    core_missions = factory.LazyFunction(list)


class InitiativeEventFactory(BaseFactory):
    class Meta:
        model = InitiativeEvent

    initiative = factory.SubFactory(InitiativeFactory)
    to_status = "idea"


class CheckpointFactory(BaseFactory):
    class Meta:
        model = Checkpoint

    sprint = factory.SubFactory(SprintFactory)
    kind = "start"
    held_on = date(2026, 9, 8)
    who = "Directie en trekker"


class FlywheelMeetingFactory(BaseFactory):
    class Meta:
        model = FlywheelMeeting

    sprint = factory.SubFactory(SprintFactory)
    school = factory.SelfAttribute("sprint.school")
    held_on = date(2026, 9, 10)
    attendees = factory.LazyFunction(lambda: [UserFactory()])
