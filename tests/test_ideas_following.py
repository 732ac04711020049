"""Issue 18, the idea box's missing parts: following an initiative (the author automatically), the author
asked for advice when the initiative goes to the forum (even when not a forum member), merging an idea into
an initiative (linked both ways, the author credited and following), and the part of the vision an idea
serves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import MembershipFactory
from tests.factories_forum import ForumInitiativeFactory, ForumSessionFactory, ForumSprintFactory
from tests.factories_ideas import IdeaFactory, IdeaSupportFactory
from tests.factories_vision import EndorsementFactory, VisionFactory, VisionVersionFactory, sample_content
from warmeveranderen.extensions import db
from warmeveranderen.forum import services as forum
from warmeveranderen.forum.models import Advice, RoundGuest
from warmeveranderen.ideas.models import Idea, InitiativeFollow
from warmeveranderen.notifications.models import Notification
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow


def _idea_url(w, idea) -> str:
    return f"/scholen/{w.school.id}/ideeen/{idea.id}"


def _follow_url(w, initiative, action="volgen") -> str:
    return f"/scholen/{w.school.id}/ideeen/initiatieven/{initiative.id}/{action}"


def _follows(initiative) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(InitiativeFollow.user_id)
                                  .where(InitiativeFollow.initiative_id == initiative.id)))


@pytest.fixture
def board(world):
    world.sprint = ForumSprintFactory(school=world.school, number=1)
    world.initiative = ForumInitiativeFactory(school=world.school, sprint=world.sprint, status="planned",
                                              owner=world.users["flywheel"], title="Praatronde op maandag")
    return world


# --- following --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pupil", "forum", "director", "board", "flywheel"])
def test_every_member_follows_and_unfollows(auth, board, role):
    client = auth.client_for(board.users[role])
    page = client.get(f"/initiatieven/{board.initiative.id}").get_data(as_text=True)
    assert "0 personen volgen dit initiatief." in page and _follow_url(board, board.initiative) in page
    assert client.post_form(_follow_url(board, board.initiative)).status_code == 302
    assert client.post_form(_follow_url(board, board.initiative)).status_code == 302  # twice: still one
    assert _follows(board.initiative) == {board.users[role].id}
    page = client.get(f"/initiatieven/{board.initiative.id}").get_data(as_text=True)
    assert "Je volgt dit initiatief." in page and "1 persoon volgt dit initiatief." in page
    assert client.post_form(_follow_url(board, board.initiative, "niet-meer-volgen")).status_code == 302
    assert _follows(board.initiative) == set()
    # Someone else follows: counted, and not taken for the person looking.
    other = auth.client_for(board.users["board" if role == "director" else "director"])
    assert other.post_form(_follow_url(board, board.initiative)).status_code == 302
    page = client.get(f"/initiatieven/{board.initiative.id}").get_data(as_text=True)
    assert "1 persoon volgt dit initiatief." in page and "Je volgt dit initiatief." not in page


@pytest.mark.parametrize("role", ["adviser", "coordinator", "outsider"])
def test_only_members_of_the_school_follow(auth, board, role):
    client = auth.client_for(board.users[role])
    assert client.post_form(_follow_url(board, board.initiative)).status_code == 403
    assert _follows(board.initiative) == set()


def test_an_initiative_of_another_school_is_not_found_through_ours(auth, board):
    other = ForumInitiativeFactory(school=board.other_school, owner=board.users["outsider"])
    client = auth.client_for(board.users["pupil"])
    assert client.post_form(_follow_url(board, other)).status_code == 404
    outsider = auth.client_for(board.users["outsider"])
    assert outsider.post_form(f"/scholen/{board.other_school.id}/ideeen/initiatieven/{board.initiative.id}/volgen"
                              ).status_code == 404
    assert _follows(board.initiative) == set()


def test_the_author_of_an_idea_on_the_backlog_follows_it(auth, world):
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], building_block="culture")
    lead = auth.client_for(world.users["flywheel_lead"])
    assert lead.post_form(f"{_idea_url(world, idea)}/antwoord", {"state": "backlog", "reason": "Mooi."}).status_code == 302
    initiative = db.session.scalars(db.select(Initiative)).one()
    assert _follows(initiative) == {world.users["pupil"].id}
    page = auth.client_for(world.users["pupil"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "Je volgt dit initiatief." in page and "Niet meer volgen" in page


# --- merging into an initiative --------------------------------------------------------------------------


def test_samengevoegd_met_an_initiative_links_both_ways(auth, board):
    idea = IdeaFactory(school=board.school, author=board.users["pupil"], title="Elke maandag samen starten")
    IdeaSupportFactory(idea=idea, user=board.users["forum"])
    flywheel = auth.client_for(board.users["flywheel"])
    form = flywheel.get(_idea_url(board, idea)).get_data(as_text=True)
    assert f'value="initiative:{board.initiative.id}"' in form and "Initiatief: Praatronde op maandag" in form
    assert 'data-show-when="state=merged"' in form and 'data-show-when="state=backlog"' in form
    response = flywheel.post_form(f"{_idea_url(board, idea)}/antwoord", {
        "state": "merged", "reason": "Dit zit al in de praatronde.", "merged_into_id": f"initiative:{board.initiative.id}"})
    assert response.status_code == 302
    db.session.expire_all()
    idea = db.session.get(Idea, idea.id)
    assert (idea.state, idea.initiative_id, idea.merged_into_id) == ("merged", board.initiative.id, None)
    assert _follows(board.initiative) == {board.users["pupil"].id}
    idea_page = flywheel.get(_idea_url(board, idea)).get_data(as_text=True)
    assert "Het maakt deel uit van het initiatief" in idea_page and f"/initiatieven/{board.initiative.id}" in idea_page
    initiative_page = flywheel.get(f"/initiatieven/{board.initiative.id}").get_data(as_text=True)
    assert "Uit de ideeënbus" in initiative_page and "idee van Pupil" in initiative_page
    assert "samengevoegd" in initiative_page
    [note] = db.session.scalars(db.select(Notification).where(Notification.user_id == board.users["forum"].id)).all()
    assert "Samengevoegd" in note.title


def test_no_merge_into_a_finished_or_foreign_initiative(auth, board):
    idea = IdeaFactory(school=board.school, author=board.users["pupil"])
    done = ForumInitiativeFactory(school=board.school, status="done")
    foreign = ForumInitiativeFactory(school=board.other_school)
    flywheel = auth.client_for(board.users["flywheel"])
    for target in (done, foreign):
        response = flywheel.post_form(f"{_idea_url(board, idea)}/antwoord", {
            "state": "merged", "reason": "Zelfde.", "merged_into_id": f"initiative:{target.id}"})
        assert response.status_code == 422
        assert "Kies het idee of het initiatief waarmee dit idee samengaat." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).state == "open"


def test_no_merge_into_an_idea_that_went_nowhere(auth, board):
    idea = IdeaFactory(school=board.school, author=board.users["pupil"])
    closed = IdeaFactory(school=board.school, author=board.users["forum"], state="not_now", answer_reason="Later.")
    flywheel = auth.client_for(board.users["flywheel"])
    form = flywheel.get(f"{_idea_url(board, idea)}/antwoord").get_data(as_text=True)
    assert f'value="idea:{closed.id}"' not in form
    response = flywheel.post_form(f"{_idea_url(board, idea)}/antwoord", {
        "state": "merged", "reason": "Zelfde.", "merged_into_id": f"idea:{closed.id}"})
    assert response.status_code == 422 and "al beantwoord zonder vervolg" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).state == "open"


def test_ideas_merged_earlier_join_the_initiative_too(auth, world):
    first = IdeaFactory(school=world.school, author=world.users["forum"], title="Moestuin", building_block="culture")
    second = IdeaFactory(school=world.school, author=world.users["pupil"], title="Groenten kweken")
    flywheel = auth.client_for(world.users["flywheel"])
    assert flywheel.post_form(f"{_idea_url(world, second)}/antwoord", {
        "state": "merged", "reason": "Hetzelfde.", "merged_into_id": f"idea:{first.id}"}).status_code == 302
    assert flywheel.post_form(f"{_idea_url(world, first)}/antwoord", {"state": "backlog", "reason": "Ja."}).status_code == 302
    initiative = db.session.scalars(db.select(Initiative)).one()
    db.session.expire_all()
    assert db.session.get(Idea, second.id).initiative_id == initiative.id
    assert _follows(initiative) == {world.users["forum"].id, world.users["pupil"].id}


# --- the author asked for advice --------------------------------------------------------------------------


def test_the_author_is_asked_for_advice_even_without_being_in_the_forum(app, auth, board):
    # The board member is no forum member; their idea became the initiative.
    author = board.users["board"]
    IdeaFactory(school=board.school, author=author, title="Praatronde", state="backlog", answer_reason="Ja.",
                initiative=board.initiative)
    session = ForumSessionFactory(school=board.school, sprint=board.sprint)
    db.session.commit()
    with app.test_request_context():
        advice_round = forum.open_round("initiative", board.initiative.id, "Starten we zo?",
                                        utcnow() + timedelta(days=5), session, opened_by=board.users["flywheel_lead"])
        db.session.commit()
    [guest] = db.session.scalars(db.select(RoundGuest)).all()
    assert guest.user_id == author.id and "indiener van het idee" in guest.reason
    [note] = db.session.scalars(db.select(Notification).where(Notification.user_id == author.id)).all()
    assert note.title == "Je wordt om advies gevraagd: Praatronde op maandag"
    url = f"/scholen/{board.school.id}/forum/rondes/{advice_round.id}"
    client = auth.client_for(author)
    page = client.get(url).get_data(as_text=True)
    assert "Ook om advies gevraagd:" in page and "Jouw advies" in page
    assert client.post_form(url + "/advies", {"stance": "support", "reasoning": "Graag!"}).status_code == 302
    advice = db.session.scalars(db.select(Advice)).one()
    assert (advice.author_id, advice.stakeholder_group) == (author.id, None)
    # Another member who is neither forum nor guest still may not advise.
    assert auth.client_for(board.users["director"]).post_form(
        url + "/advies", {"stance": "support", "reasoning": "Ook ik."}).status_code == 403


def test_an_author_in_the_forum_is_not_asked_twice(app, board):
    IdeaFactory(school=board.school, author=board.users["pupil"], state="backlog", answer_reason="Ja.",
                initiative=board.initiative)
    db.session.commit()
    with app.test_request_context():
        forum.open_round("initiative", board.initiative.id, "Starten we zo?", utcnow() + timedelta(days=5),
                         opened_by=board.users["flywheel_lead"])
        db.session.commit()
    assert db.session.scalars(db.select(RoundGuest)).all() == []
    notes = db.session.scalars(db.select(Notification).where(Notification.user_id == board.users["pupil"].id)).all()
    assert [n.title for n in notes] == ["Adviesvraag: Praatronde op maandag"]


def test_an_author_who_left_the_school_is_not_asked(app, board):
    leaver = MembershipFactory(school=board.other_school, role="board").user
    IdeaFactory(school=board.school, author=leaver, state="backlog", answer_reason="Ja.", initiative=board.initiative)
    db.session.commit()
    with app.test_request_context():
        forum.open_round("initiative", board.initiative.id, "Starten we zo?", utcnow() + timedelta(days=5),
                         opened_by=board.users["flywheel_lead"])
        db.session.commit()
    assert db.session.scalars(db.select(RoundGuest)).all() == []


# --- the part of the vision --------------------------------------------------------------------------------


def _endorsed_vision(school):
    version = VisionVersionFactory(vision=VisionFactory(school=school, content=sample_content()))
    EndorsementFactory(version=version)
    db.session.commit()


def test_an_idea_names_the_part_of_the_vision_it_serves(auth, world):
    _endorsed_vision(world.school)
    pupil = auth.client_for(world.users["pupil"])
    form = pupil.get(f"/scholen/{world.school.id}/ideeen/nieuw").get_data(as_text=True)
    assert "Ambitie: Een warm onthaal elke maandag" in form and "Leidend principe: Bezielde school" in form
    response = pupil.post_form(f"/scholen/{world.school.id}/ideeen/nieuw", {
        "title": "Onthaalmoment", "body": "Elke maandag samen starten.", "vision_part": "ambition:2"})
    assert response.status_code == 302
    idea = db.session.scalars(db.select(Idea)).one()
    assert (idea.vision_part, idea.vision_part_label) == ("ambition:2", "Ambitie: Een warm onthaal elke maandag")
    page = pupil.get(response.location).get_data(as_text=True)
    assert "Helpt onze visie waarmaken: Ambitie: Een warm onthaal elke maandag" in page


def test_the_vision_part_is_optional_and_checked(auth, world):
    pupil = auth.client_for(world.users["pupil"])
    # No endorsed vision: the field is not on the form, and a made-up part is refused.
    assert "Welk deel van onze visie" not in pupil.get(f"/scholen/{world.school.id}/ideeen/nieuw").get_data(as_text=True)
    response = pupil.post_form(f"/scholen/{world.school.id}/ideeen/nieuw", {
        "title": "Fruit", "body": "Gezond.", "vision_part": "ambition:1"})
    assert response.status_code == 422
    assert "Kies een deel van de huidige visie uit de lijst, of laat het leeg." in response.get_data(as_text=True)
    assert pupil.post_form(f"/scholen/{world.school.id}/ideeen/nieuw", {"title": "Fruit", "body": "Gezond."}
                           ).status_code == 302
    assert db.session.scalars(db.select(Idea)).one().vision_part is None


def test_the_initiative_from_the_idea_names_the_vision_part(auth, world):
    _endorsed_vision(world.school)
    idea = IdeaFactory(school=world.school, author=world.users["pupil"], building_block="culture",
                       vision_part="principle:inspired", vision_part_label="Leidend principe: Bezielde school")
    lead = auth.client_for(world.users["flywheel_lead"])
    assert lead.post_form(f"{_idea_url(world, idea)}/antwoord", {"state": "backlog", "reason": "Ja."}).status_code == 302
    initiative = db.session.scalars(db.select(Initiative)).one()
    assert "Helpt onze visie waarmaken: Leidend principe: Bezielde school" in initiative.description
