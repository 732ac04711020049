"""Demo content of the idea box: a few ideas of the demo school's people in every state, so a new user sees
the box filled in — the pupil's idea that went on the backlog (the initiative credits her and she follows
it), a parent's idea waiting for an answer with the pupil's support, one merged into an initiative and one
answered *niet nu*. The ideas are invented and say so ("Voorbeeld: …")."""

from __future__ import annotations

from datetime import timedelta

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import Idea, IdeaComment, IdeaSupport, InitiativeFollow
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative, InitiativeEvent
from warmeveranderen.sprints.services import next_position
from warmeveranderen.timeutil import utcnow

BACKLOG = ("Voorbeeld: een rustige hoek op de speelplaats",
           "Soms is het te druk op de speelplaats. Een hoek met banken en planten waar je rustig kunt praten of "
           "lezen, zou veel leerlingen helpen om even op adem te komen.")


def _person(local: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == demo_email(local)))


def _idea(school, author, title, body, days_ago, **answer) -> Idea:
    created = utcnow() - timedelta(days=days_ago)
    idea = Idea(school_id=school.id, author_id=author.id if author else None, title=title, body=body,
                created_at=created, **answer)
    if answer:
        idea.answered_at = created + timedelta(days=3)
    db.session.add(idea)
    db.session.flush()
    return idea


def load_ideas_demo(school: School) -> None:
    """The example ideas of the demo school (once)."""
    if db.session.scalar(db.select(Idea.id).where(Idea.school_id == school.id).limit(1)) is not None:
        return
    pupil, parent, lead = _person("leerling"), _person("forumlid"), _person("trekker")
    if pupil is None or parent is None or lead is None:
        return
    title, body = BACKLOG
    initiative = Initiative(school_id=school.id, title=title.removeprefix("Voorbeeld: ").capitalize(),
                            building_block="structure", status="idea", position=next_position(school),
                            description=body + "\n\nIdee van " + pupil.name + " uit de ideeënbus.",
                            created_by_id=lead.id)
    db.session.add(initiative)
    db.session.flush()
    db.session.add(InitiativeEvent(initiative_id=initiative.id, to_status="idea", user_id=lead.id,
                                   note="Uit de ideeënbus."))
    backlog = _idea(school, pupil, title, body, 9, state="backlog", building_block="structure",
                    answer_reason="Het vliegwiel neemt het op de backlog: het past bij ons doel dat iedereen zich "
                                  "goed voelt op school. We plannen het in een volgende sprint.",
                    answered_by_id=lead.id, initiative_id=initiative.id)
    db.session.add(IdeaSupport(idea_id=backlog.id, user_id=parent.id, created_at=backlog.created_at + timedelta(days=1)))
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=pupil.id))
    db.session.add(InitiativeFollow(initiative_id=initiative.id, user_id=parent.id))

    waiting = _idea(school, parent, "Voorbeeld: een ouderavond over schermtijd",
                    "Veel ouders zoeken hoe ze thuis afspraken maken over gsm en gamen. Een avond met de school "
                    "en het CLB zou helpen, ook om dezelfde taal te spreken als de school.", 2)
    db.session.add(IdeaSupport(idea_id=waiting.id, user_id=pupil.id, created_at=waiting.created_at + timedelta(hours=5)))
    db.session.add(IdeaComment(idea_id=waiting.id, author_id=pupil.id, created_at=waiting.created_at + timedelta(hours=5),
                               body="Graag, en laat ook leerlingen vertellen wat zij nodig hebben."))

    joined = db.session.scalar(db.select(Initiative).where(Initiative.school_id == school.id,
                                                           Initiative.title == "Praatronde bij de start van de week"))
    if joined is not None:
        merged = _idea(school, pupil, "Voorbeeld: elke week even samen in de klas",
                       "Een moment per week waarop we met de klas vertellen hoe het gaat.", 6, state="merged",
                       answer_reason="Dit zit al in het initiatief Praatronde bij de start van de week.",
                       answered_by_id=lead.id, initiative_id=joined.id)
        db.session.add(InitiativeFollow(initiative_id=joined.id, user_id=merged.author_id))
    _idea(school, parent, "Voorbeeld: een nieuwe turnzaal",
          "De turnzaal is oud en te klein voor twee klassen tegelijk.", 12, state="not_ours",
          answer_reason="Een nieuwe turnzaal beslist het schoolbestuur, niet het vliegwiel. We geven je idee door "
                        "aan de directie voor het overleg met het bestuur.", answered_by_id=lead.id)
    db.session.flush()
