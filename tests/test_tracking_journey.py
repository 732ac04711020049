"""The Done-when of the advisers' follow-up, as users do it through HTTP with real forms."""

from datetime import date, timedelta

from tests.factories import AdviserAssignmentFactory, SchoolFactory, UserFactory
from tests.factories_tracking import CoachingSessionFactory
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import today
from warmeveranderen.tracking import imports, queries, services
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating, WellbeingMeasurement
from warmeveranderen.tracking.windows import school_year

LEVELS = ["realised", "in_progress", "started", "not_started", "realised", "in_progress", "started", "realised",
          "in_progress"]


def rating_form(day: date, levels=LEVELS, **extra) -> dict:
    data = {"measured_on": day.isoformat()}
    for number, level in enumerate(levels, start=1):
        data[f"i{number}-level"] = level
        data[f"i{number}-remark"] = f"Opmerking bij indicator {number}"
        data[f"i{number}-evidence"] = ""
    data.update(extra)
    return data


def counts(wb, inv) -> dict:
    data = {}
    for n in range(5):
        data[f"wellbeing_{n + 1}"] = wb[n]
        data[f"involvement_{n + 1}"] = inv[n]
    return data


def test_adviser_logs_sessions_rates_indicators_and_director_measures(world, auth):
    school = world.school
    adviser = auth.client_for(world.users["adviser"])

    # A collective session for the school's network and an individual one for the school.
    response = adviser.post_form(f"/netwerken/{school.network_id}/sessies/nieuw", {
        "held_on": "2026-10-06", "duration_minutes": "150", "advisers": str(world.users["adviser"].id),
        "participants": "trekkers (5)", "summary": "Netwerkdag over sprintdoelen.", "notes": "Alleen voor ons.",
    })
    assert response.status_code == 302
    response = adviser.post_form(f"/scholen/{school.id}/sessies/nieuw", {
        "held_on": "2026-10-13", "duration_minutes": "90", "advisers": str(world.users["adviser"].id),
        "participants": "vliegwiel (6)", "summary": "Rollen in het vliegwiel afgesproken.",
        "notes": "De **trekker** twijfelt nog.",
    })
    assert response.status_code == 302
    sessions = db.session.scalars(db.select(CoachingSession).order_by(CoachingSession.held_on)).all()
    assert [(s.kind, s.network_id, s.school_id) for s in sessions] == [
        ("collective", school.network_id, None), ("individual", school.network_id, school.id)]

    # The adviser is asked to rate, then rates the nine indicators.
    home = adviser.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert f"Scoor de indicatoren voor {school.name}" in home
    response = adviser.post_form(f"/scholen/{school.id}/indicatoren/scoren", rating_form(today()))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(IndicatorRating.id))) == 9
    home = adviser.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Scoor de indicatoren" not in home

    # The director enters a pre and a post measurement for two groups.
    director = auth.client_for(world.users["director"])
    year = school_year(today())
    for moment, wb in (("pre", (1, 3, 8, 9, 3)), ("post", (0, 2, 6, 11, 5))):
        for group in ("3A", "Leergemeenschap eerste graad"):
            response = director.post_form(f"/scholen/{school.id}/welbevinden", {
                "school_year": year, "moment": moment, "group_name": group, **counts(wb, (2, 4, 9, 7, 2)),
            })
            assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(WellbeingMeasurement.id))) == 4

    # The school's progress page shows it all, without the adviser's notes.
    page = director.get(f"/scholen/{school.id}/voortgang").get_data(as_text=True)
    assert "Gerealiseerd" in page and "Nog niet gestart" in page
    assert "Rollen in het vliegwiel afgesproken." in page and "Netwerkdag over sprintdoelen." in page
    assert "trekker</strong> twijfelt" not in page
    assert "66,7\u00a0%" in page  # well-being 4-5 after: 16 of 24 pupils in each group (decimal comma)
    wellbeing_page = director.get(f"/scholen/{school.id}/welbevinden?jaar={year}").get_data(as_text=True)
    assert "Leergemeenschap eerste graad" in wellbeing_page and "Van voormeting naar nameting" in wellbeing_page
    chart = director.get(f"/scholen/{school.id}/welbevinden/evolutie.svg?jaar={year}&schaal=wellbeing")
    assert chart.mimetype == "image/svg+xml" and "Leergemeenschap eerste graad" in chart.get_data(as_text=True)
    chart = director.get(f"/scholen/{school.id}/welbevinden/verdeling.svg?jaar={year}&moment=post&schaal=involvement")
    assert chart.status_code == 200 and "3A" in chart.get_data(as_text=True)

    # The network page shows the collective session; the programme page and the report show the figures.
    network_page = director.get(f"/netwerken/{school.network_id}").get_data(as_text=True)
    assert "Netwerkdag over sprintdoelen." in network_page
    assert "Indicatoren van de scholen" not in network_page  # other schools' levels are for advisers
    network_page = adviser.get(f"/netwerken/{school.network_id}").get_data(as_text=True)
    assert "Indicatoren van de scholen" in network_page
    matrix = adviser.get("/programma/opvolging").get_data(as_text=True)
    assert school.name in matrix and "Geen score dit schooljaar" not in matrix
    coordinator = auth.client_for(world.users["coordinator"])
    report = coordinator.get("/programma/rapport").get_data(as_text=True)
    assert "1 collectieve sessies in de lerende netwerken en 1 individuele sessies" in report
    assert "66,7\u00a0%" in report
    csv_text = coordinator.get("/programma/rapport.csv?deel=indicatoren").get_data(as_text=True)
    assert csv_text.splitlines()[1].startswith("1,") and csv_text.splitlines()[1].endswith(",1,0,0,0,1")


def test_session_notes_are_for_the_adviser_team_only(world, auth):
    session = CoachingSessionFactory(school=world.school, advisers=[world.users["adviser"]])
    for role in ("director", "flywheel", "pupil"):
        page = auth.client_for(world.users[role]).get(f"/sessies/{session.id}").get_data(as_text=True)
        assert "Sprintdoel aangescherpt." in page
        assert "twijfelt" not in page and "Notities" not in page
    for role in ("adviser", "coordinator"):
        page = auth.client_for(world.users[role]).get(f"/sessies/{session.id}").get_data(as_text=True)
        assert "<strong>trekker</strong> twijfelt" in page
    assert auth.client_for(world.users["outsider"]).get(f"/sessies/{session.id}").status_code == 403


def test_collective_session_belongs_to_the_network_schools(world, auth):
    session = CoachingSessionFactory(kind="collective", school=None, network=world.school.network,
                                     advisers=[world.users["adviser"]])
    assert auth.client_for(world.users["forum"]).get(f"/sessies/{session.id}").status_code == 200
    assert auth.client_for(world.users["outsider"]).get(f"/sessies/{session.id}").status_code == 403
    # An adviser of another network may not log a session for this one.
    stranger = UserFactory(is_adviser=True)
    AdviserAssignmentFactory(adviser=stranger, school=world.other_school)
    client = auth.client_for(stranger)
    assert client.get(f"/netwerken/{world.school.network_id}/sessies/nieuw").status_code == 403


def test_session_form_refuses_bad_input_and_keeps_it(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"/scholen/{world.school.id}/sessies/nieuw", {
        "held_on": "", "duration_minutes": "-5", "summary": "Mijn samenvatting", "advisers": "",
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies de datum." in page and "Mijn samenvatting" in page and "Kies minstens één adviseur." in page
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 0


def test_edit_and_delete_session(world, auth):
    session_id = CoachingSessionFactory(school=world.school, advisers=[world.users["adviser"]]).id
    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"/sessies/{session_id}/bewerken", {
        "held_on": "2026-10-07", "duration_minutes": "60", "advisers": str(world.users["adviser"].id),
        "summary": "Aangepast.", "notes": "",
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CoachingSession, session_id).summary == "Aangepast."
    assert auth.client_for(world.users["director"]).post_form(f"/sessies/{session_id}/verwijderen").status_code == 403
    assert adviser.post_form(f"/sessies/{session_id}/verwijderen").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(CoachingSession.id).where(CoachingSession.id == session_id)) is None


def test_sessions_between_for_calendar_feeds(app):
    school = SchoolFactory()
    CoachingSessionFactory(school=school, held_on=date(2026, 9, 30))
    inside = CoachingSessionFactory(school=school, held_on=date(2026, 10, 1))
    CoachingSessionFactory(kind="collective", school=None, network=school.network, held_on=date(2026, 10, 31))
    CoachingSessionFactory(school=school, held_on=date(2026, 11, 1))
    found = queries.sessions_between(date(2026, 10, 1), date(2026, 10, 31))
    assert [s.held_on for s in found] == [date(2026, 10, 1), date(2026, 10, 31)]
    assert found[0].id == inside.id


def test_planned_session_is_marked(world, auth):
    CoachingSessionFactory(school=world.school, held_on=today() + timedelta(days=14), advisers=[world.users["adviser"]])
    page = auth.client_for(world.users["director"]).get(f"/scholen/{world.school.id}/voortgang").get_data(as_text=True)
    assert "gepland" in page


def test_progress_page_uses_a_fixed_number_of_queries(world, auth, app, monkeypatch):
    from sqlalchemy import event

    # The page as rendered: a kept page is one statement at any size (tests/test_fastpath.py).
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)

    from tests.factories_tracking import IndicatorRatingFactory, MilestoneFactory, WellbeingMeasurementFactory

    client = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/voortgang"

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def add(n: int) -> None:
        definitions = services.indicators()
        for i in range(n):
            CoachingSessionFactory(school=world.school, advisers=[world.users["adviser"]])
            IndicatorRatingFactory(school=world.school, indicator=definitions[i % 9])
            MilestoneFactory(school=world.school, kind="evaluation")
            WellbeingMeasurementFactory(school=world.school)

    add(1)
    small = count()
    add(12)
    assert count() == small


def test_an_untouched_session_form_saves_nothing(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    url = f"/scholen/{world.school.id}/sessies/nieuw"
    page = adviser.get(url).get_data(as_text=True)
    assert today().isoformat() in page  # the form offers today...
    response = adviser.post_form(url, {"held_on": today().isoformat(), "advisers": str(world.users["adviser"].id)})
    assert response.status_code == 422  # ...but saving it untouched records nothing
    assert "Beschrijf de sessie" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 0


def test_the_same_session_twice_is_caught_unless_confirmed(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    url = f"/netwerken/{world.school.network_id}/sessies/nieuw"
    data = {"held_on": "2026-10-06", "advisers": str(world.users["adviser"].id), "summary": "Netwerkdag."}
    assert adviser.post_form(url, data).status_code == 302
    response = adviser.post_form(url, {**data, "summary": "Netwerkdag, nog eens."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "staat deze sessie al genoteerd" in page and "Toch opslaan" in page
    assert "Netwerkdag, nog eens." in page
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 1
    assert adviser.post_form(url, {**data, "allow_duplicate": "y"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 2


def test_dates_must_be_plausible(world, auth):
    adviser = auth.client_for(world.users["adviser"])
    url = f"/scholen/{world.school.id}/sessies/nieuw"
    data = {"advisers": str(world.users["adviser"].id), "summary": "Begeleiding."}
    for day in ("0001-01-01", (today() + timedelta(days=3 * 365)).isoformat()):
        response = adviser.post_form(url, {**data, "held_on": day})
        assert response.status_code == 422 and "Kies een datum tussen" in response.get_data(as_text=True), day
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 0
    director = auth.client_for(world.users["director"])
    response = director.post_form(f"/scholen/{world.school.id}/mijlpalen",
                                  {"kind": "intake", "happened_on": "2031-09-01"})
    assert response.status_code == 422 and "Een mijlpaal is bereikt" in response.get_data(as_text=True)
    network = world.school.network.name
    bad = f"date;kind;network;school;adviser_email;duration_minutes;notes\n0001-01-01;collectief;{network};;;;\n"
    result = imports.import_sessions(imports.read_csv(bad.encode(), imports.SESSION_COLUMNS))
    assert not result.ok and "Kies een datum tussen" in result.refused[0][1]
