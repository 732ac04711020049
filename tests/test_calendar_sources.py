"""The features' calendar sources: who sees which events, stable UIDs across edits, a parseable feed."""

from __future__ import annotations

import re
from datetime import date, datetime

from icalendar import Calendar

from tests.factories_forum import AdviceRoundFactory, ForumSessionFactory
from tests.factories_intake import make_agreement
from tests.factories_sprints import SprintCalendarFactory, SprintFactory
from tests.factories_tracking import CoachingSessionFactory
from warmeveranderen.extensions import db
from warmeveranderen.forum import services as forum_services
from warmeveranderen.sprints import cadence as sprint_cadence
from warmeveranderen.sprints.models import Checkpoint

FEED_RE = re.compile(r"(http://localhost/meldingen/agenda/[A-Za-z0-9_-]+\.ics)")


def feed(client) -> str:
    """The path of a new personal subscription feed."""
    page = client.post_form("/meldingen/agenda/nieuwe-link", follow_redirects=True).get_data(as_text=True)
    path = FEED_RE.search(page).group(1).replace("http://localhost", "")
    return path


def events(client, path) -> dict[str, object]:
    """UID -> VEVENT of a feed, fetched and parsed the way a calendar client does."""
    response = client.get(path)
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}


def _start(event):
    return event["DTSTART"].dt


def test_sprint_uid_stays_when_the_sprint_moves(app, world, auth):
    SprintCalendarFactory(school=world.school, start_date=date(2026, 11, 2))
    sprint1 = SprintFactory(school=world.school, number=1, start_date=date(2026, 11, 2), end_date=date(2027, 1, 10),
                            goal="Warm onthaal", state="active")
    sprint2 = SprintFactory(school=world.school, number=2, start_date=date(2027, 1, 11), end_date=date(2027, 3, 21))
    client = auth.client_for(world.users["flywheel"])
    path = feed(client)
    before = events(client, path)
    uid = f"sprint-{sprint2.id}@warmeveranderen"
    assert _start(before[uid]) == date(2027, 1, 11)
    assert before[f"sprint-{sprint1.id}@warmeveranderen"]["DTEND"].dt == date(2027, 1, 11)  # exclusive
    # The planned start alignment is on the sprint's first day until it is recorded.
    assert _start(before[f"alignment-start-{sprint2.id}@warmeveranderen"]) == date(2027, 1, 11)

    sprint_cadence.move_sprint(db.session.get(type(sprint2), sprint2.id), date(2027, 1, 18), "Inhaalweek",
                                world.users["coordinator"])
    db.session.commit()
    after = events(client, path)
    assert _start(after[uid]) == date(2027, 1, 18)
    assert set(after) == set(before)


def test_forum_session_uid_stays_when_the_date_changes(app, world, auth):
    sprint = SprintFactory(school=world.school, number=1, start_date=date(2026, 11, 2), end_date=date(2027, 1, 10),
                           goal="Warm onthaal", state="active")
    session = ForumSessionFactory(school=world.school, sprint=sprint, starts_at=datetime(2027, 1, 8, 18, 0))
    client = auth.client_for(world.users["forum"])
    path = feed(client)
    before = events(client, path)
    uid = f"forum-session-{session.id}@warmeveranderen"
    assert _start(before[uid]).replace(tzinfo=None) == datetime(2027, 1, 8, 18, 0)
    # The pre-forum alignment is planned three days before the session until it is recorded.
    pre = f"alignment-pre-forum-{sprint.id}@warmeveranderen"
    assert _start(before[pre]) == date(2027, 1, 5)

    forum_services.update_session(session, starts_at=datetime(2027, 1, 7, 18, 0), location="Refter", online_url="",
                                  notes="")
    db.session.add(Checkpoint(sprint_id=sprint.id, kind="pre_forum", held_on=date(2027, 1, 4), who="Bestuursteam"))
    db.session.commit()
    after = events(client, path)
    assert _start(after[uid]).replace(tzinfo=None) == datetime(2027, 1, 7, 18, 0)
    assert _start(after[pre]) == date(2027, 1, 4)  # the recorded date, same UID
    assert set(after) == set(before)


def test_advice_deadlines_for_forum_and_flywheel_only(world, auth):
    advice_round = AdviceRoundFactory(school=world.school, deadline=datetime(2027, 2, 10, 22, 0))
    uid = f"advice-deadline-{advice_round.id}@warmeveranderen"
    for key, expected in [("forum", True), ("flywheel", True), ("board", False), ("outsider", False)]:
        client = auth.client_for(world.users[key])
        assert (uid in events(client, feed(client))) is expected, key
    # The school's download shows it to whoever may read the forum.
    client = auth.client_for(world.users["board"])
    response = client.get(f"/meldingen/scholen/{world.school.id}/agenda.ics")
    assert uid in {str(e["UID"]) for e in Calendar.from_ical(response.data).walk("VEVENT")}


def test_evaluation_moments_for_director_board_and_adviser(world, auth):
    agreement = make_agreement(world, "active")
    moment = agreement.effective.evaluation_moments[0]
    uid = f"evaluation-{moment.id}@warmeveranderen"
    for key, expected in [("director", True), ("board", True), ("adviser", True), ("flywheel", False),
                          ("outsider", False)]:
        client = auth.client_for(world.users[key])
        found = events(client, feed(client))
        assert (uid in found) is expected, key
        if expected:
            assert _start(found[uid]) == moment.on_date


def test_coaching_sessions_for_advisers_and_the_director(world, auth):
    individual = CoachingSessionFactory(kind="individual", school=world.school, network=world.school.network,
                                        held_on=date(2026, 12, 8), advisers=[world.users["adviser"]],
                                        summary="Sprintplanning besproken", notes="Vertrouwelijk")
    uid = f"coaching-session-{individual.id}@warmeveranderen"
    for key, expected in [("adviser", True), ("director", True), ("flywheel", False), ("outsider", False)]:
        client = auth.client_for(world.users[key])
        found = events(client, feed(client))
        assert (uid in found) is expected, key
        if expected:
            assert "Vertrouwelijk" not in str(found[uid].get("DESCRIPTION", ""))
            assert _start(found[uid]) == date(2026, 12, 8)
