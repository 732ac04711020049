"""Issue 14.10: in the demo every role finds its own part at once; no role logs in to nothing."""

from __future__ import annotations

import pytest

from warmeveranderen.extensions import db
from warmeveranderen.forum.models import AdviceRound
from warmeveranderen.programme.demo import demo_email


@pytest.fixture
def demo(app, auth):
    from warmeveranderen.demo import load_demo

    school = load_demo()
    load_demo()  # idempotent: the example questions come once

    def client(local: str):
        from warmeveranderen.accounts.models import User

        user = db.session.scalar(db.select(User).where(User.email == demo_email(local)))
        return auth.client_for(user, app.config["DEMO_PASSWORD"])

    return school, client


def test_the_example_questions_are_marked_and_loaded_once(demo):
    school, _client = demo
    titles = db.session.scalars(db.select(AdviceRound.subject_title).where(AdviceRound.school_id == school.id)).all()
    assert len(titles) == 2 and all(t.startswith("Voorbeeld:") for t in titles)
    assert all(r.subject_id == r.id for r in db.session.scalars(db.select(AdviceRound)))


@pytest.mark.parametrize("local", ["forumlid", "leerling"])
def test_a_forum_member_finds_an_open_round_with_a_deadline(demo, local):
    school, client = demo
    home = client(local).get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Geef advies over Voorbeeld: twee korte speeltijden" in home and " vóór " in home


def test_the_director_finds_something_to_decide(demo):
    school, client = demo
    home = client("directeur").get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Reageer op het advies over Voorbeeld: een studiedag" in home


def test_the_trekker_sees_the_amore_criteria_while_writing(demo):
    school, client = demo
    page = client("trekker").get(f"/scholen/{school.id}/visie/werkversie/bewerken").get_data(as_text=True)
    assert "Waaraan jullie visie getoetst wordt: AMORE" in page
    for criterion in ("Ambitieus", "Motiverend", "Onderscheidend", "Relevant", "Echt"):
        assert f"<dt>{criterion}</dt>" in page
    assert "Markdown" not in page
