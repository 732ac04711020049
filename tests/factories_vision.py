"""Factories for the vision's models, and a realistic vision content to fill them with."""

import factory

from tests.factories import BaseFactory, SchoolFactory, UserFactory
from warmeveranderen.timeutil import today
from warmeveranderen.vision.content import normalise
from warmeveranderen.vision.models import AmoreScore, Endorsement, Vision, VisionComment, VisionVersion


def sample_content(**overrides) -> dict:
    content = {
        "reason": "Wij vormen jongeren die **veerkrachtig** in het leven staan.",
        "mission_qualification": "Leerdoelen die ertoe doen.",
        "mission_talent": "Elke leerling ontdekt zijn talenten.",
        "mission_learning_capacity": "We begeleiden bij leerhindernissen.",
        "mission_involvement": "Ouders en partners horen erbij.",
        "professional_values": [{"name": "Op maat", "meaning": "Elk kind zijn eigen leertraject."}],
        "core_values": [{"name": "Verbondenheid", "meaning": "Niemand staat er alleen voor."}],
        "wellbeing": "Iedereen voelt zich hier thuis.",
        "ambitions": "- Vaste teams per leergemeenschap\n- Een warm onthaal elke maandag",
        "principle_decentralised": "Teams beslissen zelf.",
        "principle_competent": "We leren van elkaar.",
        "principle_inspired": "Het kampvuur op vrijdag.",
        "principle_efficient": "Eén planningstool.",
        "principle_participative": "Initiatiefrecht mits adviesplicht.",
    }
    content.update(overrides)
    return normalise(content)


class VisionFactory(BaseFactory):
    class Meta:
        model = Vision

    school = factory.SubFactory(SchoolFactory)
    content = factory.LazyFunction(sample_content)
    revision = 0
    shared_with_network = False


class VisionVersionFactory(BaseFactory):
    class Meta:
        model = VisionVersion

    vision = factory.SubFactory(VisionFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.LazyAttribute(lambda v: normalise(v.vision.content))
    change_note = "Eerste versie na de tweedaagse."
    published_by = factory.SubFactory(UserFactory)


class EndorsementFactory(BaseFactory):
    class Meta:
        model = Endorsement

    version = factory.SubFactory(VisionVersionFactory)
    groups = factory.LazyFunction(lambda: ["staff", "parent", "pupil"])
    endorsed_on = factory.LazyFunction(today)
    changes = "Kernwaarden scherper omschreven."
    recorded_by = factory.SubFactory(UserFactory)


class AmoreScoreFactory(BaseFactory):
    class Meta:
        model = AmoreScore

    version = factory.SubFactory(VisionVersionFactory)
    user = factory.SubFactory(UserFactory)
    respondent_group = "forum"
    ambitious = 4
    motivating = 4
    distinctive = 3
    relevant = 4
    authentic = 5
    remark = ""


class VisionCommentFactory(BaseFactory):
    class Meta:
        model = VisionComment

    vision = factory.SubFactory(VisionFactory)
    section = "reason"
    author = factory.SubFactory(UserFactory)
    body = "Mooi begin!"
