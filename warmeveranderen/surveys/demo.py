"""Demo data for the surveys (invented example answers, marked "(voorbeeld)"): the demo school's staff
survey of last school year, pre and post, so the change per question shows; this year's staff survey
with enough answers, and a parent survey with too few (its results say "te weinig antwoorden")."""

from __future__ import annotations

import random
from datetime import date, timedelta

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.surveys import queries, services
from warmeveranderen.surveys.models import Survey
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.windows import school_year

STAFF = "Personeel (voorbeeld)"
PARENTS = "Ouders (voorbeeld)"


def _previous(year: str) -> str:
    first = int(year[:4]) - 1
    return f"{first}-{first + 1}"


def _answers(survey: Survey, rng: random.Random, count: int, centre: float) -> None:
    questions = queries.questions_to_answer(survey)
    texts = ["Meer momenten om samen met collega's te overleggen.", "Een rustige plek om even op adem te komen.",
             "Vaker een feestmoment met de hele school.", "Duidelijke afspraken over e-mails 's avonds.",
             "Meer tijd voor gesprekken met leerlingen.", "Ouders vaker binnen laten op school."]
    for n in range(count):
        values: dict = {}
        for q in questions:
            if q.kind == "likert":
                values[q.id] = max(1, min(5, round(rng.gauss(centre, 0.9))))
            elif q.kind == "single":
                values[q.id] = rng.randint(1, len(q.choice_list()))
            elif q.kind == "multiple":
                values[q.id] = sorted(rng.sample(range(1, len(q.choice_list()) + 1), 2))
            else:
                values[q.id] = texts[n % len(texts)]
        services.submit(survey, None, questions, values)


def load_surveys_demo(school: School) -> None:
    """Safe to run twice: does nothing when the demo school has surveys."""
    if db.session.scalar(db.select(Survey.id).where(Survey.school_id == school.id).limit(1)) is not None:
        return
    director = db.session.scalar(db.select(User).join(Membership, Membership.user_id == User.id)
                                 .where(Membership.school_id == school.id, Membership.role == DIRECTOR))
    if director is None:
        return
    now = today()
    this_year = school_year(now)
    last_year = _previous(this_year)
    rng = random.Random(20)

    def survey(audience, group, year, moment):
        return services.open_survey(school, director, audience=audience, school_year=year, moment=moment,
                                    group_name=group, closes_on=now + timedelta(days=14), max_responses=60,
                                    shared_link=True, today=now)

    # Last school year, pre and post: closed, with a rise on most questions.
    for moment, centre, count in (("pre", 3.1, 12), ("post", 3.8, 13)):
        past = survey("staff", STAFF, last_year, moment)
        _answers(past, rng, count, centre)
        db.session.flush()
        db.session.refresh(past)
        first = int(last_year[:4])
        closed_on = date(first, 10, 15) if moment == "pre" else date(first + 1, 5, 20)
        past.closed, past.closes_on, past.shared_token = True, closed_on, None
    _answers(survey("staff", STAFF, this_year, "pre"), rng, 6, 3.6)
    _answers(survey("parents", PARENTS, this_year, "pre"), rng, 4, 4.0)
    db.session.flush()
