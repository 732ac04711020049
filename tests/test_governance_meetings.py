"""The programme's bodies: the series planned ahead (with the school calendar), the agenda from the
standard items, open actions and members' items, sending it, minutes with attendance, decisions and
actions that return until done, the PDF, who sees what (a school never sees unshared minutes), the
reminders (exactly once) and the calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.factories_governance import make_body
from warmeveranderen.extensions import db
from warmeveranderen.governance import cadence, queries
from warmeveranderen.governance.models import Action, Meeting
from warmeveranderen.notifications.calendar import events_for
from warmeveranderen.notifications.models import Notification, ReminderLog
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.timeutil import to_local


def _days(body):
    return [to_local(m.starts_at).date() for m in body.meetings]


# --- the cadence -----------------------------------------------------------------------------------


def test_an_eight_weekly_series_skips_the_holidays():
    days = cadence.planned_dates(date(2026, 9, 7), "weeks", 8, date(2027, 9, 1), avoid_holidays=True)
    # 2 Nov 2026 is in the autumn holiday (2–6 Nov): the meeting moves to Monday 9 Nov.
    assert days[:3] == [date(2026, 9, 7), date(2026, 11, 9), date(2026, 12, 28) + timedelta(days=7)]
    raw = cadence.planned_dates(date(2026, 9, 7), "weeks", 8, date(2027, 9, 1), avoid_holidays=False)
    assert raw[1] == date(2026, 11, 2) and raw[2] == date(2026, 12, 28)


def test_quarterly_and_semester_cadences_count_months():
    assert cadence.nominal_dates(date(2026, 9, 15), "months", 3, date(2027, 6, 30)) == [
        date(2026, 9, 15), date(2026, 12, 15), date(2027, 3, 15), date(2027, 6, 15)]
    assert cadence.nominal_dates(date(2026, 10, 1), "months", 6, date(2026, 10, 2), minimum=3) == [
        date(2026, 10, 1), date(2027, 4, 1), date(2027, 10, 1)]


def test_the_coordinator_sets_up_the_steering_group_through_the_form(app, world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form("/overleg/nieuw", {
        "kind": "steering_group", "name": "Stuurgroep", "city_id": "0", "cadence_every": "8", "cadence_unit": "weeks",
        "first_meeting_on": "2027-09-06", "meeting_time": "10:00", "duration_minutes": "120",
        "location": "Gent", "avoid_holidays": "y", "standard_items": "Goedkeuring vorig verslag\nVaria",
        "members": f"{world.users['adviser'].email}; voorzitter; Flanders Synergy\n{world.users['director'].email}",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    page = coordinator.get(response.location).get_data(as_text=True)
    assert "Stuurgroep" in page and "om de 8 weken" in page and "Flanders Synergy" in page
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at)).all()
    assert len(meetings) >= 7 and [m.number for m in meetings] == list(range(1, len(meetings) + 1))
    assert to_local(meetings[0].starts_at).strftime("%Y-%m-%d %H:%M") == "2027-09-06 10:00"


def test_an_unknown_member_email_keeps_the_form(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    response = coordinator.post_form("/overleg/nieuw", {
        "kind": "sounding_board", "city_id": "0", "cadence_every": "6", "cadence_unit": "months",
        "first_meeting_on": "2027-09-06", "meeting_time": "10:00", "duration_minutes": "120",
        "members": "niemand@example.org; lid",
    })
    assert response.status_code == 422
    assert "niemand@example.org" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Meeting)).all() == []


def test_changing_the_cadence_replans_only_untouched_future_meetings(app, world):
    body = make_body(world.users["coordinator"], [(world.users["adviser"], "chair")], today=date(2026, 9, 1))
    from warmeveranderen.governance import services

    touched = body.meetings[1]
    services.add_agenda_item(touched, world.users["adviser"], "Begroting 2027")
    data = dict(kind="steering_group", name=body.name, cadence_unit="weeks", cadence_every=6,
                first_meeting_on=body.first_meeting_on, meeting_time="14:00", location="Brussel",
                standard_items=[], avoid_holidays=False)
    services.update_body(body, data, [(world.users["adviser"], "chair", "")], today=date(2026, 9, 1))
    db.session.commit()
    days = _days(body)
    assert date(2026, 11, 9) in days  # the meeting with an item keeps its date
    assert date(2026, 10, 19) in days  # the new six-weekly rhythm
    assert sorted(m.number for m in body.meetings) == list(range(1, len(body.meetings) + 1))


# --- agenda, minutes, actions --------------------------------------------------------------------


def test_agenda_minutes_and_an_open_action_that_returns_until_done(app, world, auth):
    adviser, director = world.users["adviser"], world.users["director"]
    body = make_body(world.users["coordinator"], [(adviser, "chair"), (director, "member")],
                     first=date(2026, 1, 5), today=date(2026, 1, 1), avoid_holidays=False)
    first, second, third = body.meetings[:3]
    chair = auth.client_for(adviser)
    member = auth.client_for(director)
    url = f"/overleg/{body.id}/vergaderingen/{first.id}"
    assert member.post_form(f"{url}/agendapunten", {"title": "Middelen voor Kortrijk"}).status_code == 302
    assert chair.post_form(f"{url}/versturen", {}).status_code == 302
    mail = db.session.scalars(db.select(Notification).where(Notification.user_id == director.id)).one()
    assert mail.category == "governance" and "Middelen voor Kortrijk" in mail.body and "Varia" in mail.body

    response = chair.post_form(f"{url}/verslag", {
        "present": [str(adviser.id)], "excused": [str(director.id)], "summary": "Goed overleg.",
        "decisions": "De klankbordgroep komt in maart samen.",
        "actions-0-title": "Uitnodiging klankbordgroep", "actions-0-owner_id": str(director.id),
        "actions-0-due_on": "2026-02-01",
        "actions-1-title": "Begroting herzien", "actions-1-owner_id": str(adviser.id),
        "actions-1-due_on": "2026-02-15",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    page = chair.get(url).get_data(as_text=True)
    assert "De klankbordgroep komt in maart samen." in page and "Uitnodiging klankbordgroep" in page

    # Both actions are on the next agenda.
    titles = [line.title for line in queries.agenda(second)]
    assert titles[:2] == ["Goedkeuring vorig verslag", "Varia"]
    assert "Actie: Uitnodiging klankbordgroep" in titles and "Actie: Begroting herzien" in titles

    # One is done in the second meeting's minutes; the other stays on the third agenda.
    done = db.session.scalars(db.select(Action).where(Action.title == "Uitnodiging klankbordgroep")).one()
    response = chair.post_form(f"/overleg/{body.id}/vergaderingen/{second.id}/verslag", {
        "present": [str(adviser.id), str(director.id)], "done": [str(done.id)]})
    assert response.status_code == 302
    third_titles = [line.title for line in queries.agenda(third)]
    assert "Actie: Begroting herzien" in third_titles and "Actie: Uitnodiging klankbordgroep" not in third_titles
    # The second meeting's agenda still shows what was open when it began.
    assert "Actie: Uitnodiging klankbordgroep" in [line.title for line in queries.agenda(second)]


def test_minutes_need_an_owner_and_a_date_for_an_action(world, auth):
    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "chair")], first=date(2026, 1, 5),
                     today=date(2026, 1, 1), avoid_holidays=False)
    response = auth.client_for(adviser).post_form(
        f"/overleg/{body.id}/vergaderingen/{body.meetings[0].id}/verslag", {"actions-0-title": "Iets doen"})
    assert response.status_code == 422
    assert 'value="Iets doen"' in response.get_data(as_text=True)


def test_a_school_never_sees_minutes_unless_shared(world, auth):
    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "chair")], first=date(2026, 1, 5),
                     today=date(2026, 1, 1), avoid_holidays=False)
    meeting = body.meetings[0]
    chair = auth.client_for(adviser)
    url = f"/overleg/{body.id}/vergaderingen/{meeting.id}"
    chair.post_form(f"{url}/verslag", {"summary": "Vertrouwelijk besproken.", "decisions": "Besluit A"})
    director = auth.client_for(world.users["director"])
    assert director.get(url).status_code == 403
    assert director.get(f"/overleg/{body.id}").status_code == 403
    assert "Vertrouwelijk" not in director.get("/overleg").get_data(as_text=True)

    chair.post_form(f"{url}/verslag", {"summary": "Vertrouwelijk besproken.", "shared": "y"})
    page = director.get(url)
    assert page.status_code == 200 and "Besluit A" in page.get_data(as_text=True)
    assert director.get(f"/overleg/{body.id}").status_code == 403  # the body itself stays closed
    assert str(meeting.starts_at.year) in director.get("/overleg").get_data(as_text=True)


def test_a_local_steering_group_shares_only_with_its_city(world, auth):
    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "chair")], kind="city_steering_group",
                     city_id=world.other_school.city_id, first=date(2026, 1, 5), today=date(2026, 1, 1),
                     avoid_holidays=False, name="Lokale stuurgroep")
    meeting = body.meetings[0]
    url = f"/overleg/{body.id}/vergaderingen/{meeting.id}"
    auth.client_for(adviser).post_form(f"{url}/verslag", {"summary": "Stad", "shared": "y"})
    if world.school.city_id != world.other_school.city_id:
        assert auth.client_for(world.users["director"]).get(url).status_code == 403
    assert auth.client_for(world.users["outsider"]).get(url).status_code == 200


def test_agenda_and_minutes_as_pdf(world, auth):
    from warmeveranderen import pdf

    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "chair")], first=date(2026, 1, 5),
                     today=date(2026, 1, 1), avoid_holidays=False)
    url = f"/overleg/{body.id}/vergaderingen/{body.meetings[0].id}"
    client = auth.client_for(adviser)
    response = client.get(f"{url}/agenda.pdf")
    if not pdf.available():
        assert response.status_code == 503
        return
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "agenda-Stuurgroep" in response.headers["Content-Disposition"]
    assert client.get(f"{url}/verslag.pdf").status_code == 404  # no minutes yet
    client.post_form(f"{url}/verslag", {"summary": "Kort."})
    assert client.get(f"{url}/verslag.pdf").data.startswith(b"%PDF")


# --- reminders and calendar ---------------------------------------------------------------------


def _log(rule):
    db.session.expire_all()
    return db.session.scalars(db.select(ReminderLog).where(ReminderLog.rule == rule)).all()


def test_reminders_come_once(app, world):
    adviser, director = world.users["adviser"], world.users["director"]
    body = make_body(world.users["coordinator"], [(adviser, "chair"), (director, "secretary")],
                     first=date(2026, 3, 2), today=date(2026, 2, 1), avoid_holidays=False)
    meeting = body.meetings[0]  # Monday 2 March 2026, 14:00 (13:00 UTC)
    sweep(datetime(2026, 2, 24, 8))  # six days before: nothing yet
    assert _log("body_agenda_missing") == []
    sweep(datetime(2026, 2, 25, 14))
    sweep(datetime(2026, 2, 26, 8))
    assert [(r.recipient_id, r.object_key) for r in _log("body_agenda_missing")] == [(adviser.id, f"meeting-{meeting.id}")]

    from warmeveranderen.governance import services

    sweep(datetime(2026, 3, 5, 8))
    assert _log("body_minutes_missing") == []
    sweep(datetime(2026, 3, 5, 14))
    assert {r.recipient_id for r in _log("body_minutes_missing")} == {adviser.id, director.id}
    sweep(datetime(2026, 3, 6, 8))
    assert len(_log("body_minutes_missing")) == 2

    services.record_minutes(meeting, adviser, attendance={}, summary="", decisions=[],
                            actions=[("Rapport schrijven", director.id, date(2026, 3, 10))], done_action_ids=[],
                            shared=False)
    db.session.commit()
    sweep(datetime(2026, 3, 10, 8))
    assert _log("body_action_overdue") == []
    sweep(datetime(2026, 3, 11, 8))
    sweep(datetime(2026, 3, 12, 8))
    assert [r.recipient_id for r in _log("body_action_overdue")] == [director.id]


def test_the_members_calendar_holds_the_meetings(app, world):
    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "member")], first=date(2027, 3, 1),
                     today=date(2027, 2, 1), avoid_holidays=False)
    with app.test_request_context():
        events = [e for e in events_for(adviser) if e.uid.startswith("governance-meeting-")]
        assert events and events[0].uid == f"governance-meeting-{body.meetings[0].id}@warmeveranderen"
        assert not [e for e in events_for(world.users["director"]) if e.uid.startswith("governance-")]


def test_the_body_calendar_download(world, auth):
    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "member")], first=date(2027, 3, 1),
                     today=date(2027, 2, 1), avoid_holidays=False)
    response = auth.client_for(adviser).get(f"/overleg/{body.id}/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == len(body.meetings)
    assert f"UID:governance-meeting-{body.meetings[0].id}@warmeveranderen" in text
    assert auth.client_for(world.users["director"]).get(f"/overleg/{body.id}/agenda.ics").status_code == 403


def test_the_menu_shows_the_bodies_to_the_programme_directors_and_board_only(world, auth):
    for role, shown in [("coordinator", True), ("adviser", True), ("director", True), ("board", True),
                        ("flywheel", False), ("pupil", False)]:
        page = auth.client_for(world.users[role]).get("/").get_data(as_text=True)
        assert ('href="/overleg"' in page) is shown, role


def test_an_action_is_marked_done_by_its_owner_and_leaves_the_open_list(world, auth):
    adviser, director = world.users["adviser"], world.users["director"]
    body = make_body(world.users["coordinator"], [(adviser, "chair"), (director, "member")],
                     first=date(2026, 1, 5), today=date(2026, 1, 1), avoid_holidays=False)
    from warmeveranderen.governance import services

    services.record_minutes(body.meetings[0], adviser, attendance={}, summary="", decisions=[],
                            actions=[("Nota", director.id, date(2026, 2, 1))], done_action_ids=[], shared=False)
    db.session.commit()
    action = db.session.scalars(db.select(Action)).one()
    url = f"/overleg/{body.id}/acties/{action.id}/afgerond"
    assert auth.client_for(director).post_form(url, {"note": "Verstuurd"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, action.id).done_note == "Verstuurd"
    assert queries.open_actions(body) == []
    # Twice is refused, and nothing changes.
    auth.client_for(director).post_form(url, {"note": "Nog eens"})
    db.session.expire_all()
    assert db.session.get(Action, action.id).done_note == "Verstuurd"


def test_a_chair_edits_the_series_but_not_what_the_body_is(world, auth):
    adviser = world.users["adviser"]
    body = make_body(world.users["coordinator"], [(adviser, "chair")], kind="city_steering_group",
                     city_id=world.other_school.city_id, first=date(2026, 1, 5), today=date(2026, 1, 1),
                     avoid_holidays=False, name="Lokale stuurgroep")
    chair = auth.client_for(adviser)
    page = chair.get(f"/overleg/{body.id}/bewerken").get_data(as_text=True)
    assert "wijzigt alleen de coördinator" in page
    form = {"kind": "steering_group", "name": "Lokale stuurgroep Gent", "city_id": "0", "cadence_unit": "weeks",
            "cadence_every": "8", "first_meeting_on": "2026-01-05", "meeting_time": "14:00", "duration_minutes": "120",
            "members": f"{adviser.email}; voorzitter"}
    saved = chair.post_form(f"/overleg/{body.id}/bewerken", form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    db.session.expire_all()
    body = db.session.get(type(body), body.id)
    assert body.kind == "city_steering_group" and body.city_id == world.other_school.city_id
