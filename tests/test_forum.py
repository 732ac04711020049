"""The advisory forum: rounds, advice, responses, decisions, sessions, minutes, archive and the registry."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from tests.factories_forum import (
    AdviceFactory,
    AdviceRoundFactory,
    DecisionFactory,
    ForumInitiativeFactory,
    ForumSessionFactory,
    ForumSprintFactory,
)
from warmeveranderen.extensions import db
from warmeveranderen.forum import minutes, queries, services
from warmeveranderen.forum.archive import ArchiveFilters, archive
from warmeveranderen.forum.models import Advice, AdviceRound, Decision, ForumSession, ImmutableDecisionError
from warmeveranderen.forum.subjects import register_subject, unregister_subject
from warmeveranderen.notifications.models import Notification
from warmeveranderen.sprints import services as sprints
from warmeveranderen.sprints.models import Initiative
from warmeveranderen.timeutil import utcnow


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services speak Dutch through Flask-Babel and build links: give them a request context."""
    with app.test_request_context():
        yield


@pytest.fixture
def forum(world):
    """World + sprint 1 with two initiatives ready for the forum (owned by the flywheel member) and a session."""
    sprint = ForumSprintFactory(school=world.school, number=1)
    world.sprint = sprint
    world.initiatives = [
        ForumInitiativeFactory(school=world.school, sprint=sprint, owner=world.users["flywheel"],
                               title="Warm onthaal op de eerste schooldag", building_block="culture"),
        ForumInitiativeFactory(school=world.school, sprint=sprint, owner=world.users["flywheel"],
                               title="Leerteams in de eerste graad", building_block="structure",
                               secondary_block="people"),
    ]
    world.session = ForumSessionFactory(school=world.school, sprint=sprint)
    return world


def _round_url(w, r) -> str:
    return f"/scholen/{w.school.id}/forum/rondes/{r.id}"


def _close(advice_round_id: int) -> None:
    """Time passes: the round's deadline lies in the past."""
    db.session.execute(
        db.update(AdviceRound).where(AdviceRound.id == advice_round_id).values(deadline=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()


def _open_rounds_via_http(auth, w) -> tuple:
    lead = auth.client_for(w.users["flywheel_lead"])
    deadline = (date.today() + timedelta(days=5)).isoformat()
    ids = []
    for initiative in w.initiatives:
        response = lead.post_form(f"/scholen/{w.school.id}/forum/rondes/nieuw", {
            "subject": f"initiative:{initiative.id}",
            "question": f"Wat vinden jullie van '{initiative.title}'?",
            "background": "We willen dit **volgend trimester** starten.",
            "deadline_day": deadline, "deadline_time": "23:59", "session_id": w.session.id,
        })
        assert response.status_code == 302, response.get_data(as_text=True)
        ids.append(int(response.location.rsplit("/", 1)[1]))
    return lead, [db.session.get(AdviceRound, i) for i in ids]


# --- the whole advice process through HTTP ------------------------------------------------------


def test_advice_round_from_question_to_decision(auth, forum):
    w = forum
    lead, (first, second) = _open_rounds_via_http(auth, w)
    assert first.session_id == w.session.id and first.position == 1 and second.position == 2
    db.session.expire_all()
    assert db.session.get(Initiative, w.initiatives[0].id).status == "ready_for_forum"
    # The forum members were told.
    titles = {n.title for n in db.session.scalars(db.select(Notification).where(Notification.user_id == w.users["pupil"].id))}
    assert "Adviesvraag: Warm onthaal op de eerste schooldag" in titles

    parent = auth.client_for(w.users["forum"])
    pupil = auth.client_for(w.users["pupil"])
    assert parent.post_form(_round_url(w, first) + "/advies",
                            {"stance": "support", "reasoning": "Mooi, ouders helpen graag."}).status_code == 302
    assert pupil.post_form(_round_url(w, first) + "/advies",
                           {"stance": "objection", "objection_kind": "principled",
                            "reasoning": "Leerlingen werden niet bevraagd."}).status_code == 302
    # Advice is visible with the author's name to the other members and the flywheel.
    page = parent.get(_round_url(w, first)).get_data(as_text=True)
    assert "Pupil" in page and "Leerlingen werden niet bevraagd." in page and "Bezwaar" in page

    # The lead cannot decide before the deadline.
    response = lead.post_form(_round_url(w, first) + "/besluit", {"outcome": "adopt", "reasons": "Akkoord."})
    assert response.status_code == 422
    assert "De adviesronde loopt nog tot" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0

    _close(first.id)
    # ... nor without responding to the objection.
    response = lead.post_form(_round_url(w, first) + "/besluit", {"outcome": "adjust", "reasons": "We sturen bij."})
    assert response.status_code == 422
    assert "Reageer eerst op elk principieel bezwaar" in response.get_data(as_text=True)
    # The typed reasons survive the refusal.
    assert "We sturen bij." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0

    objection = db.session.scalar(db.select(Advice).where(Advice.author_id == w.users["pupil"].id))
    response = lead.post_form(_round_url(w, first) + f"/advies/{objection.id}/antwoord",
                              {f"r{objection.id}-body": "We houden een bevraging in elke klas."})
    assert response.status_code == 302
    response = lead.post_form(_round_url(w, first) + "/besluit",
                              {"outcome": "adjust", "reasons": "We starten na een bevraging van de leerlingen."})
    assert response.status_code == 302

    db.session.expire_all()
    decision = db.session.scalar(db.select(Decision))
    assert decision.outcome == "adjust" and decision.decided_by_id == w.users["flywheel_lead"].id
    assert decision.sprint_id == w.sprint.id and decision.building_block == "culture"
    assert db.session.get(Initiative, w.initiatives[0].id).status == "decided"
    # Everyone who advised (and the forum) is told; the pupil sees the decision and the response.
    for key in ("forum", "pupil", "flywheel"):
        told = db.session.scalars(db.select(Notification.title).where(Notification.user_id == w.users[key].id)).all()
        assert "Besluit over Warm onthaal op de eerste schooldag: Bijsturen" in told, key
    page = pupil.get(_round_url(w, first)).get_data(as_text=True)
    assert "We starten na een bevraging van de leerlingen." in page
    assert "We houden een bevraging in elke klas." in page
    archive = pupil.get(f"/scholen/{w.school.id}/forum/besluiten").get_data(as_text=True)
    assert "Warm onthaal op de eerste schooldag" in archive and "Bijsturen" in archive


def test_advice_can_be_revised_until_the_deadline(auth, forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id)
    parent = auth.client_for(w.users["forum"])
    parent.post_form(_round_url(w, r) + "/advies", {"stance": "support", "reasoning": "Prima."})
    parent.post_form(_round_url(w, r) + "/advies", {"stance": "concerns", "reasoning": "Toch twijfel over de timing."})
    db.session.expire_all()
    [advice] = db.session.scalars(db.select(Advice)).all()
    assert (advice.stance, advice.revisions, advice.stakeholder_group) == ("concerns", 1, "parent")
    _close(r.id)
    response = parent.post_form(_round_url(w, r) + "/advies", {"stance": "objection", "objection_kind": "personal",
                                                                 "reasoning": "Nu toch bezwaar!"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "De termijn voor advies liep af" in body
    # What the member typed is shown back, not lost.
    assert "Nu toch bezwaar!" in body
    db.session.expire_all()
    assert db.session.scalar(db.select(Advice.stance)) == "concerns"


def test_empty_stance_keeps_the_draft(auth, forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id)
    response = auth.client_for(w.users["pupil"]).post_form(
        _round_url(w, r) + "/advies", {"reasoning": "Mijn lange tekst over de speelplaats."})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Kies je standpunt: steun, steun met bedenkingen of bezwaar." in body
    assert "Mijn lange tekst over de speelplaats." in body
    assert db.session.scalar(db.select(db.func.count(Advice.id))) == 0


def test_objection_needs_reasoning(forum):
    r = AdviceRoundFactory(school=forum.school, subject_id=forum.initiatives[0].id)
    with pytest.raises(services.ForumError, match="Licht je bedenkingen of je bezwaar toe"):
        services.give_advice(r, forum.users["forum"], "objection", "  ", objection_kind="personal")


@pytest.mark.parametrize("role", ["adviser", "director", "flywheel_lead", "coordinator"])
def test_only_forum_members_advise(auth, forum, role):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id)
    response = auth.client_for(w.users[role]).post_form(
        _round_url(w, r) + "/advies", {"stance": "support", "reasoning": "Ik vind het goed."})
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    expected = "Als adviseur ondersteun je het forum" if role == "adviser" else \
        "Alleen forumleden van deze school kunnen advies geven."
    assert expected in body
    assert db.session.scalar(db.select(db.func.count(Advice.id))) == 0


def test_adviser_comments_in_a_supporting_role(auth, forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id)
    adviser = auth.client_for(w.users["adviser"])
    assert adviser.post_form(_round_url(w, r) + "/opmerking", {"body": "Kijk ook naar het CLB-aanbod."}).status_code == 302
    page = auth.client_for(w.users["forum"]).get(_round_url(w, r)).get_data(as_text=True)
    assert "Kijk ook naar het CLB-aanbod." in page and "(adviseur)" in page
    # The adviser is shown no advice form and cannot decide.
    assert "Als adviseur ondersteun je het forum" in adviser.get(_round_url(w, r)).get_data(as_text=True)
    _close(r.id)
    assert adviser.post_form(_round_url(w, r) + "/besluit", {"outcome": "adopt", "reasons": "x"}).status_code == 403


def test_only_owner_or_lead_decides(forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id, deadline=utcnow() - timedelta(hours=1))
    for key in ("forum", "director", "adviser", "coordinator", "outsider"):
        with pytest.raises(services.ForumError, match="Alleen de eigenaar"):
            services.decide(r, w.users[key], "adopt", "Goed.")
    assert services.decide(r, w.users["flywheel"], "adopt", "Goed.").decided_by_id == w.users["flywheel"].id


def test_no_response_before_the_round_closes(forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id)
    advice = AdviceFactory(round=r, author=w.users["forum"], stance="objection")
    with pytest.raises(services.ForumError, match="Het forum kan nog advies geven"):
        services.respond(advice, w.users["flywheel_lead"], "We bekijken het.")


def test_decisions_are_immutable_and_corrected_by_a_new_decision(auth, forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id, deadline=utcnow() - timedelta(hours=1))
    first = services.decide(r, w.users["flywheel_lead"], "adopt", "We doen het.")
    db.session.commit()
    first.reasons = "Stiekem aangepast"
    with pytest.raises(ImmutableDecisionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(services.ForumError, match="registreer een correctie"):
        services.decide(r, w.users["flywheel_lead"], "drop", "Toch niet.")
    lead = auth.client_for(w.users["flywheel_lead"])
    response = lead.post_form(_round_url(w, r) + "/besluit",
                              {"outcome": "postpone", "reasons": "Eerst budget vinden.", "corrects_id": first.id})
    assert response.status_code == 302
    db.session.expire_all()
    decisions = db.session.scalars(db.select(Decision).order_by(Decision.id)).all()
    assert [d.outcome for d in decisions] == ["adopt", "postpone"]
    assert decisions[0].reasons == "We doen het." and decisions[1].corrects_id == decisions[0].id
    assert db.session.get(AdviceRound, r.id).current_decision.id == decisions[1].id
    # The archive shows the decision in force, marked as a correction.
    archive = lead.get(f"/scholen/{w.school.id}/forum/besluiten").get_data(as_text=True)
    assert "Uitstellen" in archive and "correctie" in archive and "Aannemen" not in archive.split("<tbody>")[1]


def test_initiative_is_not_done_without_a_decision(forum):
    w = forum
    initiative = w.initiatives[0]
    initiative.status = "in_progress"
    db.session.commit()
    with pytest.raises(sprints.SprintError, match="pas afgerond na een besluit"):
        sprints.move_initiative(initiative, "done", w.users["flywheel"])
    r = services.open_round("initiative", initiative.id, "Mogen we?", utcnow() + timedelta(days=3),
                            opened_by=w.users["flywheel"])
    assert initiative.status == "ready_for_forum"
    services.decide(r, w.users["flywheel"], "adopt", "Ja.", now=utcnow() + timedelta(days=4))
    assert initiative.status == "decided"
    sprints.move_initiative(initiative, "done", w.users["flywheel"])
    assert initiative.status == "done"


def test_open_round_refusals(forum):
    w = forum
    lead = w.users["flywheel_lead"]
    initiative = w.initiatives[0]
    with pytest.raises(services.ForumError, match="Formuleer de adviesvraag"):
        services.open_round("initiative", initiative.id, " ", utcnow() + timedelta(days=1), opened_by=lead)
    with pytest.raises(services.ForumError, match="in de toekomst"):
        services.open_round("initiative", initiative.id, "Vraag?", utcnow() - timedelta(days=1), opened_by=lead)
    with pytest.raises(services.ForumError, match="Alleen het vliegwiel of de directie"):
        services.open_round("initiative", initiative.id, "Vraag?", utcnow() + timedelta(days=1),
                            opened_by=w.users["forum"])
    services.open_round("initiative", initiative.id, "Vraag?", utcnow() + timedelta(days=1), opened_by=lead)
    with pytest.raises(services.ForumError, match="loopt al een adviesronde"):
        services.open_round("initiative", initiative.id, "Nog eens?", utcnow() + timedelta(days=1), opened_by=lead)
    foreign = ForumInitiativeFactory(school=w.other_school)
    with pytest.raises(services.ForumError, match="Alleen het vliegwiel"):
        services.open_round("initiative", foreign.id, "Vraag?", utcnow() + timedelta(days=1), opened_by=lead)
    idea = ForumInitiativeFactory(school=w.school, status="idea")
    with pytest.raises(services.ForumError, match="Plan het initiatief eerst in een sprint"):
        services.open_round("initiative", idea.id, "Vraag?", utcnow() + timedelta(days=1), opened_by=lead)


# --- the registry ---------------------------------------------------------------------------------


class FakeVersion:
    """A stand-in for another feature's subject (the vision's versions), kept in memory."""

    def __init__(self, id, school_id, author_id):
        self.id, self.school_id, self.author_id, self.decided = id, school_id, author_id, None


@pytest.fixture
def fake_kind(forum):
    from warmeveranderen.accounts.models import User
    from warmeveranderen.programme.models import School

    versions = {7: FakeVersion(7, forum.school.id, forum.users["flywheel_lead"].id)}
    register_subject(
        "fake_version",
        label="Testversie",
        loader=versions.get,
        school=lambda v: db.session.get(School, v.school_id),
        title=lambda v: f"Visie, versie {v.id}",
        url=lambda v: f"/visie/{v.id}",
        owner_users=lambda v: [db.session.get(User, v.author_id)],
        candidates=lambda school: list(versions.values()) if school.id == forum.school.id else [],
        on_decided=lambda v, decision: setattr(v, "decided", decision.outcome),
    )
    yield versions
    unregister_subject("fake_version")


def test_registry_takes_any_subject(auth, forum, fake_kind):
    w = forum
    lead = auth.client_for(w.users["flywheel_lead"])
    # The agenda offers the registered kind's candidates next to the initiatives.
    page = lead.get(f"/scholen/{w.school.id}/forum/rondes/nieuw?session_id={w.session.id}").get_data(as_text=True)
    assert "Testversie: Visie, versie 7" in page and "Warm onthaal op de eerste schooldag" in page
    response = lead.post_form(f"/scholen/{w.school.id}/forum/rondes/nieuw", {
        "subject": "fake_version:7", "question": "Onderschrijven jullie deze visie?",
        "deadline_day": (date.today() + timedelta(days=3)).isoformat(), "deadline_time": "20:00",
        "session_id": w.session.id,
    })
    assert response.status_code == 302
    r = db.session.scalar(db.select(AdviceRound).where(AdviceRound.subject_kind == "fake_version"))
    assert r.subject_title == "Visie, versie 7" and r.subject_id == 7
    services.give_advice(r, w.users["pupil"], "support", "Mooi geschreven.")
    services.decide(r, w.users["flywheel_lead"], "adopt", "Afgeklopt.", now=r.deadline + timedelta(minutes=1))
    assert fake_kind[7].decided == "adopt"
    assert "/visie/7" in lead.get(_round_url(w, r)).get_data(as_text=True)


def test_unknown_subject_kind_is_refused(forum):
    with pytest.raises(services.ForumError, match="bestaat niet"):
        services.open_round("nothing", 1, "Vraag?", utcnow() + timedelta(days=1), opened_by=forum.users["flywheel_lead"])


# --- sessions and minutes ---------------------------------------------------------------------------


def test_session_is_proposed_at_the_end_of_the_sprint(auth, world):
    # Ends on a Sunday: the session is proposed on the Friday before, at 19:00 Brussels.
    sprint = ForumSprintFactory(school=world.school, number=1, start_date=date(2026, 9, 7), end_date=date(2026, 11, 15))
    proposed = queries.utc_to_local(queries.proposed_session_start(sprint))
    assert (proposed.date(), proposed.hour, proposed.minute) == (date(2026, 11, 13), 19, 0)
    lead = auth.client_for(world.users["flywheel_lead"])
    page = lead.get(f"/scholen/{world.school.id}/forum/bijeenkomsten/nieuw").get_data(as_text=True)
    assert 'value="2026-11-13"' in page and 'value="19:00"' in page
    response = lead.post_form(f"/scholen/{world.school.id}/forum/bijeenkomsten/nieuw", {
        "sprint_id": sprint.id, "day": "2026-11-13", "at": "19:00", "location": "", "online_url": "",
    })
    assert response.status_code == 422
    assert "Vul een locatie of een link" in response.get_data(as_text=True)
    response = lead.post_form(f"/scholen/{world.school.id}/forum/bijeenkomsten/nieuw", {
        "sprint_id": sprint.id, "day": "2026-11-13", "at": "19:00", "location": "Refter", "online_url": "",
    })
    assert response.status_code == 302
    session = db.session.scalar(db.select(ForumSession))
    assert session.sprint_id == sprint.id and session.starts_at == datetime(2026, 11, 13, 18, 0)
    with pytest.raises(services.ForumError, match="heeft al een forumbijeenkomst"):
        services.plan_session(world.school, starts_at=session.starts_at, location="Zaal", sprint=sprint,
                              by=world.users["flywheel_lead"])


def test_minutes_show_attendance_by_group(auth, forum):
    w = forum
    session = w.session
    session.starts_at = utcnow() - timedelta(hours=2)
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id, session=session,
                           subject_title="Warm onthaal op de eerste schooldag")
    db.session.commit()
    lead = auth.client_for(w.users["flywheel_lead"])
    url = f"/scholen/{w.school.id}/forum/bijeenkomsten/{session.id}/verslag"
    response = lead.post_form(url, {"present": [w.users["forum"].id, w.users["pupil"].id, w.users["flywheel_lead"].id],
                                    "guests-parent": "3", "guests-pupil": "abc", "summary": "Goed gesprek."})
    assert response.status_code == 422 and "positief getal" in response.get_data(as_text=True)
    assert "Goed gesprek." in response.get_data(as_text=True)
    response = lead.post_form(url, {"present": [w.users["forum"].id, w.users["pupil"].id, w.users["flywheel_lead"].id],
                                    "guests-parent": "3", "summary": "Goed gesprek over het **onthaal**.",
                                    f"note-{r.id}": "Leerlingen willen meer inspraak."})
    assert response.status_code == 302
    page = auth.client_for(w.users["pupil"]).get(f"/scholen/{w.school.id}/forum/bijeenkomsten/{session.id}")
    body = page.get_data(as_text=True)
    assert "Aanwezig per groep" in body and "<strong>onthaal</strong>" in body
    assert "Leerlingen willen meer inspraak." in body
    db.session.expire_all()
    rows = {row["code"]: row for row in queries.attendance_by_group(db.session.get(ForumSession, session.id))}
    assert rows["parent"]["total"] == 4 and rows["pupil"]["total"] == 1 and rows["flywheel"]["total"] == 1


def test_minutes_wait_for_the_session(forum):
    with pytest.raises(services.ForumError, match="nog niet plaatsgevonden"):
        minutes.record_minutes(forum.session, forum.users["flywheel_lead"], summary="x", present_user_ids=[],
                                guests={}, item_notes={})


# --- composition ------------------------------------------------------------------------------------


def test_composition_shows_missing_and_thin_groups_and_invites(auth, world, outbox):
    groups = {g.code: g for g in queries.composition(world.school)}
    assert groups["parent"].status == "thin" and groups["pupil"].status == "thin"
    assert groups["staff"].status == "missing" and groups["partner"].status == "missing"
    flywheel = auth.client_for(world.users["flywheel"])
    page = flywheel.get(f"/scholen/{world.school.id}/forum/leden").get_data(as_text=True)
    assert "ontbreekt" in page and "dun bezet" in page
    response = flywheel.post_form(f"/scholen/{world.school.id}/forum/leden",
                                  {"name": "Clara CLB", "email": "clara@clb.example.org", "stakeholder_group": ""})
    assert response.status_code == 422 and "Kies voor welke groep" in response.get_data(as_text=True)
    response = flywheel.post_form(f"/scholen/{world.school.id}/forum/leden",
                                  {"name": "Clara CLB", "email": "clara@clb.example.org", "stakeholder_group": "partner"})
    assert response.status_code == 302
    groups = {g.code: g for g in queries.composition(world.school)}
    assert [m.user.email for m in groups["partner"].members] == ["clara@clb.example.org"]
    assert any("clara@clb.example.org" in m["To"] for m in outbox())
    # Forum members may not invite.
    response = auth.client_for(world.users["forum"]).post_form(
        f"/scholen/{world.school.id}/forum/leden", {"name": "X", "email": "x@example.org", "stakeholder_group": "parent"})
    assert response.status_code == 403


# --- privacy ----------------------------------------------------------------------------------------


def test_another_schools_forum_member_sees_nothing(auth, forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id)
    AdviceFactory(round=r, author=w.users["forum"], reasoning="Geheim advies")
    DecisionFactory(round=AdviceRoundFactory(school=w.school, subject_id=w.initiatives[1].id,
                                             subject_title="Archiefonderwerp"))
    outsider = auth.client_for(w.users["outsider"])  # a forum member (and director) of school B
    base = f"/scholen/{w.school.id}/forum"
    for url in (base, base + "/leden", base + "/besluiten", f"{base}/rondes/{r.id}",
                f"{base}/bijeenkomsten/{w.session.id}"):
        response = outsider.get(url)
        assert response.status_code == 403, url
        assert "Geheim advies" not in response.get_data(as_text=True)
    assert outsider.post_form(f"{base}/rondes/{r.id}/advies", {"stance": "support"}).status_code == 403
    # And school B's own forum pages do not show school A's rounds.
    page = outsider.get(f"/scholen/{w.other_school.id}/forum").get_data(as_text=True)
    assert r.subject_title not in page and "Archiefonderwerp" not in page
    # A round of school A addressed through school B's URL is not found.
    assert outsider.get(f"/scholen/{w.other_school.id}/forum/rondes/{r.id}").status_code == 404


# --- archive ----------------------------------------------------------------------------------------


def test_archive_search(auth, forum):
    w = forum
    sprint2 = ForumSprintFactory(school=w.school, number=2)
    rounds = []
    for title, sprint, block, outcome, author in [
        ("Onthaalmoment", w.sprint, "culture", "adopt", "pupil"),
        ("Teamstructuur", w.sprint, "structure", "postpone", "forum"),
        ("Leerlingvolgsysteem", sprint2, "systems", "drop", "forum"),
    ]:
        r = AdviceRoundFactory(school=w.school, subject_title=title, question=f"Vraag over {title}")
        AdviceFactory(round=r, author=w.users[author], stakeholder_group=w.memberships[author].stakeholder_group)
        DecisionFactory(round=r, sprint_id=sprint.id, building_block=block, outcome=outcome,
                        reasons=f"Motivering bij {title.lower()}")
        rounds.append(r)
    other = AdviceRoundFactory(school=w.other_school, subject_title="Onthaal elders")
    DecisionFactory(round=other)

    def titles(**filters):
        return [d.subject_title for d in archive(w.school, ArchiveFilters(**filters))]

    assert sorted(titles()) == ["Leerlingvolgsysteem", "Onthaalmoment", "Teamstructuur"]
    assert titles(sprint_id=sprint2.id) == ["Leerlingvolgsysteem"]
    assert titles(building_block="structure") == ["Teamstructuur"]
    assert titles(stakeholder_group="pupil") == ["Onthaalmoment"]
    assert titles(outcome="postpone") == ["Teamstructuur"]
    assert titles(text="ONTHAAL") == ["Onthaalmoment"]
    assert titles(text="motivering bij leerlingvolg") == ["Leerlingvolgsysteem"]
    # Through the page, as a forum member would search.
    client = auth.client_for(w.users["pupil"])
    body = client.get(f"/scholen/{w.school.id}/forum/besluiten?group=parent&outcome=drop").get_data(as_text=True)
    assert "Leerlingvolgsysteem" in body and "Teamstructuur" not in body and "Onthaal elders" not in body
    body = client.get(f"/scholen/{w.school.id}/forum/besluiten?q=niets-van-dit").get_data(as_text=True)
    assert "Geen besluiten gevonden." in body
    # Bad filter values do not break the page.
    assert client.get(f"/scholen/{w.school.id}/forum/besluiten?sprint=abc&block=x").status_code == 200


# --- overview, next steps and the panel ---------------------------------------------------------------


def test_overview_counts_responses_per_group_and_shows_what_awaits(auth, forum):
    w = forum
    open_round = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id, subject_title="Open vraag")
    AdviceFactory(round=open_round, author=w.users["pupil"], stakeholder_group="pupil")
    closed = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[1].id, subject_title="Gesloten vraag",
                                deadline=utcnow() - timedelta(days=1))
    AdviceFactory(round=closed, author=w.users["forum"], stance="objection")
    body = auth.client_for(w.users["flywheel"]).get(f"/scholen/{w.school.id}/forum").get_data(as_text=True)
    assert "Open vraag" in body and "Leerlingen: 1 van 1" in body and "Ouders: 0 van 1" in body
    assert "Gesloten vraag" in body and "1 advies nog zonder antwoord" in body


def test_next_steps_per_role(auth, forum):
    w = forum
    r = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[0].id, subject_title="Onthaal")
    closed = AdviceRoundFactory(school=w.school, subject_id=w.initiatives[1].id, subject_title="Leerteams",
                                deadline=utcnow() - timedelta(days=1))
    extra = ForumInitiativeFactory(school=w.school, sprint=w.sprint, title="Klasraden")
    assert r and closed and extra
    home = f"/scholen/{w.school.id}"
    member = auth.client_for(w.users["pupil"]).get(home).get_data(as_text=True)
    assert "Geef advies over Onthaal vóór" in member
    owner = auth.client_for(w.users["flywheel"]).get(home).get_data(as_text=True)
    assert "Reageer op het advies over Leerteams" in owner
    assert "Zet initiatieven op de agenda van het forum" in owner
    # The panel on the school's home.
    assert "Open adviesvragen" in member and "Onthaal" in member
    parent = auth.client_for(w.users["forum"]).get(home).get_data(as_text=True)
    assert "Reageer op het advies" not in parent


def test_forum_pages_have_a_constant_query_count(auth, forum, app, monkeypatch):
    w = forum
    client = auth.client_for(w.users["flywheel_lead"])
    # The pages as rendered (a kept page would be one statement at any size; fastpath.py reads the
    # person's state first when it has served the page before).
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)

    def count(url):
        statements = []

        def listener(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def add_rounds(n):
        for i in range(n):
            r = AdviceRoundFactory(school=w.school, subject_title=f"Onderwerp {i}", session=w.session)
            AdviceFactory(round=r, author=w.users["forum"])
            AdviceFactory(round=r, author=w.users["pupil"], stakeholder_group="pupil", stance="objection")
            closed = AdviceRoundFactory(school=w.school, deadline=utcnow() - timedelta(days=2))
            DecisionFactory(round=closed)

    base = f"/scholen/{w.school.id}/forum"
    add_rounds(2)
    before = {url: count(url) for url in (base, base + "/besluiten", f"{base}/bijeenkomsten/{w.session.id}")}
    add_rounds(15)
    after = {url: count(url) for url in before}
    assert after == before


# --- queries for the reminders ---------------------------------------------------------------------


def test_reminder_queries(forum):
    w = forum
    now = utcnow()
    soon = AdviceRoundFactory(school=w.school, deadline=now + timedelta(days=1, hours=12))
    AdviceRoundFactory(school=w.school, deadline=now + timedelta(days=9))
    AdviceFactory(round=soon, author=w.users["forum"])
    assert queries.rounds_with_deadline_between(now + timedelta(days=1), now + timedelta(days=2)) == [soon]
    assert [u.id for u in queries.members_without_advice(soon)] == [w.users["pupil"].id]
    stale = AdviceRoundFactory(school=w.school, deadline=now - timedelta(days=8))
    decided = AdviceRoundFactory(school=w.school, deadline=now - timedelta(days=10))
    DecisionFactory(round=decided)
    AdviceRoundFactory(school=w.school, deadline=now - timedelta(days=2))
    assert queries.closed_rounds_awaiting(7) == [stale]
    later = ForumSessionFactory(school=w.school, starts_at=now + timedelta(days=14))
    assert queries.sessions_between(now + timedelta(days=13), now + timedelta(days=15)) == [later]


def test_demo_has_a_forum_session_for_sprint_one(app):
    from warmeveranderen.demo import load_demo

    school = load_demo()
    load_demo()  # idempotent
    sessions = db.session.scalars(db.select(ForumSession).where(ForumSession.school_id == school.id)).all()
    assert len(sessions) == 1 and sessions[0].sprint.number == 1
    members = {m.stakeholder_group for m in queries.forum_memberships(school)}
    assert {"parent", "pupil"} <= members



def test_session_reminds_of_the_pre_forum_alignment(auth, forum):
    from warmeveranderen.sprints.models import Checkpoint

    w = forum
    url = f"/scholen/{w.school.id}/forum/bijeenkomsten/{w.session.id}"
    lead = auth.client_for(w.users["flywheel_lead"])
    assert "Stem de agenda vlak voor het forum af" in lead.get(url).get_data(as_text=True)
    db.session.add(Checkpoint(sprint_id=w.sprint.id, kind="pre_forum", held_on=date.today(), who="Directie",
                              note="Agenda besproken."))
    db.session.commit()
    assert "Stem de agenda vlak voor het forum af" not in lead.get(url).get_data(as_text=True)


def test_flywheel_is_asked_to_plan_the_forum_of_the_current_sprint(auth, world):
    sprint = ForumSprintFactory(school=world.school, number=1)
    home = f"/scholen/{world.school.id}"
    body = auth.client_for(world.users["flywheel"]).get(home).get_data(as_text=True)
    assert "Plan de forumbijeenkomst van sprint 1" in body
    assert "Plan de forumbijeenkomst" not in auth.client_for(world.users["forum"]).get(home).get_data(as_text=True)
    ForumSessionFactory(school=world.school, sprint=sprint)
    body = auth.client_for(world.users["flywheel"]).get(home).get_data(as_text=True)
    assert "Plan de forumbijeenkomst" not in body
