"""Exports a coordinator re-imports without changes: sessions per row and a school's well-being counts,
as CSV (UTF-8 BOM, `;`, Dutch headers with the machine name, formulas neutralised) and as .xlsx."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.factories_tracking import CoachingSessionFactory, IndicatorRatingFactory, WellbeingMeasurementFactory
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.tracking import services
from warmeveranderen.tracking.models import CoachingSession, IndicatorRating, WellbeingMeasurement


def _sessions(world):
    adviser = world.users["adviser"]
    CoachingSessionFactory(school=world.school, held_on=date(2018, 3, 6), advisers=[adviser],
                           notes="=HYPERLINK(\"http://x\")", summary="- eerste punt\n- tweede punt",
                           participants="vliegwiel (5)")
    CoachingSessionFactory(kind="collective", school=None, network=world.school.network, held_on=date(2018, 3, 13),
                           duration_minutes=None, notes="", summary="Netwerkdag; met \"aanhalingstekens\"",
                           participants="+5 trekkers", advisers=[])
    CoachingSessionFactory(school=world.school, held_on=date(2018, 4, 17), cancelled=True, advisers=[adviser])
    db.session.commit()


def _upload(client, url: str, body: bytes, name: str):
    return client.post_form(url, {"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sessions_export_reimports_without_changes(world, auth, fmt):
    _sessions(world)
    coordinator = auth.client_for(world.users["coordinator"])
    first = coordinator.get(f"/programma/export/sessies.{fmt}")
    assert first.status_code == 200
    body = first.get_data()
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeffDatum (date);Soort (kind);Lerend netwerk (network);School (school);")
        assert "'=HYPERLINK" in text and ";'+5 trekkers;" in text  # formulas neutralised
        assert ';"=' not in text and ";=" not in text and ";+" not in text
        assert len(text.splitlines()) == 1 + 3 + 1  # header, three sessions (one summary has a line break)
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet["A1"].value == "Datum (date)" and sheet.max_row == 4
        formula = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
        assert formula.data_type == "s"  # stored as text, never run

    # Re-importing the export changes nothing.
    response = _upload(coordinator, "/programma/importeren/sessies", body, f"sessies.{fmt}")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 3

    # Into an empty programme it brings back the same sessions: the next export is the same.
    db.session.execute(db.delete(CoachingSession))
    db.session.commit()
    assert _upload(coordinator, "/programma/importeren/sessies", body, f"sessies.{fmt}").status_code == 302
    assert db.session.scalar(db.select(db.func.count(CoachingSession.id))) == 3
    again = coordinator.get(f"/programma/export/sessies.{fmt}").get_data()
    if fmt == "csv":
        assert again == body
    else:
        rows = lambda b: [[c.value for c in r] for r in load_workbook(io.BytesIO(b)).active.iter_rows()]  # noqa: E731
        assert rows(again) == rows(body)


def test_the_sessions_export_follows_the_report_period(world, auth):
    _sessions(world)
    coordinator = auth.client_for(world.users["coordinator"])
    text = coordinator.get("/programma/export/sessies.csv?van=2018-03-10&tot=2018-03-31").get_data(as_text=True)
    assert "2018-03-13" in text and "2018-03-06" not in text and "2018-04-17" not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_wellbeing_export_reimports_without_changes(world, auth, fmt):
    for group in ("Klas 1A", "=Klas 2B"):
        WellbeingMeasurementFactory(school=world.school, group_name=group)
        WellbeingMeasurementFactory(school=world.school, group_name=group, moment="post", wellbeing_5=2, involvement_5=2)
    db.session.commit()
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/welbevinden"
    body = director.get(f"{url}.{fmt}").get_data()
    if fmt == "csv":
        assert body.decode("utf-8").startswith("\ufeffSchooljaar (school_year);Meetmoment (moment);Groep (group);")
    response = _upload(director, f"{url}/importeren", body, f"welbevinden.{fmt}")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.execute(db.delete(WellbeingMeasurement))
    db.session.commit()
    assert _upload(director, f"{url}/importeren", body, f"welbevinden.{fmt}").status_code == 302
    assert db.session.scalar(db.select(db.func.count(WellbeingMeasurement.id))) == 4
    assert "=Klas 2B" in set(db.session.scalars(db.select(WellbeingMeasurement.group_name)))
    if fmt == "csv":
        assert director.get(f"{url}.{fmt}").get_data() == body


def test_only_the_coordinator_exports_every_session(world, auth):
    assert auth.client_for(world.users["adviser"]).get("/programma/export/sessies.csv").status_code == 403
    assert auth.client_for(world.users["coordinator"]).get("/programma/export/sessies.pdf").status_code == 404


def test_sessions_of_advisers_without_an_account_are_imported_and_the_report_says_so(world, auth, runner, tmp_path):
    network = world.school.network.name
    rows = [
        "date;kind;network;school;adviser_email;duration_minutes;notes",
        f"2018-01-09;collectief;{network};;lies.vermeulen@oud.example.org;150;",
        f"2018-01-16;individueel;;{world.school.name};lies.vermeulen@oud.example.org;90;",
        f"2018-02-06;individueel;;{world.school.name};{world.users['director'].email};90;",
    ]
    coordinator = auth.client_for(world.users["coordinator"])
    # A person of the app who is no adviser stays refused, and then nothing is imported.
    refused = _upload(coordinator, "/programma/importeren/sessies", "\n".join(rows).encode(), "s.csv")
    assert refused.status_code == 422 and "geen adviseur of coördinator" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "lies.vermeulen@oud.example.org")) is None

    path = tmp_path / "sessies.csv"
    path.write_text("\n".join(rows[:3]), encoding="utf-8")
    result = runner.invoke(args=["import", "sessions", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 nieuw" in result.output
    assert "bewaard als persoon zonder login: lies.vermeulen@oud.example.org" in result.output
    lies = db.session.scalar(db.select(User).where(User.email == "lies.vermeulen@oud.example.org"))
    assert lies.name == "Lies Vermeulen" and not lies.active and lies.password_hash is None and lies.is_adviser
    sessions = db.session.scalars(db.select(CoachingSession)).all()
    assert [s.advisers for s in sessions] == [[lies], [lies]]
    # Again: nothing new, nobody new.
    again = runner.invoke(args=["import", "sessions", str(path)])
    assert "0 nieuw, 2 al aanwezig." in again.output and "zonder login" not in again.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ratings_export_per_school_reimports_without_changes(world, auth, fmt):
    adviser = world.users["adviser"]
    first, second = services.indicators()[:2]
    for school, level in ((world.school, "realised"), (world.other_school, "started")):
        IndicatorRatingFactory(school=school, indicator=first, level=level, rated_by=adviser, remark="=1+1")
        IndicatorRatingFactory(school=school, indicator=second, level="in_progress", rated_by=None,
                               measured_on=date(2025, 6, 27), school_year="2024-2025")
    db.session.commit()
    coordinator = auth.client_for(world.users["coordinator"])
    body = coordinator.get(f"/programma/export/scores.{fmt}").get_data()
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeffSchool (school);Indicator (indicator);Meetmoment (measured_on);Niveau (level);")
        assert f"{world.school.name};1;2026-06-26;realised;'=1+1;;{adviser.email}" in text
    url = "/programma/importeren/scores"
    response = _upload(coordinator, url, body, f"scores.{fmt}")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(IndicatorRating.id))) == 4
    db.session.execute(db.delete(IndicatorRating))
    db.session.commit()
    assert _upload(coordinator, url, body, f"scores.{fmt}").status_code == 302
    assert db.session.scalar(db.select(db.func.count(IndicatorRating.id))) == 4
    if fmt == "csv":
        assert coordinator.get(f"/programma/export/scores.{fmt}").get_data() == body
        # Another level for a rating already there is refused, not overwritten.
        changed = body.decode("utf-8").replace(";realised;", ";not_started;").encode("utf-8")
        refused = _upload(coordinator, url, changed, "scores.csv")
        assert refused.status_code == 422 and "al een ander niveau" in refused.get_data(as_text=True)
