"""Factories for the learning networks' platform: questions, answers, library items, scans, partners."""

import factory

from tests.factories import BaseFactory, ProgrammeFactory, SchoolFactory, UserFactory
from warmeveranderen.networks.models import LibraryItem, NetworkAnswer, NetworkQuestion
from warmeveranderen.networks.models_cases import StarCase
from warmeveranderen.networks.models_more import Partner, SelfScan, SelfScanAnswer


class QuestionFactory(BaseFactory):
    class Meta:
        model = NetworkQuestion

    school = factory.SubFactory(SchoolFactory)
    programme_id = factory.LazyAttribute(lambda o: o.school.programme_id)
    network_id = factory.LazyAttribute(lambda o: o.school.network_id)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Hoe organiseren jullie het onthaal? ({n})")
    body = "We zoeken ideeën voor zij-instromers."


class AnswerFactory(BaseFactory):
    class Meta:
        model = NetworkAnswer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Bij ons werkt een buddy per klas."


class LibraryItemFactory(BaseFactory):
    class Meta:
        model = LibraryItem

    school = factory.SubFactory(SchoolFactory)
    programme_id = factory.LazyAttribute(lambda o: o.school.programme_id)
    network_id = factory.LazyAttribute(lambda o: o.school.network_id)
    shared_by = factory.SubFactory(UserFactory)
    kind = "practice"
    title = factory.Sequence(lambda n: f"Proactieve cirkels ({n})")
    summary = "Elke maandag een cirkel in de klas."
    building_blocks = ["culture"]
    core_missions = ["involvement"]


class ScanFactory(BaseFactory):
    class Meta:
        model = SelfScan

    school = factory.SubFactory(SchoolFactory)
    kind = "school_bonding"


class ScanAnswerFactory(BaseFactory):
    class Meta:
        model = SelfScanAnswer

    scan = factory.SubFactory(ScanFactory)
    question = "sb_greeting"
    score = 1
    note = "Niemand staat aan de poort."


class PartnerFactory(BaseFactory):
    class Meta:
        model = Partner

    programme_id = factory.LazyFunction(lambda: ProgrammeFactory().id)
    name = factory.Sequence(lambda n: f"CLB {n}")
    offer = "Leerlingenbegeleiding en ondersteuning van het schoolklimaat."
    building_blocks = ["people"]
    health_cells = ["pupil:care"]
    everywhere = True


class StarCaseFactory(BaseFactory):
    class Meta:
        model = StarCase

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Een warm onthaal voor iedereen ({n})")
    result = "Minder afwezigheden na een vakantie."
    process = "Drie sprints, twee forumadviezen."
    state = "draft"
