"""The idea box: submitting, supporting once, comments, the flywheel's public answer in each state,
who may do what (other schools see nothing), the home panel, and the reminder for unanswered ideas."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories_ideas import IdeaFactory, IdeaSupportFactory
from warmeveranderen.extensions import db
from warmeveranderen.ideas.models import Idea, IdeaComment, IdeaSupport
from warmeveranderen.notifications.models import Notification, ReminderLog
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.sprints.models import Initiative


def _ideas(world) -> str:
    return f"/scholen/{world.school.id}/ideeen"


def _idea(world, idea) -> str:
    return f"{_ideas(world)}/{idea.id}"


def _reload(idea) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def _notified(user) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)).all()


# --- submitting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pupil", "forum", "flywheel", "director", "board"])
def test_every_member_submits_an_idea(world, auth, role):
    client = auth.client_for(world.users[role])
    response = client.post_form(f"{_ideas(world)}/nieuw", {
        "title": "Een moestuin", "body": "Omdat we dan **buiten** leren.", "building_block": "culture",
    })
    assert response.status_code == 302
    idea = db.session.scalars(db.select(Idea)).one()
    assert (idea.author_id, idea.state, idea.building_block) == (world.users[role].id, "open", "culture")
    page = client.get(response.location).get_data(as_text=True)
    assert "Een moestuin" in page and "<strong>buiten</strong>" in page and "Wacht op antwoord" in page


def test_a_missing_text_keeps_what_was_typed(world, auth):
    pupil = auth.client_for(world.users["pupil"])
    response = pupil.post_form(f"{_ideas(world)}/nieuw", {"title": "Meer fruit op school", "body": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vertel kort wat je wilt veranderen en waarom." in page
    assert 'value="Meer fruit op school"' in page
    assert db.session.scalars(db.select(Idea)).all() == []


def test_building_block_is_optional_and_checked(world, auth):
    pupil = auth.client_for(world.users["pupil"])
    assert pupil.post_form(f"{_ideas(world)}/nieuw", {"title": "Fruit", "body": "Gezond."}).status_code == 302
    assert db.session.scalars(db.select(Idea)).one().building_block is None
    bad = pupil.post_form(f"{_ideas(world)}/nieuw", {"title": "Fruit", "body": "Gezond.", "building_block": "x"})
    assert bad.status_code == 422


@pytest.mark.parametrize("role", ["adviser", "coordinator", "outsider"])
def test_only_members_submit(world, auth, role):
    client = auth.client_for(world.users[role])
    assert client.post_form(f"{_ideas(world)}/nieuw", {"title": "X", "body": "Y"}).status_code == 403
    assert db.session.scalars(db.select(Idea)).all() == []


def test_other_schools_see_nothing(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], title="Geheim plan")
    outsider = auth.client_for(world.users["outsider"])
    for url in (_ideas(world), _idea(world, idea)):
        response = outsider.get(url)
        assert response.status_code == 403 and "Geheim plan" not in response.get_data(as_text=True)
    # Nor through their own school's address.
    assert outsider.get(f"/scholen/{world.other_school.id}/ideeen/{idea.id}").status_code == 404
    assert "Geheim plan" not in outsider.get(f"/scholen/{world.other_school.id}/ideeen").get_data(as_text=True)


def test_the_school_sees_the_ideas_and_their_state(world, auth):
    IdeaFactory(school=world.school, author=world.users["pupil"], title="Open idee")
    IdeaFactory(school=world.school, author=world.users["forum"], title="Beantwoord idee", state="not_now",
                answer_reason="Eerst iets anders.")
    page = auth.client_for(world.users["adviser"]).get(_ideas(world)).get_data(as_text=True)
    assert "Open idee" in page and "Wacht op antwoord" in page
    assert "Beantwoord idee" in page and "Niet nu" in page


# --- supporting and comments ------------------------------------------------------------------------


def test_support_once_per_person(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    parent = auth.client_for(world.users["forum"])
    assert parent.post_form(f"{_idea(world, idea)}/steunen").status_code == 302
    again = parent.post_form(f"{_idea(world, idea)}/steunen", follow_redirects=True)
    assert "Je steunt dit idee al." in again.get_data(as_text=True)
    assert len(db.session.scalars(db.select(IdeaSupport)).all()) == 1
    page = parent.get(_idea(world, idea)).get_data(as_text=True)
    assert "1 steunt dit" in page and "Forum" in page


def test_the_author_does_not_support_their_own_idea(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    pupil = auth.client_for(world.users["pupil"])
    page = pupil.post_form(f"{_idea(world, idea)}/steunen", follow_redirects=True).get_data(as_text=True)
    assert "je eigen idee" in page
    assert db.session.scalars(db.select(IdeaSupport)).all() == []


def test_no_support_after_the_answer(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], state="not_ours", answer_reason="Gemeente.")
    parent = auth.client_for(world.users["forum"])
    page = parent.post_form(f"{_idea(world, idea)}/steunen", follow_redirects=True).get_data(as_text=True)
    assert "steunen kan niet meer" in page
    assert db.session.scalars(db.select(IdeaSupport)).all() == []


def test_comments_go_through_the_markdown_filter(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"{_idea(world, idea)}/reacties", {"body": "Mooi *idee* <script>alert(1)</script>"})
    assert response.status_code == 302
    page = adviser.get(_idea(world, idea)).get_data(as_text=True)
    assert "<em>idee</em>" in page and "<script>alert(1)" not in page
    empty = adviser.post_form(f"{_idea(world, idea)}/reacties", {"body": "  "})
    assert empty.status_code == 422 and "Schrijf eerst je reactie." in empty.get_data(as_text=True)
    assert len(db.session.scalars(db.select(IdeaComment)).all()) == 1


# --- the answer -----------------------------------------------------------------------------------


def test_op_de_backlog_creates_the_initiative_linked_both_ways(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], title="Moestuin", building_block="culture")
    IdeaSupportFactory(idea=idea, user=world.users["forum"])
    lead = auth.client_for(world.users["flywheel_lead"])
    response = lead.post_form(f"{_idea(world, idea)}/antwoord", {"state": "backlog", "reason": "Past bij onze visie."})
    assert response.status_code == 302
    idea = _reload(idea)
    initiative = db.session.get(Initiative, idea.initiative_id)
    assert (idea.state, idea.answered_by_id) == ("backlog", world.users["flywheel_lead"].id)
    assert (initiative.title, initiative.school_id, initiative.building_block, initiative.status) == (
        "Moestuin", world.school.id, "culture", "idea")
    assert "Idee van Pupil uit de ideeënbus." in initiative.description
    idea_page = lead.get(_idea(world, idea)).get_data(as_text=True)
    assert f"/initiatieven/{initiative.id}" in idea_page and "Past bij onze visie." in idea_page
    initiative_page = auth.client_for(world.users["forum"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "Uit de ideeënbus" in initiative_page and _idea(world, idea) in initiative_page
    for person in ("pupil", "forum"):
        [note] = _notified(world.users[person])
        assert "Op de backlog" in note.title and note.body == "Past bij onze visie."
    assert _notified(world.users["flywheel_lead"]) == []


def test_op_de_backlog_needs_a_building_block(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    lead = auth.client_for(world.users["flywheel"])
    response = lead.post_form(f"{_idea(world, idea)}/antwoord", {"state": "backlog", "reason": "Goed."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies de bouwsteen van het initiatief." in page and "Goed." in page
    assert _reload(idea).state == "open" and db.session.scalars(db.select(Initiative)).all() == []


@pytest.mark.parametrize("state,label", [("not_now", "Niet nu"), ("not_ours", "Niet voor ons")])
def test_niet_nu_and_niet_voor_ons(world, auth, state, label):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    flywheel = auth.client_for(world.users["flywheel"])
    assert flywheel.post_form(f"{_idea(world, idea)}/antwoord", {"state": state, "reason": "Eerst de speelplaats."}
                              ).status_code == 302
    assert (_reload(idea).state, _reload(idea).initiative_id) == (state, None)
    page = auth.client_for(world.users["board"]).get(_idea(world, idea)).get_data(as_text=True)
    assert f"Antwoord van het vliegwiel: {label}" in page and "Eerst de speelplaats." in page
    [note] = _notified(world.users["pupil"])
    assert label in note.title


def test_samengevoegd_met_another_idea(world, auth):
    first = IdeaFactory(school=world.school, author=world.users["forum"], title="Moestuin")
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], title="Groenten kweken")
    elsewhere = IdeaFactory(school=world.other_school, author=world.users["outsider"])
    flywheel = auth.client_for(world.users["flywheel"])
    refused = flywheel.post_form(f"{_idea(world, idea)}/antwoord",
                                 {"state": "merged", "reason": "Hetzelfde.", "merged_into_id": elsewhere.id})
    assert refused.status_code == 422 and _reload(idea).state == "open"
    refused = flywheel.post_form(f"{_idea(world, idea)}/antwoord", {"state": "merged", "reason": "Hetzelfde."})
    assert refused.status_code == 422
    assert "Kies het idee of het initiatief waarmee dit idee samengaat." in refused.get_data(as_text=True)
    assert flywheel.post_form(f"{_idea(world, idea)}/antwoord",
                              {"state": "merged", "reason": "Hetzelfde.", "merged_into_id": first.id}).status_code == 302
    assert (_reload(idea).state, _reload(idea).merged_into_id) == ("merged", first.id)
    assert "Moestuin" in flywheel.get(_idea(world, idea)).get_data(as_text=True)


def test_an_answer_always_has_a_reason_and_is_given_once(world, auth):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    flywheel = auth.client_for(world.users["flywheel"])
    response = flywheel.post_form(f"{_idea(world, idea)}/antwoord", {"state": "not_now", "reason": ""})
    assert response.status_code == 422 and "Geef altijd een reden bij je antwoord." in response.get_data(as_text=True)
    assert _reload(idea).state == "open" and _notified(world.users["pupil"]) == []
    assert flywheel.post_form(f"{_idea(world, idea)}/antwoord", {"state": "not_now", "reason": "Later."}).status_code == 302
    again = flywheel.post_form(f"{_idea(world, idea)}/antwoord", {"state": "not_ours", "reason": "Toch niet."})
    assert again.status_code == 422 and "Dit idee heeft al een antwoord." in again.get_data(as_text=True)
    assert _reload(idea).state == "not_now" and len(_notified(world.users["pupil"])) == 1


@pytest.mark.parametrize("role", ["pupil", "forum", "director", "board", "adviser", "coordinator", "outsider"])
def test_only_the_flywheel_answers(world, auth, role):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"])
    client = auth.client_for(world.users[role])
    assert client.post_form(f"{_idea(world, idea)}/antwoord", {"state": "not_now", "reason": "Nee."}).status_code == 403
    assert _reload(idea).state == "open"
    assert 'action="' + _idea(world, idea) + '/antwoord"' not in client.get(_idea(world, idea)).get_data(as_text=True)


# --- the school's home ----------------------------------------------------------------------------


def test_home_panel_and_the_flywheel_step(world, auth):
    IdeaFactory(school=world.school, author=world.users["pupil"], title="Moestuin")
    home = f"/scholen/{world.school.id}"
    pupil_page = auth.client_for(world.users["pupil"]).get(home).get_data(as_text=True)
    assert "Ideeënbus" in pupil_page and "Moestuin" in pupil_page and "Deel een idee" in pupil_page
    lead_page = auth.client_for(world.users["flywheel_lead"]).get(home).get_data(as_text=True)
    assert "1 idee wacht op een antwoord van het vliegwiel" in lead_page
    assert "Moestuin" not in auth.client_for(world.users["outsider"]).get(
        f"/scholen/{world.other_school.id}").get_data(as_text=True)


# --- the reminder ---------------------------------------------------------------------------------


def _sent() -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(ReminderLog).where(ReminderLog.rule == "idea_unanswered")).all()
    return sorted((r.recipient.email, r.url) for r in rows)


def test_unanswered_idea_reminds_the_trekker_exactly_once(app, world):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], created_at=datetime(2027, 3, 1, 10))
    sweep(datetime(2027, 3, 14, 8))  # 13 days: not yet
    assert _sent() == []
    sweep(datetime(2027, 3, 15, 11))
    assert _sent() == [(world.users["flywheel_lead"].email, _idea(world, idea))]
    report = sweep(datetime(2027, 3, 16, 8))
    assert report.per_rule["idea_unanswered"] == 0
    assert len(_sent()) == 1


def test_no_reminder_once_answered(app, world):
    IdeaFactory(school=world.school, author=world.users["pupil"], created_at=datetime(2027, 3, 1, 10),
                state="not_now", answer_reason="Later.")
    sweep(datetime(2027, 3, 15, 11))
    assert _sent() == []


# --- the school's week ----------------------------------------------------------------------------


def test_activity_of_the_week(world, auth):
    from datetime import timedelta

    from tests.factories_forum import AdviceRoundFactory, DecisionFactory, ForumInitiativeFactory, ForumSprintFactory
    from warmeveranderen.sprints.models import InitiativeEvent
    from warmeveranderen.timeutil import utcnow

    now = utcnow()
    IdeaFactory(school=world.school, author=world.users["pupil"], title="Nieuw deze week")
    IdeaFactory(school=world.school, author=world.users["pupil"], title="Van vorige maand",
                created_at=now - timedelta(days=30))
    IdeaFactory(school=world.school, author=world.users["pupil"], title="Beantwoord", state="not_now",
                answer_reason="Later.", created_at=now - timedelta(days=30), answered_at=now - timedelta(days=1))
    ForumSprintFactory(school=world.school, number=3, started_at=now - timedelta(days=2))
    initiative = ForumInitiativeFactory(school=world.school, title="Praatronde")
    db.session.add(InitiativeEvent(initiative_id=initiative.id, to_status="in_progress", at=now - timedelta(days=1)))
    advice_round = AdviceRoundFactory(school=world.school, subject_id=initiative.id, subject_title="Praatronde",
                                      deadline=now - timedelta(days=2))
    DecisionFactory(round=advice_round, outcome="adopt")
    IdeaFactory(school=world.other_school, author=world.users["outsider"], title="Van een andere school")
    db.session.commit()

    page = auth.client_for(world.users["forum"]).get(f"{_ideas(world)}/activiteit").get_data(as_text=True)
    assert "Nieuw idee: Nieuw deze week" in page
    assert "Van vorige maand" not in page and "Van een andere school" not in page
    assert "Antwoord op het idee Beantwoord: Niet nu" in page
    assert "Sprint 3 is gestart" in page
    assert "Praatronde: In uitvoering" in page
    assert "Besluit over Praatronde: Aannemen" in page
    assert auth.client_for(world.users["outsider"]).get(f"{_ideas(world)}/activiteit").status_code == 403
