"""Factories for the advisers' follow-up (one per model)."""

from datetime import date

import factory

from tests.factories import BaseFactory, SchoolFactory, UserFactory
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating, Milestone, WellbeingMeasurement


class CoachingSessionFactory(BaseFactory):
    class Meta:
        model = CoachingSession

    kind = "individual"
    school = factory.SubFactory(SchoolFactory)
    network = factory.LazyAttribute(lambda s: s.school.network if s.school is not None else None)
    held_on = date(2026, 10, 6)
    duration_minutes = 90
    participants = "vliegwiel (5), directie (1)"
    notes = "Vertrouwelijk: de **trekker** twijfelt."
    summary = "Sprintdoel aangescherpt."


class IndicatorRatingFactory(BaseFactory):
    class Meta:
        model = IndicatorRating

    school = factory.SubFactory(SchoolFactory)
    indicator = None  # pass a definition from services.indicators()
    measured_on = date(2026, 6, 26)
    school_year = "2025-2026"
    level = "started"
    rated_by = factory.SubFactory(UserFactory, is_adviser=True)


class MilestoneFactory(BaseFactory):
    class Meta:
        model = Milestone

    school = factory.SubFactory(SchoolFactory)
    kind = "intake"
    happened_on = date(2026, 9, 15)


class WellbeingMeasurementFactory(BaseFactory):
    class Meta:
        model = WellbeingMeasurement

    school = factory.SubFactory(SchoolFactory)
    school_year = "2026-2027"
    moment = "pre"
    group_name = factory.Sequence(lambda n: f"Klas {n}A")
    wellbeing_3 = 10
    wellbeing_4 = 8
    involvement_3 = 12
    involvement_4 = 6
