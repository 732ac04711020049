"""Imports (CLI and upload), the session report, the programme page (scope, filters, query count), the report."""

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.factories import AdviserAssignmentFactory, UserFactory
from tests.factories_tracking import CoachingSessionFactory, IndicatorRatingFactory
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, School, WarmCity
from warmeveranderen.tracking import imports, services
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating

DATA = Path(__file__).parent / "data"
ADVISER = "adviseur@programma.example.org"


def read(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sessions_from_counts() -> list[list]:
    """One row per session, built from the programme's session counts (2017-2020)."""
    rows = []
    start = date(2017, 9, 4)
    for network in read("session_counts_networks.csv"):
        for i in range(int(network["collective_sessions"])):
            rows.append([(start + timedelta(days=14 * i)).isoformat(), "collectief", network["network"], "",
                         ADVISER, 150, "Netwerkdag"])
    for school in read("session_counts_schools.csv"):
        for i in range(int(school["individual_sessions"])):
            rows.append([(start + timedelta(days=7 * i + 1)).isoformat(), "individueel", school["network"],
                         school["school"], ADVISER if i % 2 else "", 90 if i % 3 else "", ""])
    return rows


def test_structure_and_sessions_import_reproduce_the_report_counts(app, runner, tmp_path):
    UserFactory(email=ADVISER, is_adviser=True)
    structure = write_csv(tmp_path / "structure.csv", ["warm_city", "network", "school"],
                          [[r["warm_city"], r["network"], r["school"]] for r in read("session_counts_schools.csv")])
    result = runner.invoke(args=["import", "structure", str(structure)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(School.id))) == 47
    sessions = write_csv(tmp_path / "sessions.csv", imports.SESSION_COLUMNS, sessions_from_counts())
    result = runner.invoke(args=["import", "sessions", str(sessions)])
    assert result.exit_code == 0, result.output
    assert "498 nieuw, 0 al aanwezig." in result.output

    # Importing both files again changes nothing.
    assert "0 nieuw" in runner.invoke(args=["import", "structure", str(structure)]).output
    assert "0 nieuw, 498 al aanwezig." in runner.invoke(args=["import", "sessions", str(sessions)]).output
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 498

    result = runner.invoke(args=["report", "sessions", "--format", "csv"])
    assert result.exit_code == 0
    report = list(csv.DictReader(io.StringIO(result.output)))
    assert list(report[0]) == ["network", "school", "collective_sessions", "individual_sessions",
                               "collective_planned", "individual_planned"]
    collective = {r["network"]: int(r["collective_sessions"]) for r in report if not r["school"]}
    individual = {r["school"]: int(r["individual_sessions"]) for r in report if r["school"]}
    assert collective == {r["network"]: int(r["collective_sessions"]) for r in read("session_counts_networks.csv")}
    assert individual == {r["school"]: int(r["individual_sessions"]) for r in read("session_counts_schools.csv")}
    assert sum(int(r["collective_sessions"]) for r in report) == 52
    assert sum(int(r["individual_sessions"]) for r in report) == 446


def test_the_report_page_shows_the_same_figures(app, auth):
    coordinator = UserFactory(is_coordinator=True)
    imports.import_structure([{"warm_city": "Gent", "network": "Lerend netwerk Gent 1", "school": "Atheneum Voskenslaan"},
                               {"warm_city": "Gent", "network": "Lerend netwerk Gent 1", "school": "BenedictusPoort"}])
    rows = [{"date": f"2018-01-{d:02d}", "kind": "collectief", "network": "Lerend netwerk Gent 1", "school": "",
             "adviser_email": "", "duration_minutes": "", "notes": ""} for d in range(1, 6)]
    rows += [{"date": f"2018-02-{d:02d}", "kind": "individueel", "network": "", "school": "Atheneum Voskenslaan",
              "adviser_email": "", "duration_minutes": "", "notes": ""} for d in range(1, 24)]
    assert imports.import_sessions(rows).created == 28
    db.session.commit()
    client = auth.client_for(coordinator)
    page = client.get("/programma/rapport").get_data(as_text=True)
    assert "5 collectieve sessies in de lerende netwerken en 23 individuele sessies" in page
    text = client.get("/programma/rapport.csv?deel=sessies").get_data(as_text=True)
    assert text.splitlines() == [
        "network,school,collective_sessions,individual_sessions,collective_planned,individual_planned",
        "Lerend netwerk Gent 1,,5,0,0,0", "Lerend netwerk Gent 1,Atheneum Voskenslaan,0,23,0,0",
        "Lerend netwerk Gent 1,BenedictusPoort,0,0,0,0"]
    assert client.get("/programma/rapport/indicatoren.svg").mimetype == "image/svg+xml"
    assert client.get("/programma/rapport/welbevinden.svg").mimetype == "image/svg+xml"


def test_session_import_refuses_rows_with_reasons_and_writes_nothing(app):
    imports.import_structure([{"warm_city": "Gent", "network": "Netwerk A", "school": "School A"},
                               {"warm_city": "Gent", "network": "Netwerk B", "school": "School B"}])
    UserFactory(email="a@example.org", is_adviser=True)
    UserFactory(email="ouder@example.org")
    base = {"date": "2026-10-06", "kind": "individueel", "network": "Netwerk A", "school": "School A",
            "adviser_email": "a@example.org", "duration_minutes": "90", "notes": ""}
    rows = [
        base,
        {**base, "date": "6 oktober"},
        {**base, "kind": "workshop"},
        {**base, "kind": "collectief"},
        {**base, "school": "School B"},
        {**base, "school": "Onbekende school", "date": "2026-10-07"},
        {**base, "adviser_email": "ouder@example.org", "date": "2026-10-08"},
        {**base, "duration_minutes": "lang", "date": "2026-10-09"},
        {**base, "kind": "individueel", "school": "", "date": "2026-10-10"},
        dict(base),
    ]
    with app.test_request_context():
        result = imports.import_sessions(rows)
    reasons = dict(result.refused)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "is geen datum" in reasons[3]
    assert "niet 'collectief' of 'individueel'" in reasons[4]
    assert "geen school" in reasons[5]
    assert "hoort niet bij netwerk" in reasons[6]
    assert "bestaat niet" in reasons[7]
    assert "geen adviseur" in reasons[8]
    assert "minuten" in reasons[9]
    assert "hoort bij een school" in reasons[10]
    assert "dezelfde sessie als regel 2" in reasons[11]
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 0


def test_import_skips_a_session_already_logged_by_hand(world):
    CoachingSessionFactory(school=world.school, held_on=date(2026, 10, 6), advisers=[world.users["adviser"]])
    row = {"date": "2026-10-06", "kind": "individueel", "network": "", "school": world.school.name,
           "adviser_email": world.users["adviser"].email, "duration_minutes": "", "notes": ""}
    result = imports.import_sessions([row])
    assert (result.created, result.unchanged) == (0, 1)


def test_structure_import_refuses_a_school_moved_elsewhere(app, runner, tmp_path):
    imports.import_structure([{"warm_city": "Gent", "network": "Netwerk A", "school": "School A"}])
    db.session.commit()
    path = write_csv(tmp_path / "s.csv", ["warm_city", "network", "school"],
                     [["Brugge", "Netwerk A", "School A"], ["Brugge", "Netwerk C", "School C"], ["", "x", "y"]])
    result = runner.invoke(args=["import", "structure", str(path)])
    assert result.exit_code == 1
    assert "regel 2: school 'School A' bestaat al in Gent / Netwerk A" in result.output
    assert db.session.scalar(db.select(db.func.count(School.id))) == 1
    assert db.session.scalar(db.select(db.func.count(WarmCity.id))) == 1


def test_upload_forms_for_the_coordinator(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    text = "warm_city;network;school\nKortrijk;Lerend netwerk Zwevegem;Gemeenteschool Heestert\n"
    upload = {"file": (io.BytesIO(text.encode("cp1252")), "structuur.csv")}
    response = coordinator.post_form("/programma/importeren/structuur", upload, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(db.select(LearningNetwork.id).where(LearningNetwork.name == "Lerend netwerk Zwevegem"))
    bad = "date,kind,network,school,adviser_email,duration_minutes,notes\n2026-13-01,collectief,Lerend netwerk Zwevegem,,,,\n"
    response = coordinator.post_form("/programma/importeren/sessies",
                                     {"file": (io.BytesIO(bad.encode()), "sessies.csv")},
                                     content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 regel(s) geweigerd; er is niets ingelezen." in page and "2026-13-01" in page
    assert auth.client_for(world.users["adviser"]).get("/programma/importeren/sessies").status_code == 403


# --- the programme page ---------------------------------------------------------------------------------------


def test_adviser_sees_only_assigned_schools(world, auth):
    definition = services.indicators()[0]
    IndicatorRatingFactory(school=world.other_school, indicator=definition, level="realised")
    network_adviser = UserFactory(is_adviser=True)
    AdviserAssignmentFactory(adviser=network_adviser, school=None, network=world.other_school.network)
    page = auth.client_for(world.users["adviser"]).get("/programma/opvolging").get_data(as_text=True)
    assert world.school.name in page and world.other_school.name not in page
    page = auth.client_for(network_adviser).get("/programma/opvolging").get_data(as_text=True)
    assert world.other_school.name in page and world.school.name not in page
    page = auth.client_for(world.users["coordinator"]).get("/programma/opvolging").get_data(as_text=True)
    assert world.school.name in page and world.other_school.name in page
    report = auth.client_for(world.users["adviser"]).get("/programma/rapport").get_data(as_text=True)
    assert "Beperkt tot de scholen die je begeleidt." in report and world.other_school.name not in report
    # Nor can the adviser open the other school's pages.
    client = auth.client_for(world.users["adviser"])
    assert client.get(f"/scholen/{world.other_school.id}/voortgang").status_code == 403
    assert client.get(f"/scholen/{world.other_school.id}/indicatoren/scoren").status_code == 403
    for role in ("director", "forum"):
        assert auth.client_for(world.users[role]).get("/programma/opvolging").status_code == 403


def test_filters_and_the_stall_flag(world, auth):
    definitions = services.indicators()
    IndicatorRatingFactory(school=world.school, indicator=definitions[2], level="not_started",
                           measured_on=date.today(), school_year=services.school_year(date.today()))
    client = auth.client_for(world.users["coordinator"])
    page = client.get("/programma/opvolging?indicator=3&score=not_started").get_data(as_text=True)
    assert world.school.name in page and world.other_school.name not in page
    page = client.get("/programma/opvolging?indicator=3&score=none").get_data(as_text=True)
    assert world.other_school.name in page and world.school.name not in page
    page = client.get(f"/programma/opvolging?stad={world.other_school.city_id}").get_data(as_text=True)
    assert world.other_school.name in page and world.school.name not in page
    page = client.get(f"/programma/opvolging?adviseur={world.users['adviser'].id}").get_data(as_text=True)
    assert world.school.name in page and world.other_school.name not in page
    page = client.get("/programma/opvolging?niveau=basis").get_data(as_text=True)
    assert "Geen scholen voor deze filters." in page
    # The level is told by letter and hidden label, not colour alone.
    page = client.get("/programma/opvolging").get_data(as_text=True)
    assert '<span class="visually-hidden">Nog niet gestart</span>' in page


def _count_queries(client, url) -> int:
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    return len(statements)


def _add_schools(n: int, offset: int) -> None:
    """Many schools with ratings and sessions, inserted in one transaction (factories would commit each row)."""
    definitions = services.indicators()
    template = db.session.scalar(db.select(School).order_by(School.id).limit(1))
    for i in range(n):
        school = School(programme_id=template.programme_id, name=f"Bulk {offset + i:04d}", city_id=template.city_id,
                        network_id=template.network_id, level="secundair")
        db.session.add(school)
        for d in definitions[: 1 + i % 9]:
            db.session.add(IndicatorRating(school=school, indicator=d, level="started", measured_on=date(2026, 6, 26),
                                           school_year="2025-2026"))
        db.session.add(CoachingSession(kind="individual", school=school, network_id=template.network_id,
                                       held_on=date(2026, 10, 6)))
    db.session.commit()


@pytest.mark.parametrize("url", ["/programma/opvolging", "/programma/opvolging?pagina=2&netwerk=1",
                                 "/programma/rapport"])
def test_programme_pages_use_a_fixed_number_of_queries(world, auth, url):
    client = auth.client_for(world.users["coordinator"])
    _add_schools(10, 0)
    small = _count_queries(client, url)
    _add_schools(130, 100)
    large = _count_queries(client, url)
    assert large == small


def test_programme_page_paginates(world, auth):
    _add_schools(105, 0)
    client = auth.client_for(world.users["coordinator"])
    page = client.get("/programma/opvolging").get_data(as_text=True)
    # 50 schools a page (dashboards.PAGE_SIZE): a page of the matrix stays small at 5,000 schools.
    assert "107 scholen; pagina 1 van 3." in page and "Bulk 0000" in page and "Bulk 0104" not in page
    assert page.count('<th scope="row" class="fw-normal">') == 50
    page = client.get("/programma/opvolging?pagina=3").get_data(as_text=True)
    assert "Bulk 0104" in page and "Bulk 0000" not in page


def test_with_many_networks_the_network_filter_lists_those_of_the_chosen_city(app, world, auth, monkeypatch):
    from warmeveranderen.programme import filters as dashboards

    # The page as rendered: the test changes a limit of the code, which no kept page follows.
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)

    coordinator = auth.client_for(world.users["coordinator"])
    mine, other = world.school.network, world.other_school.network
    page = coordinator.get("/programma/opvolging").get_data(as_text=True)
    assert f'<option value="{mine.id}">{mine.name}</option>' in page
    assert f'<option value="{other.id}">{other.name}</option>' in page
    assert "Kies eerst een warme stad" not in page
    # Beyond the limit: no network without a city; the city's networks once it is chosen.
    monkeypatch.setattr(dashboards, "NETWORK_OPTIONS_LIMIT", 1)
    page = coordinator.get("/programma/opvolging").get_data(as_text=True)
    assert "Kies eerst een warme stad" in page and f">{mine.name}</option>" not in page
    page = coordinator.get(f"/programma/opvolging?stad={world.school.city_id}").get_data(as_text=True)
    assert f">{mine.name}</option>" in page and f">{other.name}</option>" not in page
    # A network chosen through a link stays shown as the choice, and filters the schools.
    page = coordinator.get(f"/programma/opvolging?netwerk={other.id}").get_data(as_text=True)
    assert f'<option value="{other.id}" selected>{other.name}</option>' in page
    assert world.other_school.name in page and world.school.name not in page


# --- issue 16: held vs planned, period and scope, stall signals by the programme's calendar ----------------------


def _held_count(client, query: str = "") -> tuple[int, int]:
    rows = list(csv.DictReader(io.StringIO(client.get(f"/programma/rapport.csv?deel=sessies{query}").get_data(as_text=True))))
    return (sum(int(r["collective_sessions"]) + int(r["individual_sessions"]) for r in rows),
            sum(int(r["collective_planned"]) + int(r["individual_planned"]) for r in rows))


def test_a_planned_session_is_not_held_and_a_cancelled_one_not_counted(world, auth):
    client = auth.client_for(world.users["coordinator"])
    before = _held_count(client)
    future = CoachingSessionFactory(school=world.school, held_on=date.today() + timedelta(days=200))
    db.session.commit()
    assert _held_count(client) == (before[0], before[1] + 1)
    page = client.get("/programma/rapport").get_data(as_text=True)
    assert "Daarnaast zijn er 1 sessies gepland; die tellen niet mee." in page
    past = CoachingSessionFactory(school=world.school, held_on=date.today() - timedelta(days=3))
    db.session.commit()
    assert _held_count(client) == (before[0] + 1, before[1] + 1)
    # Cancelling through the edit form removes it from the counts (and the planned one likewise).
    for session in (past, future):
        form = {"held_on": session.held_on.isoformat(), "advisers": str(world.users["adviser"].id),
                "duration_minutes": "90", "participants": "", "summary": "", "notes": "", "cancelled": "y"}
        response = auth.client_for(world.users["adviser"]).post_form(f"/sessies/{session.id}/bewerken", form)
        assert response.status_code == 302, response.get_data(as_text=True)
    assert _held_count(client) == before
    db.session.refresh(past)
    assert past.state(date.today()) == "cancelled"


def test_period_and_scope_filters_agree_across_page_csv_and_cli(world, auth, runner):
    CoachingSessionFactory(school=world.school, held_on=date(2018, 3, 1))
    CoachingSessionFactory(school=world.school, held_on=date(2019, 3, 1))
    CoachingSessionFactory(school=world.other_school, held_on=date(2019, 3, 2))
    db.session.commit()
    client = auth.client_for(world.users["coordinator"])
    assert _held_count(client, "&schooljaar=2018-2019")[0] == 2
    assert _held_count(client, "&van=2017-09-01&tot=2018-08-31")[0] == 1
    assert _held_count(client, f"&schooljaar=2018-2019&stad={world.other_school.city_id}")[0] == 1
    page = client.get(f"/programma/rapport?schooljaar=2018-2019&stad={world.other_school.city_id}").get_data(as_text=True)
    assert "0 collectieve sessies in de lerende netwerken en 1 individuele sessies" in page
    assert world.school.name not in page
    # The CSV link and the charts on the page keep the filters.
    assert "deel=sessies&amp;schooljaar=2018-2019" in page or "schooljaar=2018-2019&amp;deel=sessies" in page
    city = db.session.get(WarmCity, world.other_school.city_id).name
    result = runner.invoke(args=["report", "sessions", "--from", "2018-09-01", "--to", "2019-08-31",
                                 "--city", city.upper()])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert sum(int(r["individual_sessions"]) for r in rows) == 1
    assert {r["school"] for r in rows if r["school"]} == {world.other_school.name}
    result = runner.invoke(args=["report", "sessions", "--from", "2017-09-01", "--to", "2020-08-31"])
    assert sum(int(r["individual_sessions"]) for r in csv.DictReader(io.StringIO(result.output))) == 3


@pytest.mark.parametrize(("day", "flagged"), [(date(2026, 11, 29), False), (date(2027, 5, 15), False),
                                               (date(2027, 7, 2), True)])
def test_no_rating_is_flagged_only_after_the_rating_window_closed(world, auth, monkeypatch, day, flagged):
    from warmeveranderen.tracking import parts

    # Both schools rated in 2025-2026; in 2026-2027 only at the end of the year, if at all.
    definitions = services.indicators()
    for school in (world.school, world.other_school):
        IndicatorRatingFactory(school=school, indicator=definitions[0], measured_on=date(2026, 6, 10),
                               school_year="2025-2026")
    db.session.commit()
    monkeypatch.setattr(parts, "today", lambda: day)
    page = auth.client_for(world.users["coordinator"]).get("/programma/opvolging").get_data(as_text=True)
    assert "Geen score dit schooljaar" not in page
    assert page.count('text-bg-warning">Geen score in schooljaar 2026-2027') == (2 if flagged else 0)


def test_shares_add_up_to_100_and_percentages_have_a_decimal_comma(world, auth):
    from tests.factories_tracking import WellbeingMeasurementFactory
    from warmeveranderen.tracking.dashboards import whole_shares

    # 1/6 each rounds up to 17: six of them would make a bar of 102 %.
    assert sum(whole_shares([1, 1, 1, 1, 1, 1])) == 100
    assert whole_shares([1, 1, 1]) == [34, 33, 33]
    assert whole_shares([0, 0]) == [0, 0]
    # 11 of 24 pupils at levels 4-5: 45,8 % in Dutch.
    WellbeingMeasurementFactory(school=world.school, wellbeing_3=13, wellbeing_4=11, involvement_3=24, involvement_4=0)
    db.session.commit()
    page = auth.client_for(world.users["coordinator"]).get("/programma/rapport").get_data(as_text=True)
    assert "45,8\u00a0%" in page
    assert "45.8 %" not in page


def test_the_stall_signals_are_counted_and_filterable(world, auth, monkeypatch):
    from warmeveranderen.tracking import parts

    # Only school A was rated in 2026-2027; after that year's window closed, B is late.
    definitions = services.indicators()
    IndicatorRatingFactory(school=world.school, indicator=definitions[0], measured_on=date(2027, 6, 10),
                           school_year="2026-2027")
    db.session.commit()
    monkeypatch.setattr(parts, "today", lambda: date(2027, 7, 2))
    client = auth.client_for(world.users["coordinator"])
    page = client.get("/programma/opvolging").get_data(as_text=True)
    assert "1 school met een signaal van stilstand" in page

    assert re.search(r"<li>Geen score in schooljaar 2026-2027 \(het scoorvenster sloot op [^)]+\): 1</li>", page)
    stalled = client.get("/programma/opvolging?signalen=ja").get_data(as_text=True)
    assert world.other_school.name in stalled and world.school.name not in stalled
    calm = client.get("/programma/opvolging?signalen=nee").get_data(as_text=True)
    assert world.school.name in calm and world.other_school.name not in calm
    assert "1 school met een signaal van stilstand" in calm  # the count is of every school the other filters match
