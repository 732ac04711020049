"""Factories for the action plan's models."""

import factory

from tests.factories import BaseFactory
from tests.factories_sprints import InitiativeFactory
from warmeveranderen.actionplan.models import ChecklistItem, Task, VisionLink


class TaskFactory(BaseFactory):
    class Meta:
        model = Task

    initiative = factory.SubFactory(InitiativeFactory)
    school = factory.LazyAttribute(lambda t: t.initiative.school)
    title = factory.Sequence(lambda n: f"Taak {n}")
    notes = ""
    position = factory.Sequence(lambda n: n + 1)


class ChecklistItemFactory(BaseFactory):
    class Meta:
        model = ChecklistItem

    task = factory.SubFactory(TaskFactory)
    text = factory.Sequence(lambda n: f"Stap {n}")
    position = factory.Sequence(lambda n: n + 1)


class VisionLinkFactory(BaseFactory):
    class Meta:
        model = VisionLink

    initiative = factory.SubFactory(InitiativeFactory)
    school_id = factory.LazyAttribute(lambda link: link.initiative.school_id)
    kind = "ambition"
    target = "Vaste teams per leergemeenschap"
    version_number = 1
