"""Issue 14, points 2-4: an early close is confirmed and can be undone; initiatives always have a way
forward; a closed sprint keeps what it planned and achieved as it was."""

import re
from datetime import timedelta

import pytest

from warmeveranderen.extensions import db
from warmeveranderen.sprints import cadence, queries, services
from warmeveranderen.sprints.models import Initiative, Sprint, SprintChange
from warmeveranderen.sprints.services import SprintError
from warmeveranderen.timeutil import today, utcnow

RETRO = {"went_well": "Samen gewerkt", "to_improve": "Vaker overleggen", "actions": "", "summary": ""}


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def running(app, world):
    """School A with sprint 1 started two weeks ago (ten weeks long, so ending in eight) and sprint 2 planned."""
    with app.test_request_context():
        monday = today() - timedelta(days=today().weekday() + 14)
        cadence.setup_calendar(world.school, monday, world.users["coordinator"])
        sprint1 = queries.current_sprint(world.school)
        cadence.set_goal(sprint1, "Iedereen voelt zich welkom", world.users["flywheel_lead"])
        cadence.start_sprint(sprint1, world.users["flywheel_lead"])
    return sprint1


def _planned(world, sprint, title, block="culture", status="in_progress", needs_advice=True):
    lead = world.users["flywheel_lead"]
    initiative = services.create_initiative(world.school, {"title": title, "building_block": block,
                                                           "needs_advice": needs_advice}, lead)
    services.plan_initiative(initiative, sprint, lead)
    if status != "planned":
        services.move_initiative(initiative, status, lead)
    return initiative


def _close(sprint, results, user, **extra):
    cadence.close_sprint(sprint, results, user=user, **{**RETRO, **extra})


# --- point 2: closing early ------------------------------------------------------------------------


def test_closing_before_the_end_needs_a_confirmation_naming_the_days_left(ctx, world, running):
    lead = world.users["flywheel_lead"]
    left = (running.end_date - today()).days
    with pytest.raises(SprintError, match=f"nog {left} dagen"):
        _close(running, {}, lead)
    assert running.state == "active"
    _close(running, {}, lead, confirm_early=True)
    assert running.state == "closed"


def test_the_close_form_warns_and_keeps_what_was_typed_without_the_confirmation(app, auth, world, running):
    db.session.commit()
    lead = auth.client_for(world.users["flywheel_lead"])
    left = (running.end_date - today()).days
    page = lead.get(f"/sprints/{running.id}/afsluiten")
    assert f"Deze sprint loopt nog {left} dagen" in page.text and "confirm_early" in page.text
    r = lead.post_form(f"/sprints/{running.id}/afsluiten", {"retro_went_well": "Samen gedragen",
                                                            "retro_to_improve": "Vroeger beginnen"})
    assert r.status_code == 422 and f"nog {left} dagen" in r.text and "Samen gedragen" in r.text
    db.session.expire_all()
    assert db.session.get(Sprint, running.id).state == "active"
    r = lead.post_form(f"/sprints/{running.id}/afsluiten", {"retro_went_well": "Samen gedragen",
                                                            "retro_to_improve": "Vroeger beginnen",
                                                            "confirm_early": "y"})
    assert r.status_code == 302
    # A closed sprint never counts down nor is marked "nu", on its page, the cadence and the home panel.
    sprint_page = lead.get(f"/sprints/{running.id}").text
    assert not re.search(r"nog \d+ dagen", sprint_page) and "afgesloten" in sprint_page
    index = lead.get(f"/scholen/{world.school.id}/sprints").text
    assert ">nu<" not in index
    home = lead.get(f"/scholen/{world.school.id}").text
    assert "Stel het doel van sprint 2 vast" in home  # the next step after an early close
    assert not re.search(r"nog -?\d+ dagen", home.split("sprint-panel-heading", 1)[1].split("</section>", 1)[0])


def test_meetings_and_alignments_are_recorded_for_the_rest_of_a_closed_sprints_period(ctx, world, running):
    lead = world.users["flywheel_lead"]
    _close(running, {}, lead, confirm_early=True)
    cadence.add_meeting(running, today(), [lead.id], "Na de sprint", lead)
    cadence.record_checkpoint(running, "pre_forum", today(), "Directie", "", lead)
    assert {c.kind for c in running.checkpoints} == {"pre_forum"} and len(running.meetings) == 1
    running.end_date = today() - timedelta(days=1)  # its period is over
    with pytest.raises(SprintError, match="periode is voorbij"):
        cadence.add_meeting(running, today() - timedelta(days=1), [lead.id], "", lead)


def test_a_sprint_closed_by_mistake_is_reopened_within_a_week_with_its_initiatives(ctx, world, running):
    lead = world.users["flywheel_lead"]
    carried = _planned(world, running, "Praatronde")
    back = _planned(world, running, "Klasraad", block="people")
    _close(running, {carried.id: ("carried_over", ""), back.id: ("not_achieved", "")}, lead, confirm_early=True)
    assert carried.sprint_id == queries.next_sprint(running).id and back.status == "idea"
    cadence_reason = "Per vergissing afgesloten"
    from warmeveranderen.sprints import closing

    closing.reopen_sprint(running, cadence_reason, lead)
    assert running.state == "active" and running.snapshot is None and running.results == []
    assert carried.sprint_id == running.id and carried.status == "in_progress"
    assert back.sprint_id == running.id and back.status == "in_progress"
    change = db.session.scalar(db.select(SprintChange).where(SprintChange.kind == "reopen"))
    assert change.reason == cadence_reason and change.sprint_id == running.id
    # Only within REOPEN_DAYS, and only while the next sprint has not started.
    _close(running, {carried.id: ("achieved", ""), back.id: ("achieved", "")}, lead, confirm_early=True)
    running.closed_at = utcnow() - timedelta(days=8)
    with pytest.raises(SprintError, match="7 dagen"):
        closing.reopen_sprint(running, "Te laat", lead)


def test_reopening_through_the_sprint_page_records_the_reason(app, auth, world, running):
    with app.test_request_context():
        _close(running, {}, world.users["flywheel_lead"], confirm_early=True)
    db.session.commit()
    lead = auth.client_for(world.users["flywheel_lead"])
    assert "Sprint heropenen" in lead.get(f"/sprints/{running.id}").text
    r = lead.post_form(f"/sprints/{running.id}/heropenen", {"reason": ""})
    assert r.status_code == 422 and "Geef een reden op" in r.text
    r = lead.post_form(f"/sprints/{running.id}/heropenen", {"reason": "Te vroeg op de knop gedrukt"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Sprint, running.id).state == "active"
    assert "Te vroeg op de knop gedrukt" in lead.get(f"/scholen/{world.school.id}/sprints").text
    # A plain flywheel member cannot reopen (the trekker or the coordinator can).
    member = auth.client_for(world.users["flywheel"])
    assert "Sprint heropenen" not in member.get(f"/sprints/{running.id}").text


# --- point 3: initiatives that need advice ---------------------------------------------------------


def test_a_small_action_is_done_without_the_forum_and_the_board_offers_only_allowed_moves(app, auth, world, running):
    with app.test_request_context():
        change = _planned(world, running, "Nieuw schoolreglement")
        small = _planned(world, running, "Affiches ophangen", needs_advice=False)
        with pytest.raises(SprintError, match="forum"):
            services.move_initiative(change, "done", world.users["flywheel_lead"])
        assert "done" in services.allowed_moves(small, world.users["flywheel_lead"])
        assert "done" not in services.allowed_moves(change, world.users["flywheel_lead"])
    db.session.commit()
    lead = auth.client_for(world.users["flywheel_lead"])
    board = lead.get(f"/sprints/{running.id}/bord").text
    small_card = board.split(f'id="card-{small.id}"', 1)[1].split("</li>", 1)[0]
    change_card = board.split(f'id="card-{change.id}"', 1)[1].split("</li>", 1)[0]
    assert 'value="done"' in small_card and 'value="done"' not in change_card
    assert "Niet nodig: een kleine praktische actie" in lead.get(f"/initiatieven/{small.id}").text
    assert "Afgerond kan pas na een besluit" in change_card
    r = lead.post_form(f"/initiatieven/{small.id}/status", {"status": "done"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Initiative, small.id).status == "done"


def test_the_initiative_form_asks_whether_the_forum_advises(app, auth, world):
    lead = auth.client_for(world.users["flywheel_lead"])
    page = lead.get(f"/scholen/{world.school.id}/initiatieven/nieuw")
    box = re.search(r"<input[^>]*name=\"needs_advice\"[^>]*>", page.text).group(0)
    assert "checked" in box and "Vink het uit voor een kleine praktische actie" in page.text
    r = lead.post_form(f"/scholen/{world.school.id}/initiatieven/nieuw", {"title": "Stoelen rechtzetten",
                                                                     "building_block": "structure"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Initiative.needs_advice).where(Initiative.title == "Stoelen rechtzetten")) is False


def test_achieved_at_close_is_done_when_allowed_else_goes_on_to_the_next_sprint(ctx, world, running):
    lead = world.users["flywheel_lead"]
    change = _planned(world, running, "Nieuw schoolreglement")
    small = _planned(world, running, "Affiches ophangen", needs_advice=False)
    partly = _planned(world, running, "Leerlingenraad", block="people")
    _close(running, {change.id: ("achieved", ""), small.id: ("achieved", ""), partly.id: ("partly", "")}, lead,
           confirm_early=True)
    following = queries.next_sprint(running)
    assert small.status == "done" and small.sprint_id == running.id
    assert change.status == "in_progress" and change.sprint_id == following.id
    assert partly.sprint_id == following.id
    # The way forward: in the next sprint it can be put to the forum and moved on the board.
    assert "ready_for_forum" in services.allowed_moves(change, lead)


# --- point 4: a closed sprint keeps its history ----------------------------------------------------


def test_a_closed_sprint_keeps_its_coverage_and_burnup_as_at_the_close(ctx, world, running):
    lead = world.users["flywheel_lead"]
    blocks = ["culture", "people", "structure", "systems"]
    items = [_planned(world, running, f"Initiatief {b}", block=b, needs_advice=(b != "culture")) for b in blocks]
    services.move_initiative(items[0], "done", lead)
    before = queries.coverage(items)
    _close(running, {items[0].id: ("achieved", ""), items[1].id: ("carried_over", ""),
                     items[2].id: ("not_achieved", ""), items[3].id: ("partly", "")}, lead, confirm_early=True)
    assert sum(1 for n in queries.sprint_coverage(running, queries.sprint_initiatives(running)).values() if n) == 4
    assert queries.sprint_coverage(running, queries.sprint_initiatives(running)) == before
    rows = queries.burnup(running)
    assert rows[0][3] == 4 and rows[-1][3] == 4  # the scope as planned, not what stayed behind
    done_now = [done for _w, _d, done, _s in rows if done is not None]
    assert done_now and done_now[-1] == 1
    assert running.snapshot["planned"] == 4 and running.snapshot["achieved"] == 1
    # Later changes elsewhere do not rewrite it.
    items[0].status = "in_progress"
    db.session.flush()
    assert queries.burnup(running) == rows
    coverage = dict(queries.coverage_over_sprints(world.school))
    assert coverage[running] == before


def test_an_initiative_left_open_in_a_closed_sprint_can_be_planned_again(app, auth, world, running):
    """Sprints closed before this fix left "achieved" initiatives in progress in the closed sprint."""
    with app.test_request_context():
        stuck = _planned(world, running, "Nieuw schoolreglement")
    running.state, running.closed_at = "closed", utcnow()
    db.session.commit()
    following = queries.next_sprint(running)
    lead = auth.client_for(world.users["flywheel_lead"])
    page = lead.get(f"/initiatieven/{stuck.id}").text
    assert "bleef open in de afgesloten sprint 1" in page and f'value="{following.id}"' in page
    r = lead.post_form(f"/initiatieven/{stuck.id}/plannen", {"sprint_id": following.id})
    assert r.status_code == 302
    db.session.expire_all()
    again = db.session.get(Initiative, stuck.id)
    assert again.sprint_id == following.id and again.status == "in_progress"
