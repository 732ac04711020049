"""Demo data of the forum: the demo school's forum session at the end of sprint 1, and two example
questions so every role finds its own part at once (issue 14.10): the forum members an open round with a
deadline to answer, the director a round of their own whose advice is in and waits for a decision.
The questions are invented and say so in their title ("Voorbeeld: …")."""

from __future__ import annotations

from datetime import timedelta

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.forum.models import Advice, AdviceRound, ForumSession
from warmeveranderen.forum.queries import proposed_session_start
from warmeveranderen.forum.subjects import QUESTION
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Sprint
from warmeveranderen.timeutil import utcnow

# (title, question, background, opened by, days until the deadline, advice [(person, group, stance, reasoning)];
# an objection's stance carries its kind: "objection:principled" or "objection:personal")
EXAMPLE_QUESTIONS = [
    (
        "Voorbeeld: twee korte speeltijden in plaats van één lange",
        "Het vliegwiel stelt voor om de middagpauze te splitsen in twee korte speeltijden, met een rustige "
        "hoek op de speelplaats. Wat vinden jullie ervan, en waar moeten we op letten?",
        "Dit is een **voorbeeldvraag** van de demo.\n\n- Leerlingen vroegen meer beweging tussen de lessen.\n"
        "- Leerkrachten zien minder ruzies na korte pauzes.",
        "trekker", 6, [],
    ),
    (
        "Voorbeeld: een studiedag over herstelgericht werken",
        "De directie wil de studiedag van het voorjaar wijden aan herstelgericht omgaan met conflicten. "
        "Steunen jullie dat, en wat moet er zeker aan bod komen?",
        "Dit is een **voorbeeldvraag** van de demo: het advies is binnen, de directie kan besluiten.",
        "directeur", -1,
        [("forumlid", "parent", "support", "Graag, en vertel de ouders achteraf wat er afgesproken is."),
         # A principled objection (seed 001): the director answers it before the decision can be recorded.
         ("leerling", "pupil", "objection:principled",
          "Een studiedag over conflicten zonder de leerlingen gaat in tegen onze visie dat leerlingen meedenken. "
          "Vraag ook aan leerlingen hoe zij conflicten beleven.")],
    ),
]


def load_forum_demo(school: School) -> None:
    """Plan the forum of sprint 1 (once) and open the example questions (once)."""
    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == school.id, Sprint.number == 1))
    if sprint is None:
        return
    exists = db.session.scalar(db.select(ForumSession.id).where(ForumSession.sprint_id == sprint.id))
    if exists is None:
        db.session.add(ForumSession(
            school_id=school.id, sprint_id=sprint.id, starts_at=proposed_session_start(sprint),
            location="Refter, campus Voskenslaan",
            notes="We stellen de initiatieven van sprint 1 voor en vragen jullie advies. "
                  "Koffie en thee vanaf 18.45 uur; ouders en leerlingen zijn welkom.",
        ))
    _load_example_questions(school)
    db.session.flush()


def _person(local: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == demo_email(local)))


def _load_example_questions(school: School) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    for title, question, background, opener, days, advice in EXAMPLE_QUESTIONS:
        if db.session.scalar(db.select(AdviceRound.id).where(AdviceRound.school_id == school.id,
                                                             AdviceRound.subject_title == title)):
            continue
        # A deadline people would set: the evening of that day (19:00 UTC, 20:00 in Brussels in winter).
        deadline = (now + timedelta(days=days)).replace(hour=19, minute=0, second=0, microsecond=0)
        advice_round = AdviceRound(
            school_id=school.id, subject_kind=QUESTION, subject_id=0, subject_title=title, question=question,
            background=background, deadline=deadline, opened_by=_person(opener), opened_at=deadline - timedelta(days=10),
        )
        db.session.add(advice_round)
        db.session.flush()
        advice_round.subject_id = advice_round.id  # a free question is its own subject (forum/questions.py)
        for local, group, stance, reasoning in advice:
            author = _person(local)
            if author is not None:
                stance, _sep, kind = stance.partition(":")  # "objection:principled" = an objection and its kind
                db.session.add(Advice(round=advice_round, author=author, stakeholder_group=group, stance=stance,
                                      objection_kind=kind or None, reasoning=reasoning, created_at=deadline - timedelta(days=3),
                                      updated_at=deadline - timedelta(days=3)))
        db.session.flush()
