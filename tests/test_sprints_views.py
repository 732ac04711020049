"""Sprints through HTTP, as people use them: the Done-when walk-through, bad input, read-only access."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.factories_sprints import BasketItemFactory, InitiativeFactory
from warmeveranderen.demo import load_demo
from warmeveranderen.extensions import db
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.schoolcalendar import SchoolCalendar
from warmeveranderen.sprints import cadence, queries
from warmeveranderen.sprints.models import (
    BasketItem,
    Checkpoint,
    FlywheelMeeting,
    Initiative,
    InitiativeEvent,
    Sprint,
    SprintCalendar,
)
from warmeveranderen.timeutil import today


def _user(email_local):
    from warmeveranderen.accounts.models import User

    return db.session.scalar(db.select(User).where(User.email == demo_email(email_local)))


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_done_when_walkthrough_on_the_demo_school(app, auth):
    school = load_demo()
    password = app.config["DEMO_PASSWORD"]
    lead = auth.client_for(_user("trekker"), password)

    # The demo: sprint 1 runs today without a goal, sprint 2 exists, a few ideas on the backlog, a basket.
    sprint1 = queries.current_sprint(school)
    assert sprint1.number == 1 and sprint1.goal == "" and sprint1.contains(today())
    sprint2 = queries.next_sprint(sprint1)
    calendar = SchoolCalendar()
    assert sprint2.start_date == calendar.next_school_day(sprint1.end_date)
    assert len(calendar.school_week_mondays(sprint2.start_date, sprint2.end_date)) >= 10  # ten school weeks
    assert len(db.session.scalars(db.select(BasketItem)).all()) >= 6
    home = lead.get(f"/scholen/{school.id}")
    assert "Stel het doel van sprint 1 vast." in home.text

    # Start without a goal is refused; an empty goal gets a Dutch message on the form.
    r = lead.post_form(f"/sprints/{sprint1.id}/starten")
    assert r.status_code == 302 and _fresh(Sprint, sprint1.id).state == "planned"
    r = lead.post_form(f"/sprints/{sprint1.id}/doel", {"goal": "  "})
    assert r.status_code == 422 and "Vul een sprintdoel in" in r.text
    r = lead.post_form(f"/sprints/{sprint1.id}/doel", {"goal": "Elke leerling voelt zich welkom op school."})
    assert r.status_code == 302
    r = lead.post_form(f"/sprints/{sprint1.id}/starten")
    assert _fresh(Sprint, sprint1.id).state == "active"

    # Three initiatives across three building blocks, one from the basket.
    r = lead.post_form(f"/scholen/{school.id}/initiatieven/nieuw", {"title": "Zonder bouwsteen",
                                                                    "description": "Mijn tekst"})
    assert r.status_code == 422 and "Kies een bouwsteen." in r.text and "Mijn tekst" in r.text
    for title, block in [("Vaste aanspreekpunten", "structure"), ("Intervisie titularissen", "people")]:
        r = lead.post_form(f"/scholen/{school.id}/initiatieven/nieuw",
                           {"title": title, "building_block": block, "core_missions": ["involvement"]})
        assert r.status_code == 302
    item = db.session.scalar(db.select(BasketItem).where(BasketItem.building_block == "culture"))
    page = lead.get(f"/aanbodkorf/{item.id}")
    assert "Op de backlog zetten" in page.text
    r = lead.post_form(f"/aanbodkorf/{item.id}/naar-backlog/{school.id}",
                       {f"s{school.id}-owner_id": str(_user("trekker").id)})
    assert r.status_code == 302
    new = db.session.scalars(db.select(Initiative).where(Initiative.created_by_id == _user("trekker").id)
                             .order_by(Initiative.id.desc())).all()[:3]
    assert {i.building_block for i in new} == {"structure", "people", "culture"}
    from_basket = next(i for i in new if i.basket_item_id == item.id)
    assert f"/aanbodkorf/{item.id}" in lead.get(f"/initiatieven/{from_basket.id}").text
    for initiative in new:
        r = lead.post_form(f"/initiatieven/{initiative.id}/plannen", {"sprint_id": sprint1.id})
        assert r.status_code == 302
    sprint_page = lead.get(f"/sprints/{sprint1.id}")
    assert "Integrale dekking" in sprint_page.text and "Let op:" not in sprint_page.text

    # Start alignment and two flywheel meetings.
    r = lead.post_form(f"/sprints/{sprint1.id}/afstemming/start",
                       {"start-held_on": sprint1.start_date.isoformat(), "start-who": "Dirk Directeur, Bea Bestuur",
                        "start-note": "Doel en initiatieven afgestemd."})
    assert r.status_code == 302
    flywheel = [_user("trekker").id, _user("vliegwiel").id]
    for day in (sprint1.start_date + timedelta(days=1), today()):
        r = lead.post_form(f"/sprints/{sprint1.id}/overleg",
                           {"held_on": day.isoformat(), "attendees": flywheel, "notes": "**Besproken:** onthaal"})
        assert r.status_code == 302
    assert len(db.session.scalars(db.select(FlywheelMeeting)).all()) == 2
    assert "Laatst samengekomen" in lead.get(f"/sprints/{sprint1.id}").text

    # Move cards across the board.
    for initiative in new:
        lead.post_form(f"/initiatieven/{initiative.id}/status", {"status": "in_progress"})
    lead.post_form(f"/initiatieven/{new[0].id}/status", {"status": "done"})
    lead.post_form(f"/initiatieven/{new[1].id}/status", {"status": "ready_for_forum"})
    board = lead.get(f"/sprints/{sprint1.id}/bord")
    assert "Verplaatst door Tine Trekker" in board.text
    moves = db.session.scalars(db.select(InitiativeEvent).where(InitiativeEvent.to_status == "in_progress")).all()
    assert len(moves) == 3 and all(m.user_id == _user("trekker").id for m in moves)

    # Pre-forum alignment, then close with review and retrospective.
    lead.post_form(f"/sprints/{sprint1.id}/afstemming/pre_forum",
                   {"pre_forum-held_on": today().isoformat(), "pre_forum-who": "Dirk Directeur",
                    "pre_forum-note": "Twee initiatieven gaan naar het forum."})
    assert {c.kind for c in db.session.scalars(db.select(Checkpoint))} == {"start", "pre_forum"}
    results = {f"result_{new[0].id}": "achieved", f"result_{new[1].id}": "carried_over",
               f"note_{new[1].id}": "Wacht op forumadvies"}
    r = lead.post_form(f"/sprints/{sprint1.id}/afsluiten", {**results, "retro_went_well": "Samen gedragen",
                                                            "retro_to_improve": ""})
    assert r.status_code == 422 and "Kies een resultaat." in r.text and "Wacht op forumadvies" in r.text
    assert "Samen gedragen" in r.text and _fresh(Sprint, sprint1.id).state == "active"
    results[f"result_{new[2].id}"] = "partly"
    r = lead.post_form(f"/sprints/{sprint1.id}/afsluiten", {
        **results, "review_summary": "Onthaal loopt.", "retro_went_well": "Samen gedragen",
        "retro_to_improve": "Forum vroeger betrekken", "retro_actions": "Forumdatum vastleggen",
        "confirm_early": "y"})
    assert r.status_code == 302
    closed = _fresh(Sprint, sprint1.id)
    assert closed.state == "closed"
    assert _fresh(Initiative, new[1].id).sprint_id == sprint2.id
    page = lead.get(f"/sprints/{sprint1.id}")
    assert "afgesloten" in page.text and "Sprint afsluiten" not in page.text and "Doel opslaan" not in page.text
    assert "Forumdatum vastleggen" in lead.get(f"/sprints/{sprint2.id}").text
    r = lead.post_form(f"/sprints/{sprint1.id}/doel", {"goal": "Ander doel"})
    assert r.status_code == 422 and "afgesloten" in r.text
    assert _fresh(Sprint, sprint1.id).goal.startswith("Elke leerling")

    # Sprint 2 already exists with the right dates; the charts show it.
    assert _fresh(Sprint, sprint2.id).start_date == calendar.next_school_day(closed.end_date)
    charts = lead.get(f"/scholen/{school.id}/sprints/grafieken")
    assert charts.status_code == 200 and "<caption>" in charts.text
    coverage = re.search(r"<th scope=\"row\">Sprint 1</th>(.*?)</tr>", charts.text, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", coverage) == ["1", "1", "0", "1", "0"]
    svg = lead.get(f"/scholen/{school.id}/sprints/dekking.svg")
    assert svg.mimetype == "image/svg+xml" and b"Sprint 1" in svg.data
    burnup = lead.get(f"/sprints/{sprint1.id}/burnup.svg")
    assert burnup.status_code == 200 and burnup.mimetype == "image/svg+xml"

    # A forum member reads the sprint but cannot change it.
    forum = auth.client_for(_user("forumlid"), password)
    page = forum.get(f"/sprints/{sprint2.id}")
    assert page.status_code == 200 and "Je kunt deze sprint lezen" in page.text
    assert "Doel opslaan" not in page.text and "Plannen" not in page.text
    board = forum.get(f"/sprints/{sprint2.id}/bord")
    assert board.status_code == 200 and "Verplaatst door" in board.text and "name=\"status\"" not in board.text
    assert forum.post_form(f"/sprints/{sprint2.id}/doel", {"goal": "Van het forum"}).status_code == 403
    assert forum.post_form(f"/initiatieven/{new[1].id}/status", {"status": "dropped"}).status_code == 403
    assert _fresh(Initiative, new[1].id).status == "ready_for_forum"


@pytest.fixture
def running(world):
    monday = today() - timedelta(days=today().weekday() + 7)
    calendar = SprintCalendar(school_id=world.school.id, start_date=monday)
    db.session.add(calendar)
    db.session.commit()
    cadence.ensure_sprints(world.school)
    sprint = queries.current_sprint(world.school)
    sprint.goal = "Doel"
    sprint.state = "active"
    db.session.commit()
    return sprint


def test_backlog_reorders_without_and_with_javascript(world, auth, running):
    a, b, c = (InitiativeFactory(school=world.school, title=t, position=n) for n, t in enumerate("ABC", 1))
    client = auth.client_for(world.users["flywheel"])
    page = client.get(f"/scholen/{world.school.id}/backlog")
    assert 'src="/static/js/sprints.js"' in page.text and "Hoger" in page.text
    r = client.post_form(f"/initiatieven/{c.id}/volgorde", {"direction": "up"})
    assert r.status_code == 302
    titles = lambda: [i.title for i in db.session.scalars(queries.open_backlog_query(world.school))]  # noqa: E731
    db.session.expire_all()
    assert titles() == ["A", "C", "B"]
    r = client.post_form(f"/scholen/{world.school.id}/backlog/volgorde", {"ids": [b.id, a.id, c.id]},
                         headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json == {"ok": True}
    db.session.expire_all()
    assert titles() == ["B", "A", "C"]
    r = client.post_form(f"/scholen/{world.school.id}/backlog/volgorde", {"ids": [b.id]},
                         headers={"Accept": "application/json"})
    assert r.status_code == 409 and "gewijzigd" in r.json["message"]
    # Readers get the list without controls or the script.
    page = auth.client_for(world.users["board"]).get(f"/scholen/{world.school.id}/backlog")
    assert "Hoger" not in page.text and "sprints.js" not in page.text and "A" in page.text


def test_planning_into_a_closed_sprint_shows_a_message(world, auth, running):
    idea = InitiativeFactory(school=world.school)
    running.state = "closed"
    db.session.commit()
    client = auth.client_for(world.users["flywheel_lead"])
    r = client.post_form(f"/initiatieven/{idea.id}/plannen", {"sprint_id": running.id})
    assert r.status_code == 302
    page = client.get(r.location)
    assert "is afgesloten: je kunt er niets meer in plannen" in page.text
    assert _fresh(Initiative, idea.id).sprint_id is None


def test_coordinator_moves_a_sprint_with_a_reason(world, auth, running):
    following = queries.next_sprint(running)
    client = auth.client_for(world.users["coordinator"])
    new_start = following.start_date + timedelta(days=7)
    r = client.post_form(f"/sprints/{following.id}/verschuiven", {"new_start": new_start.isoformat(), "reason": ""})
    assert r.status_code == 422 and "Geef een reden op." in r.text
    r = client.post_form(f"/sprints/{following.id}/verschuiven", {"new_start": "31-02-2027", "reason": "x"})
    assert r.status_code == 422 and "geldige datum" in r.text
    r = client.post_form(f"/sprints/{following.id}/verschuiven",
                         {"new_start": (running.start_date + timedelta(days=2)).isoformat(), "reason": "Te vroeg"})
    assert r.status_code == 422 and "breekt de cadans" in r.text
    r = client.post_form(f"/sprints/{following.id}/verschuiven",
                         {"new_start": new_start.isoformat(), "reason": "Examenperiode"})
    assert r.status_code == 302
    assert _fresh(Sprint, running.id).end_date == SchoolCalendar().previous_school_day(new_start)
    page = client.get(f"/scholen/{world.school.id}/sprints")
    assert "Examenperiode" in page.text and "verschoven" in page.text
    # The flywheel cannot move sprints.
    flywheel = auth.client_for(world.users["flywheel_lead"])
    assert flywheel.get(f"/sprints/{following.id}/verschuiven").status_code == 403


def test_calendar_setup_by_the_flywheel_lead(world, auth):
    client = auth.client_for(world.users["flywheel_lead"])
    page = client.get(f"/scholen/{world.school.id}/sprints")
    assert "Sprintkalender instellen" in page.text
    r = client.post_form(f"/scholen/{world.school.id}/sprints/kalender", {"start_date": ""})
    assert r.status_code == 422 and "geldige datum" in r.text
    r = client.post_form(f"/scholen/{world.school.id}/sprints/kalender", {"start_date": "2026-11-16"})
    assert r.status_code == 302
    assert [s.number for s in queries.sprints_of(world.school)][:2] == [1, 2]
    r = client.post_form(f"/scholen/{world.school.id}/sprints/kalender", {"start_date": "2026-11-23"})
    assert r.status_code == 302 and "al een sprintkalender" in client.get(r.location).text


def test_basket_crud_by_the_coordinator(world, auth):
    client = auth.client_for(world.users["coordinator"])
    r = client.post_form("/aanbodkorf/nieuw", {"title": "Leerlingenraad", "what": "", "building_block": "structure"})
    assert r.status_code == 422 and "Beschrijf wat het aanbod inhoudt." in r.text and "Leerlingenraad" in r.text
    r = client.post_form("/aanbodkorf/nieuw", {"title": "Leerlingenraad", "what": "Inspraak",
                                               "building_block": "structure", "links": "scholierenkoepel.be",
                                               "active": "y"})
    assert r.status_code == 422 and "https://" in r.text
    r = client.post_form("/aanbodkorf/nieuw", {"title": "Leerlingenraad", "what": "Inspraak", "audience": "Leerlingen",
                                               "building_block": "structure", "core_missions": ["involvement"],
                                               "provider": "Vlaamse Scholierenkoepel",
                                               "links": "https://www.scholierenkoepel.be", "active": "y"})
    assert r.status_code == 302
    item = db.session.scalar(db.select(BasketItem))
    assert item.core_missions == ["involvement"] and item.active
    r = client.post_form(f"/aanbodkorf/{item.id}/bewerken", {"title": "Leerlingenraad", "what": "Inspraak",
                                                             "building_block": "structure"})
    assert r.status_code == 302 and not _fresh(BasketItem, item.id).active
    # Hidden items are gone for schools.
    flywheel = auth.client_for(world.users["flywheel"])
    assert "Leerlingenraad" not in flywheel.get("/aanbodkorf").text
    assert "Leerlingenraad" in client.get("/aanbodkorf").text
    assert flywheel.get("/aanbodkorf/nieuw").status_code == 403


def test_school_panel_shows_the_current_sprint(world, auth, running):
    InitiativeFactory(school=world.school, sprint=running, status="planned", building_block="culture")
    page = auth.client_for(world.users["forum"]).get(f"/scholen/{world.school.id}")
    assert "Sprint 1" in page.text and "nog " in page.text and "Dekking: 1 van de 5 bouwstenen" in page.text
    assert "Let op:" in page.text
    assert "Sprint 2 begint op" in page.text


def _count_queries(client, url):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_board_and_backlog_query_counts_do_not_grow_with_the_backlog(world, auth, running, app, monkeypatch):
    # The pages as rendered (a kept page is one statement at any size; fastpath.py first reads the
    # person's state for a page it served before, a statement more after a change).
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)
    owners = [world.users["flywheel"], world.users["flywheel_lead"], world.users["director"]]
    item = BasketItemFactory(programme=world.school.programme)

    def add(n):
        rows = []
        for k in range(n):
            rows.append(Initiative(school_id=world.school.id, title=f"Initiatief {k}", building_block="culture",
                                   status=["planned", "in_progress", "ready_for_forum", "done"][k % 4],
                                   sprint_id=running.id if k % 2 == 0 else None, position=k,
                                   owner_id=owners[k % 3].id, basket_item_id=item.id if k % 5 == 0 else None))
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(InitiativeEvent(initiative_id=i.id, to_status=i.status, user_id=owners[0].id)
                           for i in rows)
        db.session.commit()

    client = auth.client_for(world.users["flywheel"])
    add(5)
    board_small = _count_queries(client, f"/sprints/{running.id}/bord")
    backlog_small = _count_queries(client, f"/scholen/{world.school.id}/backlog")
    add(495)
    board_large = _count_queries(client, f"/sprints/{running.id}/bord")
    backlog_large = _count_queries(client, f"/scholen/{world.school.id}/backlog")
    assert board_large == board_small, (board_small, board_large)
    assert backlog_large == backlog_small, (backlog_small, backlog_large)
    assert board_large < 25


def test_a_sprint_whose_first_day_came_reads_to_start_not_planned(world, auth):
    """Issue 14 (polish): a started period without a press on *start* is not "Gepland"."""
    monday = today() - timedelta(days=today().weekday() + 7)
    db.session.add(SprintCalendar(school_id=world.school.id, start_date=monday))
    db.session.commit()
    cadence.ensure_sprints(world.school)
    db.session.commit()
    client = auth.client_for(world.users["flywheel_lead"])
    calendar_page = client.get(f"/scholen/{world.school.id}/sprints").text
    rows = re.findall(r"<tr[^>]*>.*?</tr>", calendar_page, flags=re.S)
    first = next(r for r in rows if "Sprint 1" in r)
    later = next(r for r in rows if "Sprint 2" in r)
    assert "Te starten" in first and "Gepland" not in first
    assert "Gepland" in later
